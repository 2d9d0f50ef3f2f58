package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"talentdb/internal/auth"
	"talentdb/internal/report"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// dueSchool finds a school of the demo data with at least two alumni due for a follow-up
// today, and another school with persons: the operator's own and someone else's.
func (f *fixture) dueSchool() (code string, due report.DueReport, other string, otherPerson int64) {
	f.t.Helper()
	ctx := context.Background()
	today := vocab.DateOf(time.Now())
	all, err := report.FollowUpsDue(ctx, f.st, report.DueFilter{AsOf: today})
	if err != nil {
		f.t.Fatal(err)
	}
	count := map[string]int{}
	school := map[int64]string{}
	for _, p := range all.Persons {
		per, err := f.st.PersonGet(ctx, p.PersonID)
		if err != nil || per.SchoolCode == nil {
			continue
		}
		school[p.PersonID] = *per.SchoolCode
		count[*per.SchoolCode]++
	}
	for c, n := range count {
		if n >= 2 && (code == "" || n > count[code]) {
			code = c
		}
	}
	if code == "" {
		f.t.Fatal("no school with alumni due in the demo data")
	}
	for id, c := range school {
		if c != code {
			other, otherPerson = c, id
			break
		}
	}
	due, err = report.FollowUpsDue(ctx, f.st, report.DueFilter{SchoolCode: code, AsOf: today})
	if err != nil {
		f.t.Fatal(err)
	}
	return code, due, other, otherPerson
}

// dueOperator signs in as the operator of dueSchool's school: the client, the school's
// code and its due list.
func (f *fixture) dueOperator() (c *client, code string, due report.DueReport) {
	f.t.Helper()
	code, due, _, _ = f.dueSchool()
	return f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code})), code, due
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	f := setup(t)
	name := f.user(auth.RoleOfficeAnalyst, auth.NewUser{})

	res := f.raw("GET", "/dashboard", nil, nil)
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/login?next=%2Fdashboard" {
		t.Fatalf("anonymous dashboard: %d %q", res.Code, res.Header().Get("Location"))
	}
	page := f.raw("GET", "/login", nil, nil)
	csp := page.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	body := page.Body.String()
	contains(t, body, `<html lang="zh-CN">`, `<label for="username">用户名</label>`, `<label for="password">密码</label>`)
	if regexp.MustCompile(`(?i)<script>|\son[a-z]+=|style=`).MatchString(body) {
		t.Error("the page has an inline script, style or event handler")
	}

	// a form without the anti-forgery cookie is refused
	res = f.raw("POST", "/login", url.Values{"username": {name}, "password": {testPassword}, "login_token": {"x"}}, nil)
	if res.Code != http.StatusForbidden {
		t.Fatalf("login without token cookie: %d", res.Code)
	}
	// a wrong password: the error next to the password field
	var tok string
	for _, c := range page.Result().Cookies() {
		if c.Name == "__Host-talentdb_login" {
			tok = c.Value
		}
	}
	res = f.raw("POST", "/login?lang=en", url.Values{"username": {name}, "password": {"wrong-password-1"}, "login_token": {tok}},
		map[string]string{"Cookie": "__Host-talentdb_login=" + tok})
	if res.Code != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", res.Code)
	}
	contains(t, res.Body.String(), `id="password-err"`, "Wrong username or password.", `aria-describedby="password-err"`)

	c := f.login(name)
	if got := c.do("GET", "/", nil); got.Header().Get("Location") != "/dashboard" {
		t.Errorf("an analyst's start page: %q", got.Header().Get("Location"))
	}
	// sign out: the session ends
	c.post("/logout", url.Values{}, http.StatusSeeOther)
	if res := c.do("GET", "/dashboard", nil); res.Code != http.StatusSeeOther {
		t.Errorf("after sign-out: %d", res.Code)
	}
}

func TestDashboardAndLanguage(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c := f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
	body := c.get("/dashboard", http.StatusOK)
	contains(t, body, "项目总览", `id="chart-cities"`, `id="chart-provincial"`, `id="chart-yingcai"`,
		`id="chart-contacted"`, `id="chart-coverage"`, `id="chart-awards"`, `data-chart="{`,
		"/static/vendor/echarts.min.js?v=", "/static/charts.js?v=", "成都市", "菁科计划 2025 年度")
	// the chart data is the report's: the jingke-2025 cohort is in the outcome table
	if !regexp.MustCompile(`<th scope="row">菁科计划 2025 年度</th><td class="num">[1-9][0-9]*</td>`).MatchString(body) {
		t.Error("the outcome table has no jingke-2025 cohort size")
	}

	// English, remembered in a cookie
	res := c.do("GET", "/dashboard?lang=en", nil)
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "Programme dashboard") ||
		!strings.Contains(res.Body.String(), `<html lang="en">`) {
		t.Fatalf("English dashboard: %d", res.Code)
	}
	if ck := res.Header().Get("Set-Cookie"); !strings.Contains(ck, "talentdb_lang=en") {
		t.Errorf("language cookie: %q", ck)
	}
	c.lang = "en"
	contains(t, c.get("/reports", http.StatusOK), "Annual statistics report")

	// assets are embedded and cached by version
	js := c.do("GET", "/static/vendor/echarts.min.js", nil)
	if js.Code != http.StatusOK || js.Body.Len() < 500_000 || !strings.HasPrefix(js.Header().Get("Content-Type"), "text/javascript") {
		t.Errorf("echarts: %d, %d bytes, %s", js.Code, js.Body.Len(), js.Header().Get("Content-Type"))
	}
	// a school operator may not open the dashboard
	op, _, _ := f.dueOperator()
	op.get("/dashboard", http.StatusForbidden)
	op.get("/admin/users", http.StatusForbidden)
	op.get("/nowhere", http.StatusNotFound)

	// a city coordinator sees the figures of their city only
	city := f.login(f.user(auth.RoleCityCoordinator, auth.NewUser{CityCode: "510700"}))
	cb := city.get("/dashboard", http.StatusOK)
	contains(t, cb, `id="chart-map"`, `<th scope="row">绵阳市</th>`)
	if strings.Contains(cb, `<th scope="row">成都市</th>`) {
		t.Error("a Mianyang coordinator sees Chengdu's figures")
	}
	city.get("/cohorts?edition=jingke-2023", http.StatusOK)
	city.get("/reports?year=2025", http.StatusOK)
	city.get("/persons", http.StatusOK)
	city.get("/imports", http.StatusForbidden)
	// a mentor starts on their workspace
	var mentor int64
	if err := f.st.Pool.QueryRow(context.Background(), `SELECT mentor_id FROM participations
		WHERE mentor_id IS NOT NULL ORDER BY id LIMIT 1`).Scan(&mentor); err != nil {
		t.Fatal(err)
	}
	m := f.login(f.user(auth.RoleMentor, auth.NewUser{MentorID: mentor}))
	if loc := m.do("GET", "/", nil).Header().Get("Location"); loc != "/mentor" {
		t.Errorf("a mentor's start page: %q", loc)
	}
	if !strings.Contains(m.get("/persons", http.StatusOK), `<a href="/persons/`) {
		t.Error("a mentor sees none of their participants")
	}
	m.get("/dashboard", http.StatusForbidden)
}

func TestCohortExplorerAndExports(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c := f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
	body := c.get("/cohorts?edition=jingke-2022&edition=jingke-2023&region=510100&as_of=2026-11-28", http.StatusOK)
	t.Log(regexp.MustCompile(`/cohorts/export[^"]*`).FindAllString(body, -1))
	contains(t, body, `<h2 id="h-jingke-2022">菁科计划 2022 年度`, `<h2 id="h-jingke-2023">菁科计划 2023 年度`,
		`value="jingke-2022" checked`, `<option value="510100" selected>成都市</option>`,
		"/cohorts/export?edition=jingke-2023&amp;region=510100&amp;as_of=2026-11-28&amp;format=xlsx")
	rep, err := report.CohortWithCut(context.Background(), f.st, "jingke-2023", time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC),
		report.Cut{Region: "510100"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "队列人数 "+strconv.Itoa(int(rep.CohortSize))) {
		t.Errorf("the page does not show the cohort size %d", rep.CohortSize)
	}
	// an unknown school is an error next to its field
	bad := c.do("GET", "/cohorts?edition=jingke-2023&school=NOPE", nil)
	if bad.Code != http.StatusUnprocessableEntity || !strings.Contains(bad.Body.String(), `id="school-err"`) {
		t.Errorf("unknown school: %d", bad.Code)
	}

	x := c.do("GET", "/cohorts/export?edition=jingke-2023&region=510100&as_of=2026-11-28&format=xlsx", nil)
	if x.Code != http.StatusOK || x.Header().Get("Content-Type") != report.FormatXLSX.ContentType() ||
		!strings.HasPrefix(x.Body.String(), "PK") ||
		!strings.Contains(x.Header().Get("Content-Disposition"), "cohort-jingke-2023-2026-11-28.xlsx") {
		t.Errorf("xlsx: %d %s %q", x.Code, x.Header().Get("Content-Type"), x.Header().Get("Content-Disposition"))
	}
	csv := c.do("GET", "/cohorts/export?edition=jingke-2023&format=csv&as_of=2026-11-28", nil)
	if csv.Code != http.StatusOK || !strings.Contains(csv.Body.String(), "k,from,to") {
		t.Errorf("csv: %d %.200s", csv.Code, csv.Body.String())
	}
	// the annual report and its download
	contains(t, c.get("/reports?year=2025", http.StatusOK), "年度统计报表", "按状态", "/reports/annual/export?year=2025&amp;format=xlsx")
	a := c.do("GET", "/reports/annual/export?year=2025&format=xlsx", nil)
	if a.Code != http.StatusOK || !strings.HasPrefix(a.Body.String(), "PK") {
		t.Errorf("annual xlsx: %d", a.Code)
	}
}

// TestSchoolFollowUp: a school operator records a contact from the due list, the list
// shrinks, the write is audited with the operator as actor; a bad date is shown next to
// its field; a form without the CSRF token is refused.
func TestSchoolFollowUp(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code, due, _, _ := f.dueSchool()
	op := f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code})
	c := f.login(op)
	body := c.get("/school", http.StatusOK)
	contains(t, body, `<span class="badge" id="due-count">`+strconv.Itoa(due.DueCount)+`</span>`)
	p := due.Persons[0]
	id := strconv.FormatInt(p.PersonID, 10)
	contains(t, body, `id="due-`+id+`"`, `action="/persons/`+id+`/follow-ups"`, p.IDNumberMasked)

	today := vocab.DateOf(time.Now())
	form := url.Values{"contacted_on": {today.AddDate(0, 0, 3).Format(time.DateOnly)}, "channel": {"phone"},
		"outcome": {"reached"}, "return": {"/school"}}
	res := c.post("/persons/"+id+"/follow-ups", form, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="fu-`+id+`-date-err"`, `aria-invalid="true" aria-describedby="fu-`+id+`-date-err"`,
		"不能晚于今天", `<details open>`)

	noCSRF := url.Values{"contacted_on": {today.Format(time.DateOnly)}, "channel": {"phone"}, "outcome": {"reached"},
		"csrf_token": {"forged"}}
	if res := c.do("POST", "/persons/"+id+"/follow-ups", noCSRF); res.Code != http.StatusForbidden {
		t.Fatalf("forged CSRF token: %d", res.Code)
	}

	form.Set("contacted_on", today.Format(time.DateOnly))
	form.Set("notes", "电话回访：已升入高中")
	res = c.post("/persons/"+id+"/follow-ups", form, http.StatusSeeOther)
	if loc := res.Header().Get("Location"); loc != "/school?done=follow_up#due" {
		t.Errorf("redirect %q", loc)
	}
	body = c.get("/school?done=follow_up", http.StatusOK)
	contains(t, body, "已记录联系", `<span class="badge" id="due-count">`+strconv.Itoa(due.DueCount-1)+`</span>`)
	if strings.Contains(body, `id="due-`+id+`"`) {
		t.Error("the contacted person is still due")
	}
	fus, err := f.st.FollowUpList(context.Background(), p.PersonID, false)
	if err != nil {
		t.Fatal(err)
	}
	last := fus[len(fus)-1]
	if last.Notes == nil || *last.Notes != "电话回访：已升入高中" || last.MadeBy == nil || *last.MadeBy != op {
		t.Errorf("follow-up %+v", last)
	}
	recs, err := f.st.AuditList(context.Background(), store.AuditFilter{Entity: ptr("follow_up"), PersonID: &p.PersonID, Limit: 5})
	if err != nil || len(recs) == 0 || recs[0].Actor != op || recs[0].Action != "create" {
		t.Errorf("audit of the follow-up: %v %+v", err, recs)
	}

	// an award and a destination from the person page
	c.post("/persons/"+id+"/awards", url.Values{"competition": {"四川省青少年科技创新大赛"}, "level": {"provincial"},
		"rank": {"一等奖"}, "awarded_on": {today.AddDate(0, -1, 0).Format(time.DateOnly)}}, http.StatusSeeOther)
	c.post("/persons/"+id+"/destinations", url.Values{"type": {"yingcai"}, "org_name": {"四川大学"},
		"started_on": {today.AddDate(0, -2, 0).Format(time.DateOnly)}}, http.StatusSeeOther)
	page := c.get("/persons/"+id, http.StatusOK)
	contains(t, page, "四川省青少年科技创新大赛 · 省级 · 一等奖", "英才计划 · 四川大学", "电话 · 已联系上 · 电话回访：已升入高中")
	// the same award twice is a duplicate, said on the form
	dup := c.post("/persons/"+id+"/awards", url.Values{"competition": {"四川省青少年科技创新大赛"}, "level": {"provincial"},
		"awarded_on": {today.AddDate(0, -1, 0).Format(time.DateOnly)}}, http.StatusUnprocessableEntity)
	contains(t, dup.Body.String(), "field-error")
}

func ptr[T any](v T) *T { return &v }

// TestPersonScopeAndEdit: an operator opens their own person, not another school's (404,
// also for writes); an edit with a stale version is refused and says so.
func TestPersonScopeAndEdit(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code, due, other, otherPerson := f.dueSchool()
	c := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code}))
	mine := strconv.FormatInt(due.Persons[0].PersonID, 10)
	theirs := strconv.FormatInt(otherPerson, 10)
	if other == "" {
		t.Fatal("no second school")
	}
	page := c.get("/persons/"+mine, http.StatusOK)
	contains(t, page, due.Persons[0].IDNumberMasked, `class="timeline"`, `name="version"`)
	// a participation's category shows by its name, never its code
	var cat string
	if err := f.st.Pool.QueryRow(context.Background(), "SELECT category_code FROM participations WHERE person_id = $1 LIMIT 1",
		due.Persons[0].PersonID).Scan(&cat); err != nil {
		t.Fatal(err)
	}
	contains(t, page, `">`+vocab.Categories.Zh(cat)+`</td>`)
	if strings.Contains(page, ">"+cat+"<") {
		t.Errorf("the person page shows the category code %s", cat)
	}
	if regexp.MustCompile(`\b[0-9]{17}[0-9X]\b`).MatchString(page) {
		t.Error("an identity number in clear on the person page")
	}
	c.get("/persons/"+theirs, http.StatusNotFound)
	c.post("/persons/"+theirs+"/follow-ups", url.Values{"contacted_on": {"2026-01-05"}, "channel": {"phone"},
		"outcome": {"reached"}}, http.StatusNotFound)
	// the analyst sees both
	an := f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
	an.get("/persons/"+theirs, http.StatusOK)
	if strings.Contains(an.get("/persons/"+theirs, http.StatusOK), `action="/persons/`+theirs+`"`) {
		t.Error("an analyst is offered the edit form")
	}

	per, err := f.st.PersonGet(context.Background(), due.Persons[0].PersonID)
	if err != nil {
		t.Fatal(err)
	}
	v := strconv.Itoa(per.Version)
	c.post("/persons/"+mine, url.Values{"name": {per.Name + "甲"}, "version": {v}, "phone": {"13800001111"}}, http.StatusSeeOther)
	after, _ := f.st.PersonGet(context.Background(), per.ID)
	if after.Name != per.Name+"甲" || after.PhoneMasked == nil || !strings.HasSuffix(*after.PhoneMasked, "1111") ||
		after.Version != per.Version+1 {
		t.Fatalf("after edit: %+v", after)
	}
	// the same form again carries the old version: refused, nothing saved
	res := c.post("/persons/"+mine, url.Values{"name": {per.Name + "乙"}, "version": {v}}, http.StatusPreconditionFailed)
	contains(t, res.Body.String(), "已被他人修改", `name="version" value="`+strconv.Itoa(after.Version)+`"`, per.Name+"乙")
	if again, _ := f.st.PersonGet(context.Background(), per.ID); again.Name != per.Name+"甲" {
		t.Errorf("a stale edit was saved: %q", again.Name)
	}
	// a bad phone is an error next to the field
	res = c.post("/persons/"+mine, url.Values{"name": {"张三"}, "version": {strconv.Itoa(after.Version)}, "phone": {"12ab"}},
		http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="edit-phone-err"`)
}
