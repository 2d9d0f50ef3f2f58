package web_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/auth"
)

// listTotal reads the total "共 N 条" of the list id on a page.
func listTotal(t *testing.T, body, id string) int {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `-total"[^>]*>共 (\d+) 条`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no total of %s on the page", id)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// exportLink is the address of the list id's Excel download on a page.
func exportLink(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`href="([^"]+)" download id="` + id + `-export"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no export link of %s on the page", id)
	}
	return html.UnescapeString(m[1])
}

var (
	cellRE = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	wsRE   = regexp.MustCompile(`\s+`)
)

// tableRows is the text of the cells of each body row of the table id on a page.
func tableRows(t *testing.T, body, id string) [][]string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<table[^>]*id="` + id + `".*?<tbody>(.*?)</tbody>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no table %s on the page", id)
	}
	var out [][]string
	for _, tr := range strings.Split(m[1], "</tr>") {
		if !strings.Contains(tr, "<tr") {
			continue
		}
		var row []string
		for _, c := range cellRE.FindAllStringSubmatch(tr, -1) {
			row = append(row, cellText(c[1]))
		}
		out = append(out, row)
	}
	return out
}

func cellText(s string) string {
	return strings.TrimSpace(wsRE.ReplaceAllString(html.UnescapeString(tagRE.ReplaceAllString(s, " ")), " "))
}

// workbookRows opens an XLSX answer and returns the rows of its first sheet.
func workbookRows(t *testing.T, res *httptest.ResponseRecorder) [][]string {
	t.Helper()
	if res.Code != http.StatusOK {
		t.Fatalf("export: status %d: %.500s", res.Code, res.Body.String())
	}
	wb, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	rows, err := wb.GetRows(wb.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// sameRow fails unless the workbook's row has the page's cells (a workbook row drops
// its trailing empty cells).
func sameRow(t *testing.T, what string, page, sheet []string) {
	t.Helper()
	for i, p := range page {
		s := ""
		if i < len(sheet) {
			s = cellText(sheet[i])
		}
		if s != p {
			t.Errorf("%s: cell %d is %q in the workbook, %q on the page\npage  %q\nsheet %q", what, i, s, p, page, sheet)
			return
		}
	}
}

// noCodes fails if a workbook cell is an internal key.
func noCodes(t *testing.T, what string, rows [][]string, codes ...string) {
	t.Helper()
	for _, row := range rows {
		for _, c := range row {
			for _, code := range codes {
				if c == code {
					t.Errorf("%s: a cell is the code %q: %q", what, code, row)
				}
			}
		}
	}
}

// TestAuditListExport: the audit log page shows the total of the entries its filters
// match and downloads exactly those entries (all of them, newest first, in words) as a
// workbook through the audit door, which records the export; others get 403.
func TestAuditListExport(t *testing.T) {
	t.Parallel()
	f := setup(t)
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	for i := 0; i < 3; i++ {
		f.user(auth.RoleOfficeAnalyst, auth.NewUser{})
	}
	admin.get("/admin/users", http.StatusOK)
	aud := f.login(f.user(auth.RoleAuditor, auth.NewUser{}))
	ctx := context.Background()

	page := aud.get("/admin/audit?entity=user&action=create", http.StatusOK)
	n := listTotal(t, page, "audit")
	var want int
	if err := f.st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'user' AND action = 'create'`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if n != want || n < 5 {
		t.Fatalf("total %d, want %d", n, want)
	}
	pageRows := tableRows(t, page, "audit-table")
	link := exportLink(t, page, "audit")
	if link != "/admin/audit/export?action=create&entity=user" {
		t.Errorf("export link %q", link)
	}
	rows := workbookRows(t, aud.do("GET", link, nil))
	if len(rows) != n+2 || rows[len(rows)-1][0] != "合计" || rows[len(rows)-1][1] != strconv.Itoa(n) {
		t.Fatalf("workbook: %d rows, want %d and a total: %q", len(rows), n+2, rows[len(rows)-1])
	}
	if strings.Join(rows[0], ",") != "序号,时间,操作人,角色,动作,对象类型,人员编号,字段,行数,请求 / IP" {
		t.Errorf("headers %q", rows[0])
	}
	sameRow(t, "audit", pageRows[0], rows[1])
	if rows[1][3] == "" || rows[1][4] != "新增" || !strings.HasPrefix(rows[1][5], "账号") {
		t.Errorf("first row not in words: %q", rows[1])
	}
	noCodes(t, "audit", rows, "office_admin", "create", "user", "auditor")

	// the export is in the audit log, with its filter and row count
	var exported int
	if err := f.st.Pool.QueryRow(ctx, `SELECT coalesce(max(row_count), -1) FROM audit_log WHERE action = 'export'
		AND entity = 'audit_log' AND after->>'entity' = 'user' AND after->>'action' = 'create'`).Scan(&exported); err != nil || exported != n {
		t.Errorf("export audit row: row_count %d (%v), want %d", exported, err, n)
	}
	// a date filter the page refuses is not exported
	aud.get("/admin/audit/export?from=yesterday", http.StatusBadRequest)
	// who cannot read the log cannot download it
	an := f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
	an.get("/admin/audit/export?entity=user", http.StatusForbidden)
	op, _, _ := f.dueOperator()
	op.get("/admin/audit/export", http.StatusForbidden)
}

// TestImportHistoryExport: the import page shows the total of the runs the user may see
// (a school operator their own) and downloads them as a workbook in words; a role that
// may not import gets 403.
func TestImportHistoryExport(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c, code, due := f.dueOperator()
	_, good, bad := f.followUpFiles(code, due)
	if res := c.upload("/imports", map[string]string{"kind": "follow-ups", "idempotency_key": "h1"}, "坏文件.csv", bad); res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d", res.Code)
	}
	if res := c.upload("/imports", map[string]string{"kind": "follow-ups", "dry_run": "1", "idempotency_key": "h2"}, "好文件.csv", good); res.Code != http.StatusOK {
		t.Fatalf("dry run: %d", res.Code)
	}
	// the office's own upload is not the school's
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	if res := admin.upload("/imports", map[string]string{"kind": "follow-ups", "dry_run": "1", "idempotency_key": "h3"}, "office.csv", good); res.Code != http.StatusOK {
		t.Fatalf("office dry run: %d", res.Code)
	}

	page := c.get("/imports", http.StatusOK)
	if n := listTotal(t, page, "history"); n != 2 {
		t.Fatalf("the school's history: %d runs, want 2", n)
	}
	pageRows := tableRows(t, page, "history-table")
	rows := workbookRows(t, c.do("GET", exportLink(t, page, "history"), nil))
	if len(rows) != 4 || strings.Join(rows[0], ",") != "时间,数据类型,文件名,上传人,结果,数据行,新增,更新,未变,错误" ||
		rows[3][0] != "合计" || rows[3][1] != "2" {
		t.Fatalf("workbook %q", rows)
	}
	sameRow(t, "history", pageRows[0], rows[1])
	sameRow(t, "history", pageRows[1], rows[2])
	if rows[1][1] != "跟踪联系" || rows[1][2] != "好文件.csv" || rows[1][4] != "校验通过（未写入）" ||
		rows[2][4] != "有误，未写入" || rows[2][9] == "0" {
		t.Errorf("rows not in words: %q", rows[1:3])
	}
	noCodes(t, "history", rows, "follow-ups", "follow_ups")

	if n := listTotal(t, admin.get("/imports", http.StatusOK), "history"); n != 3 {
		t.Errorf("the office's history: %d runs, want 3", n)
	}
	an := f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
	an.get("/imports/history/export", http.StatusForbidden)
	f.login(f.user(auth.RoleAuditor, auth.NewUser{})).get("/imports/history/export", http.StatusForbidden)
}

// itemText is the text of the list item id on a page: up to the next item of its list.
func itemText(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no item %s on the page", id)
	}
	item := body[i:]
	if j := strings.Index(item[1:], `class="due-item"`); j >= 0 {
		item = item[:j+1]
	}
	if j := strings.Index(item, "</section>"); j >= 0 {
		item = item[:j]
	}
	return cellText(strings.TrimPrefix(item, `id="`+id+`">`))
}

// TestAwardQueueListExport: the office's award queue filters by verification state,
// level, city, school and edition, says how many awards match, and downloads exactly
// those (in words) as a workbook, the read audited like the page's; others get 403.
func TestAwardQueueListExport(t *testing.T) {
	t.Parallel()
	f := setup(t)
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	count := func(where string, args ...any) int {
		t.Helper()
		var n int
		if err := f.st.Pool.QueryRow(context.Background(), `SELECT count(*) FROM awards a JOIN persons p ON p.id = a.person_id
			AND person_listed(p.consent_state) LEFT JOIN organizations o ON o.id = a.school_id
			WHERE a.deleted_at IS NULL AND `+where, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	page := admin.get("/office/awards", http.StatusOK)
	all := listTotal(t, page, "awards")
	if want := count(`a.verification = 'reported'`); all != want || all < 2 {
		t.Fatalf("queue total %d, want %d", all, want)
	}
	var city, level, school, ed string
	f.one(`SELECT o.city_code, a.level, o.code, pa.edition_id FROM awards a JOIN persons p ON p.id = a.person_id
		AND person_listed(p.consent_state) JOIN organizations o ON o.id = a.school_id
		JOIN participations pa ON pa.person_id = a.person_id
		WHERE a.deleted_at IS NULL AND a.verification = 'reported' ORDER BY a.id LIMIT 1`, &city, &level, &school, &ed)
	for q, want := range map[string]int{
		"level=" + level + "&city=" + city: count(`a.verification = 'reported' AND a.level = $1 AND o.city_code = $2`, level, city),
		"school=" + school:                 count(`a.verification = 'reported' AND o.code = $1`, school),
		"edition=" + ed: count(`a.verification = 'reported' AND EXISTS (SELECT 1 FROM participations pa
			WHERE pa.person_id = a.person_id AND pa.edition_id = $1)`, ed),
	} {
		if n := listTotal(t, admin.get("/office/awards?"+q, http.StatusOK), "awards"); n != want || n < 1 || n > all {
			t.Errorf("%s: %d, want %d", q, n, want)
		}
	}

	// the filtered queue as a workbook: the page's awards, in words
	filtered := admin.get("/office/awards?level="+level+"&city="+city, http.StatusOK)
	n := listTotal(t, filtered, "awards")
	link := exportLink(t, filtered, "awards")
	reads := func() int {
		var r int
		f.one(`SELECT count(*) FROM audit_log WHERE action = 'read' AND entity = 'award' AND actor LIKE 'office_admin_%'`, &r)
		return r
	}
	before := reads()
	rows := workbookRows(t, admin.do("GET", link, nil))
	if reads() != before+1 {
		t.Error("the export's read is not audited")
	}
	if len(rows) != n+2 || rows[len(rows)-1][0] != "合计" || rows[len(rows)-1][1] != strconv.Itoa(n) {
		t.Fatalf("workbook: %d rows, want %d and a total", len(rows), n+2)
	}
	if strings.Join(rows[0][:5], ",") != "姓名,学校,市（州）,赛事名称,级别" || rows[1][9] != "待核实" {
		t.Errorf("headers %q, first row %q", rows[0], rows[1])
	}
	id := regexp.MustCompile(`id="award-(\d+)"`).FindStringSubmatch(filtered)[1]
	item := itemText(t, filtered, "award-"+id)
	for _, c := range rows[1] {
		if c != "" && !strings.Contains(item, c) {
			t.Errorf("the workbook's cell %q is not on the page: %q", c, item)
		}
	}
	noCodes(t, "awards", rows, level, city, "reported", "verified")

	// a verified award leaves the queue and is listed under its state
	admin.post("/office/awards/"+id+"/verify", url.Values{"state": {"verified"}, "return": {"/office/awards"}}, http.StatusSeeOther)
	if n2 := listTotal(t, admin.get("/office/awards", http.StatusOK), "awards"); n2 != all-1 {
		t.Errorf("after a verification: %d, want %d", n2, all-1)
	}
	done := admin.get("/office/awards?state=verified", http.StatusOK)
	contains(t, done, `id="award-`+id+`"`, "获奖核实记录")
	if strings.Contains(done, `action="/office/awards/`+id+`/verify"`) {
		t.Error("a verified award is offered for verification again")
	}

	op, _, _ := f.dueOperator()
	op.get("/office/awards/export", http.StatusForbidden)
	f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{})).get("/office/awards/export", http.StatusForbidden)
}

// TestApplicationsListExport: the office's applications list filters by edition, status,
// city and school, says how many match, and downloads exactly those (in words) as a
// workbook; a role that may not review applications gets 403.
func TestApplicationsListExport(t *testing.T) {
	t.Parallel()
	f := setup(t)
	admin := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	var edition, city, school string
	f.one(`SELECT a.edition_id, o.city_code, o.code FROM applications a JOIN organizations o ON o.id = a.school_id
		ORDER BY a.id LIMIT 1`, &edition, &city, &school)
	count := func(where string, args ...any) int {
		t.Helper()
		var n int
		if err := f.st.Pool.QueryRow(context.Background(), `SELECT count(*) FROM applications a
			JOIN organizations o ON o.id = a.school_id WHERE a.edition_id = $1 AND `+where,
			append([]any{edition}, args...)...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	all := listTotal(t, admin.get("/office/applications?status=&edition="+edition, http.StatusOK), "applications")
	if want := count("true"); all != want || all < 2 {
		t.Fatalf("every application of %s: %d, want %d", edition, all, want)
	}
	for q, want := range map[string]int{
		"city=" + city:     count("o.city_code = $2", city),
		"school=" + school: count("o.code = $2", school),
	} {
		if n := listTotal(t, admin.get("/office/applications?status=&edition="+edition+"&"+q, http.StatusOK), "applications"); n != want || n < 1 {
			t.Errorf("%s: %d, want %d", q, n, want)
		}
	}
	page := admin.get("/office/applications?status=&edition="+edition+"&city="+city, http.StatusOK)
	n := listTotal(t, page, "applications")
	rows := workbookRows(t, admin.do("GET", exportLink(t, page, "applications"), nil))
	if len(rows) != n+2 || strings.Join(rows[0], ",") != "单位名称,市（州）,年度,状态,提交于,单位负责人,项目负责人,审核意见" ||
		rows[len(rows)-1][0] != "合计" {
		t.Fatalf("workbook: %d rows, want %d: %q", len(rows), n+2, rows[0])
	}
	id := regexp.MustCompile(`id="app-(\d+)"`).FindStringSubmatch(page)[1]
	item := itemText(t, page, "app-"+id)
	for _, c := range rows[1] {
		if c != "" && !strings.Contains(item, c) {
			t.Errorf("the workbook's cell %q is not on the page: %q", c, item)
		}
	}
	noCodes(t, "applications", rows, edition, city, school, "submitted", "approved", "draft")

	op, _, _ := f.dueOperator()
	op.get("/office/applications/export", http.StatusForbidden)
	f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{})).get("/office/applications/export", http.StatusForbidden)
}
