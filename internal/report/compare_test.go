package report_test

import (
	"testing"

	"talentdb/internal/report"
	"talentdb/internal/store"
)

// TestCompareTwoPublications publishes the annual report of 2024, corrects the data (an
// award dated in 2024), publishes it again and checks that Compare lists what moved between
// the two publications — and nothing between a publication and itself.
func TestCompareTwoPublications(t *testing.T) {
	t.Parallel()
	f := annualData(t)
	actor := store.Actor{Name: "cli:office"}
	freeze := func() report.Frozen {
		t.Helper()
		fr, _, err := report.Freeze(f.ctx, f.st, actor, report.KindAnnual, report.Params{Year: 2024}, day("2024-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.st.FrozenReportGet(f.ctx, fr.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	first := freeze()
	if cs, err := report.Compare(first, first); err != nil || len(cs) != 0 {
		t.Fatalf("a publication against itself: %+v, %v", cs, err)
	}
	var a int64
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT id FROM persons WHERE name = 'A'`).Scan(&a); err != nil {
		t.Fatal(err)
	}
	f.award(a, "provincial", "2024-10-10", "", false)
	second := freeze()
	cs, err := report.Compare(first, second)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, cs, `[{"path":"awards.by_level.provincial","frozen":2,"now":3}]`)
}
