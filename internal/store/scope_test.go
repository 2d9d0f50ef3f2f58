package store_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// schoolOwned are the tables whose rows belong to a school (or to a person of one): each
// must enable and FORCE row-level security.
var schoolOwned = []string{"persons", "participations", "person_schools", "awards", "destinations",
	"career_moves", "follow_ups", "consents", "applications", "application_phases", "public_notices",
	"objections", "growth_logs", "tasks", "training_sessions", "training_attendance", "year_summaries",
	"exchange_recommendations", "typical_cases"}

// referenceTables are read by every scope and written by the office only.
var referenceTables = []string{"regions", "programs", "editions", "categories", "organizations", "mentors"}

// rlsWorld is a small province: schools A and B in 成都 (510100), school C in 绵阳
// (510700), one mentor; a person per school, and person "ab" whose responsible school is B
// but who was nominated by A, with the mentor. Everyone has one award.
type rlsWorld struct {
	st                   *store.Store
	ctx                  context.Context
	schoolA, schoolB     int64
	schoolC, mentor      int64
	pA, pB, pC, pAB      int64
	awardsOf             map[int64]int64 // person → award id
	participationOfAB    int64
	participationOfOther int64
}

func newRLSWorld(t *testing.T) *rlsWorld {
	t.Helper()
	w := &rlsWorld{st: dbtest.New(t), ctx: context.Background(), awardsOf: map[int64]int64{}}
	id := func(sql string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := w.st.Pool.QueryRow(w.ctx, sql, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	org := func(code, region string) int64 {
		return id(`INSERT INTO organizations (code, name, kind, region_code) VALUES ($1, $1, 'school', $2) RETURNING id`,
			code, region)
	}
	w.schoolA, w.schoolB, w.schoolC = org("RLSA", "510104"), org("RLSB", "510105"), org("RLSC", "510703")
	inst := id(`INSERT INTO organizations (code, name, kind, region_code) VALUES ('RLSI', '培养单位', 'institution', '510104') RETURNING id`)
	w.mentor = id(`INSERT INTO mentors (name, institution_id) VALUES ('导师', $1) RETURNING id`, inst)
	person := func(name string, school int64) int64 {
		h := sha256.Sum256([]byte(name))
		return id(`INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date, school_id)
			VALUES ($1, '\x00', '5101**************', $2, 'female', '2011-05-06', $3) RETURNING id`, h[:], name, school)
	}
	w.pA, w.pB, w.pC, w.pAB = person("甲", w.schoolA), person("乙", w.schoolB), person("丙", w.schoolC), person("甲乙", w.schoolB)
	if _, err := w.st.Pool.Exec(w.ctx, `INSERT INTO editions (id, program, year, starts_on, ends_on)
		VALUES ('jingke-2023', 'jingke', 2023, '2023-03-01', '2024-02-29')`); err != nil {
		t.Fatal(err)
	}
	w.participationOfAB = id(`INSERT INTO participations (person_id, edition_id, program, school_id, category_code, status, mentor_id)
		VALUES ($1, 'jingke-2023', 'jingke', $2, 'math', 'completed', $3) RETURNING id`, w.pAB, w.schoolA, w.mentor)
	w.participationOfOther = id(`INSERT INTO participations (person_id, edition_id, program, school_id, category_code, status)
		VALUES ($1, 'jingke-2023', 'jingke', $2, 'math', 'completed') RETURNING id`, w.pC, w.schoolC)
	for p, school := range map[int64]int64{w.pA: w.schoolA, w.pB: w.schoolB, w.pC: w.schoolC, w.pAB: w.schoolB} {
		w.awardsOf[p] = id(`INSERT INTO awards (person_id, school_id, competition, level, awarded_on)
			VALUES ($1, $2, '科创赛', 'provincial', '2024-05-01') RETURNING id`, p, school)
	}
	return w
}

// ids runs sql through the scoped path (a transaction of InTx) in scope sc and returns the
// first column of every row.
func (w *rlsWorld) ids(t *testing.T, st *store.Store, ctx context.Context, sql string) []int64 {
	t.Helper()
	var out []int64
	err := st.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	slices.Sort(out)
	return out
}

func sorted(v ...int64) []int64 { slices.Sort(v); return v }

// TestForgottenWhere: a query with no WHERE clause at all, run in a caller's scope, still
// returns only that caller's rows; with no scope it returns none.
func TestForgottenWhere(t *testing.T) {
	t.Parallel()
	w := newRLSWorld(t)
	in := func(sc store.Scope) context.Context { return store.WithScope(w.ctx, sc) }
	aw := func(p ...int64) []int64 {
		var out []int64
		for _, x := range p {
			out = append(out, w.awardsOf[x])
		}
		return sorted(out...)
	}
	cases := []struct {
		name    string
		sc      store.Scope
		persons []int64
		awards  []int64
	}{
		{"office", store.OfficeScope, sorted(w.pA, w.pB, w.pC, w.pAB), aw(w.pA, w.pB, w.pC, w.pAB)},
		{"analyst", store.Scope{Kind: store.ScopeAnalyst}, sorted(w.pA, w.pB, w.pC, w.pAB), aw(w.pA, w.pB, w.pC, w.pAB)},
		// A sees its own person and the one it nominated (responsible school now B)
		{"school A", store.Scope{Kind: store.ScopeSchool, SchoolID: w.schoolA}, sorted(w.pA, w.pAB), aw(w.pA, w.pAB)},
		{"school B", store.Scope{Kind: store.ScopeSchool, SchoolID: w.schoolB}, sorted(w.pB, w.pAB), aw(w.pB, w.pAB)},
		{"school C", store.Scope{Kind: store.ScopeSchool, SchoolID: w.schoolC}, sorted(w.pC), aw(w.pC)},
		{"成都", store.Scope{Kind: store.ScopeCity, CityCode: "510100"}, sorted(w.pA, w.pB, w.pAB), aw(w.pA, w.pB, w.pAB)},
		{"绵阳", store.Scope{Kind: store.ScopeCity, CityCode: "510700"}, sorted(w.pC), aw(w.pC)},
		{"mentor", store.Scope{Kind: store.ScopeMentor, MentorID: w.mentor}, sorted(w.pAB), aw(w.pAB)},
		{"auditor", store.Scope{Kind: store.ScopeAuditor}, nil, nil},
		{"invalid school scope", store.Scope{Kind: store.ScopeSchool}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := w.ids(t, w.st, in(c.sc), "SELECT id FROM persons"); !slices.Equal(got, c.persons) {
				t.Errorf("persons %v, want %v", got, c.persons)
			}
			if got := w.ids(t, w.st, in(c.sc), "SELECT id FROM awards"); !slices.Equal(got, c.awards) {
				t.Errorf("awards %v, want %v", got, c.awards)
			}
			var n int64
			err := w.st.InTx(in(c.sc), func(tx pgx.Tx) error {
				return tx.QueryRow(w.ctx, "SELECT count(*) FROM awards").Scan(&n)
			})
			if err != nil || n != int64(len(c.awards)) {
				t.Errorf("count(*) FROM awards = %d, %v; want %d", n, err, len(c.awards))
			}
		})
	}

	t.Run("no scope sees nothing", func(t *testing.T) {
		bare := w.st.WithoutDefault()
		for _, table := range append(slices.Clone(schoolOwned), "audit_log") {
			if got := w.ids(t, bare, w.ctx, "SELECT count(*) FROM "+table); got[0] != 0 {
				t.Errorf("%s: %d rows visible without a scope", table, got[0])
			}
		}
		// the store's own methods go through the same path
		if _, err := bare.PersonGet(w.ctx, w.pA); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("PersonGet without a scope: %v, want ErrNotFound", err)
		}
		ps, err := bare.PersonList(w.ctx, store.PersonFilter{Limit: 10})
		if err != nil || len(ps) != 0 {
			t.Errorf("PersonList without a scope: %d persons, %v", len(ps), err)
		}
		// … and so does the raw pool of the tables' owner when no scope is set: FORCE
		var n, all int64
		err = pgx.BeginFunc(w.ctx, w.st.Pool, func(tx pgx.Tx) error {
			if err := tx.QueryRow(w.ctx, "SELECT count(*) FROM awards").Scan(&all); err != nil {
				return err // the pool's own office scope: every award
			}
			if _, err := tx.Exec(w.ctx, "SELECT set_config('talentdb.scope', '', true)"); err != nil {
				return err
			}
			return tx.QueryRow(w.ctx, "SELECT count(*) FROM awards").Scan(&n)
		})
		if err != nil || n != 0 || all == 0 {
			t.Errorf("the owner without a scope sees %d of %d awards (%v), want none", n, all, err)
		}
	})

	t.Run("store methods", func(t *testing.T) {
		schoolC := in(store.Scope{Kind: store.ScopeSchool, SchoolID: w.schoolC})
		if _, err := w.st.PersonGet(schoolC, w.pA); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("school C reads person of A: %v, want ErrNotFound", err)
		}
		if _, err := w.st.AwardGet(schoolC, w.awardsOf[w.pA]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("school C reads award of A: %v, want ErrNotFound", err)
		}
		if p, err := w.st.PersonGet(schoolC, w.pC); err != nil || p.ID != w.pC {
			t.Errorf("school C reads its own person: %v", err)
		}
	})
}

// TestRowSecurityRefusesWrites: writes outside the scope fail in the database itself.
func TestRowSecurityRefusesWrites(t *testing.T) {
	t.Parallel()
	w := newRLSWorld(t)
	exec := func(sc store.Scope, sql string, args ...any) (int64, error) {
		var n int64
		err := w.st.InTx(store.WithScope(w.ctx, sc), func(tx pgx.Tx) error {
			tag, err := tx.Exec(w.ctx, sql, args...)
			n = tag.RowsAffected()
			return err
		})
		return n, err
	}
	schoolA := store.Scope{Kind: store.ScopeSchool, SchoolID: w.schoolA}
	// an award for a person school A cannot see
	if _, err := exec(schoolA, `INSERT INTO awards (person_id, school_id, competition, level, awarded_on)
		VALUES ($1, $2, 'x', 'school', '2024-01-01')`, w.pC, w.schoolC); err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Errorf("school A inserted an award of school C's person: %v", err)
	}
	// an update of another school's rows touches nothing
	if n, err := exec(schoolA, `UPDATE awards SET rank = '一等奖'`); err != nil || n != 2 {
		t.Errorf("school A updated %d awards (%v), want its own 2", n, err)
	}
	for _, sc := range []store.Scope{{Kind: store.ScopeAnalyst}, {Kind: store.ScopeCity, CityCode: "510100"},
		{Kind: store.ScopeAuditor}, {}} {
		if n, err := exec(sc, `UPDATE awards SET rank = '二等奖'`); err != nil || n != 0 {
			t.Errorf("%q updated %d awards (%v), want 0", sc.Kind, n, err)
		}
		if _, err := exec(sc, `INSERT INTO organizations (code, name, kind, region_code) VALUES ('X1', 'x', 'school', '510104')`); err == nil {
			t.Errorf("%q wrote reference data", sc.Kind)
		}
	}
	if _, err := exec(store.OfficeScope, `INSERT INTO organizations (code, name, kind, region_code) VALUES ('X1', 'x', 'school', '510104')`); err != nil {
		t.Errorf("the office cannot write reference data: %v", err)
	}
	// a person placed in another school by a school operator
	if _, err := exec(schoolA, `UPDATE persons SET school_id = $1 WHERE id = $2`, w.schoolC, w.pA); err == nil {
		t.Error("school A moved its person into school C")
	}
}

// TestAuditLogAppendOnly: the service's role may append to the audit log and, in the
// auditor's or office's scope, read it, but never change or remove a row.
func TestAuditLogAppendOnly(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	if err := st.Audit(ctx, nil, store.Actor{Name: "t"}, store.AuditEntry{Action: "read", Entity: "person"}); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{"UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"} {
		for _, sc := range []store.Scope{store.OfficeScope, {Kind: store.ScopeAuditor}} {
			err := st.InTx(store.WithScope(ctx, sc), func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, sql)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "permission denied") {
				t.Errorf("%s as %s in scope %s: %v, want permission denied", sql, store.AppRole, sc.Kind, err)
			}
		}
	}
	// a superuser who is not the owner is stopped by the trigger
	super := dbtest.Open(t, dbtest.AdminURL(t, st))
	if _, err := super.Pool.Exec(ctx, "UPDATE audit_log SET actor = 'x'"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("superuser UPDATE: %v, want append-only", err)
	}
	if _, err := super.Pool.Exec(ctx, "DELETE FROM audit_log"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("superuser DELETE: %v, want append-only", err)
	}
	var n int
	for _, c := range []struct {
		sc   store.Scope
		want int
	}{{store.OfficeScope, 1}, {store.Scope{Kind: store.ScopeAuditor}, 1}, {store.Scope{Kind: store.ScopeAnalyst}, 0}, {store.Scope{}, 0}} {
		if err := st.InTx(store.WithScope(ctx, c.sc), func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "SELECT count(*) FROM audit_log").Scan(&n)
		}); err != nil || n != c.want {
			t.Errorf("scope %q reads %d audit rows (%v), want %d", c.sc.Kind, n, err, c.want)
		}
	}
}

// TestRowSecurityCatalog checks the catalog: every school-owned and reference table enables
// and forces row-level security, and the service's role is an ordinary one that owns nothing.
func TestRowSecurityCatalog(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	rows, err := st.Pool.Query(ctx, `SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity,
		EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped)
		FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')`)
	if err != nil {
		t.Fatal(err)
	}
	type rel struct{ rls, force, school bool }
	rels := map[string]rel{}
	for rows.Next() {
		var name string
		var r rel
		if err := rows.Scan(&name, &r.rls, &r.force, &r.school); err != nil {
			t.Fatal(err)
		}
		rels[name] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, table := range append(append(slices.Clone(schoolOwned), referenceTables...), "audit_log") {
		r, ok := rels[table]
		if !ok {
			t.Errorf("table %s missing", table)
			continue
		}
		if !r.rls || !r.force {
			t.Errorf("%s: relrowsecurity %v, relforcerowsecurity %v; want both", table, r.rls, r.force)
		}
	}
	// a later table with a school_id column must come with policies too (see 00070)
	for name, r := range rels {
		if r.school && !(r.rls && r.force) && !knownUnscoped[name] {
			t.Errorf("table %s has a school_id column but no forced row-level security: "+
				"add ENABLE + FORCE ROW LEVEL SECURITY and the policies of migrations/00070_row_security.sql", name)
		}
	}

	var super, bypass, login bool
	if err := st.Pool.QueryRow(ctx, `SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1`,
		store.AppRole).Scan(&super, &bypass, &login); err != nil {
		t.Fatal(err)
	}
	if super || bypass || login {
		t.Errorf("%s: superuser %v, bypassrls %v, login %v; want none", store.AppRole, super, bypass, login)
	}
	var owned int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
		AND relnamespace = 'public'::regnamespace`, store.AppRole).Scan(&owned); err != nil || owned != 0 {
		t.Errorf("%s owns %d relations (%v)", store.AppRole, owned, err)
	}
	// the transactions of the store really run as the app role
	var who string
	if err := st.InTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "SELECT current_user::text").Scan(&who)
	}); err != nil || who != store.AppRole {
		t.Errorf("InTx runs as %q (%v), want %s", who, err, store.AppRole)
	}
}

// knownUnscoped lists the tables with a school_id column that are deliberately not under
// row-level security.
var knownUnscoped = map[string]bool{
	// accounts: school_id is the scope of a school operator's account, not a school's data;
	// the service must read accounts before it knows who asks (sign-in), so they are
	// fenced by role instead: only store.AuthRole has privileges on them
	// (TestAppRoleCannotTouchAccounts)
	"users": true,
}

// TestStoreStatementsAreScoped: no method of the store runs a statement on the raw pool;
// each goes through s.scoped() or a transaction of s.InTx, which set the caller's scope.
// Allowed raw uses: the transaction machinery, migrations, the seed's bulk load, ANALYZE.
func TestStoreStatementsAreScoped(t *testing.T) {
	t.Parallel()
	// keycheck.go: the start-up key check runs as the owner (key_check is not the app role's)
	allowed := map[string]int{"store.go": 99, "scope.go": 99, "migrate.go": 99, "replica.go": 99, "outage.go": 99,
		"seed.go": 2, "keycheck.go": 1}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	raw := regexp.MustCompile(`\bs\.Pool\b`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(raw.FindAll(b, -1)); n > allowed[f] {
			t.Errorf("%s uses s.Pool %d times: pass s.scoped() (one statement) or run in s.InTx, "+
				"so that the statement runs in the caller's scope under row-level security", f, n)
		}
	}
}

// TestScopedRowsCommit: the one-statement path commits what it wrote, reports ErrNoRows as
// an answer, and leaves no connection busy.
func TestScopedRowsCommit(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	for i := range 30 { // more than the pool's connections: a leaked transaction would block
		if err := st.Audit(ctx, nil, store.Actor{Name: fmt.Sprint("a", i)},
			store.AuditEntry{Action: "read", Entity: "person"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PersonGet(ctx, 424242); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("PersonGet of nobody: %v", err)
		}
		if _, err := st.PersonList(ctx, store.PersonFilter{Limit: 5}); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := st.Pool.QueryRow(ctx, "SELECT count(*) FROM audit_log").Scan(&n); err != nil || n != 30 {
		t.Fatalf("%d audit rows committed (%v), want 30", n, err)
	}
	if s := st.Pool.Stat(); s.AcquiredConns() != 0 {
		t.Fatalf("%d connections still acquired", s.AcquiredConns())
	}
}

// TestMapErrKeepsThePgError: a refused write is ErrConflict and still carries the
// database's error (its constraint) for the layers above and the log.
func TestMapErrKeepsThePgError(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	in := store.OrganizationInput{Code: "DUP1", Name: "甲校", Kind: "school", RegionCode: "510104"}
	if _, err := st.OrganizationCreate(ctx, store.Actor{Name: "test"}, in); err != nil {
		t.Fatal(err)
	}
	_, err := st.OrganizationCreate(ctx, store.Actor{Name: "test"}, in)
	var pe *pgconn.PgError
	if !errors.Is(err, store.ErrConflict) || !errors.As(err, &pe) || pe.ConstraintName != "organizations_code_key" {
		t.Fatalf("duplicate code: %v (PgError %v), want ErrConflict carrying organizations_code_key", err, pe)
	}
}
