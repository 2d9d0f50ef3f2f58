package store_test

import (
	"context"
	"strings"
	"testing"

	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// TestImportSQL: every statement of import.sql is used by an import kind, and each kind's
// statements — its own, the shared ones, and its upsert with and without the optional
// columns — are valid against the migrated schema once its staging table exists
// (prepared, not run, so the test does not depend on the data).
func TestImportSQL(t *testing.T) {
	t.Parallel()
	stmts, used := store.ImportStatements(), store.ImportUsed()
	for name := range stmts {
		if !used[name] {
			t.Errorf("import.sql: %s is not used", name)
		}
	}
	st := dbtest.New(t)
	ctx := context.Background()
	kinds := []string{store.KindOrganizations, store.KindPersons, store.KindParticipations, store.KindAwards,
		store.KindDestinations, store.KindCareerMoves, store.KindFollowUps}
	for _, kind := range kinds {
		tracking := kind != store.KindOrganizations && kind != store.KindPersons && kind != store.KindParticipations
		var check []string
		for name, q := range stmts {
			if strings.HasPrefix(name, kind+".") && name != kind+".create" || name == "analyze" ||
				tracking && strings.HasPrefix(name, "tracking.") {
				check = append(check, name+"\x00"+q)
			}
		}
		for i, q := range store.ImportUpserts(kind) {
			check = append(check, "upsert"+string(rune('0'+i))+"\x00"+q)
		}
		tx, err := st.Pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, stmts[kind+".create"]); err != nil {
			t.Fatalf("%s.create: %v", kind, err)
		}
		for _, c := range check {
			name, q, _ := strings.Cut(c, "\x00")
			if name == "analyze" {
				if _, err := tx.Exec(ctx, q); err != nil {
					t.Errorf("%s %s: %v", kind, name, err)
				}
				continue
			}
			if _, err := tx.Prepare(ctx, "", q); err != nil {
				t.Errorf("%s %s: %v", kind, name, err)
			}
		}
		_ = tx.Rollback(ctx)
	}
}
