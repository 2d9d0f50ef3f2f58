package report_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"talentdb/internal/report"
)

// jsonPart encodes v and returns the value at the given keys, decoded.
func jsonPart(t *testing.T, v any, keys ...string) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		m, ok := x.(map[string]any)
		if !ok {
			t.Fatalf("no object at %s", k)
		}
		x = m[k]
	}
	return x
}

// samePart fails unless the part of got at keys equals the JSON want.
func samePart(t *testing.T, got any, want string, keys ...string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON %s: %v", want, err)
	}
	if g := jsonPart(t, got, keys...); !reflect.DeepEqual(g, w) {
		gb, _ := json.Marshal(g)
		t.Errorf("%v:\n got %s\nwant %s", keys, gb, want)
	}
}

func TestPublishAnnual(t *testing.T) {
	t.Parallel()
	empty := report.ProgramFigures{ByStatus: report.Counts{}, ByRegion: report.Counts{}, ByCategory: report.Counts{},
		ByGradeBand: report.Counts{}, ByGender: report.Counts{}}
	r := report.AnnualReport{Year: 2024, AsOf: "2024-12-31",
		Participants: report.Participants{
			Jingke: report.ProgramFigures{
				ByStatus:    report.Counts{"completed": 40, "admitted": 3, "withdrawn": 12},
				ByRegion:    report.Counts{"510100": 30, "510700": 13},
				ByCategory:  report.Counts{"robotics": 43},
				ByGradeBand: report.Counts{"primary": 41, "junior": 2},
				ByGender:    report.Counts{"female": 3, "male": 40}},
			Jindaoshi: empty},
		Awards:       report.AwardFigures{ByLevel: report.Counts{"provincial": 9, "national": 1}},
		Destinations: report.DestinationFigures{ByType: report.Counts{}},
		CareerMoves:  report.CareerMoveFigures{ByReason: report.Counts{"promotion": 5}},
		FollowUpCoverage: report.Coverage{Alumni: 50, Contacted: 20, Rate: 0.4,
			ByRegion: map[string]report.RegionCoverage{
				"510100": {Alumni: 42, Contacted: 18, Rate: 18.0 / 42},
				"510700": {Alumni: 8, Contacted: 2, Rate: 0.25}}}}
	r.Publish()

	// 3 women of 43 would be 43 - 40: the 40 men are hidden too
	samePart(t, r, `{"by_status":{"admitted":"<5","completed":40,"withdrawn":"*"},"by_region":{"510100":30,"510700":13},
		"by_category":{"robotics":43},"by_grade_band":{"junior":"<5","primary":"*"},"by_gender":{"female":"<5","male":"*"}}`,
		"participants", "jingke")
	samePart(t, r, `{"by_level":{"national":"<5","provincial":"*"}}`, "awards")
	samePart(t, r, `{"by_reason":{"promotion":5}}`, "career_moves")
	// 510700's 2 contacted would be 20 - 18: 510100's are hidden, and so are both rates
	samePart(t, r, `{"alumni":50,"contacted":20,"rate":0.4,"by_region":{
		"510100":{"alumni":42,"contacted":"*","rate":null},"510700":{"alumni":8,"contacted":"<5","rate":null}}}`,
		"follow_up_coverage")
	p := r.Publication
	if p == nil || p.SmallCells != 5 || p.HiddenCells != 5 || p.MinCount != 5 || p.MinDenominator != 10 {
		t.Fatalf("publication %+v", p)
	}
	wantRates := []report.WithheldRate{{Path: "follow_up_coverage.by_region.510100.rate", Reason: "numerator_withheld"},
		{Path: "follow_up_coverage.by_region.510700.rate", Reason: "denominator_under_10"}}
	if !reflect.DeepEqual(p.WithheldRates, wantRates) {
		t.Errorf("withheld rates %v, want %v", p.WithheldRates, wantRates)
	}
	// the shape is the contract's plus "publication"
	keys := jsonPart(t, r).(map[string]any)
	for _, k := range []string{"year", "as_of", "participants", "awards", "destinations", "career_moves", "follow_up_coverage", "publication"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("key %s missing", k)
		}
	}
	if len(keys) != 8 {
		t.Errorf("%d keys, want 8", len(keys))
	}
}

// TestPublishLeague is the two-way case on a real report: school A's 3 due are small, so
// A's contacted hide; that leaves the contacted column of 510100 with one hidden count,
// so B's contacted hide, then B's line (contacted + due = scheduled) hides B's due.
func TestPublishLeague(t *testing.T) {
	t.Parallel()
	line := func(city, school string, alumni, sched, contacted, due, overdue report.Count) report.LeagueLine {
		return report.LeagueLine{CityCode: city, SchoolCode: school, Alumni: alumni, Scheduled: sched,
			Contacted: contacted, Due: due, Overdue: overdue, Rate: report.Ratio(float64(contacted) / float64(sched))}
	}
	r := report.LeagueReport{AsOf: "2025-06-30",
		Total:   line("", "", 60, 50, 30, 20, 5),
		Cities:  []report.LeagueLine{line("510100", "", 35, 30, 20, 10, 3), line("510700", "", 25, 20, 10, 10, 2)},
		Schools: []report.LeagueLine{line("510100", "A", 20, 18, 15, 3, 0), line("510100", "B", 15, 12, 5, 7, 3), line("510700", "D", 25, 20, 10, 10, 2)}}
	r.Publish()
	samePart(t, r, `[
		{"city_code":"510100","school_code":"A","alumni":20,"opted_out":0,"scheduled":18,"contacted":"*","due":"<5","overdue":0,"rate":null},
		{"city_code":"510100","school_code":"B","alumni":15,"opted_out":0,"scheduled":12,"contacted":"*","due":"*","overdue":"<5","rate":null},
		{"city_code":"510700","school_code":"D","alumni":25,"opted_out":0,"scheduled":20,"contacted":10,"due":10,"overdue":"<5","rate":0.5}]`,
		"schools")
	samePart(t, r, `[
		{"city_code":"510100","alumni":35,"opted_out":0,"scheduled":30,"contacted":20,"due":10,"overdue":"<5","rate":0.6666666666666666},
		{"city_code":"510700","alumni":25,"opted_out":0,"scheduled":20,"contacted":10,"due":10,"overdue":"<5","rate":0.5}]`,
		"cities")
	samePart(t, r, `{"alumni":60,"opted_out":0,"scheduled":50,"contacted":30,"due":20,"overdue":5,"rate":0.6}`, "total")
}

// TestPublishComputed publishes a computed report: a cohort of 3 shows as "<5", so
// do its small window figures; the shares would give them back and are withheld.
func TestPublishComputed(t *testing.T) {
	t.Parallel()
	f := cohortData(t)
	c, err := report.Cohort(f.ctx, f.st, "jingke-2023", day("2024-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	c.Publish()
	sameJSON(t, c, `{"edition":"jingke-2023","as_of":"2024-03-01","cohort_size":"<5","windows":[
		{"k":0,"from":"2023-03-01","to":"2024-02-29","partial":false,"contacted":"<5","awarded":"<5",
		 "awarded_provincial_plus":"<5","cumulative_provincial_plus":"<5","yingcai_cumulative":0,"destinations":{"junior_high":"<5"}},
		{"k":1,"from":"2024-03-01","to":"2025-02-28","partial":true,"contacted":"<5","awarded":"<5",
		 "awarded_provincial_plus":"<5","cumulative_provincial_plus":"<5","yingcai_cumulative":0,"destinations":{}}],
		"publication":`+string(mustJSON(t, c.Publication))+`}`)
	if c.Publication.SmallCells != 10 || c.Publication.HiddenCells != 0 {
		t.Errorf("publication %+v", c.Publication)
	}

	cmp, err := report.CohortComparison(f.ctx, f.st, []string{"jingke-2023"}, day("2024-03-01"), report.Cut{})
	if err != nil {
		t.Fatal(err)
	}
	cmp.Publish()
	samePart(t, cmp.Windows[0].ByEdition[0].Shares, `{"contacted":null,"awarded":null,"awarded_provincial_plus":null,
		"cumulative_provincial_plus":null,"yingcai_cumulative":null}`)
	if n := len(cmp.Publication.WithheldRates); n != 10 {
		t.Errorf("%d withheld shares, want 10 (a cohort of 3)", n)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
