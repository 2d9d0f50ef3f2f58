package report_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/report"
)

func sampleDue() report.DueReport {
	last := "2025-04-02"
	evil := "@SUM(1+1)"
	return report.DueReport{AsOf: "2026-06-30", School: "BS01", DueCount: 3, OverdueCount: 1,
		Persons: []report.DuePerson{
			{IDNumberMasked: "5101**************", Name: "张晓明", Edition: "jingke-2023", K: 3,
				WindowFrom: "2026-03-01", WindowTo: "2027-02-28", Due: true, Overdue: true},
			{IDNumberMasked: "5101**************", Name: "=HYPERLINK(\"http://x\",\"点我\")", Edition: "jingke-2023", K: 3,
				WindowFrom: "2026-03-01", WindowTo: "2027-02-28", Due: true, LastContactedOn: &last},
			{IDNumberMasked: "5101**************", Name: "-李四", Edition: "jingke-2024", K: 2,
				WindowFrom: "2026-03-01", WindowTo: "2027-02-28", Due: true, LastContactedOn: &evil},
		}}
}

func sampleCohort() report.CohortReport {
	return report.CohortReport{Edition: "jingke-2023", AsOf: "2025-06-15", CohortSize: 3, Windows: []report.CohortWindow{
		{K: 0, From: "2023-03-01", To: "2024-02-29", Contacted: 1, Awarded: 1, AwardedProvincialPlus: 1,
			CumulativeProvincialPlus: 1, Destinations: report.Counts{"junior_high": 2}},
		{K: 1, From: "2024-03-01", To: "2025-02-28", Partial: true, Contacted: 2, Awarded: 2, AwardedProvincialPlus: 1,
			CumulativeProvincialPlus: 2, YingcaiCumulative: 1, Destinations: report.Counts{"yingcai": 1, "other": 4}},
	}}
}

func sampleAnnual() report.AnnualReport {
	empty := report.ProgramFigures{ByStatus: report.Counts{}, ByRegion: report.Counts{}, ByCategory: report.Counts{},
		ByGradeBand: report.Counts{}, ByGender: report.Counts{}}
	return report.AnnualReport{Year: 2024, AsOf: "2024-12-31",
		Participants: report.Participants{Jingke: report.ProgramFigures{
			ByStatus: report.Counts{"completed": 2, "withdrawn": 1}, ByRegion: report.Counts{"510100": 2},
			ByCategory: report.Counts{"robotics": 2}, ByGradeBand: report.Counts{"primary": 2},
			ByGender: report.Counts{"female": 1, "male": 1}}, Jindaoshi: empty},
		Awards:       report.AwardFigures{ByLevel: report.Counts{"provincial": 9}},
		Destinations: report.DestinationFigures{ByType: report.Counts{"senior_high": 7}},
		CareerMoves:  report.CareerMoveFigures{ByReason: report.Counts{"promotion": 2}},
		FollowUpCoverage: report.Coverage{Alumni: 3, Contacted: 2, Rate: 2.0 / 3.0,
			ByRegion: map[string]report.RegionCoverage{"510100": {Alumni: 3, Contacted: 2, Rate: 2.0 / 3.0}}}}
}

// readCSV checks the byte-order mark and returns the records.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("CSV does not start with a UTF-8 BOM: %q", b[:min(len(b), 10)])
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestDueCSV(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := report.Write(&buf, report.FormatCSV, sampleDue()); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, buf.Bytes())
	want := [][]string{
		{"id_number_masked", "name", "edition", "k", "window_from", "window_to", "due", "overdue", "last_contacted_on"},
		{"5101**************", "张晓明", "jingke-2023", "3", "2026-03-01", "2027-02-28", "true", "true", ""},
		{"5101**************", "'=HYPERLINK(\"http://x\",\"点我\")", "jingke-2023", "3", "2026-03-01", "2027-02-28", "true", "false", "2025-04-02"},
		{"5101**************", "'-李四", "jingke-2024", "2", "2026-03-01", "2027-02-28", "true", "false", "'@SUM(1+1)"},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d", len(recs), len(want))
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d:\n got %q\nwant %q", i, recs[i], want[i])
		}
	}
	if !bytes.Contains(buf.Bytes(), []byte("\r\n")) {
		t.Error("CSV lines should end with CRLF")
	}
}

func TestCohortCSV(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := sampleCohort().WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, buf.Bytes())
	want := [][]string{
		{"edition", "as_of", "cohort_size", "k", "from", "to", "partial", "contacted", "awarded",
			"awarded_provincial_plus", "cumulative_provincial_plus", "yingcai_cumulative",
			"junior_high", "senior_high", "vocational", "university", "yingcai", "talent_program", "employment", "other"},
		{"jingke-2023", "2025-06-15", "3", "0", "2023-03-01", "2024-02-29", "false", "1", "1", "1", "1", "0",
			"2", "0", "0", "0", "0", "0", "0", "0"},
		{"jingke-2023", "2025-06-15", "3", "1", "2024-03-01", "2025-02-28", "true", "2", "2", "1", "2", "1",
			"0", "0", "0", "0", "1", "0", "0", "4"},
	}
	for i := range want {
		if i >= len(recs) || strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Fatalf("record %d:\n got %q\nwant %q", i, recs, want[i])
		}
	}
	// no window: the header alone
	buf.Reset()
	if err := (report.CohortReport{Edition: "jingke-2023", Windows: []report.CohortWindow{}}).WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if recs := readCSV(t, buf.Bytes()); len(recs) != 1 {
		t.Errorf("empty cohort CSV has %d records", len(recs))
	}
}

func TestAnnualCSV(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := sampleAnnual().WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	got := readCSV(t, buf.Bytes())
	want := [][]string{
		{"section", "program", "dimension", "key", "value"},
		{"participants", "jingke", "by_status", "completed", "2"},
		{"participants", "jingke", "by_status", "withdrawn", "1"},
		{"participants", "jingke", "by_region", "510100", "2"},
		{"participants", "jingke", "by_category", "robotics", "2"},
		{"participants", "jingke", "by_grade_band", "primary", "2"},
		{"participants", "jingke", "by_gender", "female", "1"},
		{"participants", "jingke", "by_gender", "male", "1"},
		{"awards", "", "by_level", "provincial", "9"},
		{"destinations", "", "by_type", "senior_high", "7"},
		{"career_moves", "", "by_reason", "promotion", "2"},
		{"follow_up_coverage", "", "overall", "alumni", "3"},
		{"follow_up_coverage", "", "overall", "contacted", "2"},
		{"follow_up_coverage", "", "overall", "rate", "0.6666666666666666"},
		{"follow_up_coverage", "", "by_region.510100", "alumni", "3"},
		{"follow_up_coverage", "", "by_region.510100", "contacted", "2"},
		{"follow_up_coverage", "", "by_region.510100", "rate", "0.6666666666666666"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d: got %q, want %q", i, got[i], want[i])
		}
	}
}

// openXLSX writes r as XLSX and reads it back.
func openXLSX(t *testing.T, r report.Exporter) *excelize.File {
	t.Helper()
	return openWorkbook(t, func(b *bytes.Buffer) error { return report.Write(b, report.FormatXLSX, r) })
}

func checkSheets(t *testing.T, f *excelize.File, want ...string) {
	t.Helper()
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	for _, s := range want {
		p, err := f.GetPanes(s)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
			t.Errorf("sheet %s: header row not frozen: %+v", s, p)
		}
	}
}

// checkCell checks a cell's value and whether it is stored as a number.
func checkCell(t *testing.T, f *excelize.File, sheet, cell, want string, number bool) {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if v != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, v, want)
	}
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	isNumber := typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset
	if isNumber != number {
		t.Errorf("%s!%s: type %v, number %v wanted", sheet, cell, typ, number)
	}
}

func TestCohortXLSX(t *testing.T) {
	t.Parallel()
	f := openXLSX(t, sampleCohort())
	checkSheets(t, f, "概要", "窗口")
	checkCell(t, f, "概要", "A1", "年度", false)
	checkCell(t, f, "概要", "C2", "3", true)
	checkCell(t, f, "窗口", "A1", "窗口", false)
	checkCell(t, f, "窗口", "A3", "1", true)
	checkCell(t, f, "窗口", "B3", "2024-03-01", false)
	checkCell(t, f, "窗口", "D3", "是", false)
	checkCell(t, f, "窗口", "E3", "2", true)
	checkCell(t, f, "窗口", "J1", "去向：初中", false)
	checkCell(t, f, "窗口", "J2", "2", true)
	checkCell(t, f, "窗口", "Q3", "4", true)
	if w, err := f.GetColWidth("窗口", "G"); err != nil || w < 20 {
		t.Errorf("column G (累计省级及以上获奖人数) width %v, %v", w, err)
	}
}

func TestAnnualXLSX(t *testing.T) {
	t.Parallel()
	f := openXLSX(t, sampleAnnual())
	checkSheets(t, f, "概要", "参与人员", "获奖", "毕业去向", "工作动向", "跟踪覆盖")
	checkCell(t, f, "概要", "A2", "2024", true)
	checkCell(t, f, "参与人员", "A2", "菁科计划", false)
	checkCell(t, f, "参与人员", "B2", "状态", false)
	checkCell(t, f, "参与人员", "D2", "已结业", false)
	checkCell(t, f, "参与人员", "E2", "2", true)
	checkCell(t, f, "获奖", "B2", "省级", false)
	checkCell(t, f, "获奖", "C2", "9", true)
	checkCell(t, f, "跟踪覆盖", "A2", "全省", false)
	checkCell(t, f, "跟踪覆盖", "B2", "3", true)
	checkCell(t, f, "跟踪覆盖", "A3", "510100", false)
	typ, _ := f.GetCellType("跟踪覆盖", "D2")
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("rate is not a number: %v", typ)
	}
}

func TestDueXLSX(t *testing.T) {
	t.Parallel()
	f := openXLSX(t, sampleDue())
	checkSheets(t, f, "概要", "待跟踪")
	checkCell(t, f, "概要", "D2", "3", true)
	checkCell(t, f, "待跟踪", "B1", "姓名", false)
	checkCell(t, f, "待跟踪", "B2", "张晓明", false)
	checkCell(t, f, "待跟踪", "B3", "'=HYPERLINK(\"http://x\",\"点我\")", false)
	checkCell(t, f, "待跟踪", "B4", "'-李四", false)
	checkCell(t, f, "待跟踪", "D2", "3", true)
	if v, _ := f.GetCellValue("待跟踪", "I2"); v != "" {
		t.Errorf("never contacted: %q", v)
	}
	checkCell(t, f, "待跟踪", "I3", "2025-04-02", false)
	if formula, _ := f.GetCellFormula("待跟踪", "B3"); formula != "" {
		t.Errorf("a name became a formula: %q", formula)
	}
}

func TestParseFormat(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]report.Format{"": report.FormatJSON, "JSON": report.FormatJSON,
		"csv": report.FormatCSV, " xlsx ": report.FormatXLSX} {
		if got, err := report.ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := report.ParseFormat("pdf"); err == nil {
		t.Error("pdf accepted")
	}
}

func TestJSONEndsWithNewline(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := report.Write(&buf, report.FormatJSON, sampleDue()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(buf.String(), "}\n") || strings.Count(buf.String(), "\n") != 1 {
		t.Errorf("JSON output %q", buf.String())
	}
	if !strings.Contains(buf.String(), `"name":"张晓明"`) || !strings.Contains(buf.String(), `"last_contacted_on":null`) {
		t.Errorf("JSON output %q", buf.String())
	}
}
