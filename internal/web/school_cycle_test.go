package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"talentdb/internal/auth"
)

// cycleSchools are two schools of the demo data for the school's cycle page in the newest
// open jingke edition: one with an approved application, admitted participants and a
// person of its own not nominated yet (with the consent the nomination needs), and one
// with no application at all.
func (f *fixture) cycleSchools() (edition, approved, fresh string, candidate int64) {
	f.t.Helper()
	f.one(`SELECT e.id, o.code, p.id FROM applications a JOIN editions e ON e.id = a.edition_id
		JOIN organizations o ON o.id = a.school_id JOIN persons p ON p.school_id = o.id
		WHERE a.status = 'approved' AND e.status = 'open' AND e.program = 'jingke'
		  AND p.consent_state IN ('not_required', 'granted') AND p.merged_into IS NULL
		  AND NOT EXISTS (SELECT 1 FROM participations x WHERE x.person_id = p.id AND x.edition_id = e.id)
		  AND EXISTS (SELECT 1 FROM participations x JOIN persons y ON y.id = x.person_id
			WHERE x.school_id = o.id AND x.edition_id = e.id AND x.status = 'admitted' AND y.consent_state IN ('not_required', 'granted'))
		  AND NOT EXISTS (SELECT 1 FROM year_summaries y WHERE y.school_id = o.id AND y.edition_id = e.id)
		ORDER BY e.year DESC, o.id, p.id LIMIT 1`, &edition, &approved, &candidate)
	f.one(fmt.Sprintf(`SELECT o.code FROM organizations o WHERE o.kind = 'school' AND o.type IN ('primary', 'junior_high', 'nine_year')
		AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.school_id = o.id AND a.edition_id = '%s')
		ORDER BY o.id LIMIT 1`, edition), &fresh)
	return edition, approved, fresh, candidate
}

// applicationPost is a complete application form of an edition that starts and ends on
// the given days.
func applicationPost(edition, school, starts, ends string) url.Values {
	v := url.Values{"edition": {edition}, "school": {school}, "unit_name": {"成都市实验小学"},
		"head.name": {"王校长"}, "head.title": {"校长"}, "head.mobile": {"13800000001"},
		"lead.name": {"李老师"}, "lead.title": {"科技辅导员"}, "lead.office_phone": {"028-80000001"},
		"conditions.staff": {"专职科技教师 3 名"}}
	for _, ph := range []string{"selection", "daily_management", "summary_evaluation"} {
		v.Set("phases."+ph+".content", "按通知要求开展")
		v.Set("phases."+ph+".starts_on", starts)
		v.Set("phases."+ph+".ends_on", ends)
	}
	return v
}

// TestSchoolCycle: a school operator fills in, saves and submits their school's
// application (its errors next to the fields, a stale save in words); another school's
// operator nominates a student, records a training session with its attendance, assesses
// a participant and writes and submits the year summary; another school's records are
// 404 and the page is refused to an analyst.
func TestSchoolCycle(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ed, approved, fresh, candidate := f.cycleSchools()
	var starts, ends string
	f.one(fmt.Sprintf(`SELECT starts_on::text, ends_on::text FROM editions WHERE id = '%s'`, ed), &starts, &ends)
	page := "/school/cycle?edition=" + ed

	// the application of a school that has none yet
	op := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: fresh}))
	body := op.get(page, http.StatusOK)
	contains(t, body, `href="/school/cycle" aria-current="page"`, "项目申报与管理", "申报书", "尚未填写", `name="head.name"`, `name="phases.selection.starts_on"`)
	if strings.Contains(body, `href="/school" aria-current="page"`) {
		t.Error("the workspace is marked current on the cycle page")
	}
	if !strings.Contains(op.get("/school", http.StatusOK), `id="school-cycle-link"`) {
		t.Error("the school workspace does not link to the cycle page")
	}
	bad := applicationPost(ed, fresh, starts, ends)
	bad.Set("unit_name", "")
	bad.Set("phases.selection.starts_on", "不是日期")
	bad.Set("return", page)
	res := op.post("/school/cycle/application", bad, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="app-unit_name-err"`, `id="app-phases.selection.starts_on-err"`, "此项必填")
	late := applicationPost(ed, fresh, starts, "2099-12-31")
	res = op.post("/school/cycle/application", late, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="app-phases.selection.ends_on-err"`, "须在年度")

	draft := applicationPost(ed, fresh, starts, ends)
	draft.Del("head.name")
	draft.Set("return", page)
	draft.Set("intent", "save")
	res = op.post("/school/cycle/application", draft, http.StatusSeeOther)
	if loc := res.Header().Get("Location"); !strings.Contains(loc, "done=app_saved") {
		t.Errorf("after saving: %s", loc)
	}
	var appID int64
	var status string
	f.one(fmt.Sprintf(`SELECT a.id, a.status FROM applications a JOIN organizations o ON o.id = a.school_id
		WHERE o.code = '%s' AND a.edition_id = '%s'`, fresh, ed), &appID, &status)
	if status != "draft" {
		t.Errorf("saved application is %s", status)
	}
	body = op.get(page+"&done=app_saved", http.StatusOK)
	contains(t, body, "已保存申报书。", "草稿", "李老师")

	// submitting without the head's name: the error is next to it
	sub := applicationPost(ed, fresh, starts, ends)
	sub.Del("head.name")
	sub.Set("id", fmt.Sprint(appID))
	sub.Set("version", "1")
	sub.Set("intent", "submit")
	res = op.post("/school/cycle/application", sub, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="app-head.name-err"`, "单位负责人")
	// that save went through (version 2): a save at version 1 is stale
	res = op.post("/school/cycle/application", sub, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), "已被他人修改")
	sub.Set("head.name", "王校长")
	sub.Set("version", versionOf(t, op.get(page, http.StatusOK)))
	res = op.post("/school/cycle/application", sub, http.StatusSeeOther)
	f.one(fmt.Sprintf(`SELECT status FROM applications WHERE id = %d`, appID), &status)
	if status != "submitted" {
		t.Errorf("submitted application is %s", status)
	}
	contains(t, op.get(page, http.StatusOK), "已提交", "不能修改")

	// the school with an approved application: nominate, train, assess, summarize
	bop := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: approved}))
	body = bop.get(page, http.StatusOK)
	contains(t, body, "已通过", fmt.Sprintf(`<option value="%d"`, candidate), "登记推荐人选", "培训与出勤", "年度总结")
	var cat string
	f.one(`SELECT code FROM categories WHERE program = 'jingke' ORDER BY sort_order LIMIT 1`, &cat)
	nom := url.Values{"edition": {ed}, "school": {approved}, "person_id": {fmt.Sprint(candidate)}, "category": {cat},
		"grade": {"9"}, "return": {page}}
	res = bop.post("/school/cycle/nominations", nom, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="nominate-grade-err"`)
	nom.Set("grade", "5")
	bop.post("/school/cycle/nominations", nom, http.StatusSeeOther)
	f.one(fmt.Sprintf(`SELECT status FROM participations WHERE person_id = %d AND edition_id = '%s'`, candidate, ed), &status)
	if status != "registered" {
		t.Errorf("the nominee is %s", status)
	}

	res = bop.post("/school/cycle/trainings", url.Values{"edition": {ed}, "school": {approved}, "kind": {"safety"},
		"held_on": {"不是日期"}, "topic": {""}, "return": {page}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="training-held_on-err"`, `id="training-topic-err"`)
	bop.post("/school/cycle/trainings", url.Values{"edition": {ed}, "school": {approved}, "kind": {"safety"},
		"held_on": {starts}, "topic": {"实验室安全"}, "return": {page}}, http.StatusSeeOther)
	var session, admitted int64
	f.one(`SELECT id FROM training_sessions WHERE topic = '实验室安全'`, &session)
	f.one(fmt.Sprintf(`SELECT p.id FROM participations p JOIN organizations o ON o.id = p.school_id
		JOIN persons per ON per.id = p.person_id AND per.consent_state IN ('not_required', 'granted')
		WHERE o.code = '%s' AND p.edition_id = '%s' AND p.status = 'admitted' ORDER BY p.id LIMIT 1`, approved, ed), &admitted)
	att := fmt.Sprintf("/school/cycle/trainings/%d/attendance", session)
	bop.post(att, url.Values{"attendee": {fmt.Sprint(admitted)}, "return": {page}}, http.StatusSeeOther)
	var n int
	f.one(fmt.Sprintf(`SELECT count(*) FROM training_attendance WHERE session_id = %d AND participation_id = %d`, session, admitted), &n)
	if n != 1 {
		t.Error("the attendance is not recorded")
	}
	body = bop.get(page+"&done=attendance", http.StatusOK)
	contains(t, body, "已保存出勤。", "实验室安全", "安全培训", "出勤 1 人")

	// the school's assessment: the door's refusal (not open yet, or the mentor's first) or
	// the assessment, never an error page
	assess := fmt.Sprintf("/school/cycle/participants/%d/evaluation", admitted)
	res = bop.post(assess, url.Values{"evaluation": {""}, "return": {page}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), fmt.Sprintf(`id="as-%d-evaluation-err"`, admitted), "此项必填")
	if res = bop.do("POST", assess, url.Values{"evaluation": {"pass"}, "return": {page}}); res.Code == http.StatusUnprocessableEntity {
		contains(t, res.Body.String(), fmt.Sprintf(`id="as-%d-evaluation-err"`, admitted))
	} else if res.Code != http.StatusSeeOther {
		t.Errorf("assessing: %d", res.Code)
	}

	res = bop.post("/school/cycle/summary", url.Values{"edition": {ed}, "school": {approved}, "content": {""}, "return": {page}},
		http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="summary-content-err"`)
	bop.post("/school/cycle/summary", url.Values{"edition": {ed}, "school": {approved}, "content": {"本年度开展科技活动 12 次。"},
		"intent": {"save"}, "return": {page}}, http.StatusSeeOther)
	body = bop.get(page, http.StatusOK)
	contains(t, body, "本年度开展科技活动 12 次。", "草稿")
	var sumID int64
	f.one(`SELECT id FROM year_summaries WHERE content = '本年度开展科技活动 12 次。'`, &sumID)
	bop.post("/school/cycle/summary", url.Values{"id": {fmt.Sprint(sumID)}, "version": {"1"}, "content": {"本年度开展科技活动 13 次。"},
		"intent": {"submit"}, "return": {page}}, http.StatusSeeOther)
	var submitted bool
	f.one(fmt.Sprintf(`SELECT submitted_at IS NOT NULL FROM year_summaries WHERE id = %d`, sumID), &submitted)
	if !submitted {
		t.Error("the year summary is not submitted")
	}

	// another school's records do not exist for this operator; an analyst may not open the page
	op.post(att, url.Values{"attendee": {fmt.Sprint(admitted)}}, http.StatusNotFound)
	op.post(assess, url.Values{"evaluation": {"pass"}}, http.StatusNotFound)
	op.post("/school/cycle/summary", url.Values{"id": {fmt.Sprint(sumID)}, "version": {"2"}, "content": {"x"}}, http.StatusNotFound)
	analyst := f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
	analyst.get(page, http.StatusForbidden)
	analyst.post("/school/cycle/nominations", nom, http.StatusForbidden)
	contains(t, bop.get(page+"&lang=en", http.StatusOK), "Programme cycle", "Nominees", "Training and attendance")
}

// versionOf is the version the application form of a cycle page carries.
func versionOf(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="id" value="\d+"><input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the application form carries no version")
	}
	return m[1]
}

// TestCareerMoveQuickForm: on a teacher's page the school records a career move; a move
// without its organisation is an error next to the field.
func TestCareerMoveQuickForm(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var pid int64
	var code string
	f.one(`SELECT p.id, o.code FROM persons p JOIN participations pa ON pa.person_id = p.id
		JOIN organizations o ON o.id = p.school_id
		WHERE pa.program = 'jindaoshi' AND p.consent_state IN ('not_required', 'granted') AND p.merged_into IS NULL
		ORDER BY p.id LIMIT 1`, &pid, &code)
	op := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code}))
	path := fmt.Sprintf("/persons/%d", pid)
	contains(t, op.get(path, http.StatusOK), "记录工作变动", `action="/persons/`+fmt.Sprint(pid)+`/career-moves"`)
	res := op.post(path+"/career-moves", url.Values{"org_name": {""}, "position": {"teacher"}, "started_on": {"2025-09-01"}},
		http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), fmt.Sprintf(`id="cm-%d-org-err"`, pid))
	op.post(path+"/career-moves", url.Values{"org_name": {"成都市第七中学"}, "position": {"teacher"}, "started_on": {"2025-09-01"}},
		http.StatusSeeOther)
	var n int
	f.one(fmt.Sprintf(`SELECT count(*) FROM career_moves WHERE person_id = %d AND org_name = '成都市第七中学'`, pid), &n)
	if n != 1 {
		t.Error("the career move is not recorded")
	}
	contains(t, op.get(path+"?done=career_move", http.StatusOK), "已记录工作变动。")
}
