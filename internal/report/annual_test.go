package report_test

import (
	"reflect"
	"testing"

	"talentdb/internal/report"
)

// annualData is the hand-made dataset of the annual tests, for the year 2024.
func annualData(t *testing.T) *fixture {
	f := setup(t)
	for _, e := range []string{"jingke-2022", "jingke-2023", "jingke-2024", "jindaoshi-2023", "jindaoshi-2024"} {
		f.edition(e, "", "")
	}
	s1, s2, s3 := f.org("S1", "510104"), f.org("S2", "510703"), f.org("S3", "511002")

	// participants of the 2024 editions
	a, b, c := f.person("A", "female"), f.person("B", "male"), f.person("C", "male")
	d, e, ff := f.person("D", "female"), f.person("E", "male"), f.person("F", "female")
	g, h := f.person("G", "female"), f.person("H", "female")
	f.student(a, "jingke-2024", s1, "robotics", "5", "completed")
	f.student(b, "jingke-2024", s2, "math", "8", "admitted")
	f.student(c, "jingke-2024", s1, "robotics", "4", "withdrawn")
	f.student(d, "jingke-2024", s1, "math", "K", "admitted")
	f.student(e, "jingke-2024", s1, "robotics", "", "completed") // no grade: no grade band
	f.student(ff, "jingke-2024", s2, "robotics", "V2", "admitted")
	f.student(g, "jingke-2024", s1, "robotics", "5", "completed") // merged: never counts
	f.student(h, "jingke-2024", s1, "math", "6", "registered")
	f.merge(g, a)
	f.consent(d, "pending") // aggregates count every person whatever the consent
	t1, t2 := f.person("T1", "male"), f.person("T2", "female")
	f.teacher(t1, "jindaoshi-2024", s1, "research", "completed")
	f.teacher(t2, "jindaoshi-2024", s2, "paper", "rejected")

	// awards: records dated in 2024
	f.award(a, "provincial", "2024-01-01", "", false)
	f.award(a, "provincial", "2024-12-31", "verified", false)
	f.award(b, "national", "2024-06-01", "rejected", false)
	f.award(b, "school", "2024-06-01", "", false)
	f.award(c, "municipal", "2023-12-31", "", false)
	f.award(c, "municipal", "2025-01-01", "", false)
	f.award(d, "county", "2024-05-05", "", true)
	f.award(g, "provincial", "2024-05-05", "", false)
	f.award(t1, "national", "2024-03-03", "verified", false)

	// destinations
	f.destination(a, "junior_high", "2024-09-01", false)
	f.destination(b, "senior_high", "2024-09-01", false)
	f.destination(e, "senior_high", "2024-09-01", false)
	f.destination(ff, "yingcai", "2023-12-31", false)
	f.destination(d, "other", "2024-10-01", true)

	// career moves
	f.move(t1, "promotion", "2024-02-01", false)
	f.move(t1, "transfer", "2024-08-01", false)
	f.move(t2, "", "2024-05-01", false) // no reason: not in by_reason
	f.move(t2, "left", "2025-01-01", false)
	f.move(t2, "promotion", "2024-07-01", true)

	// alumni of 2024: completed an edition ending before 2025-01-01
	u1, u2, u3 := f.person("U1", "male"), f.person("U2", "female"), f.person("U3", "male")
	u4, u5, u6 := f.person("U4", "female"), f.person("U5", "male"), f.person("U6", "female")
	u7, u8, u9 := f.person("U7", "male"), f.person("U8", "female"), f.person("U9", "male")
	u10 := f.person("U10", "female")
	f.student(u1, "jingke-2022", s1, "math", "5", "completed")
	f.student(u1, "jingke-2023", s2, "math", "6", "completed") // ends last: U1 is in 510700
	f.followUp(u1, "2024-04-01", "reached", false)
	f.student(u2, "jingke-2023", s1, "math", "5", "completed")
	f.consent(u2, "withdrawn")
	f.followUp(u2, "2023-12-31", "reached", false) // the year before
	f.followUp(u2, "2024-05-01", "unreachable", false)
	f.student(u3, "jingke-2023", s1, "math", "5", "completed")
	f.followUp(u3, "2023-11-01", "opted_out", false) // opted out before 2024: not alumni
	f.student(u4, "jingke-2023", s1, "math", "5", "completed")
	f.followUp(u4, "2024-02-01", "reached", false)
	f.followUp(u4, "2024-03-01", "opted_out", false) // in 2024: still alumni of 2024
	f.student(u5, "jingke-2022", s2, "math", "5", "completed")
	f.followUp(u5, "2023-05-01", "opted_out", true) // deleted: does not count
	f.followUp(u5, "2024-12-31", "reached", false)
	f.student(u6, "jingke-2023", s1, "math", "5", "admitted") // not completed
	f.followUp(u6, "2024-04-01", "reached", false)
	f.teacher(u7, "jindaoshi-2023", s1, "research", "completed")
	f.followUp(u7, "2024-03-01", "reached", true) // deleted
	f.student(u8, "jingke-2023", s1, "math", "5", "completed")
	f.teacher(u8, "jindaoshi-2023", s2, "research", "completed") // same ends_on: jingke-2023 wins
	f.student(u9, "jingke-2023", s1, "math", "5", "completed")
	f.merge(u9, u8)
	f.followUp(u9, "2024-04-01", "reached", false)
	f.student(u10, "jingke-2023", s3, "math", "5", "completed")
	f.followUp(u10, "2024-06-30", "reached", false)
	return f
}

func TestAnnual(t *testing.T) {
	t.Parallel()
	f := annualData(t)
	jingke := report.ProgramFigures{
		ByStatus:    report.Counts{"completed": 2, "admitted": 3, "withdrawn": 1, "registered": 1},
		ByRegion:    report.Counts{"510100": 3, "510700": 2},
		ByCategory:  report.Counts{"robotics": 3, "math": 2},
		ByGradeBand: report.Counts{"primary": 1, "junior": 1, "preschool": 1, "vocational": 1},
		ByGender:    report.Counts{"female": 3, "male": 2},
	}
	jindaoshi := report.ProgramFigures{
		ByStatus:    report.Counts{"completed": 1, "rejected": 1},
		ByRegion:    report.Counts{"510100": 1},
		ByCategory:  report.Counts{"research": 1},
		ByGradeBand: report.Counts{"teacher": 1},
		ByGender:    report.Counts{"male": 1},
	}
	cases := []struct {
		name string
		asOf string
		want report.AnnualReport
	}{
		{"whole year", "2024-12-31", report.AnnualReport{Year: 2024, AsOf: "2024-12-31",
			Participants: report.Participants{Jingke: jingke, Jindaoshi: jindaoshi},
			Awards:       report.AwardFigures{ByLevel: report.Counts{"provincial": 2, "school": 1, "national": 1}},
			Destinations: report.DestinationFigures{ByType: report.Counts{"junior_high": 1, "senior_high": 2}},
			CareerMoves:  report.CareerMoveFigures{ByReason: report.Counts{"promotion": 1, "transfer": 1}},
			FollowUpCoverage: report.Coverage{Alumni: 7, Contacted: 4, Rate: 4.0 / 7.0,
				ByRegion: map[string]report.RegionCoverage{
					"510100": {Alumni: 4, Contacted: 1, Rate: 0.25},
					"510700": {Alumni: 2, Contacted: 2, Rate: 1},
					"511000": {Alumni: 1, Contacted: 1, Rate: 1},
				}}}},
		{"as_of mid-year", "2024-06-30", report.AnnualReport{Year: 2024, AsOf: "2024-06-30",
			Participants: report.Participants{Jingke: jingke, Jindaoshi: jindaoshi},
			Awards:       report.AwardFigures{ByLevel: report.Counts{"provincial": 1, "school": 1, "national": 1}},
			Destinations: report.DestinationFigures{ByType: report.Counts{}},
			CareerMoves:  report.CareerMoveFigures{ByReason: report.Counts{"promotion": 1}},
			FollowUpCoverage: report.Coverage{Alumni: 7, Contacted: 3, Rate: 3.0 / 7.0,
				ByRegion: map[string]report.RegionCoverage{
					"510100": {Alumni: 4, Contacted: 1, Rate: 0.25},
					"510700": {Alumni: 2, Contacted: 1, Rate: 0.5},
					"511000": {Alumni: 1, Contacted: 1, Rate: 1},
				}}}},
		// on 2023-10-31 U3's opting out (2023-11-01) has not happened: U3 is alumnus too
		{"as_of before the year", "2023-10-31", report.AnnualReport{Year: 2024, AsOf: "2023-10-31",
			Participants: report.Participants{Jingke: jingke, Jindaoshi: jindaoshi},
			Awards:       report.AwardFigures{ByLevel: report.Counts{}},
			Destinations: report.DestinationFigures{ByType: report.Counts{}},
			CareerMoves:  report.CareerMoveFigures{ByReason: report.Counts{}},
			FollowUpCoverage: report.Coverage{Alumni: 8, Contacted: 0, Rate: 0,
				ByRegion: map[string]report.RegionCoverage{
					"510100": {Alumni: 5, Contacted: 0, Rate: 0},
					"510700": {Alumni: 2, Contacted: 0, Rate: 0},
					"511000": {Alumni: 1, Contacted: 0, Rate: 0},
				}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := report.Annual(f.ctx, f.st, 2024, day(c.asOf))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestAnnualEmptyYear(t *testing.T) {
	t.Parallel()
	f := annualData(t)
	// no edition of 2021 and no edition ending before 2022: no alumni, rate 0, every
	// object present and empty
	got, err := report.Annual(f.ctx, f.st, 2021, day("2024-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	empty := `{"by_status":{},"by_region":{},"by_category":{},"by_grade_band":{},"by_gender":{}}`
	sameJSON(t, got, `{"year":2021,"as_of":"2024-12-31","participants":{"jingke":`+empty+`,"jindaoshi":`+empty+`},
		"awards":{"by_level":{}},"destinations":{"by_type":{}},"career_moves":{"by_reason":{}},
		"follow_up_coverage":{"alumni":0,"contacted":0,"rate":0,"by_region":{}}}`)
}

func TestAnnualOneProgramOnly(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.edition("jingke-2025", "", "")
	s := f.org("S1", "510104")
	p := f.person("独苗", "female")
	f.student(p, "jingke-2025", s, "ai", "9", "completed")
	got, err := report.Annual(f.ctx, f.st, 2025, day("2025-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	empty := `{"by_status":{},"by_region":{},"by_category":{},"by_grade_band":{},"by_gender":{}}`
	sameJSON(t, got, `{"year":2025,"as_of":"2025-12-31","participants":{
		"jingke":{"by_status":{"completed":1},"by_region":{"510100":1},"by_category":{"ai":1},
		  "by_grade_band":{"junior":1},"by_gender":{"female":1}},
		"jindaoshi":`+empty+`},
		"awards":{"by_level":{}},"destinations":{"by_type":{}},"career_moves":{"by_reason":{}},
		"follow_up_coverage":{"alumni":0,"contacted":0,"rate":0,"by_region":{}}}`)
}
