package report_test

import (
	"errors"
	"testing"

	"talentdb/internal/report"
	"talentdb/internal/store"
)

// The cuts of cohortData (jingke-2023 on 2025-06-15): its cohort is P1 (S1, robotics),
// P2 (S1, math) and P3 (S2 in 510703, math); see TestCohort for the whole cohort.
func TestCohortCuts(t *testing.T) {
	t.Parallel()
	f := cohortData(t)
	zero := `"contacted":0,"awarded":0,"awarded_provincial_plus":0,"cumulative_provincial_plus":0,"yingcai_cumulative":0`
	cases := []struct {
		name string
		cut  report.Cut
		want string
	}{
		{"school S1: P1 and P2", report.Cut{School: "S1"},
			`{"edition":"jingke-2023","as_of":"2025-06-15","cohort_size":2,"cut":{"school":"S1"},"windows":[
			{"k":0,"from":"2023-03-01","to":"2024-02-29","partial":false,"contacted":1,"awarded":1,
			 "awarded_provincial_plus":1,"cumulative_provincial_plus":1,"yingcai_cumulative":0,"destinations":{"junior_high":2}},
			{"k":1,"from":"2024-03-01","to":"2025-02-28","partial":false,"contacted":1,"awarded":2,
			 "awarded_provincial_plus":1,"cumulative_provincial_plus":2,"yingcai_cumulative":1,"destinations":{"yingcai":1}},
			{"k":2,"from":"2025-03-01","to":"2026-02-28","partial":true,"contacted":0,"awarded":0,
			 "awarded_provincial_plus":0,"cumulative_provincial_plus":2,"yingcai_cumulative":2,"destinations":{"yingcai":2}}]}`},
		{"a county code selects its city: P3", report.Cut{Region: "510703"},
			`{"edition":"jingke-2023","as_of":"2025-06-15","cohort_size":1,"cut":{"region":"510703"},"windows":[
			{"k":0,"from":"2023-03-01","to":"2024-02-29","partial":false,` + zero + `,"destinations":{}},
			{"k":1,"from":"2024-03-01","to":"2025-02-28","partial":false,"contacted":1,"awarded":0,
			 "awarded_provincial_plus":0,"cumulative_provincial_plus":0,"yingcai_cumulative":0,"destinations":{"senior_high":1}},
			{"k":2,"from":"2025-03-01","to":"2026-02-28","partial":true,"contacted":1,"awarded":1,
			 "awarded_provincial_plus":1,"cumulative_provincial_plus":1,"yingcai_cumulative":0,"destinations":{}}]}`},
		{"school and category together: P2", report.Cut{School: "S1", Category: "math"},
			`{"edition":"jingke-2023","as_of":"2025-06-15","cohort_size":1,"cut":{"school":"S1","category":"math"},"windows":[
			{"k":0,"from":"2023-03-01","to":"2024-02-29","partial":false,` + zero + `,"destinations":{"junior_high":1}},
			{"k":1,"from":"2024-03-01","to":"2025-02-28","partial":false,"contacted":0,"awarded":1,
			 "awarded_provincial_plus":1,"cumulative_provincial_plus":1,"yingcai_cumulative":0,"destinations":{}},
			{"k":2,"from":"2025-03-01","to":"2026-02-28","partial":true,"contacted":0,"awarded":0,
			 "awarded_provincial_plus":0,"cumulative_provincial_plus":1,"yingcai_cumulative":1,"destinations":{"yingcai":1}}]}`},
		{"a city with no cohort member", report.Cut{Region: "511000"},
			`{"edition":"jingke-2023","as_of":"2023-06-01","cohort_size":0,"cut":{"region":"511000"},"windows":[
			{"k":0,"from":"2023-03-01","to":"2024-02-29","partial":true,` + zero + `,"destinations":{}}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			asOf := "2025-06-15"
			if c.cut.Region == "511000" {
				asOf = "2023-06-01"
			}
			got, err := report.CohortWithCut(f.ctx, f.st, "jingke-2023", day(asOf), c.cut)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, got, c.want)
		})
	}
}

func TestCutErrors(t *testing.T) {
	t.Parallel()
	f := cohortData(t)
	cases := []struct {
		name  string
		cut   report.Cut
		param string
		is    error
	}{
		{"unknown school", report.Cut{School: "NOPE"}, "school", report.ErrUnknownSchool},
		{"region not six digits", report.Cut{Region: "51"}, "region", report.ErrInvalid},
		{"region of no known city", report.Cut{Region: "519901"}, "region", report.ErrUnknownRegion},
		{"a province code is no city", report.Cut{Region: "510000"}, "region", report.ErrUnknownRegion},
		{"unknown category", report.Cut{Category: "alchemy"}, "category", report.ErrUnknownCategory},
		{"program cannot cut a cohort", report.Cut{Program: "jingke"}, "program", report.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := report.CohortWithCut(f.ctx, f.st, "jingke-2023", day("2025-06-15"), c.cut)
			var pe *report.ParamError
			if !errors.As(err, &pe) || pe.Param != c.param || !errors.Is(err, c.is) {
				t.Fatalf("got %v, want a %s error on %s", err, c.is, c.param)
			}
			if c.is != report.ErrInvalid && !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%v should match store.ErrNotFound", err)
			}
		})
	}
	_, err := report.AnnualWithCut(f.ctx, f.st, 2024, day("2025-06-15"), report.Cut{Program: "both"})
	if !errors.Is(err, report.ErrInvalid) {
		t.Fatalf("bad program: %v", err)
	}
}

// The cuts of annualData (2024 on 2024-12-31); see TestAnnual for the whole province.
func TestAnnualCuts(t *testing.T) {
	t.Parallel()
	f := annualData(t)
	empty := `{"by_status":{},"by_region":{},"by_category":{},"by_grade_band":{},"by_gender":{}}`
	cases := []struct {
		name string
		cut  report.Cut
		want string
	}{
		// S1's participants A, C, D, E, H and T1; the records of persons ever admitted or
		// completed at S1 (A, D, E, T1, U1, U2, U3, U4, U6, U7, U8): not B's school award
		// nor B's senior_high; the alumni placed in 510100 (U2, U4, U7, U8)
		{"region", report.Cut{Region: "510100"}, `{"year":2024,"as_of":"2024-12-31","cut":{"region":"510100"},
			"participants":{
			 "jingke":{"by_status":{"completed":2,"withdrawn":1,"admitted":1,"registered":1},"by_region":{"510100":3},
			   "by_category":{"robotics":2,"math":1},"by_grade_band":{"primary":1,"preschool":1},"by_gender":{"female":2,"male":1}},
			 "jindaoshi":{"by_status":{"completed":1},"by_region":{"510100":1},"by_category":{"research":1},
			   "by_grade_band":{"teacher":1},"by_gender":{"male":1}}},
			"awards":{"by_level":{"provincial":2,"national":1}},
			"destinations":{"by_type":{"junior_high":1,"senior_high":1}},
			"career_moves":{"by_reason":{"promotion":1,"transfer":1}},
			"follow_up_coverage":{"alumni":4,"contacted":1,"rate":0.25,
			  "by_region":{"510100":{"alumni":4,"contacted":1,"rate":0.25}}}}`},
		// jindaoshi only: T1, T2; the records of T1, U7, U8; the alumni placed by a
		// jindaoshi participation (U7 — U8's placing participation is jingke-2023)
		{"program", report.Cut{Program: "jindaoshi"}, `{"year":2024,"as_of":"2024-12-31","cut":{"program":"jindaoshi"},
			"participants":{"jingke":` + empty + `,
			 "jindaoshi":{"by_status":{"completed":1,"rejected":1},"by_region":{"510100":1},"by_category":{"research":1},
			   "by_grade_band":{"teacher":1},"by_gender":{"male":1}}},
			"awards":{"by_level":{"national":1}},"destinations":{"by_type":{}},
			"career_moves":{"by_reason":{"promotion":1,"transfer":1}},
			"follow_up_coverage":{"alumni":1,"contacted":0,"rate":0,
			  "by_region":{"510100":{"alumni":1,"contacted":0,"rate":0}}}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := report.AnnualWithCut(f.ctx, f.st, 2024, day("2024-12-31"), c.cut)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, got, c.want)
		})
	}
}
