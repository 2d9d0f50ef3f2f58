package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
	"talentdb/internal/identity"
)

// The identity review queue (docs/identity.md): a person whose identity number is new but
// who shares a birth date and a school with an existing person of a resembling name is
// probably that person entered with a mistyped number. Such pairs go on the queue
// (identity_candidates) for the office to merge or dismiss; nothing is merged on a guess.

// flagSimilar compares the persons that links selects — a query of (person_id,
// school_id), constant SQL of the caller — with every other person linked to the same
// school (responsible school, a participation it nominated, or a school year there) who
// has the same birth date, and puts the pairs whose names resemble
// (identity.NameResemblance) on the review queue. It returns how many pairs were added;
// a pair already on the queue, whatever its status, is left alone.
func (s *Store) flagSimilar(ctx context.Context, tx pgx.Tx, links string, args ...any) (int, error) {
	// Persons of the same school and birth date: the school's links carry the birth date so
	// the last join is one hash join on both keys, not school × school.
	q := `WITH st AS (
		SELECT DISTINCT p.id AS person_id, x.school_id, p.birth_date, p.name
		FROM (` + links + `) AS x (person_id, school_id)
		JOIN persons p ON p.id = x.person_id AND p.merged_into IS NULL
		WHERE x.school_id IS NOT NULL),
	sch AS (SELECT DISTINCT school_id FROM st),
	lk AS (
		SELECT p.school_id, p.id AS person_id FROM persons p WHERE p.school_id IN (SELECT school_id FROM sch)
		UNION
		SELECT pa.school_id, pa.person_id FROM participations pa WHERE pa.school_id IN (SELECT school_id FROM sch)
		UNION
		SELECT ps.school_id, ps.person_id FROM person_schools ps WHERE ps.school_id IN (SELECT school_id FROM sch)),
	lkq AS MATERIALIZED (
		SELECT lk.school_id, q.birth_date, q.id, q.name
		FROM lk JOIN persons q ON q.id = lk.person_id AND q.merged_into IS NULL)
	SELECT DISTINCT st.person_id, lkq.id, st.name, lkq.name
	FROM st JOIN lkq ON lkq.school_id = st.school_id AND lkq.birth_date = st.birth_date
	WHERE lkq.id <> st.person_id`
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("find similar persons: %w", err)
	}
	type pair struct{ newer, older int64 }
	found := map[pair]string{}
	var a, b int64
	var nameA, nameB string
	_, err = pgx.ForEachRow(rows, []any{&a, &b, &nameA, &nameB}, func() error {
		reason, ok := identity.NameResemblance(nameA, nameB)
		if !ok {
			return nil
		}
		// one row per pair, the newer person (larger id) first, whichever side found it
		found[pair{max(a, b), min(a, b)}] = reason
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("find similar persons: %w", err)
	}
	if len(found) == 0 {
		return 0, nil
	}
	p := db.IdentityCandidateInsertManyParams{}
	for k, r := range found {
		p.PersonIds = append(p.PersonIds, k.newer)
		p.SimilarIds = append(p.SimilarIds, k.older)
		p.Reasons = append(p.Reasons, r)
	}
	n, err := s.q.IdentityCandidateInsertMany(ctx, tx, p)
	if err != nil {
		return 0, fmt.Errorf("flag similar persons: %w", err)
	}
	return int(n), nil
}

// flagSimilarPerson checks one person linked to one school (a person created or given a
// participation through the API).
func (s *Store) flagSimilarPerson(ctx context.Context, tx pgx.Tx, personID int64, schoolID *int64) (int, error) {
	if schoolID == nil {
		return 0, nil
	}
	return s.flagSimilar(ctx, tx, `SELECT $1::bigint, $2::bigint`, personID, *schoolID)
}

// CandidatePerson is one side of a candidate pair as the review queue shows it: the masked
// identity number only.
type CandidatePerson struct {
	ID             int64
	IDNumberMasked string
	Name           string
	Gender         string
	BirthDate      time.Time
	SchoolCode     *string
	SchoolName     *string
	CreatedAt      time.Time
}

// IdentityCandidate is a pair on the review queue: Person is the newer record, Similar the
// existing one it resembles; Reason is the rule (identity.Reason…).
type IdentityCandidate struct {
	ID         int64
	Reason     string
	Status     string // open, merged, dismissed
	CreatedAt  time.Time
	ResolvedAt *time.Time
	ResolvedBy *string
	Person     CandidatePerson
	Similar    CandidatePerson
}

// IdentityCandidateList returns up to limit open candidates with id > afterID, by id,
// leaving out pairs where either person has since been merged.
func (s *Store) IdentityCandidateList(ctx context.Context, afterID int64, limit int) ([]IdentityCandidate, error) {
	rows, err := s.q.IdentityCandidateList(ctx, s.scoped(), db.IdentityCandidateListParams{AfterID: afterID,
		Lim: int32(limit)})
	if err != nil {
		return nil, mapErr("list identity candidates", err)
	}
	out := make([]IdentityCandidate, len(rows))
	for i, r := range rows {
		out[i] = IdentityCandidate{ID: r.ID, Reason: r.Reason, Status: r.Status, CreatedAt: r.CreatedAt,
			Person: CandidatePerson{ID: r.PID, IDNumberMasked: r.PIDMasked, Name: r.PName, Gender: r.PGender,
				BirthDate: r.PBirthDate, SchoolCode: r.PSchoolCode, SchoolName: r.PSchoolName, CreatedAt: r.PCreatedAt},
			Similar: CandidatePerson{ID: r.QID, IDNumberMasked: r.QIDMasked, Name: r.QName, Gender: r.QGender,
				BirthDate: r.QBirthDate, SchoolCode: r.QSchoolCode, SchoolName: r.QSchoolName, CreatedAt: r.QCreatedAt}}
	}
	return out, nil
}

// CandidateRecord is a row of the review queue without the persons' details.
type CandidateRecord struct {
	ID         int64
	PersonID   int64
	SimilarID  int64
	Reason     string
	Status     string
	CreatedAt  time.Time
	ResolvedAt *time.Time
	ResolvedBy *string
}

func candidateFrom(r db.IdentityCandidate) CandidateRecord {
	return CandidateRecord{ID: r.ID, PersonID: r.PersonID, SimilarID: r.SimilarID, Reason: r.Reason,
		Status: r.Status, CreatedAt: r.CreatedAt, ResolvedAt: r.ResolvedAt, ResolvedBy: r.ResolvedBy}
}

// candidateAudit is a review-queue row as the audit log shows it.
func candidateAudit(c CandidateRecord) map[string]any {
	return map[string]any{"id": c.ID, "person_id": c.PersonID, "similar_id": c.SimilarID, "reason": c.Reason,
		"status": c.Status, "created_at": c.CreatedAt, "resolved_at": c.ResolvedAt, "resolved_by": c.ResolvedBy}
}

// CandidateClosedError is a dismissal of a candidate that is no longer open. It matches
// ErrConflict.
type CandidateClosedError struct{ Status string }

func (e *CandidateClosedError) Error() string {
	return "store: identity candidate is already " + e.Status
}

// Unwrap makes a closed candidate match ErrConflict.
func (e *CandidateClosedError) Unwrap() error { return ErrConflict }

// IdentityCandidateDismiss closes an open candidate as "two different persons" and audits
// it. An unknown id is ErrNotFound, a closed one a *CandidateClosedError.
func (s *Store) IdentityCandidateDismiss(ctx context.Context, a Actor, id int64) (CandidateRecord, error) {
	var out CandidateRecord
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		by := a.Name
		r, err := s.q.IdentityCandidateDismiss(ctx, tx, db.IdentityCandidateDismissParams{ID: id, ResolvedBy: &by})
		if isNoRows(err) {
			cur, gerr := s.q.IdentityCandidateGet(ctx, tx, id)
			if gerr != nil {
				return gerr
			}
			return &CandidateClosedError{Status: cur.Status}
		}
		if err != nil {
			return err
		}
		out = candidateFrom(r)
		return s.Audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "identity_candidate",
			EntityID: strconv.FormatInt(id, 10), Before: map[string]any{"status": "open"},
			After: candidateAudit(out), Fields: []string{"status"}})
	})
	var ce *CandidateClosedError
	if errors.As(err, &ce) {
		return CandidateRecord{}, err
	}
	if err != nil {
		return CandidateRecord{}, mapErr("dismiss identity candidate", err)
	}
	return out, nil
}
