package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"talentdb/internal/report"
	"talentdb/internal/store"
)

// TestFreezeAndDiff freezes the annual report of 2024, corrects the data afterwards (two
// awards dated in 2024, one deleted destination) and checks that the frozen body is
// unchanged and that the diff lists exactly the figures that moved.
func TestFreezeAndDiff(t *testing.T) {
	t.Parallel()
	f := annualData(t)
	actor := store.Actor{Name: "cli:analyst"}
	fr, rep, err := report.Freeze(f.ctx, f.st, actor, report.KindAnnual, report.Params{Year: 2024}, day("2024-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if fr.ID <= 0 || fr.FrozenBy != "cli:analyst" || fr.FrozenAt.IsZero() {
		t.Fatalf("frozen row %+v", fr)
	}
	want, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	stored := func() store.FrozenReport {
		t.Helper()
		got, err := f.st.FrozenReportGet(f.ctx, fr.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	before := stored()
	sameJSON(t, json.RawMessage(before.Body), string(want))
	sameJSON(t, json.RawMessage(before.Params), `{"year":2024,"publish":false}`)

	// no correction yet: nothing differs
	d, err := report.Diff(f.ctx, f.st, before)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Changes) != 0 {
		t.Fatalf("changes before any correction: %+v", d.Changes)
	}

	// corrections: a provincial award and a first county award in 2024, the junior_high
	// destination deleted
	var a int64
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT id FROM persons WHERE name = 'A'`).Scan(&a); err != nil {
		t.Fatal(err)
	}
	f.award(a, "provincial", "2024-10-10", "", false)
	f.award(a, "county", "2024-11-11", "verified", false)
	f.exec(`UPDATE destinations SET deleted_at = now() WHERE person_id = $1 AND type = 'junior_high'`, a)

	after := stored()
	if !bytes.Equal(after.Body, before.Body) {
		t.Fatalf("the frozen body changed:\n%s\n%s", before.Body, after.Body)
	}
	d, err = report.Diff(f.ctx, f.st, after)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, d.Changes, `[
		{"path":"awards.by_level.county","frozen":0,"now":1},
		{"path":"awards.by_level.provincial","frozen":2,"now":3},
		{"path":"destinations.by_type.junior_high","frozen":1,"now":0}]`)
	if d.ID != fr.ID || d.Kind != "annual" || d.AsOf != "2024-12-31" || d.FrozenBy != "cli:analyst" {
		t.Errorf("diff header %+v", d)
	}

	// the stored body reads back into the report for its exports
	back, err := report.DecodeFrozen(after)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, back, string(want))
}

// TestFreezePublished freezes a cut cohort report in publication mode: the body is the
// published one, its parameters say so, and the diff compares published figures.
func TestFreezePublished(t *testing.T) {
	t.Parallel()
	f := cohortData(t)
	p := report.Params{Edition: "jingke-2023", Cut: report.Cut{School: "S1"}, Publish: true}
	fr, _, err := report.Freeze(f.ctx, f.st, store.Actor{Name: "office"}, report.KindCohort, p, day("2025-06-15"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.st.FrozenReportGet(f.ctx, fr.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, json.RawMessage(got.Params), `{"edition":"jingke-2023","school":"S1","publish":true}`)
	var body map[string]any
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body["cohort_size"] != "<5" || body["publication"] == nil || body["cut"] == nil {
		t.Fatalf("body %s", got.Body)
	}
	// a third S1 member: the cohort of 3 is still "<5"; window 0's awards grow from 1 to 2,
	// both "<5": a published report does not change
	p3 := f.person("新生", "female")
	s1 := f.id(`SELECT id FROM organizations WHERE code = 'S1'`)
	f.student(p3, "jingke-2023", s1, "math", "5", "completed")
	f.award(p3, "school", "2023-05-05", "", false)
	d, err := report.Diff(f.ctx, f.st, got)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Changes) != 0 {
		t.Fatalf("published figures changed: %+v", d.Changes)
	}

	// a report whose parameters no longer resolve cannot be recomputed
	f.exec(`UPDATE organizations SET code = 'S1-renamed' WHERE code = 'S1'`)
	if _, err := report.Diff(f.ctx, f.st, got); !errors.Is(err, report.ErrNotRecomputable) {
		t.Fatalf("diff after the school's code changed: %v", err)
	}

	if _, _, err := report.Freeze(f.ctx, f.st, store.Actor{Name: "office"}, "monthly", report.Params{}, day("2025-06-15")); !errors.Is(err, report.ErrInvalid) {
		t.Fatalf("unknown kind: %v", err)
	}
}
