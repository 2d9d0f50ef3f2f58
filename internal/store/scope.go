package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"talentdb/db"
	"talentdb/internal/access"
)

// Scoping: every statement the store runs goes through a transaction begun as the role
// AppRole with the caller's scope set for that transaction only, so PostgreSQL's row-level
// security (migrations/00070_row_security.sql) shows each caller only their rows even when a
// query forgets its WHERE clause. The scope comes from the context: the one WithScope put
// there (the doors put their caller's), else that of the access.Caller it carries (the
// HTTP API puts the signed-in caller there, ScopeFor), else the Store's default (the CLI's
// is the office). With none, a query sees no personal row at all.

// AppRole is the role the store's transactions run as: NOLOGIN, not a superuser, not the
// owner of any table, no BYPASSRLS. The migrations create it and make the migrating user a
// member.
const AppRole = "talentdb_app"

// AuthRole is the role of the account transactions (users, sessions, API tokens): the
// only role with privileges on those tables (migrations/00094), which AppRole has none
// of. It reads the reference tables the account queries join and appends to the audit
// log; it sees no person.
const AuthRole = "talentdb_auth"

// accounts is the Store whose transactions run as AuthRole: the store's account methods
// (users.go, sessions.go, tokens.go) and nothing else use it.
func (s *Store) accounts() *Store {
	c := *s
	c.role = AuthRole
	return &c
}

// ScopeKind is what a caller may see; the database policies read it from talentdb.scope.
type ScopeKind string

// The scopes. Each role of an account maps to one (auth.Principal.Scope).
const (
	// ScopeOffice reads and writes everything: office administrators and the CLI.
	ScopeOffice ScopeKind = "office"
	// ScopeAnalyst reads everything province-wide and writes nothing.
	ScopeAnalyst ScopeKind = "analyst"
	// ScopeCity reads the schools of one city or prefecture (Scope.CityCode).
	ScopeCity ScopeKind = "city"
	// ScopeSchool reads and writes one school's rows (Scope.SchoolID).
	ScopeSchool ScopeKind = "school"
	// ScopeMentor reads the participations assigned to one mentor and their persons.
	ScopeMentor ScopeKind = "mentor"
	// ScopeAuditor reads the audit log and no personal row.
	ScopeAuditor ScopeKind = "auditor"
	// ScopeRespondent is a self-report link's holder: no policy names it, so it sees no row
	// of any table; it acts only through self_report_open and self_report_answer.
	ScopeRespondent ScopeKind = "respondent"
)

// Scope is the caller's scope: a kind and, for the kinds that have one, its school, city or
// mentor. The zero Scope is "no scope": nothing personal is visible.
type Scope struct {
	Kind     ScopeKind
	SchoolID int64
	CityCode string
	MentorID int64
}

// OfficeScope is the default of the command-line tools, which act for the office.
var OfficeScope = Scope{Kind: ScopeOffice}

var cityCodeRE = regexp.MustCompile(`^[0-9]{6}$`)

// Valid reports whether the scope is complete: a known kind, with exactly the field its
// kind needs. An invalid scope is treated as no scope.
func (sc Scope) Valid() bool {
	switch sc.Kind {
	case ScopeOffice, ScopeAnalyst, ScopeAuditor, ScopeRespondent:
		return sc.SchoolID == 0 && sc.CityCode == "" && sc.MentorID == 0
	case ScopeSchool:
		return sc.SchoolID > 0 && sc.CityCode == "" && sc.MentorID == 0
	case ScopeCity:
		return sc.SchoolID == 0 && cityCodeRE.MatchString(sc.CityCode) && sc.MentorID == 0
	case ScopeMentor:
		return sc.SchoolID == 0 && sc.CityCode == "" && sc.MentorID > 0
	}
	return false
}

// values are the scope's four settings as text: kind, school, city, mentor. An invalid
// scope is no scope (four empty strings).
func (sc Scope) values() [4]string {
	if !sc.Valid() {
		sc = Scope{}
	}
	num := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	return [4]string{string(sc.Kind), num(sc.SchoolID), sc.CityCode, num(sc.MentorID)}
}

// settings is the SELECT that sets the scope's four settings for the current transaction
// (is_local true) or for the session. Only validated kinds, integers and six-digit codes are
// written into the text, so it needs no quoting beyond the literal quotes.
func (sc Scope) settings(local bool) string {
	v := sc.values()
	l := strconv.FormatBool(local)
	return fmt.Sprintf("SELECT set_config('talentdb.scope', '%s', %s), set_config('talentdb.school_id', '%s', %s), "+
		"set_config('talentdb.city_code', '%s', %s), set_config('talentdb.mentor_id', '%s', %s)",
		v[0], l, v[1], l, v[2], l, v[3], l)
}

type scopeKey struct{}

// ScopeFor is the database scope of a caller's statements. A role without its scope
// column (a school operator without a school…) yields an invalid scope, which sees nothing.
func ScopeFor(c access.Caller) Scope {
	switch c.Role {
	case access.RoleOfficeAdmin:
		return OfficeScope
	case access.RoleOfficeAnalyst:
		return Scope{Kind: ScopeAnalyst}
	case access.RoleCityCoordinator:
		return Scope{Kind: ScopeCity, CityCode: c.CityCode}
	case access.RoleSchoolOperator:
		return Scope{Kind: ScopeSchool, SchoolID: c.SchoolID}
	case access.RoleMentor:
		return Scope{Kind: ScopeMentor, MentorID: c.MentorID}
	case access.RoleAuditor:
		return Scope{Kind: ScopeAuditor}
	case access.RoleRespondent:
		return Scope{Kind: ScopeRespondent}
	}
	return Scope{}
}

// WithScope returns ctx carrying sc: every store call made with it runs in that scope.
func WithScope(ctx context.Context, sc Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, sc)
}

// ScopeFrom returns the scope ctx carries, if any.
func ScopeFrom(ctx context.Context) (Scope, bool) {
	sc, ok := ctx.Value(scopeKey{}).(Scope)
	return sc, ok
}

// Option configures a Store.
type Option func(*Store)

// WithDefaultScope makes sc the scope of calls whose context carries none. The CLI and
// the test databases use OfficeScope; the HTTP server has no default.
func WithDefaultScope(sc Scope) Option {
	return func(s *Store) { d := sc; s.def = &d }
}

// WithRoundTrips makes Open trace the pool's connections: count is called with the
// context of every statement, batch, COPY and prepare sent (/metrics counts them per
// request).
func WithRoundTrips(count func(context.Context)) Option {
	return func(s *Store) { s.open.roundTrips = count }
}

// WithMaxConns makes Open size the pool to n connections (n ≤ 0: pgx's default, the
// larger of 4 and the number of CPUs).
func WithMaxConns(n int32) Option {
	return func(s *Store) { s.open.maxConns = n }
}

// openOptions are the options that shape the pool Open builds.
type openOptions struct {
	roundTrips func(context.Context)
	maxConns   int32
}

// configure applies o to the configuration of a pool about to be built.
func (o openOptions) configure(cfg *pgxpool.Config) {
	if o.roundTrips != nil {
		cfg.ConnConfig.Tracer = roundTrips{o.roundTrips}
	}
	if o.maxConns > 0 {
		cfg.MaxConns = o.maxConns
	}
}

// AsOwner makes the store run its transactions as the connecting user, without switching
// to AppRole. It exists for the benchmark that measures what row-level security costs
// (with a superuser connection nothing is filtered); never use it in the product.
func AsOwner() Option {
	return func(s *Store) { s.asOwner = true }
}

// WithoutDefault returns a Store on the same pool with no default scope: each call then
// needs its scope in the context. The HTTP server uses it, so that a request without a
// principal sees nothing even when the Store it was given (a test's) has a default.
func (s *Store) WithoutDefault() *Store {
	c := *s
	c.def = nil
	return &c
}

// ScopeOf returns the scope a call with ctx runs in, and false when it has none.
func (s *Store) ScopeOf(ctx context.Context) (Scope, bool) {
	if sc, ok := ScopeFrom(ctx); ok {
		return sc, sc.Valid()
	}
	if c, ok := access.CallerFrom(ctx); ok {
		sc := ScopeFor(c)
		return sc, sc.Valid()
	}
	if s.def != nil {
		return *s.def, s.def.Valid()
	}
	return Scope{}, false
}

// txOptions begins a transaction in ctx's scope in one round trip. JIT compilation is
// switched off for it: the policies' subplans inflate the planner's cost estimates past
// jit_above_cost, and compiling a plan took 0.6-0.9 s of a 20 ms timeline
// (BenchmarkTimelineRLS) — far more than it could save on the store's queries.
func (s *Store) txOptions(ctx context.Context) pgx.TxOptions { return s.txOptionsWith(ctx, "") }

// txOptionsWith is txOptions with the SET LOCAL statements of extra after jit's.
func (s *Store) txOptionsWith(ctx context.Context, extra string) pgx.TxOptions {
	sc, _ := s.ScopeOf(ctx)
	var b strings.Builder
	b.WriteString("BEGIN; ")
	if !s.asOwner {
		role := AppRole
		if s.role != "" {
			role = s.role
		}
		b.WriteString("SET LOCAL ROLE " + role + "; ")
	}
	b.WriteString("SET LOCAL jit = off; ")
	b.WriteString(extra)
	b.WriteString(sc.settings(true))
	return pgx.TxOptions{BeginQuery: b.String()}
}

// begin starts a transaction in ctx's scope.
func (s *Store) begin(ctx context.Context) (pgx.Tx, error) { return s.beginWith(ctx, "") }

// beginWith starts a transaction in ctx's scope with the SET LOCAL statements of extra.
func (s *Store) beginWith(ctx context.Context, extra string) (pgx.Tx, error) {
	return s.Pool.BeginTx(ctx, s.txOptionsWith(ctx, extra))
}

// acquire takes a connection for a pipeline (pipeline.go), whose first batch begins the
// transaction and sets the scope with scopeSQL.
func (s *Store) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	return s.Pool.Acquire(ctx)
}

// scopeSQL is the statement that does inside a begun transaction what txOptions' BEGIN
// query does after its BEGIN — the role, jit off, the scope's four settings — as one
// statement with parameters, so that a pipeline may send it (one prepared statement for
// every scope, where the extended protocol takes no list of statements).
//
// A pipeline's statements run on generic plans (plan_cache_mode): they are the short
// reads by key of the request path, whose row-security predicates make a custom plan
// cost more to plan (about 0.4 ms for the scope check) than the whole statement takes to
// run, and PostgreSQL keeps choosing custom plans because their estimate is lower.
func (s *Store) scopeSQL(ctx context.Context) (string, []any) {
	sc, _ := s.ScopeOf(ctx)
	v := sc.values()
	args := []any{v[0], v[1], v[2], v[3]}
	sql := "SELECT set_config('talentdb.scope', $1, true), set_config('talentdb.school_id', $2, true), " +
		"set_config('talentdb.city_code', $3, true), set_config('talentdb.mentor_id', $4, true), " +
		"set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)"
	if !s.asOwner {
		role := AppRole
		if s.role != "" {
			role = s.role
		}
		sql += ", set_config('role', $5, true)"
		args = append(args, role)
	}
	return sql, args
}

// ConfigureOwnerScope makes every connection of a pool built from cfg carry sc as a
// session setting. It is for pools whose raw connections (migrations, bulk loads, tests)
// act for the office as the tables' owner: the tables FORCE row-level security, so the
// owner too sees nothing without a scope. Scoped transactions override it locally.
func ConfigureOwnerScope(cfg *pgxpool.Config, sc Scope) {
	prev := cfg.AfterConnect
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if prev != nil {
			if err := prev(ctx, c); err != nil {
				return err
			}
		}
		_, err := c.Exec(ctx, sc.settings(false))
		return err
	}
}

// scoped is the DBTX of the store's single statements: each runs in a short transaction
// of its own, begun in the caller's scope and committed when the statement's result has
// been read (Exec returns, Row.Scan returns, Rows is exhausted or closed).
func (s *Store) scoped() db.DBTX { return scopedDB{s: s} }

// reportSettings are the planner settings of the reports' statements (docs/report-state.md):
// custom plans, since a generic plan cannot see which of a report's sources its scope and
// cut select and scans every one (the cohort report's counts of all editions, 3× the
// time); no parallel workers, whose start cost more than the reports' index reads they
// would share (and were started for branches the scope gates out); and hashing rather
// than sorting to group: the row policies' filters make the planner expect a few hundred
// rows where the annual report groups 27,000-110,000, and it sorted them (≈ 50 ms of the
// annual report's 350). A sort the statement needs (DISTINCT ON, ORDER BY) is still made.
const reportSettings = "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL max_parallel_workers_per_gather = 0; " +
	"SET LOCAL enable_sort = off; "

// scopedReport is scoped with reportSettings.
func (s *Store) scopedReport() db.DBTX { return scopedDB{s: s, extra: reportSettings} }

type scopedDB struct {
	s     *Store
	extra string // SET LOCAL statements of the transaction, after the scope's
}

func (d scopedDB) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tx, err := d.s.beginWith(ctx, d.extra)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := tx.Exec(ctx, sql, args...)
	if err != nil {
		_ = tx.Rollback(ctx)
		return tag, err
	}
	return tag, tx.Commit(ctx)
}

func (d scopedDB) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	tx, err := d.s.beginWith(ctx, d.extra)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		_ = tx.Rollback(ctx)
		return nil, err
	}
	return &scopedRows{Rows: rows, ctx: ctx, tx: tx}, nil
}

func (d scopedDB) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	tx, err := d.s.beginWith(ctx, d.extra)
	if err != nil {
		return errRow{err}
	}
	return &scopedRow{row: tx.QueryRow(ctx, sql, args...), ctx: ctx, tx: tx}
}

// scopedRows ends its transaction as soon as the rows are exhausted (so that a failed
// commit surfaces through Err, which callers read after the loop) or closed.
type scopedRows struct {
	pgx.Rows
	ctx  context.Context
	tx   pgx.Tx
	done bool
	err  error
}

func (r *scopedRows) Next() bool {
	if r.done {
		return false
	}
	if r.Rows.Next() {
		return true
	}
	r.finish()
	return false
}

func (r *scopedRows) finish() {
	if r.done {
		return
	}
	r.done = true
	r.Rows.Close()
	if err := r.Rows.Err(); err != nil {
		_ = r.tx.Rollback(r.ctx)
		return
	}
	r.err = r.tx.Commit(r.ctx)
}

func (r *scopedRows) Close() { r.finish() }

func (r *scopedRows) Err() error {
	if err := r.Rows.Err(); err != nil {
		return err
	}
	return r.err
}

// scopedRow commits after Scan (also after pgx.ErrNoRows, which is an answer, not a
// failure) and rolls back on any other error.
type scopedRow struct {
	row pgx.Row
	ctx context.Context
	tx  pgx.Tx
}

func (r *scopedRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		_ = r.tx.Rollback(r.ctx)
		return err
	}
	if cerr := r.tx.Commit(r.ctx); cerr != nil {
		return cerr
	}
	return err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// CopyAsOwner bulk-loads rows into table with COPY, in a transaction of its own run as the
// connecting user (the tables' owner) for the office. PostgreSQL refuses COPY into a table
// whose row-level security applies to the user, so an owner that is not a superuser has the
// table's FORCE lifted inside the transaction and put back before it commits (the ALTER's
// lock keeps everyone else out meanwhile). For bulk loads and test fixtures; the service's
// own writes never use it.
func (s *Store) CopyAsOwner(ctx context.Context, table string, cols []string, src pgx.CopyFromSource) (int64, error) {
	var n int64
	opts := pgx.TxOptions{BeginQuery: "BEGIN; " + OfficeScope.settings(true)}
	err := pgx.BeginTxFunc(ctx, s.Pool, opts, func(tx pgx.Tx) error {
		ident := pgx.Identifier{table}.Sanitize()
		var lift bool
		if err := tx.QueryRow(ctx, `SELECT c.relforcerowsecurity AND current_setting('is_superuser') <> 'on'
			FROM pg_class c WHERE c.oid = $1::regclass`, ident).Scan(&lift); err != nil {
			return err
		}
		if lift {
			if _, err := tx.Exec(ctx, "ALTER TABLE "+ident+" NO FORCE ROW LEVEL SECURITY"); err != nil {
				return err
			}
		}
		var err error
		if n, err = tx.CopyFrom(ctx, pgx.Identifier{table}, cols, src); err != nil {
			return err
		}
		if lift {
			_, err = tx.Exec(ctx, "ALTER TABLE "+ident+" FORCE ROW LEVEL SECURITY")
		}
		return err
	})
	if err != nil {
		return 0, mapErr("copy "+table, err)
	}
	return n, nil
}
