package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// FollowUp is one contact with a person after the program (跟踪联系).
type FollowUp struct {
	ID          int64
	PersonID    int64
	SchoolID    *int64
	ContactedOn time.Time
	Channel     string
	Outcome     string // reached, unreachable, declined, opted_out
	Notes       *string
	MadeBy      *string
	DeletedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}

// FollowUpInput is what a client reports about a contact.
type FollowUpInput struct {
	ContactedOn time.Time
	Channel     string
	Outcome     string
	Notes       *string
	MadeBy      *string
}

// OptOutBounds is what the opt-out rule needs of a person's other live follow-ups: the
// earliest opt-out and the latest contact of any outcome (nil when there is none).
type OptOutBounds struct {
	FirstOptOut *time.Time
	LastContact *time.Time
}

func followUpFrom(r db.FollowUp) FollowUp {
	return FollowUp{ID: r.ID, PersonID: r.PersonID, SchoolID: r.SchoolID, ContactedOn: r.ContactedOn,
		Channel: r.Channel, Outcome: r.Outcome, Notes: r.Notes, MadeBy: r.MadeBy, DeletedAt: r.DeletedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

func followUpAudit(f FollowUp) map[string]any {
	return map[string]any{"id": f.ID, "person_id": f.PersonID, "contacted_on": f.ContactedOn.Format(time.DateOnly),
		"channel": f.Channel, "outcome": f.Outcome, "notes": f.Notes, "made_by": f.MadeBy,
		"deleted_at": f.DeletedAt, "version": f.Version}
}

// FollowUpGet returns one follow-up (soft-deleted or not) or ErrNotFound.
func (s *Store) FollowUpGet(ctx context.Context, id int64) (FollowUp, error) {
	return oneOf[FollowUp]("get follow-up")(s.followUps().get(ctx, s.scoped(), id))
}

// FollowUpList returns a person's follow-ups by date; soft-deleted ones only when asked.
func (s *Store) FollowUpList(ctx context.Context, personID int64, includeDeleted bool) ([]FollowUp, error) {
	return listOf("list follow-ups", followUpFrom)(s.q.FollowUpList(ctx, s.scoped(),
		db.FollowUpListParams{PersonID: personID, IncludeDeleted: includeDeleted}))
}

func (s *Store) optOutBounds(ctx context.Context, tx pgx.Tx, personID, except int64) (OptOutBounds, error) {
	var b OptOutBounds
	first, err := s.q.FollowUpFirstOptOut(ctx, tx, db.FollowUpFirstOptOutParams{PersonID: personID, ExceptID: except})
	switch {
	case err == nil:
		b.FirstOptOut = &first
	case !isNoRows(err):
		return b, err
	}
	last, err := s.q.FollowUpLastContact(ctx, tx, db.FollowUpLastContactParams{PersonID: personID, ExceptID: except})
	switch {
	case err == nil:
		b.LastContact = &last
	case !isNoRows(err):
		return b, err
	}
	return b, nil
}

// followUps is the follow-up table for the writes the tracking tables share.
func (s *Store) followUps() trackedKind[FollowUp] {
	return trackedKind[FollowUp]{entity: "follow_up", noun: "follow-up", lock: s.q.FollowUpLock,
		get: getter(s.q.FollowUpGet, followUpFrom), audit: followUpAudit}
}

// FollowUpCreate records a contact after check accepts it against the person's other live
// follow-ups (under the person's lock). The same (date, channel) twice is a *DuplicateError.
func (s *Store) FollowUpCreate(ctx context.Context, a Actor, personID int64, in FollowUpInput,
	check func(p TrackedPerson, b OptOutBounds) error) (FollowUp, error) {
	return trackedCreate(ctx, s, a, personID, s.followUps(), func(ctx context.Context, tx pgx.Tx, p TrackedPerson) (FollowUp, error) {
		b, err := s.optOutBounds(ctx, tx, personID, 0)
		if err != nil {
			return FollowUp{}, err
		}
		if err := check(p, b); err != nil {
			return FollowUp{}, err
		}
		r, err := s.q.FollowUpInsert(ctx, tx, db.FollowUpInsertParams{PersonID: personID, SchoolID: p.SchoolID,
			ContactedOn: in.ContactedOn, Channel: in.Channel, Outcome: in.Outcome, Notes: in.Notes, MadeBy: in.MadeBy})
		return followUpFrom(r), err
	}, func(ctx context.Context, tx pgx.Tx) (int64, error) {
		return s.q.FollowUpIDByKey(ctx, tx, db.FollowUpIDByKeyParams{PersonID: personID, ContactedOn: in.ContactedOn,
			Channel: in.Channel})
	})
}

// FollowUpChange is one change of a follow-up: Apply edits the current follow-up in place,
// given the person's other live follow-ups, or refuses (the opt-out rule lives there).
type FollowUpChange struct {
	Version *int
	Apply   func(cur *FollowUp, p TrackedPerson, b OptOutBounds) error
}

// FollowUpUpdate applies a change to follow-up id, provided it is still at c.Version
// (when given), and audits before and after.
func (s *Store) FollowUpUpdate(ctx context.Context, a Actor, id int64, c FollowUpChange) (FollowUp, error) {
	return trackedUpdate(ctx, s, a, id, c.Version, "update", s.followUps(),
		func(ctx context.Context, tx pgx.Tx, before FollowUp, cur *FollowUp, p TrackedPerson) (*FollowUp, error) {
			b, err := s.optOutBounds(ctx, tx, cur.PersonID, id)
			if err != nil {
				return nil, err
			}
			if err := c.Apply(cur, p, b); err != nil {
				return nil, err
			}
			if !cur.ContactedOn.Equal(before.ContactedOn) || cur.Channel != before.Channel {
				other, err := s.q.FollowUpIDByKey(ctx, tx, db.FollowUpIDByKeyParams{PersonID: cur.PersonID,
					ContactedOn: cur.ContactedOn, Channel: cur.Channel})
				if err := duplicateOf("follow_up", id, other, err); err != nil {
					return nil, err
				}
			}
			u, err := s.q.FollowUpUpdate(ctx, tx, db.FollowUpUpdateParams{ID: id, ContactedOn: cur.ContactedOn,
				Channel: cur.Channel, Outcome: cur.Outcome, Notes: cur.Notes, MadeBy: cur.MadeBy})
			if err != nil {
				return nil, err
			}
			return new(followUpFrom(u)), nil
		})
}

// FollowUpSetDeleted soft-deletes or restores a follow-up. Deleting an opt-out makes the
// person contactable again; a restore runs check against the other live follow-ups first.
func (s *Store) FollowUpSetDeleted(ctx context.Context, a Actor, id int64, version *int, deleted bool,
	check func(cur FollowUp, p TrackedPerson, b OptOutBounds) error) (FollowUp, error) {
	var restore func(context.Context, pgx.Tx, FollowUp, TrackedPerson) error
	if check != nil {
		restore = func(ctx context.Context, tx pgx.Tx, cur FollowUp, p TrackedPerson) error {
			b, err := s.optOutBounds(ctx, tx, cur.PersonID, id)
			if err != nil {
				return err
			}
			return check(cur, p, b)
		}
	}
	return trackedSetDeleted(ctx, s, a, id, version, deleted, s.followUps(), restore,
		func(ctx context.Context, tx pgx.Tx, _ FollowUp, _ TrackedPerson, at *time.Time) (*FollowUp, error) {
			u, err := s.q.FollowUpSetDeleted(ctx, tx, db.FollowUpSetDeletedParams{ID: id, DeletedAt: at})
			return new(followUpFrom(u)), err
		}, "deleted_at")
}

// CoverageRow is one line of the follow-up coverage summary: Level is school (one
// nominating school), city (its city) or total. Scheduled alumni owe a contact in the
// window containing the date; Met have made it; Due have not (Overdue of them missed the
// window before too); OptedOut are left out of the rest.
type CoverageRow struct {
	Level      string
	CityCode   string
	SchoolCode string
	SchoolName string
	Scheduled  int64
	Met        int64
	Due        int64
	Overdue    int64
	OptedOut   int64
}

// FollowUpCoverage summarises the follow-up schedule on asOf per school, per city and in
// total, in one query, within one school or city (a city-level code) when given.
func (s *Store) FollowUpCoverage(ctx context.Context, asOf time.Time, schoolCode, cityCode *string) ([]CoverageRow, error) {
	from := func(r db.FollowUpCoverageRow) CoverageRow { return CoverageRow(r) }
	return listOf("follow-up coverage", from)(s.q.FollowUpCoverage(ctx, s.scoped(),
		db.FollowUpCoverageParams{AsOf: asOf, SchoolCode: schoolCode, CityCode: cityCode}))
}
