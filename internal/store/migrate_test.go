package store_test

import (
	"context"
	"io"
	"testing"

	"talentdb/internal/dbtest"
)

// The migrations go up, down to zero and up again, leaving the same schema.
func TestMigrationsRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := dbtest.Open(t, dbtest.EmptyURL(t))
	m, err := st.NewMigrator()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Up(ctx, io.Discard); err != nil {
		t.Fatalf("up: %v", err)
	}
	schema := func() string {
		var s string
		err := st.Pool.QueryRow(ctx, `
			SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, ordinal_position)
			FROM information_schema.columns WHERE table_schema = 'public'`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := schema()
	var regions, categories int
	if err := st.Pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM regions), (SELECT count(*) FROM categories)").Scan(&regions, &categories); err != nil {
		t.Fatal(err)
	}
	if regions != 22 || categories != 29 {
		t.Fatalf("reference data: %d regions, %d categories; want 22 and 29", regions, categories)
	}
	if err := m.Reset(ctx, io.Discard); err != nil {
		t.Fatalf("reset: %v", err)
	}
	var left int
	if err := st.Pool.QueryRow(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'goose_db_version'").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Fatalf("%d tables left after reset", left)
	}
	if err := m.Up(ctx, io.Discard); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if again := schema(); again != first {
		t.Fatal("schema after down and up differs from the first up")
	}
}
