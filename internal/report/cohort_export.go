package report

import (
	"io"

	"talentdb/internal/vocab"
)

func (r CohortReport) windowTable() table {
	t := table{sheet: "窗口",
		keys: []string{"edition", "as_of", "cohort_size", "k", "from", "to", "partial", "contacted", "awarded",
			"awarded_provincial_plus", "cumulative_provincial_plus", "yingcai_cumulative"},
		headers: []string{"年度", "统计截止日", "队列人数", "窗口", "起始日", "截止日", "未满窗口", "已联系人数", "获奖人数",
			"省级及以上获奖人数", "累计省级及以上获奖人数", "累计英才计划人数"}}
	for _, d := range vocab.DestinationTypes.Keys() {
		t.keys = append(t.keys, d)
		t.headers = append(t.headers, "去向："+vocab.DestinationTypes.Zh(d))
	}
	for _, w := range r.Windows {
		row := []any{r.Edition, r.AsOf, r.CohortSize, w.K, w.From, w.To, w.Partial, w.Contacted, w.Awarded,
			w.AwardedProvincialPlus, w.CumulativeProvincialPlus, w.YingcaiCumulative}
		for _, d := range vocab.DestinationTypes.Keys() {
			row = append(row, w.Destinations[d])
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// WriteCSV writes one row per window, destination types as columns (zero where the JSON
// omits the type), after a UTF-8 byte-order mark.
func (r CohortReport) WriteCSV(w io.Writer) error { return writeCSV(w, r.windowTable()) }

// WriteXLSX writes a workbook with a summary sheet (概要) and the windows (窗口).
func (r CohortReport) WriteXLSX(w io.Writer) error {
	// the summary carries edition, as_of and cohort size once; the windows sheet need not
	wt := r.windowTable().dropColumns(3)
	summary := table{sheet: "概要", headers: []string{"年度", "统计截止日", "队列人数"},
		rows: [][]any{{r.Edition, r.AsOf, r.CohortSize}}}
	cutSummary(&summary, r.Cut)
	publicationSummary(&summary, r.Publication)
	return writeXLSX(w, []table{summary, wt})
}
