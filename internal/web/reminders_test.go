package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"talentdb/internal/auth"
)

// TestReminderSettings: a school operator sets their school's reminders (saved, shown
// again, in Chinese with no code); a bad URL or address comes back next to its field with
// nothing written; another school's settings are 403 to read and to write; the office
// sets any school's; roles outside the policy are refused the page.
func TestReminderSettings(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code, _, other, _ := f.dueSchool()
	op := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code}))
	count := func(code string) int {
		var n int
		if err := f.st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM reminder_settings s JOIN organizations o
			ON o.id = s.school_id WHERE o.code = $1`, code).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	page := op.get("/settings/reminders", http.StatusOK)
	if !strings.Contains(page, "跟踪提醒设置") || !strings.Contains(page, `name="version" value="0"`) {
		t.Fatalf("the settings page:\n%s", page)
	}
	if codes := codesIn(page, vocabKeys()); len(codes) > 0 {
		t.Errorf("the settings page shows codes: %v", codes)
	}
	if !strings.Contains(op.get("/school", http.StatusOK), `href="/settings/reminders" id="reminders-link"`) {
		t.Error("the school workspace does not link to the reminder settings")
	}

	// mistakes: next to their fields, nothing written
	bad := op.post("/settings/reminders", url.Values{"version": {"0"}, "enabled": {"1"}, "webhook_kind": {"wecom"},
		"webhook_url": {"http://qyapi.weixin.qq.com/x?key=K"}, "emails": {"不是邮箱"}}, http.StatusUnprocessableEntity)
	body := bad.Body.String()
	for _, id := range []string{"rm-url-err", "rm-emails-err"} {
		if !strings.Contains(body, `id="`+id+`"`) {
			t.Errorf("no error %s on the page:\n%s", id, body)
		}
	}
	if !strings.Contains(body, "https://") || !strings.Contains(body, "不是有效的邮箱地址") || count(code) != 0 {
		t.Errorf("the refusal is not in words, or something was written (%d)", count(code))
	}

	// saved
	hook := "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K1"
	res := op.post("/settings/reminders", url.Values{"version": {"0"}, "enabled": {"1"}, "webhook_kind": {"wecom"},
		"webhook_url": {hook}, "emails": {"a@example.cn\nb@example.cn"}}, http.StatusSeeOther)
	loc, _, _ := strings.Cut(res.Header().Get("Location"), "#") // a browser keeps the fragment to itself
	page = op.get(loc, http.StatusOK)
	if !strings.Contains(page, "提醒设置已保存") || !strings.Contains(page, `value="`+strings.ReplaceAll(hook, "&", "&amp;")+`"`) ||
		!strings.Contains(page, "a@example.cn\nb@example.cn") || !strings.Contains(page, `name="version" value="1"`) {
		t.Errorf("the saved settings are not shown (%s):\n%s", res.Header().Get("Location"), page)
	}
	// a save at the old version says so
	if stale := op.post("/settings/reminders", url.Values{"version": {"0"}}, http.StatusUnprocessableEntity); !strings.Contains(stale.Body.String(), "已被他人修改") {
		t.Errorf("a stale save:\n%s", stale.Body.String())
	}

	// another school's: 403 to read and to write, nothing written
	op.get("/settings/reminders?school="+url.QueryEscape(other), http.StatusForbidden)
	op.post("/settings/reminders", url.Values{"version": {"0"}, "school": {other}, "enabled": {"1"},
		"emails": {"x@example.cn"}}, http.StatusForbidden)
	if count(other) != 0 {
		t.Error("a school changed another school's settings")
	}

	// the office sets any school's, and its own province digest
	office := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	office.get("/settings/reminders?school="+url.QueryEscape(other), http.StatusOK)
	office.post("/settings/reminders", url.Values{"version": {"0"}, "school": {other}, "enabled": {"1"},
		"emails": {"x@example.cn"}}, http.StatusSeeOther)
	if count(other) != 1 {
		t.Error("the office's save of a school's settings was not written")
	}
	if p := office.get("/settings/reminders", http.StatusOK); !strings.Contains(p, "全省汇总") {
		t.Errorf("the office's own settings are not the province digest:\n%s", p)
	}

	for _, role := range []string{auth.RoleOfficeAnalyst, auth.RoleAuditor} {
		f.login(f.user(role, auth.NewUser{})).get("/settings/reminders", http.StatusForbidden)
	}
}
