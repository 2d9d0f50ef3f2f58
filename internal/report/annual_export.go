package report

import (
	"io"

	"talentdb/internal/vocab"
)

func (r AnnualReport) program(p string) ProgramFigures {
	if p == "jindaoshi" {
		return r.Participants.Jindaoshi
	}
	return r.Participants.Jingke
}

// participantDims lists a program's objects in JSON order with the labels of their keys.
func participantDims(p ProgramFigures) []struct {
	name   string
	counts Counts
	labels *vocab.Enum
} {
	return []struct {
		name   string
		counts Counts
		labels *vocab.Enum
	}{
		{"by_status", p.ByStatus, &vocab.Statuses},
		{"by_region", p.ByRegion, nil},
		{"by_category", p.ByCategory, &vocab.Categories},
		{"by_grade_band", p.ByGradeBand, &vocab.GradeBands},
		{"by_gender", p.ByGender, &vocab.Genders},
	}
}

// WriteCSV writes the report in long form, section,program,dimension,key,value: one row
// per non-zero figure, the coverage as dimension overall or by_region.CODE with keys
// alumni, contacted and rate.
func (r AnnualReport) WriteCSV(w io.Writer) error {
	t := table{keys: []string{"section", "program", "dimension", "key", "value"}}
	for _, prog := range vocab.Programs.Keys() {
		for _, d := range participantDims(r.program(prog)) {
			for _, k := range sortedKeys(d.counts) {
				t.rows = append(t.rows, []any{"participants", prog, d.name, k, d.counts[k]})
			}
		}
	}
	for _, s := range []struct {
		section, dim string
		counts       Counts
	}{{"awards", "by_level", r.Awards.ByLevel}, {"destinations", "by_type", r.Destinations.ByType},
		{"career_moves", "by_reason", r.CareerMoves.ByReason}} {
		for _, k := range sortedKeys(s.counts) {
			t.rows = append(t.rows, []any{s.section, "", s.dim, k, s.counts[k]})
		}
	}
	c := r.FollowUpCoverage
	t.rows = append(t.rows,
		[]any{"follow_up_coverage", "", "overall", "alumni", c.Alumni},
		[]any{"follow_up_coverage", "", "overall", "contacted", c.Contacted},
		[]any{"follow_up_coverage", "", "overall", "rate", c.Rate})
	for _, region := range sortedKeys(c.ByRegion) {
		rc := c.ByRegion[region]
		dim := "by_region." + region
		t.rows = append(t.rows,
			[]any{"follow_up_coverage", "", dim, "alumni", rc.Alumni},
			[]any{"follow_up_coverage", "", dim, "contacted", rc.Contacted},
			[]any{"follow_up_coverage", "", dim, "rate", rc.Rate})
	}
	return writeCSV(w, t)
}

// countTable is a sheet of records by one key.
func countTable(sheet, keyHeader, labelHeader string, counts Counts, labels *vocab.Enum) table {
	t := table{sheet: sheet, headers: []string{keyHeader, labelHeader, "记录数"}}
	for _, k := range sortedKeys(counts) {
		t.rows = append(t.rows, []any{k, label(labels, k), counts[k]})
	}
	return t
}

// WriteXLSX writes a workbook with one sheet per section: 概要, 参与人员, 获奖, 毕业去向,
// 工作动向, 跟踪覆盖.
func (r AnnualReport) WriteXLSX(w io.Writer) error {
	summary := table{sheet: "概要", headers: []string{"年度", "统计截止日"}, rows: [][]any{{r.Year, r.AsOf}}}
	cutSummary(&summary, r.Cut)
	publicationSummary(&summary, r.Publication)
	parts := table{sheet: "参与人员", headers: []string{"计划", "维度", "代码", "名称", "人数"}}
	for _, prog := range vocab.Programs.Keys() {
		for _, d := range participantDims(r.program(prog)) {
			for _, k := range sortedKeys(d.counts) {
				parts.rows = append(parts.rows, []any{vocab.Programs.Zh(prog), dimensionLabels[d.name], k,
					label(d.labels, k), d.counts[k]})
			}
		}
	}
	c := r.FollowUpCoverage
	cov := table{sheet: "跟踪覆盖", headers: []string{"区域", "校友人数", "已联系人数", "联系率"},
		rows: [][]any{{"全省", c.Alumni, c.Contacted, c.Rate}}}
	for _, region := range sortedKeys(c.ByRegion) {
		rc := c.ByRegion[region]
		cov.rows = append(cov.rows, []any{region, rc.Alumni, rc.Contacted, rc.Rate})
	}
	return writeXLSX(w, []table{summary, parts,
		countTable("获奖", "级别代码", "级别", r.Awards.ByLevel, &vocab.Levels),
		countTable("毕业去向", "类型代码", "类型", r.Destinations.ByType, &vocab.DestinationTypes),
		countTable("工作动向", "原因代码", "原因", r.CareerMoves.ByReason, &vocab.Reasons),
		cov})
}
