package report_test

import (
	"bytes"
	"maps"
	"slices"
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

// cellWant is a cell of an XLSX export: its sheet and name, its text, and whether it is
// a number.
type cellWant struct {
	sheet, cell, want string
	number            bool
}

// TestAnalyticsExports writes every analysis as CSV and XLSX: stable English keys, a
// BOM, Chinese headers, numbers as numbers, a frozen header, and the published markers.
func TestAnalyticsExports(t *testing.T) {
	t.Parallel()
	f := analyticsData(t)
	asOf := day("2025-06-30")
	of := func(r report.Report, err error) report.Report {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	cmp, err := report.CohortComparison(f.ctx, f.st, []string{"jingke-2021", "jingke-2022"}, asOf, report.Cut{School: "S1"})
	cmpR := of(&cmp, err)
	pipe, err := report.YingcaiPipeline(f.ctx, f.st, "jingke", 3, asOf)
	pipeR := of(&pipe, err)
	league, err := report.SchoolLeague(f.ctx, f.st, "", asOf)
	leagueR := of(&league, err)
	traj, err := report.TeacherTrajectories(f.ctx, f.st, 3, asOf)
	trajR := of(&traj, err)
	awards, err := report.AwardsOverTime(f.ctx, f.st, 2021, 2025, "", asOf)
	awardsR := of(&awards, err)

	for _, c := range []struct {
		name    string
		r       report.Report
		records map[int]string // CSV records by index, joined by |
		sheets  []string
		cells   []cellWant
	}{
		{"comparison", cmpR, map[int]string{
			0: "k|edition|cohort_size|from|to|partial|contacted|awarded|awarded_provincial_plus|" +
				"cumulative_provincial_plus|yingcai_cumulative|junior_high|senior_high|vocational|university|yingcai|" +
				"talent_program|employment|other|contacted_share|awarded_share|awarded_provincial_plus_share|" +
				"cumulative_provincial_plus_share|yingcai_cumulative_share",
			// S1's jingke-2021 cohort is A and B; A's two awards of 2021 fall in window 0
			1: "0|jingke-2021|2|2021-03-01|2022-02-28|false|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0.5|0.5|0.5|0",
			2: "0|jingke-2022|2|2022-03-01|2023-02-28|false|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0",
		}, []string{"概要", "年度", "窗口对比"}, []cellWant{
			{"概要", "B1", "区域", false}, {"概要", "C2", "S1", false}, {"年度", "B2", "2", true},
			{"窗口对比", "B1", "年度", false}, {"窗口对比", "H2", "1", true}, {"窗口对比", "U2", "0.5", true},
		}},
		{"pipeline", pipeR, map[int]string{
			0: "program|within_years|as_of|edition|starts_on|ends_on|until|complete|cohort_size|yingcai|" +
				"talent_program|yingcai_share|talent_program_share",
			1: "jingke|3|2025-06-30|jingke-2021|2021-03-01|2022-02-28|2025-02-28|true|4|1|2|0.25|0.5",
		}, []string{"概要", "英才计划通道"}, []cellWant{
			{"概要", "A2", "菁科计划", false}, {"英才计划通道", "A1", "年度", false}, {"英才计划通道", "G2", "1", true},
		}},
		{"league", leagueR, map[int]string{
			0: "level|city_code|city_name|school_code|school_name|alumni|opted_out|scheduled|contacted|due|overdue|rate",
			1: "total|||||10|1|9|5|4|2|0.5555555555555556",
			2: "city|510100|成都市|||6|1|5|3|2|1|0.6",
			4: "school|510100|成都市|S3|S3学校|1|0|1|1|0|0|1",
		}, []string{"概要", "市州", "学校"}, []cellWant{{"学校", "D1", "学校", false}, {"学校", "E3", "5", true}}},
		{"trajectories", trajR, map[int]string{
			1: "3|2025-06-30|jindaoshi-2021|2022-02-28|2025-02-28|true|3|2|2|1|1|1|" +
				"0.6666666666666666|0.6666666666666666|0.3333333333333333|0.3333333333333333|0.3333333333333333",
		}, []string{"概要", "金导师去向"}, []cellWant{
			{"金导师去向", "F1", "仍在科技教育岗位人数", false}, {"金导师去向", "F2", "2", true},
		}},
		{"awards", awardsR, map[int]string{
			0: "year|dimension|key|value",
			1: "2021|total||2",
			2: "2021|by_level|national|1",
		}, []string{"概要", "按级别", "按项目类别"}, []cellWant{
			{"按级别", "C1", "国际级", false},
			{"按级别", "D2", "1", true}, // 2021, national
			{"按项目类别", "C1", "数学", false},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs := csvOf(t, c.r)
			for _, i := range slices.Sorted(maps.Keys(c.records)) {
				wantRecord(t, recs, i, c.records[i])
			}
			x := openXLSX(t, c.r)
			checkSheets(t, x, c.sheets...)
			for _, w := range c.cells {
				checkCell(t, x, w.sheet, w.cell, w.want, w.number)
			}
		})
	}

	// published: the markers are text, a withheld rate an empty cell
	league.Publish()
	recs := csvOf(t, &league)
	wantRecord(t, recs, 4, "school|510100|成都市|S3|S3学校|<5|0|<5|<5|0|0|")
	x := openXLSX(t, &league)
	checkCell(t, x, "学校", "E2", "<5", false)
	if v, _ := x.GetCellValue("学校", "K2"); v != "" {
		t.Errorf("withheld rate written as %q", v)
	}
	if name := league.Name(); name != "school-league-2025-06-30-published" {
		t.Errorf("name %q", name)
	}
}
