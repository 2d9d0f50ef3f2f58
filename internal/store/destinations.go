package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// Destination is where a student went on leaving a stage (毕业去向). OrgID links it to an
// organization in the database; a linked school continues the person's school history.
type Destination struct {
	ID         int64
	PersonID   int64
	SchoolID   *int64
	Type       string
	OrgName    *string
	OrgID      *int64
	OrgCode    *string
	Major      *string
	StartedOn  time.Time
	ReportedBy *string
	DeletedAt  *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int

	orgKind *string
}

// DestinationInput is what a client reports about a destination. OrgCode links to that
// organization; without it an OrgName equal to exactly one organization's name links.
type DestinationInput struct {
	Type       string
	OrgCode    *string
	OrgName    *string
	Major      *string
	StartedOn  time.Time
	ReportedBy *string
}

func destinationFrom(r db.DestinationGetRow) Destination {
	return Destination{ID: r.ID, PersonID: r.PersonID, SchoolID: r.SchoolID, Type: r.Type, OrgName: r.OrgName,
		OrgID: r.OrgID, OrgCode: r.OrgCode, Major: r.Major, StartedOn: r.StartedOn, ReportedBy: r.ReportedBy,
		DeletedAt: r.DeletedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version),
		orgKind: r.OrgKind}
}

func destinationAudit(d Destination) map[string]any {
	return map[string]any{"id": d.ID, "person_id": d.PersonID, "type": d.Type, "org_name": d.OrgName,
		"org_code": d.OrgCode, "major": d.Major, "started_on": d.StartedOn.Format(time.DateOnly),
		"reported_by": d.ReportedBy, "deleted_at": d.DeletedAt, "version": d.Version}
}

// destinations is the destination table for the writes the tracking tables share: a
// written destination moves its school-history row along.
func (s *Store) destinations() trackedKind[Destination] {
	return trackedKind[Destination]{entity: "destination", noun: "destination", lock: s.q.DestinationLock,
		get: getter(s.q.DestinationGet, destinationFrom), audit: destinationAudit, after: s.moveSchoolHistory}
}

// DestinationGet returns one destination (soft-deleted or not) or ErrNotFound.
func (s *Store) DestinationGet(ctx context.Context, id int64) (Destination, error) {
	return oneOf[Destination]("get destination")(s.destinations().get(ctx, s.scoped(), id))
}

// DestinationList returns a person's destinations by date; soft-deleted ones only when asked.
func (s *Store) DestinationList(ctx context.Context, personID int64, includeDeleted bool) ([]Destination, error) {
	from := func(r db.DestinationListRow) Destination { return destinationFrom(db.DestinationGetRow(r)) }
	return listOf("list destinations", from)(s.q.DestinationList(ctx, s.scoped(),
		db.DestinationListParams{PersonID: personID, IncludeDeleted: includeDeleted}))
}

// resolveOrg finds the organization a destination or career move links to: by code (a
// FieldError "org_code" when unknown), else by a name that exactly one organization has.
func (s *Store) resolveOrg(ctx context.Context, q db.DBTX, code, name *string) (*int64, error) {
	if code != nil {
		r, err := s.q.OrganizationResolveCode(ctx, q, *code)
		if err != nil {
			return nil, missing(err, "org_code", fmt.Sprintf("没有代码为 %s 的单位 / no organization has code %s", *code, *code))
		}
		return &r.ID, nil
	}
	if name != nil {
		rows, err := s.q.OrganizationResolveName(ctx, q, *name)
		if err != nil {
			return nil, err
		}
		if len(rows) == 1 {
			return &rows[0].ID, nil
		}
	}
	return nil, nil
}

// syncSchoolHistory keeps the person_schools row a destination makes in step with it:
// the row of the old state goes (unless another live destination makes it too), the row
// of the new state comes (unless a row of another source holds that school year).
func (s *Store) syncSchoolHistory(ctx context.Context, tx pgx.Tx, old, cur *Destination) error {
	makesRow := func(d *Destination) bool {
		return d != nil && d.DeletedAt == nil && d.OrgID != nil && d.orgKind != nil && *d.orgKind == "school"
	}
	if makesRow(old) {
		if _, err := s.q.PersonSchoolDropDestination(ctx, tx, db.PersonSchoolDropDestinationParams{
			PersonID: old.PersonID, StartedOn: old.StartedOn, SchoolID: *old.OrgID, DestinationID: old.ID}); err != nil {
			return err
		}
	}
	if makesRow(cur) {
		if _, err := s.q.PersonSchoolFromDestination(ctx, tx, db.PersonSchoolFromDestinationParams{
			PersonID: cur.PersonID, StartedOn: cur.StartedOn, SchoolID: *cur.OrgID}); err != nil {
			return err
		}
	}
	return nil
}

// moveSchoolHistory is syncSchoolHistory for a destination written from before to after.
func (s *Store) moveSchoolHistory(ctx context.Context, tx pgx.Tx, before, after Destination) error {
	return s.syncSchoolHistory(ctx, tx, &before, &after)
}

// DestinationCreate records a destination after check accepts it (under the person's
// lock), links it and continues the school history. The same destination (person, type,
// start) twice is a *DuplicateError.
func (s *Store) DestinationCreate(ctx context.Context, a Actor, personID int64, in DestinationInput,
	check func(TrackedPerson) error) (Destination, error) {
	return trackedCreate(ctx, s, a, personID, s.destinations(), func(ctx context.Context, tx pgx.Tx, p TrackedPerson) (Destination, error) {
		if err := check(p); err != nil {
			return Destination{}, err
		}
		orgID, err := s.resolveOrg(ctx, tx, in.OrgCode, in.OrgName)
		if err != nil {
			return Destination{}, err
		}
		id, err := s.q.DestinationInsert(ctx, tx, db.DestinationInsertParams{PersonID: personID, SchoolID: p.SchoolID,
			Type: in.Type, OrgName: in.OrgName, OrgID: orgID, Major: in.Major, StartedOn: in.StartedOn,
			ReportedBy: in.ReportedBy})
		if err != nil {
			return Destination{}, err
		}
		r, err := s.q.DestinationGet(ctx, tx, id)
		if err != nil {
			return Destination{}, err
		}
		out := destinationFrom(r)
		return out, s.syncSchoolHistory(ctx, tx, nil, &out)
	}, func(ctx context.Context, tx pgx.Tx) (int64, error) {
		return s.q.DestinationIDByKey(ctx, tx, db.DestinationIDByKeyParams{PersonID: personID, Type: in.Type,
			StartedOn: in.StartedOn})
	})
}

// DestinationChange is one change of a destination: Apply edits the current destination
// in place (OrgCode and OrgName are then resolved again to the link) or refuses.
type DestinationChange struct {
	Version *int
	Apply   func(cur *Destination, p TrackedPerson) error
}

// DestinationUpdate applies a change to destination id, provided it is still at c.Version
// (when given), moves its school-history row along and audits before and after.
func (s *Store) DestinationUpdate(ctx context.Context, a Actor, id int64, c DestinationChange) (Destination, error) {
	return trackedUpdate(ctx, s, a, id, c.Version, "update", s.destinations(),
		func(ctx context.Context, tx pgx.Tx, before Destination, cur *Destination, p TrackedPerson) (*Destination, error) {
			if err := c.Apply(cur, p); err != nil {
				return nil, err
			}
			var err error
			if cur.OrgID, err = s.resolveOrg(ctx, tx, cur.OrgCode, cur.OrgName); err != nil {
				return nil, err
			}
			if cur.Type != before.Type || !cur.StartedOn.Equal(before.StartedOn) {
				other, err := s.q.DestinationIDByKey(ctx, tx, db.DestinationIDByKeyParams{PersonID: cur.PersonID,
					Type: cur.Type, StartedOn: cur.StartedOn})
				if err := duplicateOf("destination", id, other, err); err != nil {
					return nil, err
				}
			}
			return nil, s.q.DestinationUpdate(ctx, tx, db.DestinationUpdateParams{ID: id, Type: cur.Type,
				OrgName: cur.OrgName, OrgID: cur.OrgID, Major: cur.Major, StartedOn: cur.StartedOn,
				ReportedBy: cur.ReportedBy})
		})
}

// DestinationSetDeleted soft-deletes or restores a destination, taking its school-history
// row away or back. A restore runs check first (the person's rules may have moved on).
func (s *Store) DestinationSetDeleted(ctx context.Context, a Actor, id int64, version *int, deleted bool,
	check func(cur Destination, p TrackedPerson) error) (Destination, error) {
	var restore func(context.Context, pgx.Tx, Destination, TrackedPerson) error
	if check != nil {
		restore = func(_ context.Context, _ pgx.Tx, cur Destination, p TrackedPerson) error { return check(cur, p) }
	}
	return trackedSetDeleted(ctx, s, a, id, version, deleted, s.destinations(), restore,
		func(ctx context.Context, tx pgx.Tx, _ Destination, _ TrackedPerson, at *time.Time) (*Destination, error) {
			return nil, s.q.DestinationSetDeleted(ctx, tx, db.DestinationSetDeletedParams{ID: id, DeletedAt: at})
		}, "deleted_at")
}
