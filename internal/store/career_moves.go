package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// CareerMove is a teacher's position over an interval [StartedOn, EndedOn) (工作动向).
// EndedExplicit tells an end the user gave from one linked to the next move's start.
type CareerMove struct {
	ID            int64
	PersonID      int64
	SchoolID      *int64
	OrgID         *int64
	OrgCode       *string
	OrgName       *string
	Position      string
	Title         *string
	StartedOn     time.Time
	EndedOn       *time.Time
	EndedExplicit bool
	Reason        *string
	ReportedBy    *string
	DeletedAt     *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int
}

// CareerMoveInput is what a client reports about a move. EndedOn, when given, is an
// explicit end; otherwise the move runs until the next one starts.
type CareerMoveInput struct {
	OrgCode    *string
	OrgName    *string
	Position   string
	Title      *string
	StartedOn  time.Time
	EndedOn    *time.Time
	Reason     *string
	ReportedBy *string
}

// Interval is a live move of a person as the overlap rule sees it.
type Interval struct {
	ID        int64
	StartedOn time.Time
	EndedOn   *time.Time
	Explicit  bool
}

func careerMoveFrom(r db.CareerMoveGetRow) CareerMove {
	return CareerMove{ID: r.ID, PersonID: r.PersonID, SchoolID: r.SchoolID, OrgID: r.OrgID, OrgCode: r.OrgCode,
		OrgName: r.OrgName, Position: r.Position, Title: r.Title, StartedOn: r.StartedOn, EndedOn: r.EndedOn,
		EndedExplicit: r.EndedExplicit, Reason: r.Reason, ReportedBy: r.ReportedBy, DeletedAt: r.DeletedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

func careerMoveAudit(c CareerMove) map[string]any {
	return map[string]any{"id": c.ID, "person_id": c.PersonID, "org_code": c.OrgCode, "org_name": c.OrgName,
		"position": c.Position, "title": c.Title, "started_on": c.StartedOn.Format(time.DateOnly),
		"ended_on": dateOnly(c.EndedOn), "ended_explicit": c.EndedExplicit, "reason": c.Reason,
		"reported_by": c.ReportedBy, "deleted_at": c.DeletedAt, "version": c.Version}
}

// careerMoves is the career move table for the writes the tracking tables share.
func (s *Store) careerMoves() trackedKind[CareerMove] {
	return trackedKind[CareerMove]{entity: "career_move", noun: "career move", lock: s.q.CareerMoveLock,
		get: getter(s.q.CareerMoveGet, careerMoveFrom), audit: careerMoveAudit}
}

// CareerMoveGet returns one move (soft-deleted or not) or ErrNotFound.
func (s *Store) CareerMoveGet(ctx context.Context, id int64) (CareerMove, error) {
	return oneOf[CareerMove]("get career move")(s.careerMoves().get(ctx, s.scoped(), id))
}

// CareerMoveList returns a person's moves by start; soft-deleted ones only when asked.
func (s *Store) CareerMoveList(ctx context.Context, personID int64, includeDeleted bool) ([]CareerMove, error) {
	from := func(r db.CareerMoveListRow) CareerMove { return careerMoveFrom(db.CareerMoveGetRow(r)) }
	return listOf("list career moves", from)(s.q.CareerMoveList(ctx, s.scoped(),
		db.CareerMoveListParams{PersonID: personID, IncludeDeleted: includeDeleted}))
}

// CareerMoveOn returns the live move covering date on (where the teacher was that day), or
// ErrNotFound when no move covers it.
func (s *Store) CareerMoveOn(ctx context.Context, personID int64, on time.Time) (CareerMove, error) {
	r, err := s.q.CareerMoveOn(ctx, s.scoped(), db.CareerMoveOnParams{PersonID: personID, OnDate: on})
	if err != nil {
		return CareerMove{}, mapErr("career move on date", err)
	}
	return careerMoveFrom(db.CareerMoveGetRow(r)), nil
}

// TeachersInEducation is the answer to "how many trained teachers are still in science
// education on a date": Trained teachers, InEducation of them not known to have left,
// LeftEducation known to have left, WithPosition with a move covering the date.
type TeachersInEducation struct {
	Trained       int64
	InEducation   int64
	LeftEducation int64
	WithPosition  int64
}

// TeachersInEducationOn counts, in one query, the trained teachers and those still in
// science education on date on, among those nominated by one school (by code) or by the
// schools of one city (a city-level code) when given. An unknown school or city is a
// *FieldError on "school" or "region".
func (s *Store) TeachersInEducationOn(ctx context.Context, on time.Time, schoolCode, cityCode *string) (TeachersInEducation, error) {
	r, err := s.q.TeachersInEducation(ctx, s.scoped(), db.TeachersInEducationParams{OnDate: on, SchoolCode: schoolCode,
		CityCode: cityCode})
	if err != nil {
		return TeachersInEducation{}, mapErr("teachers in education", err)
	}
	if !r.SchoolKnown {
		return TeachersInEducation{}, &FieldError{Field: "school", Rule: "exists",
			Message: fmt.Sprintf("没有代码为 %s 的单位 / no organization has code %s", *schoolCode, *schoolCode)}
	}
	if !r.RegionKnown {
		return TeachersInEducation{}, &FieldError{Field: "region", Rule: "exists",
			Message: "行政区划代码不属于已知的市州 / region is not within a known city or prefecture"}
	}
	return TeachersInEducation{Trained: r.Trained, InEducation: r.InEducation, LeftEducation: r.LeftEducation,
		WithPosition: r.WithPosition}, nil
}

// intervals returns the person's live moves other than except, for the overlap rule.
func (s *Store) intervals(ctx context.Context, tx pgx.Tx, personID, except int64) ([]Interval, error) {
	rows, err := s.q.CareerMoveIntervals(ctx, tx, personID)
	if err != nil {
		return nil, err
	}
	out := make([]Interval, 0, len(rows))
	for _, r := range rows {
		if r.ID != except {
			out = append(out, Interval{ID: r.ID, StartedOn: r.StartedOn, EndedOn: r.EndedOn, Explicit: r.EndedExplicit})
		}
	}
	return out, nil
}

// relink recomputes the linked ends of the person's live moves and audits each other move
// whose end moved (the move being written, self, is audited by its caller).
func (s *Store) relink(ctx context.Context, tx pgx.Tx, a Actor, personID, self int64, schoolID *int64) error {
	rows, err := s.q.CareerMoveRelink(ctx, tx, personID)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.ID == self {
			continue
		}
		if err := s.Audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "career_move", EntityID: fmt.Sprint(r.ID),
			PersonID: &personID, SchoolID: schoolID, Fields: []string{"ended_on"},
			Before: map[string]any{"ended_on": dateOnly(r.OldEnd)},
			After:  map[string]any{"ended_on": dateOnly(r.NewEnd), "version": r.Version}}); err != nil {
			return err
		}
	}
	return nil
}

// CareerMoveCreate records a move after check accepts it against the person's other live
// moves (under the person's lock), then re-links the intervals: the open one closes at the
// new start, a move inserted between two splits their link. The same start twice is a
// *DuplicateError.
func (s *Store) CareerMoveCreate(ctx context.Context, a Actor, personID int64, in CareerMoveInput,
	check func(p TrackedPerson, others []Interval) error) (CareerMove, error) {
	return trackedCreate(ctx, s, a, personID, s.careerMoves(), func(ctx context.Context, tx pgx.Tx, p TrackedPerson) (CareerMove, error) {
		others, err := s.intervals(ctx, tx, personID, 0)
		if err != nil {
			return CareerMove{}, err
		}
		for _, o := range others {
			if o.StartedOn.Equal(in.StartedOn) {
				return CareerMove{}, &DuplicateError{Entity: "career_move", ExistingID: o.ID}
			}
		}
		if err := check(p, others); err != nil {
			return CareerMove{}, err
		}
		orgID, err := s.resolveOrg(ctx, tx, in.OrgCode, in.OrgName)
		if err != nil {
			return CareerMove{}, err
		}
		id, err := s.q.CareerMoveInsert(ctx, tx, db.CareerMoveInsertParams{PersonID: personID, SchoolID: p.SchoolID,
			OrgID: orgID, OrgName: in.OrgName, Position: in.Position, Title: in.Title, StartedOn: in.StartedOn,
			EndedOn: in.EndedOn, EndedExplicit: in.EndedOn != nil, Reason: in.Reason, ReportedBy: in.ReportedBy})
		if err != nil { // no row: a soft-deleted move holds the same start
			return CareerMove{}, err
		}
		if err := s.relink(ctx, tx, a, personID, id, p.SchoolID); err != nil {
			return CareerMove{}, err
		}
		r, err := s.q.CareerMoveGet(ctx, tx, id)
		return careerMoveFrom(r), err
	}, func(ctx context.Context, tx pgx.Tx) (int64, error) {
		return s.q.CareerMoveIDByKey(ctx, tx, db.CareerMoveIDByKeyParams{PersonID: personID, StartedOn: in.StartedOn})
	})
}

// CareerMoveChange is one change of a move: Apply edits the current move in place, given
// the person's other live moves, or refuses (the overlap rule lives there). OrgCode and
// OrgName are resolved again to the link afterwards.
type CareerMoveChange struct {
	Version *int
	Apply   func(cur *CareerMove, p TrackedPerson, others []Interval) error
}

// CareerMoveUpdate applies a change to move id, provided it is still at c.Version (when
// given), re-links the person's intervals and audits before and after.
func (s *Store) CareerMoveUpdate(ctx context.Context, a Actor, id int64, c CareerMoveChange) (CareerMove, error) {
	return trackedUpdate(ctx, s, a, id, c.Version, "update", s.careerMoves(),
		func(ctx context.Context, tx pgx.Tx, before CareerMove, cur *CareerMove, p TrackedPerson) (*CareerMove, error) {
			others, err := s.intervals(ctx, tx, cur.PersonID, id)
			if err != nil {
				return nil, err
			}
			if err := c.Apply(cur, p, others); err != nil {
				return nil, err
			}
			if !cur.StartedOn.Equal(before.StartedOn) {
				other, err := s.q.CareerMoveIDByKey(ctx, tx, db.CareerMoveIDByKeyParams{PersonID: cur.PersonID,
					StartedOn: cur.StartedOn})
				if err := duplicateOf("career_move", id, other, err); err != nil {
					return nil, err
				}
			}
			if cur.OrgID, err = s.resolveOrg(ctx, tx, cur.OrgCode, cur.OrgName); err != nil {
				return nil, err
			}
			if err := s.q.CareerMoveUpdate(ctx, tx, db.CareerMoveUpdateParams{ID: id, OrgID: cur.OrgID,
				OrgName: cur.OrgName, Position: cur.Position, Title: cur.Title, StartedOn: cur.StartedOn,
				EndedOn: cur.EndedOn, EndedExplicit: cur.EndedExplicit, Reason: cur.Reason,
				ReportedBy: cur.ReportedBy}); err != nil {
				return nil, err
			}
			return nil, s.relink(ctx, tx, a, before.PersonID, id, p.SchoolID)
		})
}

// CareerMoveSetDeleted soft-deletes or restores a move and re-links the intervals around
// it. A restore runs check against the other live moves first.
func (s *Store) CareerMoveSetDeleted(ctx context.Context, a Actor, id int64, version *int, deleted bool,
	check func(cur CareerMove, p TrackedPerson, others []Interval) error) (CareerMove, error) {
	var restore func(context.Context, pgx.Tx, CareerMove, TrackedPerson) error
	if check != nil {
		restore = func(ctx context.Context, tx pgx.Tx, cur CareerMove, p TrackedPerson) error {
			others, err := s.intervals(ctx, tx, cur.PersonID, id)
			if err != nil {
				return err
			}
			return check(cur, p, others)
		}
	}
	return trackedSetDeleted(ctx, s, a, id, version, deleted, s.careerMoves(), restore,
		func(ctx context.Context, tx pgx.Tx, cur CareerMove, p TrackedPerson, at *time.Time) (*CareerMove, error) {
			if err := s.q.CareerMoveSetDeleted(ctx, tx, db.CareerMoveSetDeletedParams{ID: id, DeletedAt: at}); err != nil {
				return nil, err
			}
			return nil, s.relink(ctx, tx, a, cur.PersonID, id, p.SchoolID)
		})
}
