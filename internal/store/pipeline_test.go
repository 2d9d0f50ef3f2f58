package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"talentdb/db"
	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// TestPipelinedPersonRead: the pipelined read answers each scope exactly as the scope's
// predicate and row-level security do, writes its audit row only with an answer, and
// gives every connection back idle.
func TestPipelinedPersonRead(t *testing.T) {
	t.Parallel()
	w := newRLSWorld(t)
	audits := func() int {
		t.Helper()
		var n int
		if err := w.st.Pool.QueryRow(w.ctx, "SELECT count(*) FROM audit_log WHERE action = 'read'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	schoolA := store.Scope{Kind: store.ScopeSchool, SchoolID: w.schoolA}
	cases := []struct {
		name   string
		sc     store.Scope
		person int64
		found  bool
	}{
		{"office", store.OfficeScope, w.pC, true},
		{"own school", schoolA, w.pA, true},
		{"nominated by the school", schoolA, w.pAB, true},
		{"another school", schoolA, w.pC, false},
		{"no such person", schoolA, 424242, false},
		{"city", store.Scope{Kind: store.ScopeCity, CityCode: "510100"}, w.pB, true},
		{"another city", store.Scope{Kind: store.ScopeCity, CityCode: "510100"}, w.pC, false},
		{"mentor", store.Scope{Kind: store.ScopeMentor, MentorID: w.mentor}, w.pAB, true},
		{"mentor, not theirs", store.Scope{Kind: store.ScopeMentor, MentorID: w.mentor}, w.pA, false},
		{"auditor", store.Scope{Kind: store.ScopeAuditor}, w.pA, false},
		{"no scope", store.Scope{}, w.pA, false},
	}
	for range 3 { // more reads than the pool keeps idle: a connection left in a transaction would show
		for _, c := range cases {
			ctx := store.WithScope(w.ctx, c.sc)
			before := audits()
			p, err := w.st.PersonRead(ctx, store.Actor{Name: "t"}, c.person, []string{"name"})
			switch {
			case c.found && (err != nil || p.ID != c.person || p.Name == ""):
				t.Fatalf("%s: %+v %v", c.name, p, err)
			case !c.found && !errors.Is(err, store.ErrNotFound):
				t.Fatalf("%s: %+v %v, want ErrNotFound", c.name, p, err)
			}
			want := before
			if c.found {
				want++
			}
			if n := audits(); n != want {
				t.Fatalf("%s: %d read audit rows, want %d", c.name, n, want)
			}
			events, err := w.st.TimelineRead(ctx, store.Actor{Name: "t"}, c.person)
			if c.found != (err == nil) || (!c.found && !errors.Is(err, store.ErrNotFound)) {
				t.Fatalf("%s: timeline %v", c.name, err)
			}
			if c.found {
				want++
				var rows int
				if err := w.st.Pool.QueryRow(w.ctx, `SELECT row_count FROM audit_log WHERE entity = 'timeline'
					ORDER BY id DESC LIMIT 1`).Scan(&rows); err != nil || rows != len(events) || rows == 0 {
					t.Fatalf("%s: timeline audited %d rows (%v), returned %d", c.name, rows, err, len(events))
				}
			}
			if n := audits(); n != want {
				t.Fatalf("%s: %d read audit rows after the timeline, want %d", c.name, n, want)
			}
		}
	}
	if s := w.st.Pool.Stat(); s.AcquiredConns() != 0 {
		t.Fatalf("%d connections still acquired", s.AcquiredConns())
	}
}

// TestPipelineFailureRollsBack: whichever statement of a pipeline fails — a guard, a
// statement after the audit row, one of a later round — nothing of it is committed, the
// error reaches the caller, and the connection goes back to the pool idle.
func TestPipelineFailureRollsBack(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := store.WithScope(context.Background(), store.OfficeScope)
	audit := func(q db.DBTX) error {
		return st.Audit(ctx, q, store.Actor{Name: "pipeline"}, store.AuditEntry{Action: "read", Entity: "person"})
	}
	failing := func(q db.DBTX) error { _, err := q.Exec(ctx, "SELECT 1 / (random() * 0)::int"); return err }
	no := func(q db.DBTX) error { _, err := q.Exec(ctx, "SELECT false AS ok"); return err }
	yes := func(q db.DBTX) error { _, err := q.Exec(ctx, "SELECT true AS ok"); return err }
	count := func() int {
		t.Helper()
		var n int
		if err := st.Pool.QueryRow(ctx, "SELECT count(*) FROM audit_log WHERE actor = 'pipeline'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var pe *pgconn.PgError
	isPg := func(err error) bool { return errors.As(err, &pe) && pe.Code == "22012" }
	cases := []struct {
		name  string
		build func(p store.Pipeline) error
		check func(error) bool
		rows  int
	}{
		{"all well", func(p store.Pipeline) error { p.Require(yes, "ok"); p.Queue(audit); return p.Commit() },
			func(err error) bool { return err == nil }, 1},
		{"as the app role, in the scope, without JIT", func(p store.Pipeline) error {
			p.Require(func(q db.DBTX) error {
				_, err := q.Exec(ctx, `SELECT current_user = 'talentdb_app' AND current_setting('talentdb.scope') = 'office'
					AND current_setting('jit') = 'off' AND current_setting('transaction_isolation') = 'read committed' AS ok`)
				return err
			}, "ok")
			p.Queue(audit)
			return p.Commit()
		}, func(err error) bool { return err == nil }, 1},
		{"guard refuses", func(p store.Pipeline) error { p.Require(no, "ok"); p.Queue(audit); return p.Commit() },
			func(err error) bool { return errors.Is(err, store.ErrNotFound) }, 0},
		{"statement after the audit row fails", func(p store.Pipeline) error {
			p.Queue(audit)
			p.Queue(failing)
			return p.Commit()
		}, isPg, 0},
		{"first round fails", func(p store.Pipeline) error {
			p.Queue(audit)
			p.Queue(failing)
			if err := p.Send(); err != nil {
				return err
			}
			p.Queue(audit)
			return p.Commit()
		}, isPg, 0},
		{"second round fails", func(p store.Pipeline) error {
			p.Queue(audit)
			if err := p.Send(); err != nil {
				return err
			}
			p.Queue(failing)
			return p.Commit()
		}, isPg, 0},
		{"never committed", func(p store.Pipeline) error { p.Queue(audit); return p.Send() },
			func(err error) bool { return err == nil }, 0},
	}
	for range 3 { // more units than the pool keeps idle: a connection left in a transaction would show
		for _, c := range cases {
			before := count()
			p := st.Pipeline(ctx)
			err := c.build(p)
			p.Close()
			if !c.check(err) {
				t.Fatalf("%s: %v", c.name, err)
			}
			if n := count() - before; n != c.rows {
				t.Fatalf("%s: %d audit rows committed, want %d", c.name, n, c.rows)
			}
		}
	}
	if s := st.Pool.Stat(); s.AcquiredConns() != 0 {
		t.Fatalf("%d connections still acquired", s.AcquiredConns())
	}
}
