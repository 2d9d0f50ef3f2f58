package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// lockedWrite is one write of a row that must not change under the writer: the parts
// updateLocked runs, in this order, in one transaction — lock, version check, get,
// write, get again (unless write returned the row or deleted it), after, audit.
type lockedWrite[K, T any] struct {
	// op names the write in its errors ("update award").
	op string
	// deleting is the entity of a write that deletes the row: nothing is read after it,
	// and a foreign key refusing the delete is a *DeleteBlockedError naming it.
	deleting string
	// entity is the audit row's entity; its entity id is the row's key.
	entity string
	// lock takes the row lock for the rest of the transaction (a <Noun>Lock query, maybe
	// after the locks that must come first) and returns the row's version.
	lock func(ctx context.Context, q db.DBTX, id K) (int32, error)
	// get reads the row.
	get func(ctx context.Context, q db.DBTX, id K) (T, error)
	// write makes the change to the row as read (cur is a copy the write may edit). It
	// returns the row as written when its statement returns it (nil: get reads it
	// again), or errUnchanged to write nothing, audit nothing and return the row as read.
	write func(ctx context.Context, tx pgx.Tx, cur T) (*T, error)
	// after, when set, runs once the written row is read (rows derived from it).
	after func(ctx context.Context, tx pgx.Tx, before, after T) error
	// audit is the audit row of the write; updateLocked sets its Entity and EntityID.
	audit func(before, after T) AuditEntry
}

// errUnchanged is what a lockedWrite's write returns when there is nothing to write (a
// delete of a deleted row, a restore of a live one).
var errUnchanged = errors.New("store: unchanged")

// updateLocked runs w on row id in one transaction in ctx's scope: the row is locked, its
// version checked against version when given (else ErrStale), read, written, read again
// and audited with before and after. It returns the row as written (the zero T for a
// delete), or the error of the first step that refused, mapped by writeErr.
func updateLocked[K, T any](ctx context.Context, s *Store, a Actor, id K, version *int, w lockedWrite[K, T]) (T, error) {
	var out T
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		v, err := w.lock(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersionPtr(v, version); err != nil {
			return err
		}
		before, err := w.get(ctx, tx, id)
		if err != nil {
			return err
		}
		written, err := w.write(ctx, tx, before)
		if errors.Is(err, errUnchanged) {
			out = before
			return nil
		}
		if err != nil {
			return err
		}
		var after T
		switch {
		case w.deleting != "":
		case written != nil:
			after = *written
		default:
			if after, err = w.get(ctx, tx, id); err != nil {
				return err
			}
		}
		if w.after != nil {
			if err := w.after(ctx, tx, before, after); err != nil {
				return err
			}
		}
		out = after
		e := w.audit(before, after)
		e.Entity, e.EntityID = w.entity, fmt.Sprint(id)
		return s.Audit(ctx, tx, a, e)
	})
	if err != nil {
		var zero T
		return zero, writeErr(w.op, w.deleting, err)
	}
	return out, nil
}

// getter is a <Noun>Get query with its row mapped to the store's type.
func getter[K, R, T any](get func(context.Context, db.DBTX, K) (R, error), from func(R) T) func(context.Context, db.DBTX, K) (T, error) {
	return func(ctx context.Context, q db.DBTX, id K) (T, error) {
		r, err := get(ctx, q, id)
		if err != nil {
			var zero T
			return zero, err
		}
		return from(r), nil
	}
}

// deleteRow deletes row id of entity with del under updateLocked (lock, get; version
// checked when not nil); nothing is read after it, a foreign key refusing it is a
// *DeleteBlockedError, and its audit row is audit of the row as it was, action delete.
func deleteRow[K, T any](ctx context.Context, s *Store, a Actor, entity string, id K, version *int,
	lock func(context.Context, db.DBTX, K) (int32, error), get func(context.Context, db.DBTX, K) (T, error),
	del func(context.Context, db.DBTX, K) (int64, error), audit func(before T) AuditEntry) error {
	_, err := updateLocked(ctx, s, a, id, version, lockedWrite[K, T]{op: "delete " + entity, deleting: entity,
		entity: entity, lock: lock, get: get,
		write: func(ctx context.Context, tx pgx.Tx, _ T) (*T, error) {
			_, err := del(ctx, tx, id)
			return nil, err
		},
		audit: func(before, _ T) AuditEntry {
			e := audit(before)
			e.Action = "delete"
			return e
		}})
	return err
}

// listOf maps the rows of a list query to the store's type; a failed query is mapped by
// mapErr(op). Call it on the query's results: listOf(op, from)(s.q.XList(…)).
func listOf[R, T any](op string, from func(R) T) func([]R, error) ([]T, error) {
	return func(rows []R, err error) ([]T, error) {
		if err != nil {
			return nil, mapErr(op, err)
		}
		out := make([]T, len(rows))
		for i, r := range rows {
			out[i] = from(r)
		}
		return out, nil
	}
}

// oneOf maps the error of a query for one row by mapErr(op). Call it on the query's
// results: oneOf[T](op)(get(…)).
func oneOf[T any](op string) func(T, error) (T, error) {
	return func(rec T, err error) (T, error) {
		if err != nil {
			var zero T
			return zero, mapErr(op, err)
		}
		return rec, nil
	}
}
