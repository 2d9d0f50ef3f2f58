package report_test

import (
	"errors"
	"testing"

	"talentdb/internal/report"
)

// careerMove records a career move at an organization of the database (org 0: named
// only), with an explicit end ("" for none).
func (f *fixture) careerMove(person, org int64, position, title, start, end, reason string) {
	f.t.Helper()
	null := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	var orgID *int64
	if org != 0 {
		orgID = &org
	}
	var endOn any
	if end != "" {
		endOn = day(end)
	}
	f.exec(`INSERT INTO career_moves (person_id, org_id, org_name, position, title, started_on, ended_on, reason)
		VALUES ($1, $2, CASE WHEN $2::bigint IS NULL THEN '某单位' END, $3, $4, $5, $6, $7)`,
		person, orgID, position, null(title), day(start), endOn, null(reason))
}

// analyticsData is the hand-made dataset of the analytics tests, read on 2025-06-30.
// Schools: S1 (510104) and S3 (510105) in 510100, S2 (510703) in 510700. Editions
// (default dates): jingke-2021, -2022, -2024, -2026 (not started on as_of), jindaoshi-2021,
// -2022.
func analyticsData(t *testing.T) *fixture {
	f := setup(t)
	for _, e := range []string{"jingke-2021", "jingke-2022", "jingke-2024", "jingke-2026", "jindaoshi-2021", "jindaoshi-2022"} {
		f.edition(e, "", "")
	}
	s1, s2, s3 := f.org("S1", "510104"), f.org("S2", "510703"), f.org("S3", "510105")
	p := func(name, gender string) int64 { return f.person(name, gender) }

	// jingke-2021: cohort A, B, C, I (D withdrew; M is merged)
	a, b, c, d, m := p("A", "female"), p("B", "male"), p("C", "female"), p("D", "male"), p("M", "male")
	f.student(a, "jingke-2021", s1, "robotics", "5", "completed")
	f.student(b, "jingke-2021", s1, "robotics", "5", "admitted")
	f.student(c, "jingke-2021", s2, "math", "7", "completed")
	f.student(d, "jingke-2021", s1, "math", "7", "withdrawn")
	f.student(m, "jingke-2021", s1, "math", "7", "completed")
	f.merge(m, a)
	// jingke-2022: cohort E, F, G, I; jingke-2024: H
	e, ff, g, h, i := p("E", "male"), p("F", "female"), p("G", "male"), p("H", "female"), p("I", "male")
	f.student(e, "jingke-2022", s1, "math", "8", "completed")
	f.student(ff, "jingke-2022", s2, "math", "8", "completed")
	f.student(g, "jingke-2022", s1, "math", "8", "completed")
	f.student(i, "jingke-2021", s3, "physics", "6", "admitted")
	f.student(i, "jingke-2022", s3, "math", "7", "completed")
	f.student(h, "jingke-2024", s1, "ai", "9", "completed")
	// jindaoshi-2021: cohort T1, T2, T3 (T4 withdrew); jindaoshi-2022: T5
	t1, t2, t3, t4, t5 := p("T1", "male"), p("T2", "female"), p("T3", "male"), p("T4", "female"), p("T5", "female")
	f.teacher(t1, "jindaoshi-2021", s1, "research", "completed")
	f.teacher(t2, "jindaoshi-2021", s2, "research", "completed")
	f.teacher(t3, "jindaoshi-2021", s1, "research", "admitted")
	f.teacher(t4, "jindaoshi-2021", s1, "research", "withdrawn")
	f.teacher(t5, "jindaoshi-2022", s2, "paper", "completed")

	// destinations (the pipeline)
	f.destination(a, "yingcai", "2024-09-01", false)
	f.destination(a, "yingcai", "2024-10-01", false) // a second record: one person
	f.destination(a, "talent_program", "2023-09-01", false)
	f.destination(b, "yingcai", "2025-03-01", false)        // after ends_on + 3 years
	f.destination(b, "talent_program", "2023-09-01", true)  // deleted
	f.destination(c, "talent_program", "2021-02-28", false) // before starts_on
	f.destination(c, "talent_program", "2025-02-28", false) // on ends_on + 3 years
	f.destination(d, "yingcai", "2023-09-01", false)        // not in the cohort
	f.destination(m, "yingcai", "2023-09-01", false)        // merged
	f.destination(e, "yingcai", "2025-06-30", false)        // on as_of
	f.destination(ff, "yingcai", "2025-07-01", false)       // after as_of

	// follow-ups (the league): windows on 2025-06-30 — jingke-2021 k=4, jingke-2022 k=3,
	// jingke-2024 k=1, all from 2025-03-01 to 2026-02-28
	f.followUp(a, "2025-04-01", "reached", false)     // met
	f.followUp(c, "2024-05-01", "declined", false)    // previous window met: due only
	f.followUp(ff, "2025-03-01", "reached", false)    // met on the window's first day
	f.followUp(g, "2024-01-01", "opted_out", false)   // opted out
	f.followUp(h, "2025-04-01", "unreachable", false) // does not meet: due, k=1
	f.followUp(i, "2025-06-01", "reached", false)     // met
	f.followUp(t1, "2025-05-01", "reached", false)    // met
	f.followUp(t5, "2025-04-02", "reached", false)    // met
	f.followUp(m, "2025-04-01", "reached", false)     // merged: nowhere
	// E, T2: nothing for two windows: due and overdue

	// career moves (the trajectories); jindaoshi-2021 ends 2022-02-28, cutoff 2025-02-28
	f.careerMove(t1, s1, "teacher", "level1", "2020-09-01", "2023-09-01", "")
	f.careerMove(t1, s1, "teacher", "senior", "2023-09-01", "", "") // a higher title: promoted
	f.careerMove(t2, s2, "teacher", "senior", "2019-09-01", "2024-03-01", "")
	f.careerMove(t2, s1, "teacher", "senior", "2024-03-01", "2025-01-01", "transfer") // to 510100: moved city
	f.careerMove(t2, 0, "left_education", "", "2025-01-01", "", "left")               // out on the cutoff
	f.careerMove(t3, 0, "admin", "", "2024-06-01", "", "promotion")                   // promoted, city unknown
	f.careerMove(t4, s2, "teacher", "", "2023-06-01", "", "promotion")                // not in the cohort
	// jindaoshi-2022 ends 2023-02-28, cutoff as_of 2025-06-30
	f.careerMove(t5, s2, "teacher", "level2", "2021-09-01", "2024-09-01", "")
	f.careerMove(t5, s2, "teacher", "level1", "2024-09-01", "", "new_role") // higher title, same city

	// awards (the trajectories and the series)
	f.award(a, "provincial", "2021-06-01", "", false) // robotics
	f.award(a, "national", "2021-01-15", "", false)   // before any participation: the earliest, robotics
	f.award(a, "school", "2025-07-01", "", false)     // after as_of
	f.award(a, "county", "2024-02-02", "", true)      // deleted
	f.award(i, "municipal", "2022-01-10", "", false)  // jingke-2021 started: physics
	f.award(i, "school", "2022-05-01", "", false)     // jingke-2022 started: math
	f.award(t1, "provincial", "2023-05-01", "", false)
	f.award(t2, "municipal", "2022-01-01", "", false) // before ends_on: not after the program
	f.award(t2, "school", "2025-03-01", "", false)    // after the cutoff
	f.award(t5, "national", "2025-06-30", "", false)
	f.award(t5, "national", "2024-01-01", "rejected", false)
	f.award(d, "county", "2023-01-01", "", false) // never admitted: not in the series
	f.award(m, "county", "2023-01-01", "", false) // merged
	return f
}

func TestCohortComparison(t *testing.T) {
	t.Parallel()
	f := cohortData(t)
	// editions in the order asked; jingke-2024 has no cohort and reaches window 1 only
	got, err := report.CohortComparison(f.ctx, f.st, []string{"jingke-2024", " jingke-2023"}, day("2025-06-15"), report.Cut{})
	if err != nil {
		t.Fatal(err)
	}
	zero := `"contacted":0,"awarded":0,"awarded_provincial_plus":0,"cumulative_provincial_plus":0,"yingcai_cumulative":0,"destinations":{},
		"shares":{"contacted":0,"awarded":0,"awarded_provincial_plus":0,"cumulative_provincial_plus":0,"yingcai_cumulative":0}`
	third, twoThirds := "0.3333333333333333", "0.6666666666666666"
	sameJSON(t, got, `{"as_of":"2025-06-15",
		"editions":[{"edition":"jingke-2024","cohort_size":0},{"edition":"jingke-2023","cohort_size":3}],
		"windows":[
		 {"k":0,"by_edition":[
		  {"edition":"jingke-2024","k":0,"from":"2024-03-01","to":"2025-02-28","partial":false,`+zero+`},
		  {"edition":"jingke-2023","k":0,"from":"2023-03-01","to":"2024-02-29","partial":false,"contacted":1,"awarded":1,
		   "awarded_provincial_plus":1,"cumulative_provincial_plus":1,"yingcai_cumulative":0,"destinations":{"junior_high":2},
		   "shares":{"contacted":`+third+`,"awarded":`+third+`,"awarded_provincial_plus":`+third+`,
		     "cumulative_provincial_plus":`+third+`,"yingcai_cumulative":0}}]},
		 {"k":1,"by_edition":[
		  {"edition":"jingke-2024","k":1,"from":"2025-03-01","to":"2026-02-28","partial":true,`+zero+`},
		  {"edition":"jingke-2023","k":1,"from":"2024-03-01","to":"2025-02-28","partial":false,"contacted":2,"awarded":2,
		   "awarded_provincial_plus":1,"cumulative_provincial_plus":2,"yingcai_cumulative":1,"destinations":{"senior_high":1,"yingcai":1},
		   "shares":{"contacted":`+twoThirds+`,"awarded":`+twoThirds+`,"awarded_provincial_plus":`+third+`,
		     "cumulative_provincial_plus":`+twoThirds+`,"yingcai_cumulative":`+third+`}}]},
		 {"k":2,"by_edition":[
		  {"edition":"jingke-2023","k":2,"from":"2025-03-01","to":"2026-02-28","partial":true,"contacted":1,"awarded":1,
		   "awarded_provincial_plus":1,"cumulative_provincial_plus":3,"yingcai_cumulative":2,"destinations":{"yingcai":2},
		   "shares":{"contacted":`+third+`,"awarded":`+third+`,"awarded_provincial_plus":`+third+`,
		     "cumulative_provincial_plus":1,"yingcai_cumulative":`+twoThirds+`}}]}]}`)

	for _, c := range []struct {
		name string
		eds  []string
		is   error
	}{
		{"unknown edition", []string{"jingke-2023", "jingke-2030"}, report.ErrUnknownEdition},
		{"listed twice", []string{"jingke-2023", "jingke-2023"}, report.ErrInvalid},
		{"malformed", []string{"jk-2023"}, report.ErrInvalid},
		{"none", nil, report.ErrInvalid},
	} {
		_, err := report.CohortComparison(f.ctx, f.st, c.eds, day("2025-06-15"), report.Cut{})
		if !errors.Is(err, c.is) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.is)
		}
	}
}

func TestYingcaiPipeline(t *testing.T) {
	t.Parallel()
	f := analyticsData(t)
	cases := []struct {
		name, program string
		k             int
		want          string
	}{
		{"jingke within 3 years", "jingke", 3, `{"program":"jingke","within_years":3,"as_of":"2025-06-30","editions":[
			{"edition":"jingke-2021","starts_on":"2021-03-01","ends_on":"2022-02-28","until":"2025-02-28","complete":true,
			 "cohort_size":4,"yingcai":1,"talent_program":2,"yingcai_share":0.25,"talent_program_share":0.5},
			{"edition":"jingke-2022","starts_on":"2022-03-01","ends_on":"2023-02-28","until":"2026-02-28","complete":false,
			 "cohort_size":4,"yingcai":1,"talent_program":0,"yingcai_share":0.25,"talent_program_share":0},
			{"edition":"jingke-2024","starts_on":"2024-03-01","ends_on":"2025-02-28","until":"2028-02-28","complete":false,
			 "cohort_size":1,"yingcai":0,"talent_program":0,"yingcai_share":0,"talent_program_share":0}]}`},
		{"within 0 years: up to ends_on", "jingke", 0, `{"program":"jingke","within_years":0,"as_of":"2025-06-30","editions":[
			{"edition":"jingke-2021","starts_on":"2021-03-01","ends_on":"2022-02-28","until":"2022-02-28","complete":true,
			 "cohort_size":4,"yingcai":0,"talent_program":0,"yingcai_share":0,"talent_program_share":0},
			{"edition":"jingke-2022","starts_on":"2022-03-01","ends_on":"2023-02-28","until":"2023-02-28","complete":true,
			 "cohort_size":4,"yingcai":0,"talent_program":0,"yingcai_share":0,"talent_program_share":0},
			{"edition":"jingke-2024","starts_on":"2024-03-01","ends_on":"2025-02-28","until":"2025-02-28","complete":true,
			 "cohort_size":1,"yingcai":0,"talent_program":0,"yingcai_share":0,"talent_program_share":0}]}`},
		{"jindaoshi", "jindaoshi", 3, `{"program":"jindaoshi","within_years":3,"as_of":"2025-06-30","editions":[
			{"edition":"jindaoshi-2021","starts_on":"2021-03-01","ends_on":"2022-02-28","until":"2025-02-28","complete":true,
			 "cohort_size":3,"yingcai":0,"talent_program":0,"yingcai_share":0,"talent_program_share":0},
			{"edition":"jindaoshi-2022","starts_on":"2022-03-01","ends_on":"2023-02-28","until":"2026-02-28","complete":false,
			 "cohort_size":1,"yingcai":0,"talent_program":0,"yingcai_share":0,"talent_program_share":0}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := report.YingcaiPipeline(f.ctx, f.st, c.program, c.k, day("2025-06-30"))
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, got, c.want)
		})
	}
	if _, err := report.YingcaiPipeline(f.ctx, f.st, "jingke", 21, day("2025-06-30")); !errors.Is(err, report.ErrInvalid) {
		t.Errorf("within_years 21: %v", err)
	}
	if _, err := report.YingcaiPipeline(f.ctx, f.st, "yingcai", 3, day("2025-06-30")); !errors.Is(err, report.ErrInvalid) {
		t.Errorf("program yingcai: %v", err)
	}
}

func TestSchoolLeague(t *testing.T) {
	t.Parallel()
	f := analyticsData(t)
	// S1: A (met), E (due, overdue), G (opted out), H (due, k=1), T1 (met);
	// S3: I (met); S2: C (due, previous window met), F (met), T2 (due, overdue), T5 (met)
	s1 := `"alumni":5,"opted_out":1,"scheduled":4,"contacted":2,"due":2,"overdue":1,"rate":0.5`
	s2 := `"alumni":4,"opted_out":0,"scheduled":4,"contacted":2,"due":2,"overdue":1,"rate":0.5`
	s3 := `"alumni":1,"opted_out":0,"scheduled":1,"contacted":1,"due":0,"overdue":0,"rate":1`
	got, err := report.SchoolLeague(f.ctx, f.st, "", day("2025-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, got, `{"as_of":"2025-06-30",
		"total":{"alumni":10,"opted_out":1,"scheduled":9,"contacted":5,"due":4,"overdue":2,"rate":0.5555555555555556},
		"cities":[
		 {"city_code":"510100","city_name":"成都市","alumni":6,"opted_out":1,"scheduled":5,"contacted":3,"due":2,"overdue":1,"rate":0.6},
		 {"city_code":"510700","city_name":"绵阳市",`+s2+`}],
		"schools":[
		 {"city_code":"510100","city_name":"成都市","school_code":"S3","school_name":"S3学校",`+s3+`},
		 {"city_code":"510100","city_name":"成都市","school_code":"S1","school_name":"S1学校",`+s1+`},
		 {"city_code":"510700","city_name":"绵阳市","school_code":"S2","school_name":"S2学校",`+s2+`}]}`)

	got, err = report.SchoolLeague(f.ctx, f.st, "510703", day("2025-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, got, `{"as_of":"2025-06-30","region":"510703","total":{`+s2+`},
		"cities":[{"city_code":"510700","city_name":"绵阳市",`+s2+`}],
		"schools":[{"city_code":"510700","city_name":"绵阳市","school_code":"S2","school_name":"S2学校",`+s2+`}]}`)

	if _, err := report.SchoolLeague(f.ctx, f.st, "519901", day("2025-06-30")); !errors.Is(err, report.ErrUnknownRegion) {
		t.Errorf("unknown region: %v", err)
	}
}

func TestTeacherTrajectories(t *testing.T) {
	t.Parallel()
	f := analyticsData(t)
	got, err := report.TeacherTrajectories(f.ctx, f.st, 3, day("2025-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	third, twoThirds := "0.3333333333333333", "0.6666666666666666"
	// jindaoshi-2021 on 2025-02-28: T1 (title level1 → senior, award), T2 (moved to 510100,
	// then left education), T3 (promotion by reason, no moves before); jindaoshi-2022 on
	// as_of: T5 (level2 → level1, award on the cutoff)
	sameJSON(t, got, `{"within_years":3,"as_of":"2025-06-30","editions":[
		{"edition":"jindaoshi-2021","ends_on":"2022-02-28","cutoff":"2025-02-28","complete":true,"cohort_size":3,
		 "in_education":2,"promoted":2,"moved_city":1,"awarded":1,"awarded_provincial_plus":1,
		 "shares":{"in_education":`+twoThirds+`,"promoted":`+twoThirds+`,"moved_city":`+third+`,"awarded":`+third+`,
		   "awarded_provincial_plus":`+third+`}},
		{"edition":"jindaoshi-2022","ends_on":"2023-02-28","cutoff":"2025-06-30","complete":false,"cohort_size":1,
		 "in_education":1,"promoted":1,"moved_city":0,"awarded":1,"awarded_provincial_plus":1,
		 "shares":{"in_education":1,"promoted":1,"moved_city":0,"awarded":1,"awarded_provincial_plus":1}}]}`)

	// one year on: T1's promotion (2023-09-01) is after the cutoff 2023-02-28, T2 is still at S2
	got, err = report.TeacherTrajectories(f.ctx, f.st, 1, day("2025-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, got.Editions[0], `{"edition":"jindaoshi-2021","ends_on":"2022-02-28","cutoff":"2023-02-28","complete":true,
		"cohort_size":3,"in_education":3,"promoted":0,"moved_city":0,"awarded":0,"awarded_provincial_plus":0,
		"shares":{"in_education":1,"promoted":0,"moved_city":0,"awarded":0,"awarded_provincial_plus":0}}`)
}

func TestAwardsOverTime(t *testing.T) {
	t.Parallel()
	f := analyticsData(t)
	cases := []struct {
		name, program string
		want          string
	}{
		{"both programs", "", `{"from_year":2021,"to_year":2025,"as_of":"2025-06-30","years":[
			{"year":2021,"total":2,"by_level":{"provincial":1,"national":1},"by_category":{"robotics":2}},
			{"year":2022,"total":3,"by_level":{"municipal":2,"school":1},"by_category":{"physics":1,"math":1,"research":1}},
			{"year":2023,"total":1,"by_level":{"provincial":1},"by_category":{"research":1}},
			{"year":2024,"total":0,"by_level":{},"by_category":{}},
			{"year":2025,"total":2,"by_level":{"national":1,"school":1},"by_category":{"paper":1,"research":1}}]}`},
		{"jingke", "jingke", `{"from_year":2021,"to_year":2025,"as_of":"2025-06-30","program":"jingke","years":[
			{"year":2021,"total":2,"by_level":{"provincial":1,"national":1},"by_category":{"robotics":2}},
			{"year":2022,"total":2,"by_level":{"municipal":1,"school":1},"by_category":{"physics":1,"math":1}},
			{"year":2023,"total":0,"by_level":{},"by_category":{}},
			{"year":2024,"total":0,"by_level":{},"by_category":{}},
			{"year":2025,"total":0,"by_level":{},"by_category":{}}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := report.AwardsOverTime(f.ctx, f.st, 2021, 2025, c.program, day("2025-06-30"))
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, got, c.want)
		})
	}
	for _, c := range [][2]int{{2025, 2021}, {1999, 2001}, {2000, 2050}} {
		if _, err := report.AwardsOverTime(f.ctx, f.st, c[0], c[1], "", day("2025-06-30")); !errors.Is(err, report.ErrInvalid) {
			t.Errorf("years %v: %v", c, err)
		}
	}
}
