package httpapi

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
)

// approvedSchool creates school code in region with an approved application for
// jingke-2026 (filed by the office on its behalf) and returns its operator's credentials.
func (f *cycleFixture) approvedSchool(code, region string) string {
	f.t.Helper()
	f.org(code, "school", "primary", region)
	a := f.as(f.office, "POST", "/api/v1/applications", applicationBody2026(code)).want(http.StatusCreated).json()
	path := fmt.Sprintf("/api/v1/applications/%d", num(a["id"]))
	f.as(f.office, "POST", path+"/submit", nil).want(http.StatusOK)
	f.as(f.office, "POST", path+"/review", map[string]any{"decision": "approve"}).want(http.StatusOK)
	return authtest.Bearer(f.t, f.st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: code})
}

// mentoredSchool opens jingke-2026 with one mentor (导师, of the institution INST1) and
// school SA (成都市锦江区) approved for it: the mentor's id and the school's credentials.
func (f *cycleFixture) mentoredSchool() (mentor int64, school string) {
	f.t.Helper()
	f.as(f.office, "POST", "/api/v1/editions", map[string]any{"id": "jingke-2026"}).want(http.StatusCreated)
	f.org("INST1", "institution", "university", "510100")
	return f.mentor("导师", "INST1"), f.approvedSchool("SA", "510104")
}

// recorded records, as the office, a participation of a new person at school in status
// (mentor optional) and returns its id.
func (f *cycleFixture) recorded(name, seq, school, status string, mentor int64) int64 {
	f.t.Helper()
	body := map[string]any{"person_id": f.person(name, "20150101", seq), "edition": "jingke-2026", "school_code": school,
		"category": "robotics", "grade": "5", "status": status}
	if mentor != 0 {
		body["mentor_id"], body["institution_code"] = mentor, "INST1"
	}
	return num(f.as(f.office, "POST", "/api/v1/participations", body).want(http.StatusCreated).json()["id"])
}

// nominee registers a new person at the school of cred and moves them to publicized under
// a notice of 2026-03-20 … 2026-03-26; the clock is left on 2026-03-20.
func (f *cycleFixture) publicized(cred, name, seq string) string {
	f.t.Helper()
	f.clock.set(f.t, "2026-03-05")
	p := f.as(cred, "POST", "/api/v1/nominations", map[string]any{"person_id": f.personOf(cred, name, "20150101", seq),
		"edition": "jingke-2026", "category": "math", "grade": "6"}).want(http.StatusCreated).json()
	path := fmt.Sprintf("/api/v1/participations/%d", num(p["id"]))
	f.as(cred, "POST", path+"/transitions", map[string]any{"to": "reviewed"}).want(http.StatusOK)
	f.as(cred, "POST", "/api/v1/public-notices", map[string]any{"edition": "jingke-2026", "starts_on": "2026-03-20",
		"ends_on": "2026-03-26"}).want(http.StatusCreated)
	f.clock.set(f.t, "2026-03-20")
	f.as(cred, "POST", path+"/transitions", map[string]any{"to": "publicized"}).want(http.StatusOK)
	return path
}

func codes(items []map[string]any, key string) string {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprint(it[key]))
	}
	sort.Strings(out)
	return fmt.Sprint(out)
}

// TestCycleScopes checks that every list and record of the cycle is scoped by role: a
// school sees its own, a coordinator their city, a mentor their participants, an auditor
// nothing; records out of scope are 404, writes a role may not make are 403.
func TestCycleScopes(t *testing.T) {
	t.Parallel()
	f := setupCycle(t)
	f.as(f.office, "POST", "/api/v1/editions", map[string]any{"id": "jingke-2026"}).want(http.StatusCreated)
	f.org("INST1", "institution", "university", "510100")
	m1, m2 := f.mentor("导师甲", "INST1"), f.mentor("导师乙", "INST1")
	schoolA := f.approvedSchool("SA", "510104") // 成都市锦江区
	schoolB := f.approvedSchool("SB", "510107") // 成都市武侯区
	f.approvedSchool("SC", "510302")            // 自贡市自流井区
	a1 := f.recorded("甲一", "101", "SA", "admitted", m1)
	b1 := f.recorded("乙一", "102", "SB", "admitted", m2)
	c1 := f.recorded("丙一", "103", "SC", "admitted", m1)
	mentor1 := authtest.Bearer(t, f.st, auth.RoleMentor, authtest.Scope{MentorID: m1})
	city := authtest.Bearer(t, f.st, auth.RoleCityCoordinator, authtest.Scope{CityCode: "510100"})
	analyst := authtest.Bearer(t, f.st, auth.RoleOfficeAnalyst)
	auditor := authtest.Bearer(t, f.st, auth.RoleAuditor)
	pp := func(id int64, rest string) string { return fmt.Sprintf("/api/v1/participations/%d%s", id, rest) }

	for who, want := range map[string]string{schoolA: "[SA]", city: "[SA SB]", analyst: "[SA SB SC]", f.office: "[SA SB SC]"} {
		if got := codes(f.all2(who, "/api/v1/applications?edition=jingke-2026"), "school_code"); got != want {
			t.Errorf("applications: %s, want %s", got, want)
		}
	}
	if items, _ := f.as(schoolA, "GET", "/api/v1/applications?school=SB", nil).items(); len(items) != 0 {
		t.Errorf("school A filtered to school B sees %v", items)
	}
	f.as(mentor1, "GET", "/api/v1/applications", nil).problem(http.StatusForbidden, "forbidden", "")
	f.as(auditor, "GET", "/api/v1/applications", nil).problem(http.StatusForbidden, "forbidden", "")

	// records of another school are not there for a school; a mentor sees their own
	f.as(schoolA, "GET", pp(b1, "/growth-logs"), nil).problem(http.StatusNotFound, "not-found", "")
	f.as(schoolB, "POST", pp(a1, "/growth-logs"), map[string]any{"entry_on": "2026-02-10", "content": "x"}).
		problem(http.StatusNotFound, "not-found", "")
	f.as(mentor1, "GET", pp(a1, "/tasks"), nil).want(http.StatusOK)
	f.as(mentor1, "GET", pp(c1, "/tasks"), nil).want(http.StatusOK) // another school, same mentor
	f.as(mentor1, "GET", pp(b1, "/tasks"), nil).problem(http.StatusNotFound, "not-found", "")
	f.as(city, "GET", pp(c1, "/evaluation"), nil).problem(http.StatusNotFound, "not-found", "")
	f.as(city, "GET", pp(b1, "/evaluation"), nil).want(http.StatusOK)

	// writes by role
	f.as(city, "POST", "/api/v1/nominations", map[string]any{"person_id": 1, "edition": "jingke-2026",
		"school_code": "SA", "category": "math", "grade": "5"}).problem(http.StatusForbidden, "forbidden", "")
	f.as(analyst, "POST", "/api/v1/public-notices", map[string]any{"edition": "jingke-2026", "school_code": "SA",
		"starts_on": "2026-03-20", "ends_on": "2026-03-26"}).problem(http.StatusForbidden, "forbidden", "")
	f.as(schoolA, "POST", "/api/v1/public-notices", map[string]any{"edition": "jingke-2026", "school_code": "SB",
		"starts_on": "2026-03-20", "ends_on": "2026-03-26"}).problem(http.StatusBadRequest, "validation", "school_code")
	f.as(mentor1, "POST", pp(a1, "/transitions"), map[string]any{"to": "withdrawn", "note": "x"}).
		problem(http.StatusForbidden, "forbidden", "")
	f.as(schoolA, "POST", "/api/v1/exchange-recommendations", map[string]any{"participation_id": a1, "activity": "夏令营"}).
		problem(http.StatusForbidden, "forbidden", "")

	// who is behind, on 2026-05-01: all three admitted students keep a growth log and have none
	f.clock.set(t, "2026-05-01")
	behind := func(cred, query string) string {
		t.Helper()
		b := f.as(cred, "GET", "/api/v1/cycle/behind?edition=jingke-2026"+query, nil).want(http.StatusOK).json()
		var names []string
		for _, it := range b["items"].([]any) {
			names = append(names, it.(map[string]any)["name"].(string))
		}
		sort.Strings(names)
		return fmt.Sprint(names)
	}
	for _, c := range []struct{ who, query, want string }{
		{f.office, "", "[丙一 乙一 甲一]"},
		{f.office, fmt.Sprintf("&mentor=%d", m1), "[丙一 甲一]"},
		{f.office, "&school=SB", "[乙一]"},
		{schoolA, "", "[甲一]"},
		{schoolA, "&school=SB", "[]"},
		{mentor1, "", "[丙一 甲一]"},
		{mentor1, fmt.Sprintf("&mentor=%d", m2), "[]"},
		{city, "", "[乙一 甲一]"},
	} {
		if got := behind(c.who, c.query); got != c.want {
			t.Errorf("behind%s: %s, want %s", c.query, got, c.want)
		}
	}
	f.as(auditor, "GET", "/api/v1/cycle/behind?edition=jingke-2026", nil).problem(http.StatusForbidden, "forbidden", "")
	f.as(f.office, "GET", "/api/v1/cycle/behind", nil).problem(http.StatusBadRequest, "validation", "edition")
}

// all2 is fixture.all with credentials.
func (f *cycleFixture) all2(cred, path string) []map[string]any {
	f.t.Helper()
	var out []map[string]any
	next := path
	for pages := 0; pages < 100; pages++ {
		items, cur := f.as(cred, "GET", next, nil).items()
		out = append(out, items...)
		if cur == nil {
			return out
		}
		next = path + "&limit=1&after=" + *cur
	}
	f.t.Fatal("too many pages")
	return nil
}

// TestCycleFailThenPass: a fail keeps the participant admitted (in the cohort, not
// completed); a make-up assessment that passes completes them; then the evaluation is final.
func TestCycleFailThenPass(t *testing.T) {
	t.Parallel()
	f := setupCycle(t)
	m, school := f.mentoredSchool()
	mentor := authtest.Bearer(t, f.st, auth.RoleMentor, authtest.Scope{MentorID: m})
	pid := f.recorded("甲", "201", "SA", "admitted", m)
	eval := fmt.Sprintf("/api/v1/participations/%d/evaluation", pid)

	f.clock.set(t, "2027-01-12")
	f.as(mentor, "POST", eval, map[string]any{"evaluation": "fail", "comment": "未完成结题报告"}).want(http.StatusOK)
	f.as(mentor, "POST", eval, map[string]any{"evaluation": "pass", "by_role": "school"}).
		problem(http.StatusBadRequest, "validation", "by_role")
	ev := f.as(school, "POST", eval, map[string]any{"evaluation": "fail", "comment": "未完成结题报告"}).want(http.StatusOK).json()
	if ev["status"] != "admitted" || ev["evaluation"] != "fail" || ev["completed_at"] != nil {
		t.Fatalf("after a fail %v", ev)
	}
	// the evaluation does not change by PATCH, even the office's (a fail is not undone silently)
	f.as(f.office, "PATCH", fmt.Sprintf("/api/v1/participations/%d", pid), map[string]any{"evaluation": "pass"},
		ifMatch(ev["version"])...).problem(http.StatusUnprocessableEntity, "rule-violation", "evaluation")
	f.clock.set(t, "2027-02-20")
	f.as(mentor, "POST", eval, map[string]any{"evaluation": "pass", "comment": "补交结题报告"}).want(http.StatusOK)
	ev = f.as(school, "POST", eval, map[string]any{"evaluation": "pass"}).want(http.StatusOK).json()
	if ev["status"] != "completed" || ev["evaluation"] != "pass" || ev["school"].(map[string]any)["evaluation"] != "pass" {
		t.Fatalf("after a make-up %v", ev)
	}
	f.as(school, "POST", eval, map[string]any{"evaluation": "excellent"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "evaluation")
	if got := f.as(mentor, "GET", eval, nil).want(http.StatusOK).json(); got["mentor"].(map[string]any)["comment"] != "补交结题报告" {
		t.Fatalf("evaluation %v", got)
	}
}

// TestCycleUpheldObjection: an upheld objection stops the recommendation; the nominee is
// then rejected, and no objection can be lodged against a rejected nominee.
func TestCycleUpheldObjection(t *testing.T) {
	t.Parallel()
	f := setupCycle(t)
	f.as(f.office, "POST", "/api/v1/editions", map[string]any{"id": "jingke-2026"}).want(http.StatusCreated)
	school := f.approvedSchool("SA", "510104")
	path := f.publicized(school, "甲", "301")
	f.clock.set(t, "2026-03-21")
	o := f.as(school, "POST", path+"/objections", map[string]any{"lodged_on": "2026-03-21", "content": "材料不实"}).
		want(http.StatusCreated).json()
	opath := fmt.Sprintf("/api/v1/objections/%d", num(o["id"]))
	f.as(school, "POST", opath+"/resolve", map[string]any{"outcome": "upheld", "resolution": "经核实材料不实"},
		"If-Match", `"7"`).problem(http.StatusPreconditionFailed, "stale", "")
	f.as(school, "POST", opath+"/resolve", map[string]any{"outcome": "upheld", "resolution": "经核实材料不实"}, ifMatch(o["version"])...).
		want(http.StatusOK)
	f.as(school, "POST", opath+"/resolve", map[string]any{"outcome": "dismissed", "resolution": "改判"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "outcome")
	f.clock.set(t, "2026-03-27")
	f.as(school, "POST", path+"/transitions", map[string]any{"to": "recommended"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "objections")
	f.as(school, "POST", path+"/transitions", map[string]any{"to": "rejected"}).
		problem(http.StatusBadRequest, "validation", "note")
	f.as(school, "POST", path+"/transitions", map[string]any{"to": "rejected", "note": "异议成立"}).want(http.StatusOK)
	f.as(school, "POST", path+"/objections", map[string]any{"lodged_on": "2026-03-26", "content": "x"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "status")
}

// TestCycleConcurrentSteps: two recommendations of the same nominee at once, and an
// objection racing a recommendation — the participation's row lock lets exactly one win.
func TestCycleConcurrentSteps(t *testing.T) {
	t.Parallel()
	f := setupCycle(t)
	f.as(f.office, "POST", "/api/v1/editions", map[string]any{"id": "jingke-2026"}).want(http.StatusCreated)
	school := f.approvedSchool("SA", "510104")
	race := func(reqs ...func() int) []int {
		var wg sync.WaitGroup
		codes := make([]int, len(reqs))
		for i, req := range reqs {
			wg.Add(1)
			go func() { defer wg.Done(); codes[i] = req() }()
		}
		wg.Wait()
		sort.Ints(codes)
		return codes
	}
	recommend := func(path string) func() int {
		return func() int {
			return f.as(school, "POST", path+"/transitions", map[string]any{"to": "recommended"}).Code
		}
	}
	p1 := f.publicized(school, "甲", "401")
	f.clock.set(t, "2026-03-27")
	if got := race(recommend(p1), recommend(p1)); fmt.Sprint(got) != "[200 422]" {
		t.Errorf("two recommendations: %v", got)
	}

	// an objection lodged on the last day of the notice, posted while the nominee is
	// recommended: either the objection lands first (the recommendation is refused) or the
	// recommendation does (the objection is refused) — never both
	p2 := f.publicized(school, "乙", "402")
	f.clock.set(t, "2026-03-27")
	lodge := func() int {
		return f.as(school, "POST", p2+"/objections", map[string]any{"lodged_on": "2026-03-26", "content": "迟到的异议"}).Code
	}
	got := race(recommend(p2), lodge)
	if fmt.Sprint(got) != "[200 422]" && fmt.Sprint(got) != "[201 422]" {
		t.Errorf("objection racing a recommendation: %v", got)
	}
}

// TestCycleThroughParticipationsAPI: a school's POST /participations is a nomination under
// the cycle's rules, and its PATCH cannot assign a mentor or make the grade ineligible.
func TestCycleThroughParticipationsAPI(t *testing.T) {
	t.Parallel()
	f := setupCycle(t)
	m, school := f.mentoredSchool()
	f.org("SB", "school", "primary", "510107")
	other := authtest.Bearer(t, f.st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "SB"})
	f.clock.set(t, "2026-03-05")
	body := func(person int64, school string, extra map[string]any) map[string]any {
		b := map[string]any{"person_id": person, "edition": "jingke-2026", "school_code": school, "category": "math", "grade": "5"}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	a, b := f.person("甲", "20150101", "501", "SA"), f.person("乙", "20150101", "502", "SB")
	f.as(school, "POST", "/api/v1/participations", body(a, "SA", map[string]any{"status": "admitted"})).
		problem(http.StatusUnprocessableEntity, "rule-violation", "status")
	f.as(other, "POST", "/api/v1/participations", body(b, "SB", nil)).
		problem(http.StatusUnprocessableEntity, "rule-violation", "school_code")
	p := f.as(school, "POST", "/api/v1/participations", body(a, "SA", nil)).want(http.StatusCreated).json()
	if p["status"] != "registered" || p["registered_at"] != "2026-03-05T02:00:00Z" {
		t.Fatalf("nominated %v", p)
	}
	path := fmt.Sprintf("/api/v1/participations/%d", num(p["id"]))
	f.as(school, "PATCH", path, map[string]any{"grade": "9"}, ifMatch(p["version"])...).
		problem(http.StatusUnprocessableEntity, "rule-violation", "grade")
	f.as(school, "PATCH", path, map[string]any{"mentor_id": m}, ifMatch(p["version"])...).
		problem(http.StatusForbidden, "forbidden", "")
	f.as(school, "PATCH", path, map[string]any{"category": "robotics", "grade": "6"}, ifMatch(p["version"])...).
		want(http.StatusOK)
}
