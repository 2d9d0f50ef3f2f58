package store

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// Self-report links and their answers (docs/self-report.md). A link's holder has no scope:
// it reaches the database only through the functions self_report_open and
// self_report_answer (migrations/00102_self_report.sql), which find the link by the hash
// of its token and answer nothing for a link that is unknown, expired, revoked or used.

// SelfReportLink is one link as the school sees it (never its token, which is shown once).
type SelfReportLink struct {
	ID, PersonID, SchoolID int64
	PersonName             string // in lists
	MadeBy                 string
	MadeAt, ExpiresAt      time.Time
	RevokedAt              *time.Time
	RevokedBy              *string
	UsedAt                 *time.Time
}

// SelfReportOpening is what the page of a link shows and needs: the person's name (the
// page shows the given name only) and school, and the birth date that decides whether the
// guardian is addressed.
type SelfReportOpening struct {
	LinkID, PersonID int64
	Name             string
	BirthDate        time.Time
	SchoolName       string
}

// SelfReportAnswerInput is an answer as the door checked it. Prizes is the JSON array of
// the prizes ({competition, level, awarded_on}).
type SelfReportAnswerInput struct {
	AnsweredOn    time.Time
	Respondent    string // self | guardian
	GuardianName  *string
	DestType      *string
	DestOrgName   *string
	DestStartedOn *time.Time
	Prizes        []byte
	ContactAgain  bool
	Note          *string
}

// SelfReport is an answer with its review.
type SelfReport struct {
	ID, LinkID, PersonID, SchoolID int64
	PersonName, IDMasked           string
	SchoolCode                     string
	AnsweredOn                     time.Time
	AnsweredAt                     time.Time
	Respondent                     string
	GuardianName                   *string
	DestType, DestOrgName          *string
	DestStartedOn                  *time.Time
	Prizes                         []byte
	ContactAgain                   bool
	Note                           *string
	Status                         string
	ReviewedBy                     *string
	ReviewedAt                     *time.Time
	ReviewNote                     *string
	FollowUpID, DestinationID      *int64
	AwardIDs                       []int64
	Version                        int
}

func selfReportLinkFrom(r db.SelfReportLinkInsertRow) SelfReportLink {
	return SelfReportLink{ID: r.ID, PersonID: r.PersonID, SchoolID: r.SchoolID, PersonName: r.Name, MadeBy: r.MadeBy,
		MadeAt: r.MadeAt, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, RevokedBy: r.RevokedBy, UsedAt: r.UsedAt}
}

func selfReportFrom(r db.SelfReportListRow) SelfReport {
	return SelfReport{ID: r.ID, LinkID: r.LinkID, PersonID: r.PersonID, SchoolID: r.SchoolID, PersonName: r.Name,
		IDMasked: r.IDMasked, SchoolCode: r.SchoolCode, AnsweredOn: r.AnsweredOn, AnsweredAt: r.AnsweredAt,
		Respondent: r.Respondent, GuardianName: r.GuardianName, DestType: r.DestType, DestOrgName: r.DestOrgName,
		DestStartedOn: r.DestStartedOn, Prizes: r.Prizes, ContactAgain: r.ContactAgain, Note: r.Note, Status: r.Status,
		ReviewedBy: r.ReviewedBy, ReviewedAt: r.ReviewedAt, ReviewNote: r.ReviewNote, FollowUpID: r.FollowUpID,
		DestinationID: r.DestinationID, AwardIDs: r.AwardIds, Version: int(r.Version)}
}

// SelfReportLinkCreate records a link of school schoolID for person personID whose token
// hashes to hash, holding until expires; the audit row is in the same transaction. A
// person the scope does not see is refused by the insert policy (ErrForbidden).
func (s *Store) SelfReportLinkCreate(ctx context.Context, a Actor, personID, schoolID int64, hash []byte,
	expires time.Time) (SelfReportLink, error) {
	var out SelfReportLink
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		r, err := s.q.SelfReportLinkInsert(ctx, tx, db.SelfReportLinkInsertParams{PersonID: personID, SchoolID: schoolID,
			TokenHash: hash, MadeBy: a.Name, ExpiresAt: expires})
		if err != nil {
			return err
		}
		out = selfReportLinkFrom(r)
		return s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "self_report_link",
			EntityID: strconv.FormatInt(r.ID, 10), PersonID: &personID, SchoolID: &schoolID,
			After: map[string]any{"person_id": personID, "school_id": schoolID, "expires_at": expires.UTC().Format(time.RFC3339)}})
	})
	if err != nil {
		return SelfReportLink{}, writeErr("create self-report link", "", err)
	}
	return out, nil
}

// SelfReportLinks are school schoolID's latest links (of person personID, or all when 0),
// newest first, at most limit, with their persons' names: a read of persons, audited in
// the same unit of work.
func (s *Store) SelfReportLinks(ctx context.Context, a Actor, schoolID, personID int64, limit int) ([]SelfReportLink, error) {
	var out []SelfReportLink
	e := AuditEntry{Action: "read", Entity: "self_report_link", SchoolID: &schoolID, Fields: []string{"name"}}
	if personID != 0 {
		e.PersonID = &personID
	}
	err := s.ReadAudited(ctx, a, e, func(q db.DBTX) (int, error) {
		rows, err := s.q.SelfReportLinkList(ctx, q, db.SelfReportLinkListParams{SchoolID: schoolID,
			PersonID: personID, Lim: int32(limit)})
		out = make([]SelfReportLink, len(rows))
		for i, r := range rows {
			out[i] = selfReportLinkFrom(db.SelfReportLinkInsertRow(r))
		}
		return len(rows), err
	})
	if err != nil {
		return nil, mapErr("list self-report links", err)
	}
	return out, nil
}

// SelfReportLinkRevoke revokes link id, audited; a link that is not open (used or revoked)
// or not in the scope is ErrNotFound.
func (s *Store) SelfReportLinkRevoke(ctx context.Context, a Actor, id int64) (SelfReportLink, error) {
	var out SelfReportLink
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		r, err := s.q.SelfReportLinkRevoke(ctx, tx, db.SelfReportLinkRevokeParams{ID: id, RevokedBy: &a.Name})
		if err != nil {
			return err
		}
		out = selfReportLinkFrom(db.SelfReportLinkInsertRow(r))
		return s.Audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "self_report_link",
			EntityID: strconv.FormatInt(id, 10), PersonID: &r.PersonID, SchoolID: &r.SchoolID,
			Fields: []string{"revoked_at"}})
	})
	if err != nil {
		return SelfReportLink{}, mapErr("revoke self-report link", err)
	}
	return out, nil
}

// SelfReportOpen is the opening of the link whose token hashes to hash; a link that is
// unknown, expired, revoked or used is ErrNotFound, alike.
func (s *Store) SelfReportOpen(ctx context.Context, hash []byte) (SelfReportOpening, error) {
	r, err := s.q.SelfReportOpen(ctx, s.scoped(), hash)
	if err != nil {
		return SelfReportOpening{}, mapErr("open self-report link", err)
	}
	return SelfReportOpening{LinkID: r.LinkID, PersonID: r.PersonID, Name: r.Name, BirthDate: r.BirthDate,
		SchoolName: r.SchoolName}, nil
}

// SelfReportAnswer records the one answer of the link whose token hashes to hash and uses
// the link up, with its audit row, in one transaction; the answer's id. A link that is not
// open (any more) is ErrNotFound: of two answers at once one gets the link.
func (s *Store) SelfReportAnswer(ctx context.Context, hash []byte, in SelfReportAnswerInput, requestID string,
	ip *netip.Addr) (int64, error) {
	var rid *string
	if requestID != "" {
		rid = &requestID
	}
	var id int64
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, err = s.q.SelfReportAnswer(ctx, tx, db.SelfReportAnswerParams{TokenHash: hash, AnsweredOn: in.AnsweredOn,
			Respondent: in.Respondent, GuardianName: in.GuardianName, DestType: in.DestType, DestOrgName: in.DestOrgName,
			DestStartedOn: in.DestStartedOn, Prizes: in.Prizes, ContactAgain: in.ContactAgain, Note: in.Note,
			RequestID: rid, Ip: ip})
		return err
	})
	if err != nil {
		return 0, writeErr("answer self-report", "", err)
	}
	if id == 0 {
		return 0, fmt.Errorf("store: answer self-report: %w", ErrNotFound)
	}
	return id, nil
}

// SelfReportList returns the answers of status of school schoolID (0: every school the
// scope sees), oldest first, at most limit — a read of persons, audited with the rows
// returned in the same unit of work.
func (s *Store) SelfReportList(ctx context.Context, a Actor, schoolID int64, status string, limit int) ([]SelfReport, error) {
	var out []SelfReport
	e := AuditEntry{Action: "read", Entity: "self_report", Fields: []string{"name", "id_masked", "answer"}}
	if schoolID != 0 {
		e.SchoolID = &schoolID
	}
	err := s.ReadAudited(ctx, a, e, func(q db.DBTX) (int, error) {
		rows, err := s.q.SelfReportList(ctx, q, db.SelfReportListParams{SchoolID: schoolID, Status: status, Lim: int32(limit)})
		out = make([]SelfReport, len(rows))
		for i, r := range rows {
			out[i] = selfReportFrom(r)
		}
		return len(rows), err
	})
	if err != nil {
		return nil, mapErr("list self-reports", err)
	}
	return out, nil
}

// SelfReportLock returns answer id locked for its review until the unit of work ends
// (WithinTx), or ErrNotFound outside the scope.
func (s *Store) SelfReportLock(ctx context.Context, id int64) (SelfReport, error) {
	var out SelfReport
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		r, err := s.q.SelfReportGetForUpdate(ctx, tx, id)
		out = selfReportFrom(db.SelfReportListRow(r))
		return err
	})
	if err != nil {
		return SelfReport{}, mapErr("lock self-report", err)
	}
	return out, nil
}

// SelfReportReviewInput is the school's decision on a pending answer: accepted with the
// records accepting it made, or rejected with a note.
type SelfReportReviewInput struct {
	Status        string // accepted | rejected
	Note          *string
	FollowUpID    *int64
	DestinationID *int64
	AwardIDs      []int64
}

// SelfReportReview records the review of pending answer id, audited as a transition; an
// answer reviewed already is ErrConflict.
func (s *Store) SelfReportReview(ctx context.Context, a Actor, r SelfReport, in SelfReportReviewInput) error {
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		awards := in.AwardIDs
		if awards == nil {
			awards = []int64{}
		}
		if _, err := s.q.SelfReportReview(ctx, tx, db.SelfReportReviewParams{ID: r.ID, Status: in.Status,
			ReviewedBy: &a.Name, ReviewNote: in.Note, FollowUpID: in.FollowUpID, DestinationID: in.DestinationID,
			AwardIds: awards}); err != nil {
			if isNoRows(err) {
				return fmt.Errorf("self-report %d was reviewed already: %w", r.ID, ErrConflict)
			}
			return err
		}
		after := map[string]any{"status": in.Status, "follow_up_id": in.FollowUpID, "destination_id": in.DestinationID,
			"award_ids": awards}
		if in.Note != nil {
			after["review_note"] = *in.Note
		}
		return s.Audit(ctx, tx, a, AuditEntry{Action: "transition", Entity: "self_report",
			EntityID: strconv.FormatInt(r.ID, 10), PersonID: &r.PersonID, SchoolID: &r.SchoolID,
			Before: map[string]any{"status": r.Status}, After: after, Fields: []string{"status"}})
	})
	if err != nil {
		return writeErr("review self-report", "", err)
	}
	return nil
}
