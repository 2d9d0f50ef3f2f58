package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// The shapes the cycle's records share: one row read and mapped, a list mapped, and a new
// row inserted after a check of the facts it depends on, read back and audited.

// SchoolFilter selects one page, by id after AfterID, of a school's cycle records (notices,
// training sessions, year summaries) of an edition; SchoolID and CityCode restrict to a
// scope.
type SchoolFilter struct {
	Edition  *string
	SchoolID *int64
	CityCode *string
	AfterID  int64
	Limit    int
}

// rowOf reads row id with get (a getter) in ctx's scope; op names the read in its error.
func rowOf[K, T any](ctx context.Context, s *Store, op string, id K,
	get func(context.Context, db.DBTX, K) (T, error)) (T, error) {
	return oneOf[T](op)(get(ctx, s.scoped(), id))
}

// rowsOf maps the rows of a list query (or its error, named op).
func rowsOf[R, T any](op string, rows []R, err error, from func(R) T) ([]T, error) {
	return listOf(op, from)(rows, err)
}

// newRow is one insert of a cycle record: the facts check judges first, the insert (of
// the facts) returning the new row's id, the row read back and its audit row.
type newRow[F, T any] struct {
	op, entity string // the write in its errors ("create task"); the audit row's entity
	facts      func(ctx context.Context, tx pgx.Tx) (F, error)
	check      func(F) error
	insert     func(ctx context.Context, tx pgx.Tx, f F) (int64, error)
	get        func(context.Context, db.DBTX, int64) (T, error)
	// audit is the audit row of the new row; insertRow sets its action, entity and id.
	audit func(f F, out T) AuditEntry
}

// createTx runs create in one transaction in ctx's scope and returns the row it made,
// or its error mapped by writeErr (op names the write, "create person").
func createTx[T any](ctx context.Context, s *Store, op string, create func(tx pgx.Tx) (T, error)) (T, error) {
	var out T
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = create(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, writeErr(op, "", err)
	}
	return out, nil
}

// insertRow runs w in one transaction in ctx's scope and returns the row as inserted, or
// the error of the first step that refused, mapped by writeErr.
func insertRow[F, T any](ctx context.Context, s *Store, a Actor, w newRow[F, T]) (T, error) {
	return createTx(ctx, s, w.op, func(tx pgx.Tx) (T, error) {
		var zero T
		f, err := w.facts(ctx, tx)
		if err != nil {
			return zero, err
		}
		if err := w.check(f); err != nil {
			return zero, err
		}
		id, err := w.insert(ctx, tx, f)
		if err != nil {
			return zero, err
		}
		out, err := w.get(ctx, tx, id)
		if err != nil {
			return zero, err
		}
		e := w.audit(f, out)
		e.Action, e.Entity, e.EntityID = "create", w.entity, fmt.Sprint(id)
		return out, s.Audit(ctx, tx, a, e)
	})
}

// actorName is the actor's name as a record's created_by, lodged_by … (nil when unnamed).
func actorName(a Actor) *string {
	if a.Name == "" {
		return nil
	}
	name := a.Name
	return &name
}

// participantRecord is a record of one participant (a growth-log entry, a task): its
// participation, and the person and school its audit rows name.
type participantRecord interface {
	participant() (pid, personID, schoolID int64)
}

func (g GrowthLog) participant() (int64, int64, int64) {
	return g.ParticipationID, g.PersonID, g.SchoolID
}

func (t Task) participant() (int64, int64, int64) { return t.ParticipationID, t.PersonID, t.SchoolID }

// participantUpdate is the lockedWrite of a participant's record: apply changes the row
// as read, judged against the participation's facts; update writes it; the audit row
// names the person and the school, with fields of the row before and after.
func participantUpdate[T participantRecord](s *Store, op, entity string,
	lock func(context.Context, db.DBTX, int64) (int32, error), get func(context.Context, db.DBTX, int64) (T, error),
	apply func(cur *T, f ParticipationFacts) error, update func(ctx context.Context, tx pgx.Tx, next T) error,
	fields func(T) map[string]any) lockedWrite[int64, T] {
	return lockedWrite[int64, T]{op: op, entity: entity, lock: lock, get: get,
		write: func(ctx context.Context, tx pgx.Tx, next T) (*T, error) {
			pid, _, _ := next.participant()
			f, err := s.participationFacts(ctx, tx, pid, false)
			if err != nil {
				return nil, err
			}
			if err := apply(&next, f); err != nil {
				return nil, err
			}
			return nil, update(ctx, tx, next)
		},
		audit: func(before, after T) AuditEntry {
			_, person, school := after.participant()
			return AuditEntry{Action: "update", PersonID: &person, SchoolID: &school, Before: fields(before), After: fields(after)}
		}}
}
