package report_test

import (
	"bytes"
	"strings"
	"testing"

	"talentdb/internal/report"
)

// csvOf writes r as CSV and returns its records (after checking the BOM).
func csvOf(t *testing.T, r report.Exporter) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Write(&buf, report.FormatCSV, r); err != nil {
		t.Fatal(err)
	}
	return readCSV(t, buf.Bytes())
}

// wantRecord fails unless records[i] is want (joined by |).
func wantRecord(t *testing.T, records [][]string, i int, want string) {
	t.Helper()
	if i >= len(records) {
		t.Fatalf("no record %d in %q", i, records)
	}
	if got := strings.Join(records[i], "|"); got != want {
		t.Errorf("record %d:\n got %s\nwant %s", i, got, want)
	}
}

// TestAnalyticsExports writes every analysis as CSV and XLSX: stable English keys, a
// BOM, Chinese headers, numbers as numbers, a frozen header, and the published markers.
func TestAnalyticsExports(t *testing.T) {
	t.Parallel()
	f := analyticsData(t)
	asOf := day("2025-06-30")

	cmp, err := report.CohortComparison(f.ctx, f.st, []string{"jingke-2021", "jingke-2022"}, asOf, report.Cut{School: "S1"})
	if err != nil {
		t.Fatal(err)
	}
	recs := csvOf(t, &cmp)
	wantRecord(t, recs, 0, "k|edition|cohort_size|from|to|partial|contacted|awarded|awarded_provincial_plus|"+
		"cumulative_provincial_plus|yingcai_cumulative|junior_high|senior_high|vocational|university|yingcai|"+
		"talent_program|employment|other|contacted_share|awarded_share|awarded_provincial_plus_share|"+
		"cumulative_provincial_plus_share|yingcai_cumulative_share")
	// S1's jingke-2021 cohort is A and B; A's two awards of 2021 fall in window 0
	wantRecord(t, recs, 1, "0|jingke-2021|2|2021-03-01|2022-02-28|false|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0.5|0.5|0.5|0")
	wantRecord(t, recs, 2, "0|jingke-2022|2|2022-03-01|2023-02-28|false|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0")
	x := openXLSX(t, &cmp)
	checkSheets(t, x, "概要", "年度", "窗口对比")
	checkCell(t, x, "概要", "B1", "区域", false)
	checkCell(t, x, "概要", "C2", "S1", false)
	checkCell(t, x, "年度", "B2", "2", true)
	checkCell(t, x, "窗口对比", "B1", "年度", false)
	checkCell(t, x, "窗口对比", "H2", "1", true)
	checkCell(t, x, "窗口对比", "U2", "0.5", true)

	pipe, err := report.YingcaiPipeline(f.ctx, f.st, "jingke", 3, asOf)
	if err != nil {
		t.Fatal(err)
	}
	recs = csvOf(t, &pipe)
	wantRecord(t, recs, 0, "program|within_years|as_of|edition|starts_on|ends_on|until|complete|cohort_size|yingcai|"+
		"talent_program|yingcai_share|talent_program_share")
	wantRecord(t, recs, 1, "jingke|3|2025-06-30|jingke-2021|2021-03-01|2022-02-28|2025-02-28|true|4|1|2|0.25|0.5")
	x = openXLSX(t, &pipe)
	checkSheets(t, x, "概要", "英才计划通道")
	checkCell(t, x, "概要", "A2", "菁科计划", false)
	checkCell(t, x, "英才计划通道", "A1", "年度", false)
	checkCell(t, x, "英才计划通道", "G2", "1", true)

	league, err := report.SchoolLeague(f.ctx, f.st, "", asOf)
	if err != nil {
		t.Fatal(err)
	}
	recs = csvOf(t, &league)
	wantRecord(t, recs, 0, "level|city_code|city_name|school_code|school_name|alumni|opted_out|scheduled|contacted|due|overdue|rate")
	wantRecord(t, recs, 1, "total|||||10|1|9|5|4|2|0.5555555555555556")
	wantRecord(t, recs, 2, "city|510100|成都市|||6|1|5|3|2|1|0.6")
	wantRecord(t, recs, 4, "school|510100|成都市|S3|S3学校|1|0|1|1|0|0|1")
	x = openXLSX(t, &league)
	checkSheets(t, x, "概要", "市州", "学校")
	checkCell(t, x, "学校", "D1", "学校", false)
	checkCell(t, x, "学校", "E3", "5", true)

	traj, err := report.TeacherTrajectories(f.ctx, f.st, 3, asOf)
	if err != nil {
		t.Fatal(err)
	}
	recs = csvOf(t, &traj)
	wantRecord(t, recs, 1, "3|2025-06-30|jindaoshi-2021|2022-02-28|2025-02-28|true|3|2|2|1|1|1|"+
		"0.6666666666666666|0.6666666666666666|0.3333333333333333|0.3333333333333333|0.3333333333333333")
	x = openXLSX(t, &traj)
	checkSheets(t, x, "概要", "金导师去向")
	checkCell(t, x, "金导师去向", "F1", "仍在科技教育岗位人数", false)
	checkCell(t, x, "金导师去向", "F2", "2", true)

	awards, err := report.AwardsOverTime(f.ctx, f.st, 2021, 2025, "", asOf)
	if err != nil {
		t.Fatal(err)
	}
	recs = csvOf(t, &awards)
	wantRecord(t, recs, 0, "year|dimension|key|value")
	wantRecord(t, recs, 1, "2021|total||2")
	wantRecord(t, recs, 2, "2021|by_level|national|1")
	x = openXLSX(t, &awards)
	checkSheets(t, x, "概要", "按级别", "按项目类别")
	checkCell(t, x, "按级别", "C1", "国际级", false)
	checkCell(t, x, "按级别", "D2", "1", true) // 2021, national
	checkCell(t, x, "按项目类别", "C1", "数学", false)

	// published: the markers are text, a withheld rate an empty cell
	league.Publish()
	recs = csvOf(t, &league)
	wantRecord(t, recs, 4, "school|510100|成都市|S3|S3学校|<5|0|<5|<5|0|0|")
	x = openXLSX(t, &league)
	checkCell(t, x, "学校", "E2", "<5", false)
	if v, _ := x.GetCellValue("学校", "K2"); v != "" {
		t.Errorf("withheld rate written as %q", v)
	}
	if name := league.Name(); name != "school-league-2025-06-30-published" {
		t.Errorf("name %q", name)
	}
}
