package store_test

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"

	"talentdb/internal/store"
)

// TestAuditGroupRecordsEveryRead: reads running at once share audit commits, yet every
// read has its own row, equal field for field (NULLs included) to the row the single
// insert writes, each committed before its read returns.
func TestAuditGroupRecordsEveryRead(t *testing.T) {
	t.Parallel()
	w := newRLSWorld(t)
	ctx := store.WithScope(w.ctx, store.OfficeScope)
	ip := netip.MustParseAddr("192.0.2.7")
	persons := []int64{w.pA, w.pB, w.pC, w.pAB}
	const readers = 40
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	for i := range readers {
		wg.Go(func() {
			id := persons[i%len(persons)]
			a := store.Actor{Name: fmt.Sprintf("reader-%d", i), Role: "office_analyst", RequestID: fmt.Sprintf("req-%d", i), IP: &ip}
			if i%2 == 1 {
				a = store.Actor{Name: fmt.Sprintf("reader-%d", i)} // no role, request or address: NULLs
			}
			var err error
			if i%3 == 0 {
				_, err = w.st.TimelineRead(ctx, a, id)
			} else {
				_, err = w.st.PersonRead(ctx, a, id, []string{"name", "gender"})
			}
			if err != nil {
				errs <- fmt.Errorf("reader %d: %w", i, err)
				return
			}
			// committed before the read returned: visible to another connection now
			var n int
			if err := w.st.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE actor = $1`, a.Name).Scan(&n); err != nil || n != 1 {
				errs <- fmt.Errorf("reader %d: %d audit rows (%v) when the read returned", i, n, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var groups, rows int
	if err := w.st.Pool.QueryRow(w.ctx, `SELECT count(DISTINCT xmin::text), count(*) FROM audit_log WHERE actor LIKE 'reader-%'`).Scan(&groups, &rows); err != nil {
		t.Fatal(err)
	}
	if rows != readers {
		t.Fatalf("%d rows, want %d", rows, readers)
	}
	t.Logf("%d reads recorded in %d commits", rows, groups)

	// one row of each shape against the single insert's row
	single := func(name string, a store.Actor, e store.AuditEntry) {
		t.Helper()
		if err := w.st.Audit(ctx, nil, a, e); err != nil {
			t.Fatal(err)
		}
	}
	one := int32(1)
	single("single-0", store.Actor{Name: "single-0", Role: "office_analyst", RequestID: "req-4", IP: &ip},
		store.AuditEntry{Action: "read", Entity: "person", EntityID: fmt.Sprint(w.pA), PersonID: &w.pA, Fields: []string{"name", "gender"}, RowCount: &one})
	single("single-1", store.Actor{Name: "single-1"},
		store.AuditEntry{Action: "read", Entity: "person", EntityID: fmt.Sprint(w.pB), PersonID: &w.pB, Fields: []string{"name", "gender"}, RowCount: &one})
	const shape = `SELECT coalesce(actor_role, '<null>'), action, entity, coalesce(entity_id, '<null>'), coalesce(person_id, -1),
		coalesce(school_id, -1), coalesce(fields::text, '<null>'), coalesce(row_count, -1), coalesce(request_id, '<null>'),
		coalesce(host(ip), '<null>'), before IS NULL AND after IS NULL FROM audit_log WHERE actor = $1`
	read := func(actor string) string {
		t.Helper()
		var role, action, entity, entityID, fields, req, addr string
		var person, school int64
		var count int32
		var noImages bool
		if err := w.st.Pool.QueryRow(w.ctx, shape, actor).Scan(&role, &action, &entity, &entityID, &person, &school, &fields, &count, &req, &addr, &noImages); err != nil {
			t.Fatal(actor, err)
		}
		return fmt.Sprint(role, action, entity, entityID, person, school, fields, count, req, addr, noImages)
	}
	// reader-1 read pB (1 % 4) as a person read without role/request/address; reader-4 read pA with them
	if g, s := read("reader-1"), read("single-1"); g != s {
		t.Errorf("grouped row %q, single insert %q", g, s)
	}
	if g, s := read("reader-4"), read("single-0"); g != s {
		t.Errorf("grouped row %q, single insert %q", g, s)
	}
}
