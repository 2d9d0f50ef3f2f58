package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"talentdb/internal/auth"
	"talentdb/internal/vocab"
)

// TestSchoolSelection: on /school/cycle a school operator takes their own nominee through
// the school's steps of the selection — review, a public notice of their own (too short a
// notice refused next to its field), publicize, an objection lodged and resolved — and the
// page shows the notice's period and says in words why a recommendation is refused while
// the notice runs (zh and en) or while an objection is open; after the notice the nominee
// is recommended, audited with the operator as actor. Another school's operator cannot act
// on that nominee (404, as if it did not exist) nor post a notice for that school (403).
func TestSchoolSelection(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	ed, approved, fresh, candidate := f.cycleSchools()
	page := "/school/cycle?edition=" + ed
	today := vocab.DateOf(time.Now())
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }

	user := f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: approved})
	op := f.login(user)
	var cat string
	f.one(`SELECT code FROM categories WHERE program = 'jingke' ORDER BY sort_order LIMIT 1`, &cat)
	op.post("/school/cycle/nominations", url.Values{"edition": {ed}, "school": {approved}, "person_id": {fmt.Sprint(candidate)},
		"category": {cat}, "grade": {"5"}, "return": {page}}, http.StatusSeeOther)
	var pid int64
	var status string
	version := func() string {
		var v int
		f.one(fmt.Sprintf(`SELECT id, status, version FROM participations WHERE person_id = %d AND edition_id = '%s'`, candidate, ed),
			&pid, &status, &v)
		return fmt.Sprint(v)
	}
	version()
	stepPath := fmt.Sprintf("/school/cycle/participants/%d/step", pid)
	step := func(to string) url.Values {
		return url.Values{"to": {to}, "version": {version()}, "return": {page}}
	}

	body := op.get(page, http.StatusOK)
	contains(t, body, `id="selection"`, "校内公示", `action="`+stepPath+`"`, "综合考察通过")

	// review (综合考察)
	op.post(stepPath, step("reviewed"), http.StatusSeeOther)
	if version(); status != "reviewed" {
		t.Fatalf("after the review the nominee is %s", status)
	}
	// a stale step is refused in words
	stale := step("publicized")
	stale.Set("version", "1")
	contains(t, op.post(stepPath, stale, http.StatusUnprocessableEntity).Body.String(), "已被他人修改")

	// the school's own public notice: too short, then five days from today
	res := op.post("/school/cycle/notices", url.Values{"edition": {ed}, "school_code": {approved}, "starts_on": {day(0)},
		"ends_on": {day(2)}, "return": {page}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="nt-ends_on-err"`, "公示期不少于 5 天")
	op.post("/school/cycle/notices", url.Values{"edition": {ed}, "school_code": {approved}, "starts_on": {day(0)},
		"ends_on": {day(4)}, "return": {page}}, http.StatusSeeOther)
	var notices int
	f.one(fmt.Sprintf(`SELECT count(*) FROM public_notices n JOIN organizations o ON o.id = n.school_id
		WHERE o.code = '%s' AND n.edition_id = '%s' AND n.starts_on = '%s' AND n.ends_on = '%s' AND n.created_by = '%s'`,
		approved, ed, day(0), day(4), user), &notices)
	if notices != 1 {
		t.Fatalf("the school's notice is not recorded (%d)", notices)
	}

	// publicize: the nominee is on a notice open today, whose period the page shows
	op.post(stepPath, step("publicized"), http.StatusSeeOther)
	if version(); status != "publicized" {
		t.Fatalf("after publicizing the nominee is %s", status)
	}
	var from, to string
	f.one(fmt.Sprintf(`SELECT n.starts_on::text, n.ends_on::text FROM public_notice_nominees l JOIN public_notices n ON n.id = l.notice_id
		WHERE l.participation_id = %d`, pid), &from, &to)
	body = op.get(page+"&done=step", http.StatusOK)
	contains(t, body, fmt.Sprintf(`id="step-%d"`, pid), fmt.Sprintf("公示期 %s 至 %s", from, to), "公示中")

	// recommending while the notice runs: refused, in words, in either language
	res = op.post(stepPath, step("recommended"), http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), "公示期至 "+to+" 结束，公示期满后方可推荐")
	op.lang = "en"
	res = op.post(stepPath, step("recommended"), http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), "the public notice runs until "+to+": recommend after it has ended")
	if strings.Contains(res.Body.String(), "公示期满") {
		t.Error("the English page shows the Chinese refusal")
	}
	op.lang = ""

	// an objection lodged during the notice; another school's operator cannot touch it
	obPath := fmt.Sprintf("/school/cycle/participants/%d/objections", pid)
	op.post(obPath, url.Values{"lodged_on": {day(0)}, "content": {"该生成绩材料有误"}, "return": {page}}, http.StatusSeeOther)
	var ob int64
	f.one(fmt.Sprintf(`SELECT id FROM objections WHERE participation_id = %d AND resolved_at IS NULL`, pid), &ob)
	contains(t, op.get(page, http.StatusOK), "该生成绩材料有误", fmt.Sprintf(`action="/school/cycle/objections/%d/resolve"`, ob))

	other := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: fresh}))
	other.post(stepPath, step("recommended"), http.StatusNotFound)
	other.post(obPath, url.Values{"lodged_on": {day(0)}, "content": {"x"}, "return": {page}}, http.StatusNotFound)
	other.post(fmt.Sprintf("/school/cycle/objections/%d/resolve", ob), url.Values{"outcome": {"dismissed"},
		"resolution": {"x"}}, http.StatusNotFound)
	other.post("/school/cycle/notices", url.Values{"edition": {ed}, "school_code": {approved}, "starts_on": {day(0)},
		"ends_on": {day(6)}, "return": {page}}, http.StatusForbidden)
	if strings.Contains(other.get(page, http.StatusOK), "该生成绩材料有误") {
		t.Error("another school's page shows this school's objection")
	}

	// the notice has ended (moved into the past): the open objection still stops the recommendation
	if _, err := f.st.Pool.Exec(ctx, `UPDATE public_notices SET starts_on = starts_on - 30, ends_on = ends_on - 30
		WHERE id = (SELECT notice_id FROM public_notice_nominees WHERE participation_id = $1)`, pid); err != nil {
		t.Fatal(err)
	}
	res = op.post(stepPath, step("recommended"), http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), "有 1 条异议尚未处理，处理后方可推荐")
	res = op.post(fmt.Sprintf("/school/cycle/objections/%d/resolve", ob), url.Values{"outcome": {""}, "resolution": {""},
		"return": {page}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), fmt.Sprintf(`id="rs-%d-outcome-err"`, ob))
	op.post(fmt.Sprintf("/school/cycle/objections/%d/resolve", ob), url.Values{"outcome": {"dismissed"},
		"resolution": {"经核实材料无误"}, "return": {page}}, http.StatusSeeOther)

	// recommend (推荐): the office admits from here
	op.post(stepPath, step("recommended"), http.StatusSeeOther)
	if version(); status != "recommended" {
		t.Fatalf("after recommending the nominee is %s", status)
	}
	var actor string
	f.one(fmt.Sprintf(`SELECT actor FROM audit_log WHERE action = 'transition' AND entity = 'participation' AND entity_id = '%d'
		ORDER BY id DESC LIMIT 1`, pid), &actor)
	if actor != user {
		t.Errorf("the recommendation is audited as %q, want %q", actor, user)
	}
	body = op.get(page+"&done=step", http.StatusOK)
	contains(t, body, "已推荐，待管理办公室录取", "经核实材料无误")
	// a step out of order says so in words, without the status keys
	res = op.post(stepPath, step("reviewed"), http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), "不能从“已推荐”变为“已考察”")
	if strings.Contains(res.Body.String(), "（recommended）") {
		t.Error("the refusal shows a status key")
	}
}
