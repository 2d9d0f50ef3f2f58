package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// Award is a prize of a person (获奖), with its verification by the office.
type Award struct {
	ID               int64
	PersonID         int64
	SchoolID         *int64
	Competition      string
	Level            string
	Rank             *string
	AwardedOn        time.Time
	Organizer        *string
	CategoryCode     *string
	Evidence         *string
	Verification     string // reported, verified, rejected
	VerifiedBy       *string
	VerifiedAt       *time.Time
	VerificationNote *string
	ReportedBy       *string
	DeletedAt        *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Version          int
}

// AwardInput is what a client reports about an award. CategoryCode is a category code or
// Chinese name, resolved by the store.
type AwardInput struct {
	Competition  string
	Level        string
	Rank         *string
	AwardedOn    time.Time
	Organizer    *string
	CategoryCode *string
	Evidence     *string
	ReportedBy   *string
}

func awardFrom(r db.Award) Award {
	return Award{ID: r.ID, PersonID: r.PersonID, SchoolID: r.SchoolID, Competition: r.Competition, Level: r.Level,
		Rank: r.Rank, AwardedOn: r.AwardedOn, Organizer: r.Organizer, CategoryCode: r.CategoryCode,
		Evidence: r.Evidence, Verification: r.Verification, VerifiedBy: r.VerifiedBy, VerifiedAt: r.VerifiedAt,
		VerificationNote: r.VerificationNote, ReportedBy: r.ReportedBy, DeletedAt: r.DeletedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

// awardAudit is an award as the audit log (and so the timeline's "from → to") shows it.
func awardAudit(a Award) map[string]any {
	return map[string]any{"id": a.ID, "person_id": a.PersonID, "competition": a.Competition, "level": a.Level,
		"rank": a.Rank, "awarded_on": a.AwardedOn.Format(time.DateOnly), "organizer": a.Organizer,
		"category": a.CategoryCode, "evidence": a.Evidence, "verification": a.Verification,
		"verified_by": a.VerifiedBy, "verified_at": a.VerifiedAt, "verification_note": a.VerificationNote,
		"reported_by": a.ReportedBy, "deleted_at": a.DeletedAt, "version": a.Version}
}

// resolveCategory turns a category code or Chinese name into its code (FieldError
// "category" when there is none).
func (s *Store) resolveCategory(ctx context.Context, q db.DBTX, key *string) (*string, error) {
	if key == nil {
		return nil, nil
	}
	code, err := s.q.CategoryResolve(ctx, q, *key)
	if err != nil {
		return nil, missing(err, "category", fmt.Sprintf("没有项目类别 %s / no category %s", *key, *key))
	}
	return &code, nil
}

// awards is the award table for the writes the tracking tables share.
func (s *Store) awards() trackedKind[Award] {
	return trackedKind[Award]{entity: "award", noun: "award", lock: s.q.AwardLock,
		get: getter(s.q.AwardGet, awardFrom), audit: awardAudit}
}

// AwardGet returns one award (soft-deleted or not) or ErrNotFound.
func (s *Store) AwardGet(ctx context.Context, id int64) (Award, error) {
	return oneOf[Award]("get award")(s.awards().get(ctx, s.scoped(), id))
}

// AwardList returns a person's awards by date; soft-deleted ones only when asked.
func (s *Store) AwardList(ctx context.Context, personID int64, includeDeleted bool) ([]Award, error) {
	return listOf("list awards", awardFrom)(s.q.AwardList(ctx, s.scoped(),
		db.AwardListParams{PersonID: personID, IncludeDeleted: includeDeleted}))
}

// AwardCreate records an award of a person after check (the domain's rules, run under the
// person's lock) accepts it. The same award twice is a *DuplicateError naming the first.
func (s *Store) AwardCreate(ctx context.Context, a Actor, personID int64, in AwardInput,
	check func(TrackedPerson) error) (Award, error) {
	return trackedCreate(ctx, s, a, personID, s.awards(), func(ctx context.Context, tx pgx.Tx, p TrackedPerson) (Award, error) {
		if err := check(p); err != nil {
			return Award{}, err
		}
		cat, err := s.resolveCategory(ctx, tx, in.CategoryCode)
		if err != nil {
			return Award{}, err
		}
		r, err := s.q.AwardInsert(ctx, tx, db.AwardInsertParams{PersonID: personID, SchoolID: p.SchoolID,
			Competition: in.Competition, Level: in.Level, Rank: in.Rank, AwardedOn: in.AwardedOn,
			Organizer: in.Organizer, CategoryCode: cat, Evidence: in.Evidence, ReportedBy: in.ReportedBy})
		return awardFrom(r), err
	}, func(ctx context.Context, tx pgx.Tx) (int64, error) {
		return s.q.AwardIDByKey(ctx, tx, db.AwardIDByKeyParams{PersonID: personID, Competition: in.Competition,
			AwardedOn: in.AwardedOn})
	})
}

// AwardChange is one change of an award: Apply edits the current award in place (under the
// row and person locks) or refuses with an error; its CategoryCode may be a code or a
// Chinese name, resolved afterwards. Action is the audit action (update for an edit,
// transition for a verification).
type AwardChange struct {
	Version *int
	Action  string
	Apply   func(cur *Award, p TrackedPerson) error
}

// AwardUpdate applies a change to award id, provided it is still at c.Version (when
// given; else ErrStale), and audits before and after in the same transaction.
func (s *Store) AwardUpdate(ctx context.Context, a Actor, id int64, c AwardChange) (Award, error) {
	return trackedUpdate(ctx, s, a, id, c.Version, c.Action, s.awards(),
		func(ctx context.Context, tx pgx.Tx, before Award, cur *Award, p TrackedPerson) (*Award, error) {
			if err := c.Apply(cur, p); err != nil {
				return nil, err
			}
			var err error
			if cur.CategoryCode, err = s.resolveCategory(ctx, tx, cur.CategoryCode); err != nil {
				return nil, err
			}
			if cur.Competition != before.Competition || !cur.AwardedOn.Equal(before.AwardedOn) {
				other, err := s.q.AwardIDByKey(ctx, tx, db.AwardIDByKeyParams{PersonID: cur.PersonID,
					Competition: cur.Competition, AwardedOn: cur.AwardedOn})
				if err := duplicateOf("award", id, other, err); err != nil {
					return nil, err
				}
			}
			u, err := s.q.AwardUpdate(ctx, tx, db.AwardUpdateParams{ID: id, Competition: cur.Competition,
				Level: cur.Level, Rank: cur.Rank, AwardedOn: cur.AwardedOn, Organizer: cur.Organizer,
				CategoryCode: cur.CategoryCode, Evidence: cur.Evidence, Verification: cur.Verification,
				VerifiedBy: cur.VerifiedBy, VerifiedAt: cur.VerifiedAt, VerificationNote: cur.VerificationNote})
			if err != nil {
				return nil, err
			}
			return new(awardFrom(u)), nil
		})
}

// AwardSetDeleted soft-deletes (deleted true) or restores an award. Deleting a deleted or
// restoring a live award changes nothing and writes no audit row.
func (s *Store) AwardSetDeleted(ctx context.Context, a Actor, id int64, version *int, deleted bool) (Award, error) {
	return trackedSetDeleted(ctx, s, a, id, version, deleted, s.awards(), nil,
		func(ctx context.Context, tx pgx.Tx, _ Award, _ TrackedPerson, at *time.Time) (*Award, error) {
			u, err := s.q.AwardSetDeleted(ctx, tx, db.AwardSetDeletedParams{ID: id, DeletedAt: at})
			return new(awardFrom(u)), err
		}, "deleted_at")
}

func deletedAt(deleted bool) *time.Time {
	if !deleted {
		return nil
	}
	now := time.Now().UTC()
	return &now
}

func deleteAction(deleted bool) string {
	if deleted {
		return "delete"
	}
	return "restore"
}
