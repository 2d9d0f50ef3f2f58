package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// The shapes the cycle's records share: one row read and mapped, a list mapped, and a new
// row inserted after a check of the facts it depends on, read back and audited.

// rowOf reads row id with get (a getter) in ctx's scope; op names the read in its error.
func rowOf[T any](ctx context.Context, s *Store, op string, id int64,
	get func(context.Context, db.DBTX, int64) (T, error)) (T, error) {
	v, err := get(ctx, s.scoped(), id)
	if err != nil {
		var zero T
		return zero, mapErr(op, err)
	}
	return v, nil
}

// rowsOf maps the rows of a list query (or its error, named op).
func rowsOf[R, T any](op string, rows []R, err error, from func(R) T) ([]T, error) {
	if err != nil {
		return nil, mapErr(op, err)
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = from(r)
	}
	return out, nil
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

// insertRow runs w in one transaction in ctx's scope and returns the row as inserted, or
// the error of the first step that refused, mapped by writeErr.
func insertRow[F, T any](ctx context.Context, s *Store, a Actor, w newRow[F, T]) (T, error) {
	var out T
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		f, err := w.facts(ctx, tx)
		if err != nil {
			return err
		}
		if err := w.check(f); err != nil {
			return err
		}
		id, err := w.insert(ctx, tx, f)
		if err != nil {
			return err
		}
		if out, err = w.get(ctx, tx, id); err != nil {
			return err
		}
		e := w.audit(f, out)
		e.Action, e.Entity, e.EntityID = "create", w.entity, fmt.Sprint(id)
		return s.Audit(ctx, tx, a, e)
	})
	if err != nil {
		var zero T
		return zero, writeErr(w.op, "", err)
	}
	return out, nil
}

// actorName is the actor's name as a record's created_by, lodged_by … (nil when unnamed).
func actorName(a Actor) *string {
	if a.Name == "" {
		return nil
	}
	name := a.Name
	return &name
}
