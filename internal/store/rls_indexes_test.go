package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// TestRLSPolicyColumnsIndexed holds every row-security policy to an index for each column
// it compares (of its own table or of a table its subqueries read): a policy's school or
// city branch is a filter on school_id, its person and participation branches probe
// persons and participations by key, and without an index each of them is a scan. The
// exception is audit_log.action, which audit_read compares with the edit actions: the
// partial index audit_log_person_edits_idx holds exactly those rows, by person.
func TestRLSPolicyColumnsIndexed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := dbtest.New(t)
	type col struct{ policy, table, column string }
	var missing []col
	err := st.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT DISTINCT pc.relname || '.' || p.polname, c.relname, a.attname
			FROM pg_policy p
			JOIN pg_class pc ON pc.oid = p.polrelid
			JOIN pg_depend d ON d.classid = 'pg_policy'::regclass AND d.objid = p.oid
			                AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
			JOIN pg_class c ON c.oid = d.refobjid
			JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
			WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indkey[0] = a.attnum)
			ORDER BY 1, 2, 3`)
		if err != nil {
			return err
		}
		missing, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (col, error) {
			var c col
			return c, r.Scan(&c.policy, &c.table, &c.column)
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range missing {
		if c.table == "audit_log" && c.column == "action" {
			continue
		}
		t.Errorf("policy %s compares %s.%s, which no index leads with", c.policy, c.table, c.column)
	}
	var pred string
	err = st.InTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i
			WHERE i.indexrelid = 'audit_log_person_edits_idx'::regclass`).Scan(&pred)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"update", "delete", "restore", "merge", "unmerge", "transition"} {
		if !strings.Contains(pred, "'"+a+"'") {
			t.Errorf("audit_log_person_edits_idx (WHERE %s) leaves out the edits %q that audit_read shows", pred, a)
		}
	}
}

// TestDueStateReadsTheScopeOnce holds the due list's row security to reading the scope once
// per statement: its filter compares parameters set by initplans, not a current_setting()
// call per row (migrations/00105_rls_scope_once.sql).
func TestDueStateReadsTheScopeOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := dbtest.New(t)
	for _, sc := range []store.Scope{{Kind: store.ScopeAnalyst}, {Kind: store.ScopeSchool, SchoolID: 7},
		{Kind: store.ScopeCity, CityCode: "510100"}} {
		var plan []string
		err := st.InTx(store.WithScope(ctx, sc), func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `EXPLAIN (VERBOSE, COSTS OFF) SELECT name FROM due_state WHERE school_id = 7`)
			if err != nil {
				return err
			}
			plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(plan, "\n")
		for _, line := range plan {
			if strings.Contains(line, "Filter:") && strings.Contains(line, "current_setting") {
				t.Errorf("%s scope: the policy calls current_setting() per row:\n%s", sc.Kind, text)
			}
		}
		if !strings.Contains(text, "InitPlan") {
			t.Errorf("%s scope: no initplan reads the scope:\n%s", sc.Kind, text)
		}
	}
}

// TestPolicyPlansReadNoOtherTable holds each table's SELECT policies to plans that read
// no other table than organizations (the city branch's hashed subplan, built once per
// statement): the person and participation branches ask app_sees_person,
// app_sees_participant and app_sees_participation, planned on their own, so that a read by
// key does not start the policy trees of persons and participations inside its own plan
// on every execution (migrations/00106_rls_visibility_functions.sql).
func TestPolicyPlansReadNoOtherTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := dbtest.New(t)
	// the mentor branches of applications and their phases ask whether a mentor's pupil
	// comes from the school (not a person by key), typical_case_persons whether the
	// case is visible
	allowed := map[string][]string{
		"application_phases":   {"participations"},
		"applications":         {"participations"},
		"typical_case_persons": {"typical_cases"},
	}
	var tables []string
	err := st.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `WITH t AS MATERIALIZED (SELECT DISTINCT tablename::text AS name FROM pg_policies
			    WHERE cmd IN ('SELECT', 'ALL') AND schemaname = 'public')
			SELECT name FROM t WHERE has_table_privilege('talentdb_app', format('%I', name), 'SELECT') ORDER BY 1`)
		if err != nil {
			return err
		}
		tables, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 30 {
		t.Fatalf("only %d tables with a SELECT policy", len(tables))
	}
	for _, table := range tables {
		var plan []string
		err := st.InTx(store.WithScope(ctx, store.Scope{Kind: store.ScopeAnalyst}), func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, "EXPLAIN (COSTS OFF) SELECT * FROM "+pgx.Identifier{table}.Sanitize())
			if err != nil {
				return err
			}
			plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ok := map[string]bool{table: true, "organizations": true}
		for _, a := range allowed[table] {
			ok[a] = true
		}
		for _, line := range plan {
			if _, rest, found := strings.Cut(line, " on "); found && strings.Contains(line, "Scan") {
				rel := strings.Fields(rest)[0]
				if !ok[rel] {
					t.Errorf("the policies of %s read %s:\n%s", table, rel, strings.Join(plan, "\n"))
					break
				}
			}
		}
	}
}

// TestDueListIsIndexOnly holds a school's due list to an index-only scan of
// due_state_listed_school_idx (migrations/00108_due_state_covering_index.sql): the index
// must hold every column the statement reads of due_state, or each listed alumnus becomes
// a heap fetch again. The plan is the one the service runs, the generic plan of
// ReportFollowUpsDue under the analyst's scope, read from the prepared statement.
func TestDueListIsIndexOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := dbtest.New(t)
	admin, err := pgx.Connect(ctx, dbtest.AdminURL(t, st))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	// 50 schools of 100 alumni, most of them listed, then the visibility map
	if _, err := admin.Exec(ctx, `INSERT INTO due_state (person_id, edition_id, ends_on, school_id, name,
		    id_masked, listed, opted_out, last_met_on, last_contacted_on)
		SELECT i, 'jingke-2023', DATE '2024-02-29', 1000 + i % 50, 'p' || i, '5101**', i % 10 <> 0, false,
		       NULL, DATE '2025-01-01' + i % 300
		FROM generate_series(1, 5000) i`); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "VACUUM (ANALYZE) due_state"); err != nil {
		t.Fatal(err)
	}
	var plan []string
	err = st.InTx(store.WithScope(ctx, store.Scope{Kind: store.ScopeAnalyst}), func(tx pgx.Tx) error {
		// only an index path may serve due_state: whether it is index-only is the question
		if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off"); err != nil {
			return err
		}
		school := "S0"
		if _, err := db.New().ReportFollowUpsDue(ctx, tx, db.ReportFollowUpsDueParams{
			AsOf: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), SchoolCode: &school}); err != nil {
			return err
		}
		var name string
		if err := tx.QueryRow(ctx, `SELECT name FROM pg_prepared_statements
			WHERE statement LIKE '%FROM due_state d%' AND statement NOT LIKE '%pg_prepared_statements%'`).Scan(&name); err != nil {
			return fmt.Errorf("the due list's prepared statement: %w", err)
		}
		rows, err := tx.Query(ctx, "EXPLAIN (COSTS OFF) EXECUTE "+pgx.Identifier{name}.Sanitize()+"('2026-11-28', 'S0', NULL)")
		if err != nil {
			return err
		}
		plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, "Index Only Scan using due_state_listed_school_idx on due_state") {
		t.Errorf("a school's due list is not an index-only scan of due_state_listed_school_idx:\n%s", text)
	}
}
