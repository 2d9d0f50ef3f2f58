package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/config"
	"talentdb/internal/cycle"
	"talentdb/internal/report"
)

// testClock is the clock of the cycle's rules in a test: a day in China, moved by set.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// set moves the clock to 10:00 in China on day (YYYY-MM-DD).
func (c *testClock) set(t *testing.T, day string) {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, cycle.China)
	if err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = d.Add(10 * time.Hour)
}

// cycleFixture is the API with authentication switched on and the cycle's clock pinned,
// plus an office administrator's credentials.
type cycleFixture struct {
	*fixture
	clock  *testClock
	office string // Authorization header value of an office_admin
}

func setupCycle(t *testing.T) *cycleFixture {
	t.Helper()
	clk := &testClock{}
	clk.set(t, "2026-02-10")
	f := setup(t, withConfig(config.Config{MaxBodyBytes: 1 << 20}), withCycleClock(clk.Now))
	return &cycleFixture{fixture: f, clock: clk, office: authtest.Bearer(t, f.st, auth.RoleOfficeAdmin)}
}

// as sends a request with the credentials cred.
func (f *cycleFixture) as(cred, method, path string, body any, headers ...string) resp {
	f.t.Helper()
	return f.do(method, path, body, append([]string{"Authorization", cred}, headers...)...)
}

// org creates an organization as the office.
func (f *cycleFixture) org(code, kind, typ, region string) map[string]any {
	f.t.Helper()
	body := map[string]any{"code": code, "name": "单位" + code, "kind": kind, "region_code": region}
	if typ != "" {
		body["type"] = typ
	}
	return f.as(f.office, "POST", "/api/v1/organizations", body).want(http.StatusCreated).json()
}

// person creates a person as the office, in the scope of the school with code school
// when one is given (a school nominates only persons it already sees).
func (f *cycleFixture) person(name, birth, seq string, school ...string) int64 {
	f.t.Helper()
	body := map[string]any{"id_number": idNumber(f.t, birth, seq), "name": name}
	if len(school) > 0 {
		body["school_code"] = school[0]
	}
	return f.consented(f.as(f.office, "POST", "/api/v1/persons", body).want(http.StatusCreated).json())
}

// consented records a guardian's consent for a child created pending (the cycle's
// participants are mostly under 14) and returns the person's id.
func (f *cycleFixture) consented(p map[string]any) int64 {
	f.t.Helper()
	if p["consent_state"] == "pending" {
		f.as(f.office, "POST", fmt.Sprintf("/api/v1/persons/%d/consents", num(p["id"])), map[string]any{
			"guardian_name": "家长", "relationship": "mother", "method": "paper", "scope": "参与菁科计划",
			"granted_on": "2026-01-05"}).want(http.StatusCreated)
	}
	return num(p["id"])
}

// personOf creates a person as the account cred (a school's own new person).
func (f *cycleFixture) personOf(cred, name, birth, seq string) int64 {
	f.t.Helper()
	return f.consented(f.as(cred, "POST", "/api/v1/persons", map[string]any{"id_number": idNumber(f.t, birth, seq),
		"name": name}).want(http.StatusCreated).json())
}

// mentor inserts a mentor of the institution with code inst and returns its id.
func (f *cycleFixture) mentor(name, inst string) int64 {
	f.t.Helper()
	var id int64
	if err := f.st.Pool.QueryRow(context.Background(), `INSERT INTO mentors (name, institution_id)
		SELECT $1, id FROM organizations WHERE code = $2 RETURNING id`, name, inst).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// applicationBody2026 is a complete application form for jingke-2026.
func applicationBody2026(school string) map[string]any {
	return map[string]any{"edition": "jingke-2026", "school_code": school, "unit_name": "成都市锦江区第一小学",
		"unit_type": "primary", "address": "成都市锦江区春熙路1号", "postal_code": "610021",
		"head": map[string]any{"name": "李校长", "title": "校长", "office_phone": "028-86660001", "mobile": "13800000001",
			"email": "head@example.cn", "fax": "028-86660002"},
		"lead": map[string]any{"name": "王老师", "title": "科技教师", "office_phone": "028-86660003",
			"mobile": "13800000002", "email": "lead@example.cn"},
		"phases": map[string]any{
			"selection": map[string]any{"content": "宣讲报名、综合考察、校内公示并推荐", "starts_on": "2026-03-01",
				"ends_on": "2026-04-15"},
			"daily_management": map[string]any{"content": "配合导师组织培养，填写成长日志，开展安全教育",
				"starts_on": "2026-04-16", "ends_on": "2027-01-10"},
			"summary_evaluation": map[string]any{"content": "学生评价与学校工作总结", "starts_on": "2027-01-11",
				"ends_on": "2027-02-28"},
		},
		"conditions": map[string]any{"organization": "校长任组长的项目领导小组", "staff": "科技辅导员3名",
			"environment": "科学实验室、创客空间", "track_record": "近三年获省级奖项5项", "rules": "项目管理与安全制度",
			"funding": "专项经费5万元"}}
}

// TestCycleEndToEnd walks one edition through the API: application (returned, edited,
// approved), nomination, public notice with an objection (resolved), recommendation,
// admission, growth logs and tasks, evaluation and completion; the participant is then in
// the cohort report and every step is in their timeline. Each refused step answers a
// problem with a stable type and the field.
func TestCycleEndToEnd(t *testing.T) {
	t.Parallel()
	f := setupCycle(t)
	f.org("BS01", "school", "primary", "510104")
	f.org("BS02", "school", "primary", "510107")
	f.org("INST1", "institution", "university", "510100")
	f.as(f.office, "POST", "/api/v1/editions", map[string]any{"id": "jingke-2026"}).want(http.StatusCreated)
	mentorID := f.mentor("陈导师", "INST1")
	school := authtest.Bearer(t, f.st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "BS01"})
	other := authtest.Bearer(t, f.st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "BS02"})
	mentor := authtest.Bearer(t, f.st, auth.RoleMentor, authtest.Scope{MentorID: mentorID})
	student := f.person("张小明", "20150506", "011", "BS01")
	ninth := f.person("李九年", "20120101", "021", "BS01")

	// --- application (申报书), 2026-02-10
	app := f.as(school, "POST", "/api/v1/applications", applicationBody2026("")).want(http.StatusCreated).json()
	appPath := fmt.Sprintf("/api/v1/applications/%d", num(app["id"]))
	if app["status"] != "draft" || app["school_code"] != "BS01" || app["head"].(map[string]any)["fax"] != "028-86660002" {
		t.Fatalf("application %v", app)
	}
	f.as(other, "GET", appPath, nil).problem(http.StatusNotFound, "not-found", "")
	f.as(school, "POST", "/api/v1/applications", applicationBody2026("")).problem(http.StatusConflict, "conflict", "edition")
	bad := applicationBody2026("")
	bad["edition"] = "jingke-2026"
	bad["phases"].(map[string]any)["selection"].(map[string]any)["ends_on"] = "2027-03-15"
	f.as(other, "POST", "/api/v1/applications", bad).problem(http.StatusUnprocessableEntity, "rule-violation", "phases.selection.ends_on")

	// nominating before the application is approved is refused
	nominate := map[string]any{"person_id": student, "edition": "jingke-2026", "category": "robotics", "grade": "5"}
	f.as(school, "POST", "/api/v1/nominations", nominate).problem(http.StatusUnprocessableEntity, "rule-violation", "school_code")

	f.as(school, "POST", appPath+"/submit", nil).want(http.StatusOK)
	f.as(school, "POST", appPath+"/review", map[string]any{"decision": "approve"}).problem(http.StatusForbidden, "forbidden", "")
	f.as(f.office, "POST", appPath+"/review", map[string]any{"decision": "return"}).problem(http.StatusUnprocessableEntity, "rule-violation", "comment")
	ret := f.as(f.office, "POST", appPath+"/review", map[string]any{"decision": "return", "comment": "请补充经费保障说明"}).
		want(http.StatusOK).json()
	if ret["status"] != "returned" || ret["review_comment"] != "请补充经费保障说明" || ret["reviewed_by"] == nil {
		t.Fatalf("returned %v", ret)
	}
	edited := f.as(school, "PATCH", appPath, map[string]any{"conditions": map[string]any{"funding": "专项经费8万元，专款专用"}},
		ifMatch(ret["version"])...).want(http.StatusOK).json()
	if c := edited["conditions"].(map[string]any); c["funding"] != "专项经费8万元，专款专用" || c["staff"] != "科技辅导员3名" {
		t.Fatalf("conditions not merged: %v", c)
	}
	f.as(school, "POST", appPath+"/submit", nil).want(http.StatusOK)
	approved := f.as(f.office, "POST", appPath+"/review", map[string]any{"decision": "approve", "comment": "同意立项"}).
		want(http.StatusOK).json()
	if approved["status"] != "approved" || approved["applied_on"] != "2026-02-10" {
		t.Fatalf("approved %v", approved)
	}
	f.as(school, "PATCH", appPath, map[string]any{"unit_name": "改名"}, ifMatch(approved["version"])...).
		problem(http.StatusUnprocessableEntity, "rule-violation", "status")

	// the filled form
	x := f.as(school, "GET", appPath+".xlsx", nil).want(http.StatusOK)
	checkForm(t, x.Body.Bytes())

	// --- selection, 2026-03-05
	f.clock.set(t, "2026-03-05")
	p := f.as(school, "POST", "/api/v1/nominations", nominate).want(http.StatusCreated).json()
	pid := num(p["id"])
	pPath := fmt.Sprintf("/api/v1/participations/%d", pid)
	if p["status"] != "registered" || !strings.HasPrefix(p["registered_at"].(string), "2026-03-05T02:00:00") {
		t.Fatalf("registered %v", p)
	}
	f.as(school, "POST", "/api/v1/nominations", nominate).problem(http.StatusConflict, "conflict", "edition")
	f.as(school, "POST", "/api/v1/nominations", map[string]any{"person_id": ninth, "edition": "jingke-2026",
		"category": "math", "grade": "9"}).problem(http.StatusUnprocessableEntity, "rule-violation", "grade")
	f.as(other, "POST", pPath+"/transitions", map[string]any{"to": "reviewed"}).problem(http.StatusNotFound, "not-found", "")

	step := func(cred, to string, extra map[string]any) resp {
		t.Helper()
		body := map[string]any{"to": to}
		for k, v := range extra {
			body[k] = v
		}
		return f.as(cred, "POST", pPath+"/transitions", body)
	}
	step(school, "reviewed", nil).want(http.StatusOK)
	step(school, "publicized", nil).problem(http.StatusUnprocessableEntity, "rule-violation", "notice_id")
	f.clock.set(t, "2026-03-18")
	notice := f.as(school, "POST", "/api/v1/public-notices", map[string]any{"edition": "jingke-2026",
		"starts_on": "2026-03-20", "ends_on": "2026-03-26"}).want(http.StatusCreated).json()
	f.clock.set(t, "2026-03-20")
	pub := step(school, "publicized", nil).want(http.StatusOK).json()
	if pub["status"] != "publicized" || pub["publicized_at"] == nil {
		t.Fatalf("publicized %v", pub)
	}
	if n := f.as(school, "GET", fmt.Sprintf("/api/v1/public-notices/%d", num(notice["id"])), nil).want(http.StatusOK).json(); num(n["nominees"]) != 1 {
		t.Fatalf("notice %v", n)
	}
	f.clock.set(t, "2026-03-22")
	obj := f.as(school, "POST", pPath+"/objections", map[string]any{"lodged_on": "2026-03-22",
		"content": "反映该生获奖证书日期有误"}).want(http.StatusCreated).json()
	f.as(school, "POST", pPath+"/objections", map[string]any{"lodged_on": "2026-03-28", "content": "x"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "lodged_on")
	f.clock.set(t, "2026-03-24")
	step(school, "recommended", nil).problem(http.StatusUnprocessableEntity, "rule-violation", "notice_id") // notice runs
	f.clock.set(t, "2026-03-27")
	step(school, "recommended", nil).problem(http.StatusUnprocessableEntity, "rule-violation", "objections") // unresolved
	if open, _ := f.as(school, "GET", "/api/v1/objections?open=true", nil).items(); len(open) != 1 {
		t.Fatalf("open objections %v", open)
	}
	res := f.as(school, "POST", fmt.Sprintf("/api/v1/objections/%d/resolve", num(obj["id"])), map[string]any{
		"outcome": "dismissed", "resolution": "经核实系笔误，维持推荐"}).want(http.StatusOK).json()
	if res["resolved"] != true || res["outcome"] != "dismissed" {
		t.Fatalf("resolved %v", res)
	}
	step(school, "recommended", nil).want(http.StatusOK)

	// admission by the office, with a mentor (the institution is the mentor's)
	f.clock.set(t, "2026-04-01")
	step(school, "admitted", map[string]any{"mentor_id": mentorID}).problem(http.StatusForbidden, "forbidden", "")
	adm := step(f.office, "admitted", map[string]any{"mentor_id": mentorID}).want(http.StatusOK).json()
	if adm["status"] != "admitted" || adm["institution_code"] != "INST1" || num(adm["mentor_id"]) != mentorID {
		t.Fatalf("admitted %v", adm)
	}
	step(f.office, "completed", nil).problem(http.StatusUnprocessableEntity, "rule-violation", "to")
	f.as(f.office, "PATCH", pPath, map[string]any{"status": "completed"}, ifMatch(adm["version"])...).
		problem(http.StatusUnprocessableEntity, "rule-violation", "status")

	// --- daily management
	f.clock.set(t, "2026-05-10")
	logs := pPath + "/growth-logs"
	f.as(school, "POST", logs, map[string]any{"entry_on": "2026-05-01", "content": "阅读导师推荐的科普书籍"}).want(http.StatusCreated)
	g := f.as(school, "POST", logs, map[string]any{"entry_on": "2026-05-09", "content": "完成第一次对照实验"}).
		want(http.StatusCreated).json()
	f.as(school, "POST", logs, map[string]any{"entry_on": "2026-05-11", "content": "明天"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "entry_on")
	f.as(mentor, "POST", logs, map[string]any{"entry_on": "2026-05-09", "content": "x"}).problem(http.StatusForbidden, "forbidden", "")
	fb := f.as(mentor, "POST", fmt.Sprintf("/api/v1/growth-logs/%d/feedback", num(g["id"])), map[string]any{
		"feedback": "记录认真，注意控制变量"}).want(http.StatusOK).json()
	if fb["mentor_feedback"] != "记录认真，注意控制变量" || fb["feedback_by"] == nil {
		t.Fatalf("feedback %v", fb)
	}
	task := f.as(mentor, "POST", pPath+"/tasks", map[string]any{"title": "提交研究计划", "due_on": "2026-06-30"}).
		want(http.StatusCreated).json()
	f.as(school, "POST", pPath+"/tasks", map[string]any{"title": "x", "due_on": "2026-06-30"}).problem(http.StatusForbidden, "forbidden", "")

	f.clock.set(t, "2026-07-15")
	behind := f.as(mentor, "GET", "/api/v1/cycle/behind?edition=jingke-2026", nil).want(http.StatusOK).json()
	items := behind["items"].([]any)
	if len(items) != 1 || behind["as_of"] != "2026-07-15" {
		t.Fatalf("behind %v", behind)
	}
	if b := items[0].(map[string]any); b["growth_log_behind"] != true || num(b["overdue_tasks"]) != 1 ||
		b["last_growth_log_on"] != "2026-05-09" || b["oldest_overdue_on"] != "2026-06-30" {
		t.Fatalf("behind line %v", b)
	}
	if b := f.as(other, "GET", "/api/v1/cycle/behind?edition=jingke-2026", nil).want(http.StatusOK).json(); num(b["count"]) != 0 {
		t.Fatalf("another school sees %v", b)
	}
	f.as(school, "POST", fmt.Sprintf("/api/v1/tasks/%d/complete", num(task["id"])), nil).want(http.StatusOK)
	f.as(school, "POST", logs, map[string]any{"entry_on": "2026-07-10", "content": "整理实验数据"}).want(http.StatusCreated)
	if b := f.as(school, "GET", "/api/v1/cycle/behind?edition=jingke-2026", nil).want(http.StatusOK).json(); num(b["count"]) != 0 {
		t.Fatalf("still behind %v", b)
	}

	// --- summary evaluation: opens with the school's summary phase (2027-01-11)
	f.clock.set(t, "2027-01-05")
	eval := pPath + "/evaluation"
	f.as(mentor, "POST", eval, map[string]any{"evaluation": "excellent"}).problem(http.StatusUnprocessableEntity, "rule-violation", "evaluation")
	f.clock.set(t, "2027-01-20")
	f.as(school, "POST", eval, map[string]any{"evaluation": "pass"}).problem(http.StatusUnprocessableEntity, "rule-violation", "evaluation")
	f.as(mentor, "POST", eval, map[string]any{"evaluation": "excellent", "comment": "研究能力突出"}).want(http.StatusOK)
	ev := f.as(school, "POST", eval, map[string]any{"evaluation": "pass", "comment": "按时完成各项任务"}).want(http.StatusOK).json()
	if ev["status"] != "completed" || ev["evaluation"] != "pass" || ev["mentor"].(map[string]any)["evaluation"] != "excellent" ||
		ev["completed_at"] == nil {
		t.Fatalf("evaluation %v", ev)
	}
	f.as(school, "POST", eval, map[string]any{"evaluation": "fail"}).problem(http.StatusUnprocessableEntity, "rule-violation", "evaluation")

	ys := f.as(school, "POST", "/api/v1/year-summaries", map[string]any{"edition": "jingke-2026",
		"content": "本年度培养学员1名，完成各阶段工作"}).want(http.StatusCreated).json()
	f.as(school, "POST", fmt.Sprintf("/api/v1/year-summaries/%d/submit", num(ys["id"])), nil).want(http.StatusOK)
	f.as(f.office, "POST", "/api/v1/exchange-recommendations", map[string]any{"participation_id": pid,
		"activity": "四川省青少年科技夏令营"}).want(http.StatusCreated)
	f.as(f.office, "POST", "/api/v1/typical-cases", map[string]any{"edition": "jingke-2026", "school_code": "BS01",
		"title": "从兴趣到研究：一名小学生的机器人之路", "body": "……", "reported_on": "2027-01-20",
		"person_ids": []int64{student}}).want(http.StatusCreated)

	// the completed participant is in the cohort report
	rep, err := report.Cohort(context.Background(), f.st, "jingke-2026", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if rep.CohortSize != 1 {
		t.Fatalf("cohort %+v", rep)
	}

	// every step is in the person's timeline, with its date and the audited transition
	tl := f.as(f.office, "GET", fmt.Sprintf("/api/v1/persons/%d/timeline", student), nil).want(http.StatusOK).json()
	steps := map[string]string{}
	transitions := map[string]bool{}
	for _, e := range tl["events"].([]any) {
		ev := e.(map[string]any)
		kind := ev["kind"].(string)
		if strings.HasPrefix(kind, "participation.") {
			steps[strings.TrimPrefix(kind, "participation.")] = ev["on"].(string)
		}
		if kind == "edit.transition" && ev["entity"] == "participation" {
			ch := ev["detail"].(map[string]any)["changes"].(map[string]any)["status"].(map[string]any)
			transitions[fmt.Sprint(ch["from"], "→", ch["to"])] = true
		}
	}
	want := map[string]string{"registered": "2026-03-05", "reviewed": "2026-03-05", "publicized": "2026-03-20",
		"recommended": "2026-03-27", "admitted": "2026-04-01", "completed": "2027-01-20", "evaluated": "2027-01-20"}
	for k, v := range want {
		if steps[k] != v {
			t.Errorf("timeline step %s on %q, want %s (all: %v)", k, steps[k], v, steps)
		}
	}
	for _, tr := range []string{"registered→reviewed", "reviewed→publicized", "publicized→recommended",
		"recommended→admitted", "admitted→completed"} {
		if !transitions[tr] {
			t.Errorf("timeline lacks transition %s (has %v)", tr, transitions)
		}
	}
}

// checkForm opens the XLSX form and checks the title, the basic-info table, the schedule
// and the conditions.
func checkForm(t *testing.T, b []byte) {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("form is not XLSX: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows("申报书")
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, r := range rows {
		all = append(all, strings.Join(r, "|"))
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{"2026年“菁科计划”项目申报书", "单位名称|成都市锦江区第一小学|单位类别|小学",
		"单位负责人|李校长|职称/职务|校长", "电子邮件|head@example.cn|传  真|028-86660002",
		"选拔学生|宣讲报名、综合考察、校内公示并推荐||2026年3月1日 至 2026年4月15日", "总结评估|学生评价与学校工作总结",
		"经费保障|专项经费8万元，专款专用", "申报日期：2026年2月10日", "项目负责人（签字）："} {
		if !strings.Contains(text, want) {
			t.Errorf("form lacks %q:\n%s", want, text)
		}
	}
}
