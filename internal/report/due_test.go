package report_test

import (
	"errors"
	"strconv"
	"testing"

	"talentdb/internal/report"
)

// dueData is the hand-made dataset of the follow-up schedule on 2026-06-30:
// jingke-2023 (ends 2024-02-29) is in window 3 (2026-03-01 … 2027-02-28), jingke-2024 and
// the like in window 2, jingke-2025 in window 1, jingke-2026 in window 0, jingke-2016 in
// window 10 and jingke-2015 in window 11.
type dueSet struct {
	*fixture
	p map[string]int64
}

func dueData(t *testing.T) dueSet {
	f := setup(t)
	for _, e := range []string{"jingke-2015", "jingke-2016", "jingke-2023", "jingke-2024", "jingke-2025", "jingke-2026"} {
		f.edition(e, "", "")
	}
	s1, s2 := f.org("BS01", "510104"), f.org("BS02", "510703")
	f.org("BS03", "513301") // a school with no alumni
	d := dueSet{fixture: f, p: map[string]int64{}}
	add := func(key, name, edition string, school int64, status string) int64 {
		id := f.person(name, "female")
		f.student(id, edition, school, "math", "5", status)
		d.p[key] = id
		return id
	}
	q1 := add("Q1", "陈一", "jingke-2023", s1, "completed")
	f.followUp(q1, "2025-04-02", "reached", false)  // window 2 met; window 3 not yet
	add("Q2", "周二", "jingke-2023", s1, "completed") // never contacted: overdue
	q3 := add("Q3", "吴三", "jingke-2023", s2, "completed")
	f.followUp(q3, "2026-03-15", "declined", false) // declined meets window 3
	q4 := add("Q4", "郑四", "jingke-2023", s1, "completed")
	f.followUp(q4, "2025-05-01", "opted_out", false)
	q5 := add("Q5", "冯五", "jingke-2024", s1, "completed")
	f.followUp(q5, "2025-03-01", "reached", false)     // first day of window 1: met
	f.followUp(q5, "2026-04-01", "unreachable", false) // does not meet window 2
	q6 := add("Q6", "褚六", "jingke-2024", s2, "completed")
	f.followUp(q6, "2025-05-01", "unreachable", false) // window 1 unmet: overdue
	add("Q7", "卫七", "jingke-2025", s1, "completed")    // k = 1: never overdue
	add("Q8", "蒋八", "jingke-2026", s1, "completed")    // window 0: not listed
	add("Q9", "沈九", "jingke-2016", s2, "completed")    // k = 10
	add("Q10", "韩十", "jingke-2015", s1, "completed")   // k = 11: not listed
	q11 := add("Q11", "杨十一", "jingke-2023", s1, "completed")
	f.student(q11, "jingke-2024", s2, "math", "6", "completed") // latest: jingke-2024 at BS02
	f.followUp(q11, "2025-06-01", "reached", false)
	q12 := add("Q12", "朱十二", "jingke-2023", s1, "completed")
	f.followUp(q12, "2025-12-01", "reached", false)
	f.followUp(q12, "2026-07-01", "reached", false) // after as_of
	q13 := add("Q13", "秦十三", "jingke-2023", s1, "completed")
	f.consent(q13, "pending") // withheld from a list that names people
	q14 := add("Q14", "尤十四", "jingke-2023", s1, "completed")
	f.merge(q14, q1)
	q15 := add("Q15", "许十五", "jingke-2023", s1, "completed")
	f.followUp(q15, "2026-06-30", "reached", false)  // on as_of: met
	add("Q16", "何十六", "jingke-2023", s1, "admitted") // not an alumnus
	q17 := add("Q17", "吕十七", "jingke-2023", s1, "completed")
	f.followUp(q17, "2026-07-01", "opted_out", false) // after as_of: still listed
	q18 := add("Q18", "施十八", "jingke-2023", s1, "completed")
	f.followUp(q18, "2025-03-01", "reached", false)
	f.followUp(q18, "2026-04-01", "opted_out", true) // deleted: neither opted out nor contacted
	add("Q19", "周二", "jingke-2024", s1, "completed") // same name as Q2: person id decides
	q20 := add("Q20", "孔二十", "jingke-2023", s1, "completed")
	f.consent(q20, "granted")
	f.followUp(q20, "2026-02-28", "declined", false) // last day of window 2: met, so not overdue
	return d
}

// row is the expected JSON of one listed person.
func (d dueSet) row(key, edition string, k int, from, to string, overdue bool, last string) string {
	var name string
	if err := d.st.Pool.QueryRow(d.ctx, `SELECT name FROM persons WHERE id = $1`, d.p[key]).Scan(&name); err != nil {
		d.t.Fatal(err)
	}
	l := "null"
	if last != "" {
		l = `"` + last + `"`
	}
	o := "false"
	if overdue {
		o = "true"
	}
	return `{"id_number_masked":"` + d.masked(d.p[key]) + `","name":"` + name + `","edition":"` + edition +
		`","k":` + strconv.Itoa(k) +
		`,"window_from":"` + from + `","window_to":"` + to + `","due":true,"overdue":` + o +
		`,"last_contacted_on":` + l + `}`
}

func TestFollowUpsDue(t *testing.T) {
	t.Parallel()
	d := dueData(t)
	w3 := [2]string{"2026-03-01", "2027-02-28"} // jingke-2023, k = 3
	w2 := [2]string{"2026-03-01", "2027-02-28"} // jingke-2024, k = 2
	rows := map[string]string{
		"Q17": d.row("Q17", "jingke-2023", 3, w3[0], w3[1], true, ""),
		"Q2":  d.row("Q2", "jingke-2023", 3, w3[0], w3[1], true, ""),
		"Q19": d.row("Q19", "jingke-2024", 2, w2[0], w2[1], true, ""),
		"Q9":  d.row("Q9", "jingke-2016", 10, "2026-03-01", "2027-02-28", true, ""),
		"Q6":  d.row("Q6", "jingke-2024", 2, w2[0], w2[1], true, "2025-05-01"),
		"Q7":  d.row("Q7", "jingke-2025", 1, "2026-03-01", "2027-02-28", false, ""),
		"Q18": d.row("Q18", "jingke-2023", 3, w3[0], w3[1], false, "2025-03-01"),
		"Q1":  d.row("Q1", "jingke-2023", 3, w3[0], w3[1], false, "2025-04-02"),
		"Q11": d.row("Q11", "jingke-2024", 2, w2[0], w2[1], false, "2025-06-01"),
		"Q12": d.row("Q12", "jingke-2023", 3, w3[0], w3[1], false, "2025-12-01"),
		"Q20": d.row("Q20", "jingke-2023", 3, w3[0], w3[1], false, "2026-02-28"),
		"Q5":  d.row("Q5", "jingke-2024", 2, w2[0], w2[1], false, "2026-04-01"),
	}
	list := func(keys ...string) string {
		s := "["
		for i, k := range keys {
			if i > 0 {
				s += ","
			}
			s += rows[k]
		}
		return s + "]"
	}
	cases := []struct {
		name   string
		filter report.DueFilter
		want   string
	}{
		{"everyone", report.DueFilter{AsOf: day("2026-06-30")},
			`{"as_of":"2026-06-30","due_count":12,"overdue_count":5,"persons":` +
				list("Q17", "Q2", "Q19", "Q9", "Q6", "Q7", "Q18", "Q1", "Q11", "Q12", "Q20", "Q5") + `}`},
		{"one school", report.DueFilter{SchoolCode: "BS01", AsOf: day("2026-06-30")},
			`{"as_of":"2026-06-30","school":"BS01","due_count":9,"overdue_count":3,"persons":` +
				list("Q17", "Q2", "Q19", "Q7", "Q18", "Q1", "Q12", "Q20", "Q5") + `}`},
		{"the school of the latest completed edition", report.DueFilter{SchoolCode: "BS02", AsOf: day("2026-06-30")},
			`{"as_of":"2026-06-30","school":"BS02","due_count":3,"overdue_count":2,"persons":` +
				list("Q9", "Q6", "Q11") + `}`},
		{"a city by a county code", report.DueFilter{RegionCode: "510722", AsOf: day("2026-06-30")},
			`{"as_of":"2026-06-30","region":"510722","due_count":3,"overdue_count":2,"persons":` +
				list("Q9", "Q6", "Q11") + `}`},
		{"a city by its code", report.DueFilter{RegionCode: "510100", AsOf: day("2026-06-30")},
			`{"as_of":"2026-06-30","region":"510100","due_count":9,"overdue_count":3,"persons":` +
				list("Q17", "Q2", "Q19", "Q7", "Q18", "Q1", "Q12", "Q20", "Q5") + `}`},
		{"school and region that do not meet", report.DueFilter{SchoolCode: "BS01", RegionCode: "510700",
			AsOf: day("2026-06-30")},
			`{"as_of":"2026-06-30","school":"BS01","region":"510700","due_count":0,"overdue_count":0,"persons":[]}`},
		{"a school with no alumni", report.DueFilter{SchoolCode: "BS03", AsOf: day("2026-06-30")},
			`{"as_of":"2026-06-30","school":"BS03","due_count":0,"overdue_count":0,"persons":[]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := report.FollowUpsDue(d.ctx, d.st, c.filter)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, got, c.want)
		})
	}
}

// On 2025-02-28, the last day of jingke-2023's window 1, its alumni cannot be overdue
// yet and jingke-2024 is still in window 0; the old editions are in windows 8 and 9.
func TestFollowUpsDueOnWindowEnd(t *testing.T) {
	t.Parallel()
	d := dueData(t)
	got, err := report.FollowUpsDue(d.ctx, d.st, report.DueFilter{AsOf: day("2025-02-28")})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[int64]report.DuePerson{}
	for _, p := range got.Persons {
		listed[p.PersonID] = p
	}
	if got.OverdueCount != 2 {
		t.Errorf("overdue_count %d, want 2", got.OverdueCount)
	}
	// jingke-2023 alumni not met in window 1 (Q4 opted out only later, in 2025-05)
	for _, k := range []string{"Q1", "Q2", "Q3", "Q4", "Q12", "Q15", "Q17", "Q18", "Q20"} {
		p, ok := listed[d.p[k]]
		if !ok {
			t.Errorf("%s not listed", k)
			continue
		}
		if p.Edition != "jingke-2023" || p.K != 1 || p.WindowFrom != "2024-03-01" || p.WindowTo != "2025-02-28" ||
			p.Overdue {
			t.Errorf("%s: %+v", k, p)
		}
	}
	// Q10: jingke-2015 (ends 2016-02-29) window 9; Q9: jingke-2016 (ends 2017-02-28) window
	// 8, which starts on 2017-02-28 + 7 years + 1 day = 2024-02-29; both overdue
	if p := listed[d.p["Q10"]]; p.K != 9 || p.WindowFrom != "2024-03-01" || p.WindowTo != "2025-02-28" || !p.Overdue {
		t.Errorf("Q10: %+v", p)
	}
	if p := listed[d.p["Q9"]]; p.K != 8 || p.WindowFrom != "2024-02-29" || p.WindowTo != "2025-02-28" || !p.Overdue {
		t.Errorf("Q9: %+v", p)
	}
	if !got.Persons[0].Overdue || !got.Persons[1].Overdue {
		t.Errorf("overdue persons are not first: %+v", got.Persons[:2])
	}
	// Q11's latest edition is jingke-2024, in window 0; Q5 Q6 Q7 Q8 Q19 too
	for _, k := range []string{"Q5", "Q6", "Q7", "Q8", "Q11", "Q19", "Q13", "Q14", "Q16"} {
		if _, ok := listed[d.p[k]]; ok {
			t.Errorf("%s listed", k)
		}
	}
	if got.DueCount != 11 || len(got.Persons) != 11 {
		t.Errorf("due_count %d, %d persons, want 11", got.DueCount, len(got.Persons))
	}
}

func TestFollowUpsDueBadFilters(t *testing.T) {
	t.Parallel()
	d := dueData(t)
	asOf := day("2026-06-30")
	cases := []struct {
		f    report.DueFilter
		want error
	}{
		{report.DueFilter{SchoolCode: "NOPE", AsOf: asOf}, report.ErrUnknownSchool},
		{report.DueFilter{RegionCode: "519900", AsOf: asOf}, report.ErrUnknownRegion},
		{report.DueFilter{RegionCode: "5101", AsOf: asOf}, report.ErrInvalid},
		{report.DueFilter{RegionCode: "51010a", AsOf: asOf}, report.ErrInvalid},
	}
	for _, c := range cases {
		if _, err := report.FollowUpsDue(d.ctx, d.st, c.f); !errors.Is(err, c.want) {
			t.Errorf("%+v: got %v, want %v", c.f, err, c.want)
		}
	}
}
