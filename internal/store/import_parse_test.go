package store_test

import (
	"context"
	"testing"

	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// TestImportParsePanicReachesTheCaller: a parse that panics while the store stages its rows
// (ImportBatch.Parse runs on a goroutine of the store's) panics in the caller of Import,
// where the HTTP handler's recovery can answer it, and the import's transaction leaves
// nothing behind.
func TestImportParsePanicReachesTheCaller(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := dbtest.New(t)
	b := store.ImportBatch{Kind: store.KindPersons, Present: map[string]bool{}, FileName: "p.csv",
		UploadedBy: "t", Actor: "t", Persons: make([]store.PersonImportRow, 10), Rows: 10,
		Parse: func(ready func(from, to int)) bool { panic("parse broke") }}
	got := func() (r any) {
		defer func() { r = recover() }()
		_, _ = st.Import(ctx, b, func(store.ImportResult) ([]byte, error) { return []byte("{}"), nil })
		return nil
	}()
	if got != "parse broke" {
		t.Fatalf("Import's caller recovered %v, want the parse's panic", got)
	}
	var imports, persons int
	if err := st.Pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM imports), (SELECT count(*) FROM persons)").
		Scan(&imports, &persons); err != nil {
		t.Fatal(err)
	}
	if imports != 0 || persons != 0 {
		t.Fatalf("%d imports and %d persons recorded by an import whose parse panicked", imports, persons)
	}
}
