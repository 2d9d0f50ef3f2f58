package report_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"talentdb/internal/edition"
	"talentdb/internal/report"
	"talentdb/internal/store"
)

// cohortData is the hand-made dataset of the cohort tests: jingke-2023 runs 2023-03-01 …
// 2024-02-29 (a leap-day end), so its windows are 2024-03-01…2025-02-28, 2025-03-01…
// 2026-02-28, … Its cohort is P1, P2, P3.
func cohortData(t *testing.T) *fixture {
	f := setup(t)
	f.edition("jingke-2023", "", "")
	f.edition("jingke-2024", "", "") // no cohort at all
	s1, s2 := f.org("S1", "510104"), f.org("S2", "510703")

	p1, p2, p3 := f.person("张一", "female"), f.person("李二", "male"), f.person("王三", "male")
	p4, p5, p6 := f.person("赵四", "male"), f.person("钱五", "female"), f.person("孙六", "female")
	f.student(p1, "jingke-2023", s1, "robotics", "5", "completed")
	f.student(p2, "jingke-2023", s1, "math", "7", "admitted")
	f.student(p3, "jingke-2023", s2, "math", "V1", "completed")
	f.student(p4, "jingke-2023", s1, "math", "7", "withdrawn")  // not in the cohort
	f.student(p5, "jingke-2023", s1, "math", "7", "completed")  // merged: never counts
	f.student(p6, "jingke-2023", s2, "math", "7", "registered") // not in the cohort
	f.merge(p5, p1)
	f.consent(p3, "withdrawn") // aggregates count every person whatever the consent

	// awards
	f.award(p1, "provincial", "2024-02-29", "", false)     // ends_on: window 0
	f.award(p1, "municipal", "2024-02-01", "", false)      // window 0, same person
	f.award(p1, "school", "2024-03-01", "verified", false) // first day of window 1
	f.award(p2, "national", "2024-03-01", "", false)       // window 1, provincial+
	f.award(p2, "municipal", "2023-02-28", "", false)      // before starts_on: nowhere
	f.award(p3, "international", "2025-06-15", "", false)  // on as_of: counted
	f.award(p3, "provincial", "2025-06-16", "", false)     // after as_of: not counted
	f.award(p3, "provincial", "2024-05-01", "rejected", false)
	f.award(p1, "national", "2025-03-01", "", true) // deleted
	f.award(p4, "provincial", "2024-01-01", "", false)
	f.award(p5, "provincial", "2023-06-01", "", false)

	// follow-ups
	f.followUp(p1, "2024-02-29", "reached", false) // window 0
	f.followUp(p1, "2024-03-01", "reached", false) // window 1
	f.followUp(p1, "2024-12-01", "reached", false) // window 1 again: one person
	f.followUp(p3, "2025-02-28", "reached", false) // last day of window 1
	f.followUp(p2, "2024-06-01", "unreachable", false)
	f.followUp(p2, "2024-07-01", "reached", true) // deleted
	f.followUp(p2, "2025-04-01", "declined", false)
	f.followUp(p3, "2025-03-01", "reached", false) // first day of window 2
	f.followUp(p3, "2025-06-16", "reached", false) // after as_of
	f.followUp(p4, "2024-06-01", "reached", false)

	// destinations
	f.destination(p1, "junior_high", "2023-09-01", false)
	f.destination(p2, "junior_high", "2023-09-01", false)
	f.destination(p1, "yingcai", "2024-09-01", false)
	f.destination(p3, "senior_high", "2025-02-28", false)
	f.destination(p2, "yingcai", "2025-06-15", false) // on as_of
	f.destination(p1, "yingcai", "2025-04-01", false) // a second yingcai record of P1
	f.destination(p3, "yingcai", "2025-06-16", false) // after as_of
	f.destination(p3, "university", "2025-04-01", true)
	f.destination(p4, "yingcai", "2024-09-01", false)
	f.destination(p5, "yingcai", "2024-09-01", false)
	return f
}

func TestCohort(t *testing.T) {
	t.Parallel()
	f := cohortData(t)
	w0 := `{"k":0,"from":"2023-03-01","to":"2024-02-29","partial":false,"contacted":1,"awarded":1,
		"awarded_provincial_plus":1,"cumulative_provincial_plus":1,"yingcai_cumulative":0,
		"destinations":{"junior_high":2}}`
	w1 := `{"k":1,"from":"2024-03-01","to":"2025-02-28","partial":false,"contacted":2,"awarded":2,
		"awarded_provincial_plus":1,"cumulative_provincial_plus":2,"yingcai_cumulative":1,
		"destinations":{"senior_high":1,"yingcai":1}}`
	cases := []struct {
		name, asOf, want string
	}{
		{"three windows, the last partial up to as_of", "2025-06-15",
			`{"edition":"jingke-2023","as_of":"2025-06-15","cohort_size":3,"windows":[` + w0 + `,` + w1 + `,
			{"k":2,"from":"2025-03-01","to":"2026-02-28","partial":true,"contacted":1,"awarded":1,
			 "awarded_provincial_plus":1,"cumulative_provincial_plus":3,"yingcai_cumulative":2,
			 "destinations":{"yingcai":2}}]}`},
		{"as_of before the edition starts", "2023-02-28",
			`{"edition":"jingke-2023","as_of":"2023-02-28","cohort_size":3,"windows":[]}`},
		{"as_of on the edition's first day", "2023-03-01",
			`{"edition":"jingke-2023","as_of":"2023-03-01","cohort_size":3,"windows":[
			{"k":0,"from":"2023-03-01","to":"2024-02-29","partial":true,"contacted":0,"awarded":0,
			 "awarded_provincial_plus":0,"cumulative_provincial_plus":0,"yingcai_cumulative":0,"destinations":{}}]}`},
		{"as_of on the leap-day end: window 0 partial", "2024-02-29",
			`{"edition":"jingke-2023","as_of":"2024-02-29","cohort_size":3,"windows":[` +
				replacePartial(w0) + `]}`},
		{"as_of on the last day of window 1", "2025-02-28",
			`{"edition":"jingke-2023","as_of":"2025-02-28","cohort_size":3,"windows":[` + w0 + `,` +
				replacePartial(w1) + `]}`},
		{"as_of on the first day of window 2", "2025-03-01",
			`{"edition":"jingke-2023","as_of":"2025-03-01","cohort_size":3,"windows":[` + w0 + `,` + w1 + `,
			{"k":2,"from":"2025-03-01","to":"2026-02-28","partial":true,"contacted":1,"awarded":0,
			 "awarded_provincial_plus":0,"cumulative_provincial_plus":2,"yingcai_cumulative":1,"destinations":{}}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := report.Cohort(f.ctx, f.st, "jingke-2023", day(c.asOf))
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, got, c.want)
		})
	}
}

// replacePartial turns a full window's JSON into the same window ending on as_of.
func replacePartial(w string) string {
	return strings.Replace(w, `"partial":false`, `"partial":true`, 1)
}

func TestCohortEmptyCohortAndUnknownEdition(t *testing.T) {
	t.Parallel()
	f := cohortData(t)
	got, err := report.Cohort(f.ctx, f.st, "jingke-2024", day("2025-06-15"))
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, got, `{"edition":"jingke-2024","as_of":"2025-06-15","cohort_size":0,"windows":[
		{"k":0,"from":"2024-03-01","to":"2025-02-28","partial":false,"contacted":0,"awarded":0,
		 "awarded_provincial_plus":0,"cumulative_provincial_plus":0,"yingcai_cumulative":0,"destinations":{}},
		{"k":1,"from":"2025-03-01","to":"2026-02-28","partial":true,"contacted":0,"awarded":0,
		 "awarded_provincial_plus":0,"cumulative_provincial_plus":0,"yingcai_cumulative":0,"destinations":{}}]}`)

	_, err = report.Cohort(f.ctx, f.st, "jingke-2031", day("2025-06-15"))
	if !errors.Is(err, report.ErrUnknownEdition) || !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown edition: got %v", err)
	}
}

// The SQL windows are PostgreSQL's date + interval arithmetic; edition.WindowK is the Go
// twin. Both must agree on every window, leap years included.
func TestCohortWindowsMatchEditionWindowK(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.edition("jingke-2023", "", "")                        // ends 2024-02-29
	f.edition("jingke-2024", "", "")                        // ends 2025-02-28
	f.edition("jindaoshi-2023", "2023-01-31", "2023-12-31") // custom dates
	for _, id := range []string{"jingke-2023", "jingke-2024", "jindaoshi-2023"} {
		e, err := f.st.EditionGet(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		asOf := day("2033-03-01")
		got, err := report.Cohort(f.ctx, f.st, id, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Windows) < 9 {
			t.Fatalf("%s: %d windows", id, len(got.Windows))
		}
		for i, w := range got.Windows {
			want := edition.WindowK(e.StartsOn, e.EndsOn, i)
			if w.K != i || w.From != want.From.Format(time.DateOnly) || w.To != want.To.Format(time.DateOnly) {
				t.Errorf("%s window %d: got %d %s…%s, want %s…%s", id, i, w.K, w.From, w.To,
					want.From.Format(time.DateOnly), want.To.Format(time.DateOnly))
			}
			last := i == len(got.Windows)-1
			if w.Partial != last {
				t.Errorf("%s window %d: partial %v", id, i, w.Partial)
			}
			if last && (asOf.Before(want.From) || asOf.After(want.To)) {
				t.Errorf("%s: last window %s…%s does not contain as_of", id, w.From, w.To)
			}
		}
	}
	// the leap-day end, spelled out
	got, err := report.Cohort(f.ctx, f.st, "jingke-2023", day("2028-02-29"))
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"2023-03-01", "2024-02-29"}, {"2024-03-01", "2025-02-28"}, {"2025-03-01", "2026-02-28"},
		{"2026-03-01", "2027-02-28"}, {"2027-03-01", "2028-02-29"}}
	if len(got.Windows) != len(want) {
		t.Fatalf("got %d windows, want %d", len(got.Windows), len(want))
	}
	for i, w := range want {
		if got.Windows[i].From != w[0] || got.Windows[i].To != w[1] {
			t.Errorf("window %d: got %s…%s, want %s…%s", i, got.Windows[i].From, got.Windows[i].To, w[0], w[1])
		}
	}
	if !got.Windows[4].Partial {
		t.Error("window 4 ends on as_of and must still be partial")
	}
	// an edition ending on 2025-02-28: window 4 starts on the leap day 2028-02-29
	got, err = report.Cohort(f.ctx, f.st, "jingke-2024", day("2028-02-29"))
	if err != nil {
		t.Fatal(err)
	}
	last := got.Windows[len(got.Windows)-1]
	if last.K != 4 || last.From != "2028-02-29" || last.To != "2029-02-28" {
		t.Errorf("jingke-2024 on 2028-02-29: last window %+v", last)
	}
}
