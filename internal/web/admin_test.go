package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"talentdb/internal/auth"
	"talentdb/internal/report"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// upload posts a multipart form with one file, as the import page does.
func (c *client) upload(path string, fields map[string]string, name, content string) *httptest.ResponseRecorder {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("csrf_token", c.csrf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	req := httptest.NewRequest("POST", path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range c.hdr() {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	c.f.h.ServeHTTP(rec, req)
	return rec
}

// followUpFiles are two follow-up files of the school's first due person, by name, birth
// date and school: good (one row of today) and bad (that row and one with an unknown channel).
func (f *fixture) followUpFiles(code string, due report.DueReport) (per store.Person, good, bad string) {
	f.t.Helper()
	per, err := f.st.PersonGet(context.Background(), due.Persons[0].PersonID)
	if err != nil {
		f.t.Fatal(err)
	}
	day := vocab.DateOf(time.Now()).Format(time.DateOnly)
	good = fmt.Sprintf("姓名,出生日期,学校代码,联系日期,方式,结果\n%s,%s,%s,%s,电话,已联系上\n", per.Name,
		per.BirthDate.Format(time.DateOnly), code, day)
	bad = good + fmt.Sprintf("%s,%s,%s,%s,飞鸽,已联系上\n", per.Name, per.BirthDate.Format(time.DateOnly), code, day)
	return per, good, bad
}

// TestImportPage: a school operator uploads follow-ups naming persons by name, birth date
// and school; a file with one bad row writes nothing and lists the row and column; the
// good file is applied; a second send of the same form is not applied twice.
func TestImportPage(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c, code, due := f.dueOperator()
	page := c.get("/imports", http.StatusOK)
	contains(t, page, `enctype="multipart/form-data"`, `<option value="follow-ups">跟踪联系</option>`,
		`href="/imports/templates/follow-ups"`, `name="idempotency_key"`)
	if strings.Contains(page, `value="organizations"`) {
		t.Error("a school operator is offered the organizations import")
	}
	per, good, bad := f.followUpFiles(code, due)

	res := c.upload("/imports", map[string]string{"kind": "follow-ups", "idempotency_key": "k1"}, "fu.csv", bad)
	if res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d %.2000s", res.Code, res.Body.String())
	}
	body := res.Body.String()
	contains(t, body, "文件有误，未写入任何数据", `<th scope="row" class="num">3</th><td>方式</td>`)
	before, _ := f.st.FollowUpList(context.Background(), per.ID, false)

	res = c.upload("/imports", map[string]string{"kind": "follow-ups", "dry_run": "1", "idempotency_key": "k2"}, "fu.csv", good)
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "校验通过（未写入）") {
		t.Fatalf("dry run: %d %.1500s", res.Code, res.Body.String())
	}
	for i := 0; i < 2; i++ { // the same form sent twice
		res = c.upload("/imports", map[string]string{"kind": "follow-ups", "idempotency_key": "k3"}, "fu.csv", good)
		if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "已导入") {
			t.Fatalf("import %d: %d %.1500s", i, res.Code, res.Body.String())
		}
	}
	after, _ := f.st.FollowUpList(context.Background(), per.ID, false)
	if len(after) != len(before)+1 {
		t.Errorf("follow-ups %d → %d, want one more", len(before), len(after))
	}
	tpl := c.do("GET", "/imports/templates/follow-ups", nil)
	if tpl.Code != http.StatusOK || !strings.HasPrefix(tpl.Body.String(), "PK") {
		t.Errorf("template: %d", tpl.Code)
	}
	// an analyst may not import
	an := f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
	an.get("/imports", http.StatusForbidden)
}

// TestAccountsTokensAudit: the office administrator creates and disables an account; a
// user makes and revokes an API token; the auditor reads the audit log; the others may not.
func TestAccountsTokensAudit(t *testing.T) {
	t.Parallel()
	f := setup(t)
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	page := admin.get("/admin/users", http.StatusOK)
	contains(t, page, "角色说明", "学校操作员", `<label for="u-username">用户名</label>`)

	// errors next to their fields: a school operator without a school
	res := admin.post("/admin/users", url.Values{"username": {"op_new"}, "role": {"school_operator"}},
		http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `id="u-school_code-err"`)
	res = admin.post("/admin/users", url.Values{"username": {"ana_new"}, "role": {"office_analyst"},
		"display_name": {"王分析"}}, http.StatusCreated)
	m := regexp.MustCompile(`<code class="secret">([^<]+)</code>`).FindStringSubmatch(res.Body.String())
	if m == nil {
		t.Fatal("no generated password shown")
	}
	if _, err := f.auth.Login(context.Background(), auth.LoginRequest{Username: "ana_new", Password: m[1]}); err != nil {
		t.Fatalf("the generated password does not sign in: %v", err)
	}
	admin.post("/admin/users", url.Values{"username": {"ana_new"}, "role": {"office_analyst"}}, http.StatusConflict)
	admin.post("/admin/users/ana_new/disable", url.Values{}, http.StatusSeeOther)
	contains(t, admin.get("/admin/users?done=disabled", http.StatusOK), "账号已停用", `id="user-ana_new"`, "已停用")
	if _, err := f.auth.Login(context.Background(), auth.LoginRequest{Username: "ana_new", Password: m[1]}); err == nil {
		t.Error("a disabled account signs in")
	}
	admin.post("/admin/users/ana_new/enable", url.Values{}, http.StatusSeeOther)

	// tokens
	an := f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
	an.get("/admin/users", http.StatusForbidden)
	an.get("/admin/audit", http.StatusForbidden)
	res = an.post("/account/tokens", url.Values{"name": {"报表脚本"}, "expires_in_days": {"30"}}, http.StatusCreated)
	tok := regexp.MustCompile(`<code class="secret">(tdb_[^<]+)</code>`).FindStringSubmatch(res.Body.String())
	if tok == nil {
		t.Fatal("no token shown")
	}
	api := f.raw("GET", "/api/v1/auth/me", nil, map[string]string{"Authorization": "Bearer " + tok[1]})
	if api.Code != http.StatusOK {
		t.Fatalf("the new token: %d", api.Code)
	}
	id := regexp.MustCompile(`action="/account/tokens/([0-9]+)/revoke"`).FindStringSubmatch(an.get("/account/tokens", http.StatusOK))
	if id == nil {
		t.Fatal("no revoke button")
	}
	an.post("/account/tokens/"+id[1]+"/revoke", url.Values{}, http.StatusSeeOther)
	if api := f.raw("GET", "/api/v1/auth/me", nil, map[string]string{"Authorization": "Bearer " + tok[1]}); api.Code != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d", api.Code)
	}
	an.post("/account/tokens", url.Values{"name": {""}}, http.StatusUnprocessableEntity)

	// the audit log
	aud := f.login(f.user(auth.RoleAuditor, auth.NewUser{}))
	if loc := aud.do("GET", "/", nil).Header().Get("Location"); loc != "/admin/audit" {
		t.Errorf("an auditor's start page: %q", loc)
	}
	page = aud.get("/admin/audit?entity=user", http.StatusOK)
	contains(t, page, "审计日志", ">账号 ")
	if !regexp.MustCompile(`<td data-label="操作人">` + regexp.QuoteMeta("office_admin_")).MatchString(page) {
		t.Error("the audit log does not show the administrator's account changes")
	}
	aud.get("/admin/audit?from=yesterday", http.StatusUnprocessableEntity)
	aud.get("/dashboard", http.StatusForbidden)
	aud.get("/persons/1", http.StatusForbidden)
}

// TestConsentAndOfficeSchool: a write for a person whose guardian's consent is pending is
// refused by the API's consent rule and the page says so; the person page offers no quick
// forms then. The office opens any school's workspace by code.
func TestConsentAndOfficeSchool(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var id int64
	if err := f.st.Pool.QueryRow(context.Background(),
		`SELECT id FROM persons WHERE consent_state = 'pending' ORDER BY id LIMIT 1`).Scan(&id); err != nil {
		t.Skipf("no person with pending consent in the demo data: %v", err)
	}
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	path := fmt.Sprintf("/persons/%d", id)
	page := admin.get(path, http.StatusOK)
	contains(t, page, "监护人同意待确认或已撤回")
	if strings.Contains(page, `action="`+path+`/follow-ups"`) {
		t.Error("quick forms offered without consent")
	}
	day := vocab.DateOf(time.Now()).Format(time.DateOnly)
	res := admin.post(path+"/follow-ups", url.Values{"contacted_on": {day}, "channel": {"phone"}, "outcome": {"reached"},
		"return": {path}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), `class="form-error"`)
	if n, _ := f.st.FollowUpList(context.Background(), id, true); len(n) != 0 {
		t.Errorf("a follow-up was written without consent: %d", len(n))
	}

	code, due, _, _ := f.dueSchool()
	body := admin.get("/school?school="+code, http.StatusOK)
	contains(t, body, `<span class="badge" id="due-count">`+fmt.Sprint(due.DueCount)+`</span>`,
		`name="return" value="/school?school=`+code+`"`)
	contains(t, admin.get("/school?school=NOPE", http.StatusOK), `id="school-err"`)
}
