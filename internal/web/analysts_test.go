package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/auth"
	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// analyst signs in an analyst on a fresh service.
func analyst(t *testing.T) (*fixture, *client) {
	t.Helper()
	f := setup(t)
	return f, f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
}

// TestCohortsWithinYears: the N-years control shows each cohort's count and share with a
// provincial-or-higher award and in 英才计划 within N years, equal to the cohort report's
// window N (what the API serves); a cohort not N years on says so; N out of range is an
// error next to its field.
func TestCohortsWithinYears(t *testing.T) {
	t.Parallel()
	f, c := analyst(t)
	asOf := "2026-11-28"
	body := c.get("/cohorts?edition=jingke-2022&edition=jingke-2024&within=2&as_of="+asOf, http.StatusOK)
	contains(t, body, `id="within" name="within" value="2"`, "届满后 2 年内")
	day, _ := time.Parse(time.DateOnly, asOf)
	for _, id := range []string{"jingke-2022", "jingke-2024"} {
		rep, err := report.Cohort(context.Background(), f.st, id, day)
		if err != nil {
			t.Fatal(err)
		}
		wf, ok := rep.Within(2)
		if !ok {
			t.Fatalf("%s: no window", id)
		}
		if float64(wf.ProvincialShare) != float64(rep.Windows[wf.K].CumulativeProvincialPlus)/float64(rep.CohortSize) {
			t.Fatalf("%s: share is not the window's", id)
		}
		row := regexp.MustCompile(`(?s)<tr><th scope="row">` + regexp.QuoteMeta(namesZh(id)) + `</th>.*?</tr>`).FindString(
			section(body, "h-within"))
		for _, want := range []string{wf.To, fmt.Sprint(int(wf.CumulativeProvincialPlus)),
			fmt.Sprintf("%.1f%%", float64(wf.ProvincialShare)*100), fmt.Sprint(int(wf.YingcaiCumulative)),
			fmt.Sprintf("%.1f%%", float64(wf.YingcaiShare)*100)} {
			if !strings.Contains(row, want) {
				t.Errorf("%s within 2: row lacks %q: %s", id, want, row)
			}
		}
		if strings.Contains(row, "未满 2 年") == wf.Complete {
			t.Errorf("%s: complete %v, row %s", id, wf.Complete, row)
		}
	}
	bad := c.do("GET", "/cohorts?edition=jingke-2022&within=99", nil)
	if bad.Code != http.StatusUnprocessableEntity || !strings.Contains(bad.Body.String(), `id="within-err"`) {
		t.Errorf("within 99: %d", bad.Code)
	}
}

// namesZh is an edition's Chinese title, as the pages write it.
func namesZh(id string) string {
	prog, year, _ := strings.Cut(id, "-")
	return vocab.Programs.Zh(prog) + " " + year + " 年度"
}

// section is the part of a page from the heading with id on to the next section.
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// TestCohortsTeachers: a 金导师 cohort is shown with the teachers' measures (the
// trajectories), not the students' windows; the trajectories have a page of their own.
func TestCohortsTeachers(t *testing.T) {
	t.Parallel()
	f, c := analyst(t)
	asOf := "2026-11-28"
	body := c.get("/cohorts?edition=jindaoshi-2023&within=1&as_of="+asOf, http.StatusOK)
	day, _ := time.Parse(time.DateOnly, asOf)
	tr, err := report.TeacherTrajectories(context.Background(), f.st, 1, day)
	if err != nil {
		t.Fatal(err)
	}
	var e *report.TrajectoryEdition
	for i := range tr.Editions {
		if tr.Editions[i].Edition == "jindaoshi-2023" {
			e = &tr.Editions[i]
		}
	}
	if e == nil {
		t.Fatal("no trajectory of jindaoshi-2023")
	}
	teach := section(body, "h-teachers")
	contains(t, teach, "仍从事科学教育", "晋升", "跨市流动",
		fmt.Sprintf("%d · %.1f%%", int(e.InEducation), float64(e.Shares.InEducation)*100),
		fmt.Sprintf("%d · %.1f%%", int(e.Promoted), float64(e.Shares.Promoted)*100))
	if strings.Contains(body, `id="h-jindaoshi-2023"`) || strings.Contains(body, `id="h-within"`) {
		t.Error("the teachers' cohort is shown with the students' measures")
	}
	page := c.get("/cohorts/teachers?within=1&as_of="+asOf, http.StatusOK)
	contains(t, page, `id="chart-teachers"`, namesZh("jindaoshi-2023"), "/cohorts/workbook?edition=")
	if codes := codesIn(page, vocabKeys()); len(codes) > 0 {
		t.Errorf("the teachers' page shows codes: %v", codes)
	}
}

// TestCohortsFutureAsOf: an as_of after today is computed as today, with a note.
func TestCohortsFutureAsOf(t *testing.T) {
	t.Parallel()
	_, c := analyst(t)
	today := vocab.DateOf(time.Now()).Format(time.DateOnly)
	body := c.get("/cohorts?edition=jingke-2023&as_of=2099-01-01", http.StatusOK)
	contains(t, body, `id="as-of-note"`, "已按今天（"+today+"）计算", `name="as_of" value="`+today+`"`)
	if strings.Contains(visibleText(body), "2099") {
		t.Error("the future date is used")
	}
	contains(t, c.get("/cohorts/teachers?as_of=2099-01-01", http.StatusOK), `id="as-of-note"`)
}

func openBook(t *testing.T, res interface{ Bytes() []byte }) *excelize.File {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(res.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// TestCohortWorkbook: the cohorts compared come as ONE workbook, a summary and a sheet per
// cohort, named, with the page's N years.
func TestCohortWorkbook(t *testing.T) {
	t.Parallel()
	_, c := analyst(t)
	body := c.get("/cohorts?edition=jingke-2022&edition=jingke-2023&edition=jindaoshi-2023&within=2&as_of=2026-11-28", http.StatusOK)
	link := regexp.MustCompile(`href="(/cohorts/workbook\?[^"]+)"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatal("no workbook link")
	}
	res := c.do("GET", strings.ReplaceAll(link[1], "&amp;", "&"), nil)
	if res.Code != http.StatusOK || res.Header().Get("Content-Type") != report.FormatXLSX.ContentType() {
		t.Fatalf("workbook: %d %s", res.Code, res.Header().Get("Content-Type"))
	}
	x := openBook(t, res.Body)
	if got := strings.Join(x.GetSheetList(), ","); got != "汇总,菁科计划 2022 年度,菁科计划 2023 年度,金导师汇总,"+namesZh("jindaoshi-2023") {
		t.Errorf("sheets %s", got)
	}
	head, _ := x.GetCellValue("汇总", "D1")
	if head != "2 年内" {
		t.Errorf("summary header %q", head)
	}
}

// TestAnnualWorkbookAndPrint: the annual report's office workbook (names, percentages,
// totals) and its print view (every section, no code, the print stylesheet's classes).
func TestAnnualWorkbookAndPrint(t *testing.T) {
	t.Parallel()
	_, c := analyst(t)
	contains(t, c.get("/reports?year=2025", http.StatusOK), "/reports/annual/workbook?year=2025", "/reports/print?year=2025")
	res := c.do("GET", "/reports/annual/workbook?year=2025", nil)
	if res.Code != http.StatusOK {
		t.Fatalf("workbook: %d", res.Code)
	}
	x := openBook(t, res.Body)
	rows, err := x.GetRows("跟踪覆盖")
	if err != nil || len(rows) < 2 {
		t.Fatalf("coverage sheet: %v %d", err, len(rows))
	}
	if last := rows[len(rows)-1]; last[0] != "全省合计" || !strings.HasSuffix(last[3], "%") {
		t.Errorf("coverage total %q", last)
	}
	if strings.ContainsAny(rows[1][0], "0123456789") {
		t.Errorf("a city by code: %q", rows[1][0])
	}
	page := c.get("/reports/print?year=2025", http.StatusOK)
	if n := strings.Count(page, `class="print-section"`); n != 4 {
		t.Errorf("print view: %d sections, want 4", n)
	}
	contains(t, page, `class="print-view"`, "2025 年度统计报表", "参与人员 · 菁科计划", "参与人员 · 金导师计划", "全省合计")
	if codes := codesIn(page, vocabKeys()); len(codes) > 0 {
		t.Errorf("the print view shows codes: %v", codes)
	}
	c.get("/reports/print?year=abc", http.StatusBadRequest)
}

// TestAnalystPagesRefused: the new pages are the analysts'; a school operator is refused.
func TestAnalystPagesRefused(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code, _, _, _ := f.dueSchool()
	op := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code}))
	for _, p := range []string{"/cohorts/teachers", "/cohorts/workbook?edition=jingke-2023", "/reports/print?year=2025",
		"/reports/annual/workbook?year=2025"} {
		op.get(p, http.StatusForbidden)
	}
}
