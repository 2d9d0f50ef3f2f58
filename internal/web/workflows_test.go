package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"talentdb/internal/auth"
)

// one reads one row of a query into dest, failing the test when there is none.
func (f *fixture) one(q string, dest ...any) {
	f.t.Helper()
	if err := f.st.Pool.QueryRow(context.Background(), q).Scan(dest...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

// denied asserts that each role's client gets one of the refusals for path.
func denied(t *testing.T, path string, clients ...*client) {
	t.Helper()
	for _, c := range clients {
		if res := c.do("GET", path, nil); res.Code != http.StatusForbidden && res.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 403 or 404", path, res.Code)
		}
	}
}

// TestMentorWorkspace: a mentor lists their participants, answers a growth-log entry (the
// feedback is stored with them as its author), sets a task and marks it done; an empty
// feedback is an error next to its box; another mentor's participant is 404 and the
// workspace is refused to roles that are not the mentor's or the office's.
func TestMentorWorkspace(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var mentor, pid, logID, otherPid int64
	var name string
	f.one(`SELECT pa.mentor_id, pa.id, g.id, p.name FROM growth_logs g JOIN participations pa ON pa.id = g.participation_id
		JOIN persons p ON p.id = pa.person_id WHERE pa.status = 'admitted' AND p.consent_state IN ('not_required', 'granted')
		ORDER BY g.id LIMIT 1`, &mentor, &pid, &logID, &name)
	f.one(fmt.Sprintf(`SELECT pa.id FROM participations pa WHERE pa.mentor_id <> %d AND pa.status = 'admitted' ORDER BY id LIMIT 1`, mentor), &otherPid)
	m := f.login(f.user(auth.RoleMentor, auth.NewUser{MentorID: mentor}))

	if res := m.do("GET", "/", nil); res.Header().Get("Location") != "/mentor" {
		t.Errorf("a mentor's start page: %s", res.Header().Get("Location"))
	}
	list := m.get("/mentor", http.StatusOK)
	contains(t, list, "我的学员", fmt.Sprintf(`href="/mentor/participants/%d"`, pid), name, `href="/mentor" aria-current="page"`)
	if strings.Contains(list, ">jingke-") {
		t.Error("the workspace shows an edition id")
	}
	path := fmt.Sprintf("/mentor/participants/%d", pid)
	page := m.get(path, http.StatusOK)
	contains(t, page, "成长日志", fmt.Sprintf(`id="log-%d"`, logID), "保存反馈", "布置任务", "导师评价")

	fb := fmt.Sprintf("%s/growth-logs/%d/feedback", path, logID)
	res := m.post(fb, url.Values{"feedback": {""}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), fmt.Sprintf(`id="fb-%d-err"`, logID), "此项必填")
	res = m.post(fb, url.Values{"feedback": {"观察记录很细致，下周试试对照实验。"}}, http.StatusSeeOther)
	if loc := res.Header().Get("Location"); !strings.Contains(loc, "done=feedback") {
		t.Errorf("after feedback: %s", loc)
	}
	var got, by string
	f.one(fmt.Sprintf(`SELECT mentor_feedback, feedback_by FROM growth_logs WHERE id = %d`, logID), &got, &by)
	if got != "观察记录很细致，下周试试对照实验。" || !strings.HasPrefix(by, "mentor_") {
		t.Errorf("feedback %q by %q", got, by)
	}
	contains(t, m.get(path+"?done=feedback", http.StatusOK), "已保存反馈。", "观察记录很细致")

	res = m.post(path+"/tasks", url.Values{"title": {"阅读一篇科普文章"}, "due_on": {"不是日期"}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="task-due-err"`, "日期格式应为 YYYY-MM-DD")
	res = m.post(path+"/tasks", url.Values{"title": {"阅读一篇科普文章"}, "due_on": {"2099-01-31"}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="task-due-err"`) // after the edition
	var due string
	f.one(fmt.Sprintf(`SELECT e.ends_on::text FROM participations pa JOIN editions e ON e.id = pa.edition_id WHERE pa.id = %d`, pid), &due)
	m.post(path+"/tasks", url.Values{"title": {"阅读一篇科普文章"}, "due_on": {due}}, http.StatusSeeOther)
	var task int64
	f.one(fmt.Sprintf(`SELECT id FROM tasks WHERE participation_id = %d AND title = '阅读一篇科普文章'`, pid), &task)
	m.post(fmt.Sprintf("%s/tasks/%d/complete", path, task), url.Values{"done": {"1"}}, http.StatusSeeOther)
	var done bool
	f.one(fmt.Sprintf(`SELECT completed_on IS NOT NULL FROM tasks WHERE id = %d`, task), &done)
	if !done {
		t.Error("the task is not marked done")
	}

	for _, code := range []string{">admitted<", ">mentor<", ">jingke"} {
		if strings.Contains(page, code) {
			t.Errorf("the participant page shows the code %s", code)
		}
	}
	contains(t, page, "已录取")
	contains(t, m.get(path+"?lang=en", http.StatusOK), "Growth log", "Save feedback", "admitted")
	m.get(fmt.Sprintf("/mentor/participants/%d", otherPid), http.StatusNotFound)
	m.post(fmt.Sprintf("/mentor/participants/%d/tasks", otherPid), url.Values{"title": {"x"}, "due_on": {"2099-01-31"}}, http.StatusNotFound)
	op, _, _ := f.dueOperator()
	denied(t, "/mentor", op, f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{})))
}

// TestAwardQueue: the office verifies an award from the queue (it leaves the queue,
// verified by them); a rejection without a note is an error next to the note; other roles
// are refused the queue.
func TestAwardQueue(t *testing.T) {
	t.Parallel()
	f := setup(t)
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	page := admin.get("/office/awards", http.StatusOK)
	m := regexp.MustCompile(`id="award-(\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no award in the queue: %.2000s", page)
	}
	id := m[1]
	contains(t, page, "待核实的获奖", "核实无误", "不予认定")
	res := admin.post("/office/awards/"+id+"/verify", url.Values{"state": {"rejected"}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="vf-`+id+`-note-err"`, "不予认定须说明理由")
	admin.post("/office/awards/"+id+"/verify", url.Values{"state": {"verified"}, "note": {"证书原件已核对"}}, http.StatusSeeOther)
	var state, by string
	f.one(`SELECT verification, verified_by FROM awards WHERE id = `+id, &state, &by)
	if state != "verified" || !strings.HasPrefix(by, "office_admin_") {
		t.Errorf("award %s: %s by %s", id, state, by)
	}
	if strings.Contains(admin.get("/office/awards", http.StatusOK), `id="award-`+id+`"`) {
		t.Error("a verified award stays in the queue")
	}
	op, _, _ := f.dueOperator()
	denied(t, "/office/awards", op, f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{})))
	op.post("/office/awards/"+id+"/verify", url.Values{"state": {"rejected"}, "note": {"x"}}, http.StatusForbidden)
}

// TestSelectionAdmit: the office admits a recommended nominee whose notice has ended,
// with a mentor; without a mentor the choice is an error next to it; a notice ending
// before it starts is refused next to its dates; a school operator is refused the page.
func TestSelectionAdmit(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var pid int64
	var edition, school string
	f.one(`SELECT pa.id, pa.edition_id, o.code FROM participations pa JOIN organizations o ON o.id = pa.school_id
		JOIN persons p ON p.id = pa.person_id WHERE pa.status = 'recommended' AND person_listed(p.consent_state)
		AND pa.edition_id LIKE 'jingke-%' ORDER BY pa.id LIMIT 1`, &pid, &edition, &school)
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	overview := admin.get("/office/selection?edition="+edition, http.StatusOK)
	contains(t, overview, "选拔、公示与录取", "school="+school)
	path := "/office/selection?" + url.Values{"edition": {edition}, "school": {school}}.Encode()
	page := admin.get(path, http.StatusOK)
	contains(t, page, fmt.Sprintf(`action="/office/nominees/%d/admit"`, pid), "发布公示", "已推荐，待录取")
	m := regexp.MustCompile(`<option value="(\d+)">`).FindStringSubmatch(page[strings.Index(page, fmt.Sprintf("ad-%d-mentor", pid)):])
	if m == nil {
		t.Fatal("no mentor to choose")
	}
	admit := fmt.Sprintf("/office/nominees/%d/admit", pid)
	res := admin.post(admit, url.Values{"mentor_id": {""}, "return": {path}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), fmt.Sprintf(`id="ad-%d-mentor-err"`, pid), "此项必填")
	res = admin.post(admit, url.Values{"mentor_id": {m[1]}, "return": {path}}, http.StatusSeeOther)
	if loc := res.Header().Get("Location"); !strings.Contains(loc, "done=admitted") || !strings.Contains(loc, "school="+school) {
		t.Errorf("after admission: %s", loc)
	}
	var status string
	var mentor int64
	f.one(fmt.Sprintf(`SELECT status, mentor_id FROM participations WHERE id = %d`, pid), &status, &mentor)
	if status != "admitted" || strconv.FormatInt(mentor, 10) != m[1] {
		t.Errorf("nominee %d: %s with mentor %d", pid, status, mentor)
	}

	res = admin.post("/office/notices", url.Values{"edition": {edition}, "school_code": {school}, "starts_on": {"2026-06-10"},
		"ends_on": {"2026-06-01"}, "return": {path}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="nt-ends_on-err"`)
	op, _, _ := f.dueOperator()
	denied(t, "/office/selection", op, f.login(f.user(auth.RoleMentor, auth.NewUser{MentorID: mentor})))
}

// TestApplicationReview: the office approves a submitted application; rejecting one
// without a comment is the door's error next to the comment; others are refused.
func TestApplicationReview(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var id1, id2 int64
	var edition string
	f.one(`SELECT min(id), max(id), min(edition_id) FROM applications WHERE status = 'submitted'
		GROUP BY edition_id HAVING count(*) >= 1 ORDER BY 1 LIMIT 1`, &id1, &id2, &edition)
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	page := admin.get("/office/applications?edition="+edition, http.StatusOK)
	contains(t, page, "申报书审核", fmt.Sprintf(`id="app-%d"`, id1), "提交审核结果", "选拔：")
	ret := "/office/applications?edition=" + edition + "&status=submitted"
	res := admin.post(fmt.Sprintf("/office/applications/%d/review", id1), url.Values{"decision": {"reject"}, "return": {ret}},
		http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), fmt.Sprintf(`id="rv-%d-comment-err"`, id1))
	admin.post(fmt.Sprintf("/office/applications/%d/review", id1), url.Values{"decision": {"approve"}, "return": {ret}},
		http.StatusSeeOther)
	var status string
	f.one(fmt.Sprintf(`SELECT status FROM applications WHERE id = %d`, id1), &status)
	if status != "approved" {
		t.Errorf("application %d: %s", id1, status)
	}
	op, _, _ := f.dueOperator()
	denied(t, "/office/applications", op, f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{})))
}

// TestPublishReports: the office publishes the annual report twice; the second's page
// compares it with the first and with a recomputation, figures named in words; a year
// that is not a number is an error next to it; an analyst is refused.
func TestPublishReports(t *testing.T) {
	t.Parallel()
	f := setup(t)
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	contains(t, admin.get("/office/reports", http.StatusOK), "发布并冻结报表")
	res := admin.post("/office/reports", url.Values{"kind": {"annual"}, "year": {"二〇二五"}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="fz-year-err"`, "请填写数字")
	var loc string
	for range 2 {
		res = admin.post("/office/reports", url.Values{"kind": {"annual"}, "year": {"2025"}}, http.StatusSeeOther)
		loc = res.Header().Get("Location")
	}
	if !strings.HasPrefix(loc, "/office/reports/") {
		t.Fatalf("after freezing: %s", loc)
	}
	page := admin.get(loc, http.StatusOK)
	contains(t, page, "报表已发布并冻结。", "2025 年", "与上一次发布相比", "上一次发布于", "与现在重新计算相比", "没有差异。")
	if strings.Contains(page, "这是该报表的第一次发布") {
		t.Error("the second publication does not find the first")
	}
	denied(t, "/office/reports", f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{})))
}

// TestPasswordReset: the office resets a password, a generated one shown once, after which
// the old password no longer signs in; a weak password is refused next to the field.
func TestPasswordReset(t *testing.T) {
	t.Parallel()
	f := setup(t)
	name := f.user(auth.RoleOfficeAnalyst, auth.NewUser{})
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	contains(t, admin.get("/admin/users/"+name+"/password", http.StatusOK), "重置密码", name)
	res := admin.post("/admin/users/"+name+"/password", url.Values{"password": {"123"}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="pw-password-err"`)
	res = admin.post("/admin/users/"+name+"/password", url.Values{"password": {""}}, http.StatusOK)
	m := regexp.MustCompile(`<code class="secret">([^<]+)</code>`).FindStringSubmatch(res.Body.String())
	if m == nil {
		t.Fatalf("no generated password shown: %.2000s", res.Body.String())
	}
	if _, err := f.auth.Login(context.Background(), auth.LoginRequest{Username: name, Password: testPassword}); err == nil {
		t.Error("the old password still signs in")
	}
	admin.get("/admin/users/nobody_here/password", http.StatusOK)
	admin.post("/admin/users/nobody_here/password", url.Values{"password": {""}}, http.StatusNotFound)
	denied(t, "/admin/users/"+name+"/password", f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{})))
}

// TestObjections: the office records an objection against a nominee on public notice,
// dated within the notice (an empty text is an error next to it), and resolves it; a date
// outside the notice is the door's refusal next to the date.
func TestObjections(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var pid int64
	var edition, school, starts, before string
	f.one(`SELECT pa.id, pa.edition_id, o.code, n.starts_on::text, (n.starts_on - 1)::text FROM participations pa
		JOIN public_notice_nominees pn ON pn.participation_id = pa.id JOIN public_notices n ON n.id = pn.notice_id
		JOIN organizations o ON o.id = pa.school_id JOIN persons p ON p.id = pa.person_id
		WHERE pa.status = 'publicized' AND person_listed(p.consent_state) AND n.starts_on <= current_date
		ORDER BY pa.id LIMIT 1`, &pid, &edition, &school, &starts, &before)
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	path := "/office/selection?" + url.Values{"edition": {edition}, "school": {school}}.Encode()
	contains(t, admin.get(path, http.StatusOK), fmt.Sprintf(`action="/office/nominees/%d/objections"`, pid))
	lodge := fmt.Sprintf("/office/nominees/%d/objections", pid)
	res := admin.post(lodge, url.Values{"lodged_on": {starts}, "content": {""}, "return": {path}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), fmt.Sprintf(`id="ob-%d-content-err"`, pid), "此项必填")
	res = admin.post(lodge, url.Values{"lodged_on": {before}, "content": {"材料与事实不符"}, "return": {path}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), fmt.Sprintf(`id="ob-%d-on-err"`, pid))
	admin.post(lodge, url.Values{"lodged_on": {starts}, "content": {"材料与事实不符"}, "return": {path}}, http.StatusSeeOther)
	var obj int64
	f.one(fmt.Sprintf(`SELECT id FROM objections WHERE participation_id = %d AND content = '材料与事实不符'`, pid), &obj)
	page := admin.get(path, http.StatusOK)
	contains(t, page, fmt.Sprintf(`id="objection-%d"`, obj), "材料与事实不符")
	resolve := fmt.Sprintf("/office/objections/%d/resolve", obj)
	res = admin.post(resolve, url.Values{"outcome": {"maybe"}, "resolution": {"核查属实"}, "return": {path}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), fmt.Sprintf(`id="rs-%d-outcome-err"`, obj))
	admin.post(resolve, url.Values{"outcome": {"dismissed"}, "resolution": {"经核查，材料属实"}, "return": {path}}, http.StatusSeeOther)
	var outcome string
	f.one(fmt.Sprintf(`SELECT outcome FROM objections WHERE id = %d`, obj), &outcome)
	if outcome != "dismissed" {
		t.Errorf("objection %d: %s", obj, outcome)
	}
}
