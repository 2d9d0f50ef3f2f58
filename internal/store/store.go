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
	"talentdb/internal/access"
)

// Errors the layers above test for with errors.Is: the doors' own (internal/access), so a
// service passes them on as they are.
var (
	// ErrNotFound: no row with that key (or not visible to the caller).
	ErrNotFound = access.ErrNotFound
	// ErrConflict: a uniqueness or foreign-key rule refused the write.
	ErrConflict = access.ErrConflict
	// ErrStale: the row's version is not the one the caller read (If-Match failed).
	ErrStale = access.ErrStale
	// ErrForbidden: the database's row-level security or privileges refused a write in
	// the caller's scope (the doors' own checks should have refused it first).
	ErrForbidden = access.ErrForbidden
)

// Store is the gateway to PostgreSQL. Its methods run every statement in the caller's
// scope (scope.go): code inside the package passes s.scoped() or a transaction of s.InTx
// to the generated queries, never s.Pool.
type Store struct {
	// Pool is the raw pool, connected as the tables' owner: for migrations, bulk loads,
	// maintenance (ANALYZE) and tests' fixtures — never for a query on behalf of a caller.
	Pool *pgxpool.Pool
	q    *db.Queries

	def     *Scope      // the scope of a call whose context has none; nil: no scope
	asOwner bool        // benchmark only: do not switch to AppRole
	role    string      // the role of its transactions: AppRole, or AuthRole for accounts()
	open    openOptions // what Open builds the pool with (WithRoundTrips, WithMaxConns)

	// replica is the streaming standby that Replica routes read-only work to (nil
	// when none is attached); view marks a Store returned by Replica, which shares
	// the pools of its parent and must not close them.
	replica *Replica
	view    bool

	// audits groups the read-audit rows of concurrent requests into one commit
	// (audit_group.go); shared by the Stores derived from this one.
	audits *auditGroup
}

// Open connects a pool to url and checks that the database answers. With a default scope
// (WithDefaultScope) the pool's raw connections carry that scope too (ConfigureOwnerScope).
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: parse database url: %w", err)
	}
	failFast(cfg)
	probe := New(nil, opts...)
	if probe.def != nil {
		ConfigureOwnerScope(cfg, *probe.def)
	}
	probe.open.configure(cfg)
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
	return New(pool, opts...), nil
}

// New wraps an existing pool.
func New(pool *pgxpool.Pool, opts ...Option) *Store {
	s := &Store{Pool: pool, q: db.New(), audits: &auditGroup{}}
	s.audits.st = s // the primary: a replica view shares the group, not its pool
	for _, o := range opts {
		o(s)
	}
	return s
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

// InTx runs fn in a transaction in ctx's scope (as AppRole, under row-level security),
// committing when it returns nil and rolling back otherwise (and on panic).
func (s *Store) InTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if outer, ok := ctx.Value(txKey{}).(pgx.Tx); ok {
		// inside a unit of work WithinTx began: a savepoint of its transaction, in its scope
		return pgx.BeginFunc(ctx, outer, fn)
	}
	return pgx.BeginTxFunc(ctx, s.Pool, s.txOptions(ctx), fn)
}

type txKey struct{}

// WithinTx runs fn as one unit of work in ctx's scope that several store calls share: every
// InTx of the store made with the context fn is given (the writes of the tracking records
// among them) runs in a savepoint of the one transaction, committed when fn returns nil and
// rolled back with everything in it otherwise. Reads that do not go through InTx (pipelined
// and single-statement reads) keep their own transactions and do not see its writes before
// it commits. For a door that must write through other doors all or nothing (accepting a
// self-report writes a destination, awards and a follow-up).
func (s *Store) WithinTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// isNoRows reports a read that found no row (also an INSERT … ON CONFLICT DO NOTHING that
// inserted nothing).
func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// missing is err of a lookup of what a write names: no row is a *FieldError on field
// (rule "exists") saying msg; any other error is err.
func missing(err error, field, msg string) error {
	if isNoRows(err) {
		return &FieldError{Field: field, Rule: "exists", Message: msg}
	}
	return err
}

// mapErr turns pgx and PostgreSQL errors into the store's sentinel errors, keeping the
// *pgconn.PgError in the chain (errors.As finds it: the constraint, the detail for logs).
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if isNoRows(err) {
		return fmt.Errorf("store: %s: %w", op, ErrNotFound)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505", "23503", "23P01": // unique, foreign key, exclusion
			return fmt.Errorf("store: %s: %w: %w", op, ErrConflict, pe)
		case "42501": // insufficient privilege: a policy's WITH CHECK, a REVOKE, the audit trigger
			return fmt.Errorf("store: %s: %w: %w", op, ErrForbidden, pe)
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
