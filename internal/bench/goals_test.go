package bench

import (
	"strings"
	"testing"
)

// TestCheckGoals: each target reads its own row (at 64 clients where it says so), the
// ratios divide the right rows, a row with errors never meets its goal, and a national
// data set is held to the national targets.
func TestCheckGoals(t *testing.T) {
	r := &Result{Dataset: Dataset{Scale: "province"}, PeakRSSMB: 250, Rows: []Row{
		{Name: PersonRead, Via: "http", Clients: 64, PerSec: 700},
		{Name: YardstickAuditedRead, Via: "pgx", Clients: 64, PerSec: 1000},
		{Name: "person timeline GET /persons/{id}/timeline", Via: "http", Clients: 16, P99ms: 5},
		{Name: "person timeline GET /persons/{id}/timeline", Via: "http", Clients: 64, P99ms: 25},
		{Name: "due list of a school GET /follow-ups/due", Via: "http", Clients: 64, P50ms: 40, Errors: 1},
		{Name: "cohort report jingke-2023", Via: "http", Clients: 1, P50ms: 90},
		{Name: "annual report 2025", Via: "http", Clients: 1, P50ms: 400},
		{Name: "plain COPY of the same rows into persons", Via: "pgx", PerSec: 100_000, Unit: "rows/s"},
		{Name: "import persons CSV (talentdb import)", Via: "in-process", PerSec: 55_000, Unit: "rows/s"},
	}}
	var got []string
	for _, g := range r.CheckGoals() {
		got = append(got, g.What+" "+g.Measured+" "+map[bool]string{true: "met", false: "not met"}[g.Met])
	}
	want := []string{
		"person read HTTP ÷ read + audit in pgx, 64 clients 0.70 met",
		"person timeline, 64 clients 25.0 ms not met",
		"due list of a school, 64 clients 40.0 ms not met",
		"cohort report 90.0 ms met",
		"annual report 400.0 ms not met",
		"import ÷ plain COPY into persons 0.55 met",
		"peak RSS of the process serving the load 250 MB not met",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("goals:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r.Dataset.Scale = "national"
	read := false
	for _, g := range r.CheckGoals() {
		if g.What == "annual report" && (g.Target != "p50 ≤ 2000 ms" || !g.Met) {
			t.Errorf("national annual report: %+v", g)
		}
		read = read || (g.What == "person read HTTP ÷ read + audit in pgx, 64 clients" && g.Met)
	}
	if !read {
		t.Error("national goals lack the read at 64 clients")
	}
}
