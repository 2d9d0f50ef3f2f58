package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"talentdb/db"
)

// Errors the layers above test for with errors.Is.
var (
	// ErrNotFound: no row with that key (or not visible to the caller).
	ErrNotFound = errors.New("not found")
	// ErrConflict: a uniqueness or foreign-key rule refused the write.
	ErrConflict = errors.New("conflict")
	// ErrStale: the row's version is not the one the caller read (If-Match failed).
	ErrStale = errors.New("stale version")
)

// Store is the gateway to PostgreSQL.
type Store struct {
	Pool *pgxpool.Pool
	q    *db.Queries

	// replica is the streaming standby that Replica routes read-only work to (nil
	// when none is attached); view marks a Store returned by Replica, which shares
	// the pools of its parent and must not close them.
	replica *Replica
	view    bool
}

// Open connects a pool to url and checks that the database answers.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: parse database url: %w", err)
	}
	failFast(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	return New(pool), nil
}

// New wraps an existing pool.
func New(pool *pgxpool.Pool) *Store {
	return &Store{Pool: pool, q: db.New()}
}

// Close closes the pool, and the replica's when one is attached. Closing a Store
// returned by Replica does nothing: its pools belong to the Store it came from.
func (s *Store) Close() {
	if s.view {
		return
	}
	if s.replica != nil {
		s.replica.close()
	}
	s.Pool.Close()
}

// Ping checks that the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error { return s.Pool.Ping(ctx) }

// Queries returns the stateless generated querier (for packages inside store only).
func (s *Store) Queries() *db.Queries { return s.q }

// InTx runs fn in a transaction, committing when it returns nil and rolling back
// otherwise (and on panic).
func (s *Store) InTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.Pool, fn)
}

// mapErr turns pgx and PostgreSQL errors into the store's sentinel errors, keeping the
// original in the chain for logs.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("store: %s: %w", op, ErrNotFound)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505", "23503", "23P01": // unique, foreign key, exclusion
			return fmt.Errorf("store: %s: %w: %s", op, ErrConflict, pe.ConstraintName)
		}
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// ConstraintOf returns the name of the constraint that refused a write, if any.
func ConstraintOf(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.ConstraintName
	}
	return ""
}
