package report

import (
	"fmt"
	"io"

	"talentdb/internal/vocab"
)

// Exports of the analyses (docs/reports.md, "Exports"): CSV is one table with stable
// English keys; XLSX has a summary sheet (概要) and one sheet per section with Chinese
// headers. Withheld figures of a published analysis are written as in the JSON ("<5",
// "*", an empty rate).

// fileName joins the parts of an export's base name, marking a published report.
func fileName(p *Publication, parts ...any) string {
	s := ""
	for i, v := range parts {
		if i > 0 {
			s += "-"
		}
		s += fmt.Sprint(v)
	}
	if p != nil {
		s += "-published"
	}
	return s
}

// Name is the base of the cohort report's export file name.
func (r *CohortReport) Name() string { return fileName(r.Publication, "cohort", r.Edition, r.AsOf) }

// Name is the base of the annual report's export file name.
func (r *AnnualReport) Name() string { return fileName(r.Publication, "annual", r.Year, r.AsOf) }

// Name is the base of the comparison's export file name.
func (r *ComparisonReport) Name() string { return fileName(r.Publication, "cohort-comparison", r.AsOf) }

// Name is the base of the pipeline's export file name.
func (r *PipelineReport) Name() string {
	return fileName(r.Publication, "yingcai-pipeline", r.Program, fmt.Sprintf("%dy", r.WithinYears), r.AsOf)
}

// Name is the base of the league's export file name.
func (r *LeagueReport) Name() string { return fileName(r.Publication, "school-league", r.AsOf) }

// Name is the base of the trajectories' export file name.
func (r *TrajectoriesReport) Name() string {
	return fileName(r.Publication, "teacher-trajectories", fmt.Sprintf("%dy", r.WithinYears), r.AsOf)
}

// Name is the base of the awards series' export file name.
func (r *AwardsOverTimeReport) Name() string {
	return fileName(r.Publication, "awards-over-time", r.FromYear, r.ToYear, r.AsOf)
}

// cutSummary adds the cut (if any) to a summary sheet's headers and row.
func cutSummary(t *table, c *Cut) {
	if c == nil {
		return
	}
	t.headers = append(t.headers, "区域", "单位代码", "项目类别", "计划")
	t.rows[0] = append(t.rows[0], c.Region, c.School, c.Category, c.Program)
}

// publicationSummary adds the publication rule (if any) to a summary sheet.
func publicationSummary(t *table, p *Publication) {
	if p == nil {
		return
	}
	t.headers = append(t.headers, "发布说明")
	t.rows[0] = append(t.rows[0], p.Rule)
}

// comparisonTable is one row per edition and window k.
func (r ComparisonReport) comparisonTable() table {
	t := table{sheet: "窗口对比",
		keys: []string{"k", "edition", "cohort_size", "from", "to", "partial", "contacted", "awarded",
			"awarded_provincial_plus", "cumulative_provincial_plus", "yingcai_cumulative"},
		headers: []string{"窗口", "年度", "队列人数", "起始日", "截止日", "未满窗口", "已联系人数", "获奖人数",
			"省级及以上获奖人数", "累计省级及以上获奖人数", "累计英才计划人数"}}
	for _, d := range vocab.DestinationTypes.Keys() {
		t.keys = append(t.keys, d)
		t.headers = append(t.headers, "去向："+vocab.DestinationTypes.Zh(d))
	}
	t.keys = append(t.keys, "contacted_share", "awarded_share", "awarded_provincial_plus_share",
		"cumulative_provincial_plus_share", "yingcai_cumulative_share")
	t.headers = append(t.headers, "已联系比例", "获奖比例", "省级及以上获奖比例", "累计省级及以上获奖比例", "累计英才计划比例")
	sizes := map[string]Count{}
	for _, e := range r.Editions {
		sizes[e.Edition] = e.CohortSize
	}
	for _, ws := range r.Windows {
		for _, w := range ws.ByEdition {
			row := []any{ws.K, w.Edition, sizes[w.Edition], w.From, w.To, w.Partial, w.Contacted, w.Awarded,
				w.AwardedProvincialPlus, w.CumulativeProvincialPlus, w.YingcaiCumulative}
			for _, d := range vocab.DestinationTypes.Keys() {
				row = append(row, w.Destinations[d])
			}
			sh := w.Shares
			row = append(row, sh.Contacted, sh.Awarded, sh.AwardedProvincialPlus, sh.CumulativeProvincialPlus,
				sh.YingcaiCumulative)
			t.rows = append(t.rows, row)
		}
	}
	return t
}

// WriteCSV writes one row per window k and edition (k, then the editions in the order
// asked), with the shares after the destination types.
func (r ComparisonReport) WriteCSV(w io.Writer) error { return writeCSV(w, r.comparisonTable()) }

// WriteXLSX writes 概要, 年度 (the editions and their cohort sizes) and 窗口对比.
func (r ComparisonReport) WriteXLSX(w io.Writer) error {
	summary := table{sheet: "概要", headers: []string{"统计截止日"}, rows: [][]any{{r.AsOf}}}
	cutSummary(&summary, r.Cut)
	publicationSummary(&summary, r.Publication)
	eds := table{sheet: "年度", headers: []string{"年度", "队列人数"}}
	for _, e := range r.Editions {
		eds.rows = append(eds.rows, []any{e.Edition, e.CohortSize})
	}
	return writeXLSX(w, []table{summary, eds, r.comparisonTable()})
}

func (r PipelineReport) pipelineTable() table {
	t := table{sheet: "英才计划通道",
		keys: []string{"program", "within_years", "as_of", "edition", "starts_on", "ends_on", "until", "complete",
			"cohort_size", "yingcai", "talent_program", "yingcai_share", "talent_program_share"},
		headers: []string{"计划", "年限", "统计截止日", "年度", "开始日", "结束日", "统计至", "已满年限", "队列人数",
			"进入英才计划人数", "进入其他拔尖计划人数", "英才计划比例", "其他拔尖计划比例"}}
	for _, e := range r.Editions {
		t.rows = append(t.rows, []any{r.Program, r.WithinYears, r.AsOf, e.Edition, e.StartsOn, e.EndsOn, e.Until,
			e.Complete, e.CohortSize, e.Yingcai, e.TalentProgram, e.YingcaiShare, e.TalentProgramShare})
	}
	return t
}

// WriteCSV writes one row per edition.
func (r PipelineReport) WriteCSV(w io.Writer) error { return writeCSV(w, r.pipelineTable()) }

// WriteXLSX writes 概要 and 英才计划通道 (one row per edition).
func (r PipelineReport) WriteXLSX(w io.Writer) error {
	summary := table{sheet: "概要", headers: []string{"计划", "年限", "统计截止日"},
		rows: [][]any{{vocab.Programs.Zh(r.Program), r.WithinYears, r.AsOf}}}
	publicationSummary(&summary, r.Publication)
	return writeXLSX(w, []table{summary, r.pipelineTable().dropColumns(3)})
}

// leagueColumns are the columns of a league line after its names.
var (
	leagueKeys    = []string{"alumni", "opted_out", "scheduled", "contacted", "due", "overdue", "rate"}
	leagueHeaders = []string{"校友人数", "不再联系人数", "本窗口应联系人数", "本窗口已联系人数", "待联系人数", "逾期人数", "联系率"}
)

func (l LeagueLine) figures() []any {
	return []any{l.Alumni, l.OptedOut, l.Scheduled, l.Contacted, l.Due, l.Overdue, l.Rate}
}

// WriteCSV writes one table: the total, then the cities, then the schools, told apart by
// the level column.
func (r LeagueReport) WriteCSV(w io.Writer) error {
	t := table{keys: append([]string{"level", "city_code", "city_name", "school_code", "school_name"}, leagueKeys...)}
	add := func(level string, l LeagueLine) {
		t.rows = append(t.rows, append([]any{level, l.CityCode, l.CityName, l.SchoolCode, l.SchoolName}, l.figures()...))
	}
	add("total", r.Total)
	for _, l := range r.Cities {
		add("city", l)
	}
	for _, l := range r.Schools {
		add("school", l)
	}
	return writeCSV(w, t)
}

// WriteXLSX writes 概要 (the date, the region and the total), 市州 and 学校.
func (r LeagueReport) WriteXLSX(w io.Writer) error {
	summary := table{sheet: "概要", headers: append([]string{"统计截止日", "区域"}, leagueHeaders...),
		rows: [][]any{append([]any{r.AsOf, r.Region}, r.Total.figures()...)}}
	publicationSummary(&summary, r.Publication)
	cities := table{sheet: "市州", headers: append([]string{"市州代码", "市州"}, leagueHeaders...)}
	for _, l := range r.Cities {
		cities.rows = append(cities.rows, append([]any{l.CityCode, l.CityName}, l.figures()...))
	}
	schools := table{sheet: "学校", headers: append([]string{"市州代码", "市州", "单位代码", "学校"}, leagueHeaders...)}
	for _, l := range r.Schools {
		schools.rows = append(schools.rows, append([]any{l.CityCode, l.CityName, l.SchoolCode, l.SchoolName}, l.figures()...))
	}
	return writeXLSX(w, []table{summary, cities, schools})
}

func (r TrajectoriesReport) trajectoryTable() table {
	t := table{sheet: "金导师去向",
		keys: []string{"within_years", "as_of", "edition", "ends_on", "cutoff", "complete", "cohort_size",
			"in_education", "promoted", "moved_city", "awarded", "awarded_provincial_plus", "in_education_share",
			"promoted_share", "moved_city_share", "awarded_share", "awarded_provincial_plus_share"},
		headers: []string{"年限", "统计截止日", "年度", "结束日", "统计至", "已满年限", "队列人数", "仍在科技教育岗位人数",
			"晋升人数", "跨市州流动人数", "结业后获奖人数", "结业后省级及以上获奖人数", "仍在岗比例", "晋升比例",
			"跨市州流动比例", "获奖比例", "省级及以上获奖比例"}}
	for _, e := range r.Editions {
		sh := e.Shares
		t.rows = append(t.rows, []any{r.WithinYears, r.AsOf, e.Edition, e.EndsOn, e.Cutoff, e.Complete, e.CohortSize,
			e.InEducation, e.Promoted, e.MovedCity, e.Awarded, e.AwardedProvincialPlus, sh.InEducation, sh.Promoted,
			sh.MovedCity, sh.Awarded, sh.AwardedProvincialPlus})
	}
	return t
}

// WriteCSV writes one row per 金导师 edition.
func (r TrajectoriesReport) WriteCSV(w io.Writer) error { return writeCSV(w, r.trajectoryTable()) }

// WriteXLSX writes 概要 and 金导师去向 (one row per edition).
func (r TrajectoriesReport) WriteXLSX(w io.Writer) error {
	summary := table{sheet: "概要", headers: []string{"年限", "统计截止日"}, rows: [][]any{{r.WithinYears, r.AsOf}}}
	publicationSummary(&summary, r.Publication)
	return writeXLSX(w, []table{summary, r.trajectoryTable().dropColumns(2)})
}

// WriteCSV writes the series in long form, year,dimension,key,value: each year's total
// (always, even 0), then its non-zero levels and categories.
func (r AwardsOverTimeReport) WriteCSV(w io.Writer) error {
	t := table{keys: []string{"year", "dimension", "key", "value"}}
	for _, y := range r.Years {
		t.rows = append(t.rows, []any{y.Year, "total", "", y.Total})
		for _, k := range sortedKeys(y.ByLevel) {
			t.rows = append(t.rows, []any{y.Year, "by_level", k, y.ByLevel[k]})
		}
		for _, k := range sortedKeys(y.ByCategory) {
			t.rows = append(t.rows, []any{y.Year, "by_category", k, y.ByCategory[k]})
		}
	}
	return writeCSV(w, t)
}

// WriteXLSX writes 概要, 按级别 (a row per year, a column per level) and 按项目类别 (a row
// per year, a column per category that has awards in the range).
func (r AwardsOverTimeReport) WriteXLSX(w io.Writer) error {
	summary := table{sheet: "概要", headers: []string{"起始年份", "截止年份", "统计截止日", "计划"},
		rows: [][]any{{r.FromYear, r.ToYear, r.AsOf, vocab.Programs.Zh(r.Program)}}}
	publicationSummary(&summary, r.Publication)
	levels := table{sheet: "按级别", headers: []string{"年份", "合计"}}
	awardLevels := vocab.Levels.Keys() // the columns, highest level first
	for _, l := range awardLevels {
		levels.headers = append(levels.headers, vocab.Levels.Zh(l))
	}
	cats := map[string]bool{}
	for _, y := range r.Years {
		row := []any{y.Year, y.Total}
		for _, l := range awardLevels {
			row = append(row, y.ByLevel[l])
		}
		levels.rows = append(levels.rows, row)
		for k := range y.ByCategory {
			cats[k] = true
		}
	}
	catKeys := sortedKeys(cats)
	categories := table{sheet: "按项目类别", headers: []string{"年份", "合计"}}
	for _, k := range catKeys {
		categories.headers = append(categories.headers, vocab.Categories.Zh(k))
	}
	for _, y := range r.Years {
		row := []any{y.Year, y.Total}
		for _, k := range catKeys {
			row = append(row, y.ByCategory[k])
		}
		categories.rows = append(categories.rows, row)
	}
	return writeXLSX(w, []table{summary, levels, categories})
}
