package report

import (
	"fmt"
	"io"
	"slices"

	"talentdb/internal/vocab"
)

// The office's workbooks: what an office prints and mails, beside the contract's machine
// files (Write, unchanged). Every key is named (regions, categories, levels in vocab's
// order), shares are numbers in a percent format, each table ends with a bold total row,
// and a comparison of several cohorts is one workbook.

// OfficeNames names what the office workbooks show in words; both functions are required.
type OfficeNames struct {
	// Edition is an edition's title, e.g. 菁科计划 2023 年度.
	Edition func(id string) string
	// Region is a city's (or the province's) name by code.
	Region func(code string) string
}

// OrderedKeys lists the keys of c in the given order, then any other keys in byte order:
// the order a count map is shown in.
func OrderedKeys(c Counts, order []string) []string {
	out := make([]string, 0, len(c))
	for _, k := range order {
		if _, ok := c[k]; ok && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, k := range sortedKeys(c) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// Total is the sum of counts; when any is withheld the total is withheld too (Hidden), so
// that it cannot give a withheld cell away.
func Total(counts ...Count) Count {
	var t Count
	for _, n := range counts {
		if n.Withheld() {
			return Hidden
		}
		t += n
	}
	return t
}

// Share is n over d, withheld when either is, 0 when d is 0.
func Share(n, d Count) Ratio {
	if n.Withheld() || d.Withheld() {
		return withheldRatio
	}
	return ratio(n, d)
}

// totalRow appends a bold row to t.
func (t *table) totalRow(cells ...any) {
	t.bold = append(t.bold, len(t.rows))
	t.rows = append(t.rows, cells)
}

// countBlock appends the rows of one count map to t: lead cells, the name, the count and
// its share of the block's total, then the total row.
func (t *table) countBlock(lead []any, counts Counts, order []string, name func(string) string) {
	keys := OrderedKeys(counts, order)
	all := make([]Count, len(keys))
	for i, k := range keys {
		all[i] = counts[k]
	}
	total := Total(all...)
	for i, k := range keys {
		t.rows = append(t.rows, append(slices.Clone(lead), name(k), all[i], Share(all[i], total)))
	}
	t.totalRow(append(slices.Clone(lead), "合计", total, Share(total, total))...)
}

// enumName names a key by e's Chinese label.
func enumName(e vocab.Enum) func(string) string { return e.Zh }

// WriteAnnualWorkbook writes the annual report of r as the office's workbook: 概要, one
// sheet per program's participants (by status, city, category, grade band and gender), 获奖,
// 毕业去向, 工作动向 and 跟踪覆盖 (by city, the province's total last).
func WriteAnnualWorkbook(w io.Writer, r AnnualReport, names OfficeNames) error {
	summary := table{sheet: "概要", headers: []string{"年度", "统计截止日"}, rows: [][]any{{r.Year, r.AsOf}}}
	cutSummary(&summary, r.Cut)
	publicationSummary(&summary, r.Publication)
	sheets := []table{summary}
	cities := sortedKeys(r.FollowUpCoverage.ByRegion)
	for _, prog := range vocab.Programs.Keys() {
		p := r.program(prog)
		t := table{sheet: vocab.Programs.Zh(prog) + "参与人员", headers: []string{"维度", "名称", "人数", "占比"},
			percent: []int{3}}
		for _, d := range participantDims(p) {
			var order []string
			name := names.Region
			if d.labels != nil {
				order, name = d.labels.Keys(), enumName(*d.labels)
			}
			t.countBlock([]any{dimensionLabels[d.name]}, d.counts, order, name)
		}
		sheets = append(sheets, t)
	}
	for _, s := range []struct {
		sheet, header string
		counts        Counts
		e             vocab.Enum
	}{{"获奖", "级别", r.Awards.ByLevel, vocab.Levels}, {"毕业去向", "类型", r.Destinations.ByType, vocab.DestinationTypes},
		{"工作动向", "原因", r.CareerMoves.ByReason, vocab.Reasons}} {
		t := table{sheet: s.sheet, headers: []string{s.header, "记录数", "占比"}, percent: []int{2}}
		t.countBlock(nil, s.counts, s.e.Keys(), enumName(s.e))
		sheets = append(sheets, t)
	}
	c := r.FollowUpCoverage
	cov := table{sheet: "跟踪覆盖", headers: []string{"区域", "校友人数", "已联系人数", "联系率"}, percent: []int{3}}
	for _, code := range cities {
		rc := c.ByRegion[code]
		cov.rows = append(cov.rows, []any{names.Region(code), rc.Alumni, rc.Contacted, rc.Rate})
	}
	cov.totalRow("全省合计", c.Alumni, c.Contacted, c.Rate)
	sheets = append(sheets, cov)
	return writeXLSX(w, sheets)
}

// WithinFigures are a cohort's outcomes within N years of its edition's end: the
// cumulative counts of window N of its cohort report (window k ends k years after the
// edition), or of its latest window while it has not reached N; Complete when window N is
// there and closed.
type WithinFigures struct {
	Years                    int
	K                        int
	To                       string
	Complete                 bool
	CohortSize               Count
	CumulativeProvincialPlus Count
	YingcaiCumulative        Count
	ProvincialShare          Ratio
	YingcaiShare             Ratio
}

// Within is r's outcomes within n years of the edition's end; ok is false when r lists no
// window (as_of before the edition).
func (r CohortReport) Within(n int) (WithinFigures, bool) {
	if len(r.Windows) == 0 {
		return WithinFigures{Years: n, CohortSize: r.CohortSize}, false
	}
	w := r.Windows[min(n, len(r.Windows)-1)]
	return WithinFigures{Years: n, K: w.K, To: w.To, Complete: w.K == n && !w.Partial, CohortSize: r.CohortSize,
		CumulativeProvincialPlus: w.CumulativeProvincialPlus, YingcaiCumulative: w.YingcaiCumulative,
		ProvincialShare: Share(w.CumulativeProvincialPlus, r.CohortSize),
		YingcaiShare:    Share(w.YingcaiCumulative, r.CohortSize)}, true
}

// Comparison is what the office's comparison workbook shows: the students' cohorts with
// their windows, the teachers' (金导师) cohorts with their trajectories, on one date.
type Comparison struct {
	AsOf        string
	WithinYears int
	Cohorts     []CohortReport
	Teachers    []TrajectoryEdition
}

// windowName is window k in words.
func windowName(k int) string {
	if k == 0 {
		return "年度内"
	}
	return fmt.Sprintf("第 %d 年", k)
}

// yesNo is a flag in words.
func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// WriteComparisonWorkbook writes a comparison of several cohorts as ONE workbook: a
// summary sheet (each students' cohort within N years; each teachers' cohort's
// trajectory), then a sheet per cohort.
func WriteComparisonWorkbook(w io.Writer, c Comparison, names OfficeNames) error {
	n := c.WithinYears
	sum := table{sheet: "汇总", headers: []string{"年度", "队列人数", "统计截止日", fmt.Sprintf("%d 年内", n), "已满",
		"累计省级及以上获奖人数", "占比", "累计英才计划人数", "占比"}, percent: []int{6, 8}}
	var sheets []table
	for _, r := range c.Cohorts {
		wf, _ := r.Within(n)
		sum.rows = append(sum.rows, []any{names.Edition(r.Edition), r.CohortSize, c.AsOf, wf.To, yesNo(wf.Complete),
			wf.CumulativeProvincialPlus, wf.ProvincialShare, wf.YingcaiCumulative, wf.YingcaiShare})
		t := table{sheet: names.Edition(r.Edition), headers: []string{"窗口", "起始日", "截止日", "未满窗口",
			"已联系人数", "已联系比例", "获奖人数", "省级及以上获奖人数", "累计省级及以上获奖人数", "占比", "累计英才计划人数", "占比"},
			percent: []int{5, 9, 11}}
		for _, d := range vocab.DestinationTypes.Keys() {
			t.headers = append(t.headers, "去向："+vocab.DestinationTypes.Zh(d))
		}
		for _, win := range r.Windows {
			row := []any{windowName(win.K), win.From, win.To, yesNo(win.Partial), win.Contacted,
				Share(win.Contacted, r.CohortSize), win.Awarded, win.AwardedProvincialPlus, win.CumulativeProvincialPlus,
				Share(win.CumulativeProvincialPlus, r.CohortSize), win.YingcaiCumulative,
				Share(win.YingcaiCumulative, r.CohortSize)}
			for _, d := range vocab.DestinationTypes.Keys() {
				row = append(row, win.Destinations[d])
			}
			t.rows = append(t.rows, row)
		}
		sheets = append(sheets, t)
	}
	if len(c.Cohorts) > 0 {
		sizes := make([]Count, len(c.Cohorts))
		for i, r := range c.Cohorts {
			sizes[i] = r.CohortSize
		}
		sum.totalRow("合计", Total(sizes...))
		sheets = append([]table{sum}, sheets...)
	}
	if len(c.Teachers) > 0 {
		ts := table{sheet: "金导师汇总", headers: []string{"年度", "队列人数", "统计至", "已满 " + fmt.Sprint(n) + " 年",
			"仍从事科学教育", "占比", "晋升", "占比", "跨市流动", "占比", "获奖", "占比", "省级及以上获奖", "占比"},
			percent: []int{5, 7, 9, 11, 13}}
		sizes := make([]Count, len(c.Teachers))
		for i, e := range c.Teachers {
			sizes[i] = e.CohortSize
			ts.rows = append(ts.rows, []any{names.Edition(e.Edition), e.CohortSize, e.Cutoff, yesNo(e.Complete),
				e.InEducation, e.Shares.InEducation, e.Promoted, e.Shares.Promoted, e.MovedCity, e.Shares.MovedCity,
				e.Awarded, e.Shares.Awarded, e.AwardedProvincialPlus, e.Shares.AwardedProvincialPlus})
		}
		ts.totalRow("合计", Total(sizes...))
		sheets = append(sheets, ts)
		for _, e := range c.Teachers {
			t := table{sheet: names.Edition(e.Edition), headers: []string{"指标", "人数", "占比"}, percent: []int{2},
				rows: [][]any{{"队列人数", e.CohortSize, Share(e.CohortSize, e.CohortSize)},
					{"仍从事科学教育", e.InEducation, e.Shares.InEducation}, {"晋升", e.Promoted, e.Shares.Promoted},
					{"跨市流动", e.MovedCity, e.Shares.MovedCity}, {"获奖", e.Awarded, e.Shares.Awarded},
					{"省级及以上获奖", e.AwardedProvincialPlus, e.Shares.AwardedProvincialPlus},
					{"统计至", e.Cutoff, nil}, {"已满 " + fmt.Sprint(n) + " 年", yesNo(e.Complete), nil}}}
			sheets = append(sheets, t)
		}
	}
	if len(sheets) == 0 {
		sheets = []table{sum}
	}
	return writeXLSX(w, sheets)
}
