package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/report"
)

var officeNames = report.OfficeNames{
	Edition: func(id string) string {
		return map[string]string{"jingke-2023": "菁科计划 2023 年度", "jingke-2024": "菁科计划 2024 年度", "jindaoshi-2023": "金导师 2023 年度"}[id]
	},
	Region: func(code string) string { return map[string]string{"510100": "成都市", "510300": "自贡市"}[code] },
}

func openWorkbook(t *testing.T, write func(*bytes.Buffer) error) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rowsOf is a sheet's cells as shown (number formats applied).
func rowsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// checkBold checks that a cell is bold, as a total row is.
func checkBold(t *testing.T, f *excelize.File, sheet, cell string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Font == nil || !st.Font.Bold {
		t.Errorf("%s!%s is not bold", sheet, cell)
	}
}

// TestAnnualWorkbook: names instead of codes, levels in vocab's order, shares in a percent
// format (numbers underneath), a total row per table.
func TestAnnualWorkbook(t *testing.T) {
	t.Parallel()
	r := sampleAnnual()
	r.Awards.ByLevel = report.Counts{"school": 1, "national": 2, "provincial": 9, "municipal": 4}
	r.FollowUpCoverage.ByRegion["510300"] = report.RegionCoverage{Alumni: 4, Contacted: 1, Rate: 0.25}
	f := openWorkbook(t, func(b *bytes.Buffer) error { return report.WriteAnnualWorkbook(b, r, officeNames) })
	if got := strings.Join(f.GetSheetList(), ","); got != "概要,菁科计划参与人员,金导师计划参与人员,获奖,毕业去向,工作动向,跟踪覆盖" {
		t.Fatalf("sheets %s", got)
	}
	aw := rowsOf(t, f, "获奖")
	var levels []string
	for _, row := range aw[1:] {
		levels = append(levels, row[0])
	}
	if got := strings.Join(levels, ","); got != "国家级,省级,市级,校级,合计" {
		t.Errorf("levels %s", got)
	}
	if last := aw[len(aw)-1]; last[1] != "16" || last[2] != "100.0%" {
		t.Errorf("total row %q", last)
	}
	checkBold(t, f, "获奖", "A6")
	checkCell(t, f, "获奖", "C3", "56.3%", true) // 9 of 16, a number shown as %
	parts := rowsOf(t, f, "菁科计划参与人员")
	text := ""
	for _, row := range parts {
		text += strings.Join(row, "|") + "\n"
	}
	for _, want := range []string{"状态|已结业|2|66.7%", "状态|合计|3|100.0%", "区域|成都市|2|100.0%"} {
		if !strings.Contains(text, want) {
			t.Errorf("participants sheet lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "510100") || strings.Contains(text, "robotics") || strings.Contains(text, "completed") {
		t.Errorf("participants sheet shows codes:\n%s", text)
	}
	cov := rowsOf(t, f, "跟踪覆盖")
	if got := strings.Join(cov[1], "|"); got != "成都市|3|2|66.7%" {
		t.Errorf("coverage row %s", got)
	}
	if got := strings.Join(cov[len(cov)-1], "|"); got != "全省合计|3|2|66.7%" {
		t.Errorf("coverage total %s", got)
	}
	checkBold(t, f, "跟踪覆盖", "A4")
}

// TestComparisonWorkbook: one workbook for several cohorts — a summary sheet, a sheet per
// cohort, the teachers' cohorts with their own measures.
func TestComparisonWorkbook(t *testing.T) {
	t.Parallel()
	a := sampleCohort()
	b := sampleCohort()
	b.Edition, b.CohortSize = "jingke-2024", 4
	c := report.Comparison{AsOf: "2025-06-15", WithinYears: 1, Cohorts: []report.CohortReport{a, b},
		Teachers: []report.TrajectoryEdition{{Edition: "jindaoshi-2023", Cutoff: "2025-06-15", CohortSize: 5, InEducation: 4,
			Promoted: 1, Shares: report.TrajectoryShares{InEducation: 0.8, Promoted: 0.2}}}}
	f := openWorkbook(t, func(w *bytes.Buffer) error { return report.WriteComparisonWorkbook(w, c, officeNames) })
	if got := strings.Join(f.GetSheetList(), ","); got != "汇总,菁科计划 2023 年度,菁科计划 2024 年度,金导师汇总,金导师 2023 年度" {
		t.Fatalf("sheets %s", got)
	}
	sum := rowsOf(t, f, "汇总")
	if got := strings.Join(sum[1], "|"); got != "菁科计划 2023 年度|3|2025-06-15|2025-02-28|否|2|66.7%|1|33.3%" {
		t.Errorf("summary row %s", got)
	}
	if got := strings.Join(sum[3], "|"); got != "合计|7" {
		t.Errorf("summary total %s", got)
	}
	checkBold(t, f, "汇总", "B4")
	win := rowsOf(t, f, "菁科计划 2024 年度")
	if win[1][0] != "年度内" || win[2][0] != "第 1 年" || win[2][9] != "50.0%" {
		t.Errorf("cohort sheet %q", win)
	}
	teach := rowsOf(t, f, "金导师汇总")
	if got := strings.Join(teach[1][:8], "|"); got != "金导师 2023 年度|5|2025-06-15|否|4|80.0%|1|20.0%" {
		t.Errorf("teachers %s", got)
	}
}

// TestWithin: window N's cumulative counts, or the latest window's while N is not reached.
func TestWithin(t *testing.T) {
	t.Parallel()
	r := sampleCohort()
	w, ok := r.Within(0)
	if !ok || w.K != 0 || !w.Complete || w.CumulativeProvincialPlus != 1 {
		t.Errorf("within 0: %+v", w)
	}
	w, _ = r.Within(3) // only window 1, partial, is there
	if w.K != 1 || w.Complete || w.CumulativeProvincialPlus != 2 || w.YingcaiCumulative != 1 ||
		float64(w.ProvincialShare) != 2.0/3.0 {
		t.Errorf("within 3: %+v", w)
	}
	if _, ok := (report.CohortReport{CohortSize: 2}).Within(1); ok {
		t.Error("a report without windows has figures")
	}
}
