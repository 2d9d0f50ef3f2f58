package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// TestAppRoleCannotTouchAccounts: the service's role, in a school's scope (or any other),
// can neither read nor write an account, a session or a token — not even with a statement
// that forgets every WHERE. Accounts are read and written through the store's account
// transactions only, which run as a role of their own (store.AuthRole).
func TestAppRoleCannotTouchAccounts(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	if _, err := st.Pool.Exec(ctx, `INSERT INTO users (username, password_hash, role) VALUES ('root.admin', 'x', 'office_admin')`); err != nil {
		t.Fatal(err)
	}
	var school int64
	if err := st.Pool.QueryRow(ctx, `INSERT INTO organizations (code, name, kind, region_code)
		VALUES ('SA', '甲校', 'school', '510104') RETURNING id`).Scan(&school); err != nil {
		t.Fatal(err)
	}
	app := st.WithoutDefault()
	for _, sc := range []store.Scope{{Kind: store.ScopeSchool, SchoolID: school}, store.OfficeScope} {
		sctx := store.WithScope(ctx, sc)
		for _, q := range []string{
			`SELECT count(*) FROM users`,
			`SELECT password_hash FROM users LIMIT 1`,
			`UPDATE users SET role = 'office_admin'`,
			`INSERT INTO users (username, password_hash, role) VALUES ('evil', 'x', 'office_admin')`,
			`SELECT count(*) FROM sessions`,
			`DELETE FROM sessions`,
			`SELECT count(*) FROM api_tokens`,
			`UPDATE api_tokens SET revoked_at = NULL`,
			`UPDATE frozen_reports SET body = '{}'`,
			`DELETE FROM frozen_reports`,
		} {
			err := app.InTx(sctx, func(tx pgx.Tx) error {
				_, err := tx.Exec(sctx, q)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "permission denied") {
				t.Errorf("scope %s: %s: %v, want permission denied", sc.Kind, q, err)
			}
		}
	}
	var role string
	if err := st.Pool.QueryRow(ctx, `SELECT role FROM users WHERE username = 'root.admin'`).Scan(&role); err != nil || role != "office_admin" {
		t.Fatalf("users changed: %q %v", role, err)
	}
}

// TestEveryAppTableHasRowSecurity: every table the service's role may touch at all is
// under forced row-level security — a table added later with the default grants cannot
// slip by without policies.
func TestEveryAppTableHasRowSecurity(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	rows, err := st.Pool.Query(context.Background(), `SELECT c.relname::text
		FROM pg_class c
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
		  AND (has_table_privilege($1, c.oid, 'SELECT') OR has_table_privilege($1, c.oid, 'INSERT')
		       OR has_table_privilege($1, c.oid, 'UPDATE') OR has_table_privilege($1, c.oid, 'DELETE'))
		  AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
		ORDER BY 1`, store.AppRole)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(names) > 0 {
		t.Errorf("tables the app role may use without forced row-level security: %s", strings.Join(names, ", "))
	}
}

// TestSchoolSeesNoOtherImportsOrReviews: a school's scope sees none of the imports, identity
// candidates, merges or typical-case links of others.
func TestSchoolSeesNoOtherImportsOrReviews(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	exec := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := st.Pool.QueryRow(ctx, q, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	sa := exec(`INSERT INTO organizations (code, name, kind, region_code) VALUES ('SA', '甲校', 'school', '510104') RETURNING id`)
	sc := exec(`INSERT INTO organizations (code, name, kind, region_code) VALUES ('SC', '丙校', 'school', '510105') RETURNING id`)
	person := func(n int, school int64) int64 {
		return exec(`INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date, school_id)
			VALUES ($1, '\x00', '5101**************', '某人', 'male', '2008-01-01', $2) RETURNING id`,
			[]byte(fmt.Sprintf("%032d", n)), school)
	}
	p1, p2 := person(1, sc), person(2, sc)
	exec(`INSERT INTO imports (kind, file_sha256, uploaded_by, applied, summary) VALUES ('persons', '\x00', 'sc.op', true, '{}') RETURNING id`)
	exec(`INSERT INTO identity_candidates (person_id, similar_id, reason) VALUES ($1, $2, 'same_name') RETURNING id`, p1, p2)
	exec(`INSERT INTO person_merges (kept_id, merged_id, moved) VALUES ($1, $2, '{}') RETURNING id`, p1, p2)
	c := exec(`INSERT INTO typical_cases (school_id, title, body, reported_on) VALUES ($1, '案例', '正文', '2026-01-01') RETURNING id`, sc)
	exec(`INSERT INTO typical_case_persons (case_id, person_id) VALUES ($1, $2) RETURNING case_id`, c, p1)

	sctx := store.WithScope(ctx, store.Scope{Kind: store.ScopeSchool, SchoolID: sa})
	for _, table := range []string{"imports", "identity_candidates", "person_merges", "typical_case_persons"} {
		var n int
		err := st.WithoutDefault().InTx(sctx, func(tx pgx.Tx) error {
			return tx.QueryRow(sctx, "SELECT count(*) FROM "+table).Scan(&n)
		})
		if err != nil || n != 0 {
			t.Errorf("school A sees %d rows of %s (%v), want 0", n, table, err)
		}
	}
	// and may not write them for persons it does not see
	for _, q := range []string{
		fmt.Sprintf(`INSERT INTO identity_candidates (person_id, similar_id, reason) VALUES (%d, %d, 'x')`, p2, p1),
		fmt.Sprintf(`INSERT INTO person_merges (kept_id, merged_id, moved) VALUES (%d, %d, '{}')`, p2, p1),
		fmt.Sprintf(`INSERT INTO typical_case_persons (case_id, person_id) VALUES (%d, %d)`, c, p2),
		fmt.Sprintf(`INSERT INTO imports (kind, file_sha256, uploaded_by, applied, summary, school_id) VALUES ('persons', '\x00', 'x', true, '{}', %d)`, sc),
	} {
		err := st.WithoutDefault().InTx(sctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(sctx, q)
			return err
		})
		if err == nil {
			t.Errorf("school A wrote: %s", q)
		}
	}
}
