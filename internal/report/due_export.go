package report

import "io"

func (r DueReport) personTable() table {
	t := table{sheet: "待跟踪",
		keys: []string{"id_number_masked", "name", "edition", "k", "window_from", "window_to", "due", "overdue",
			"last_contacted_on"},
		headers: []string{"身份证号（脱敏）", "姓名", "年度", "窗口", "窗口起始日", "窗口截止日", "应联系", "已逾期", "最近联系日期"}}
	for _, p := range r.Persons {
		t.rows = append(t.rows, []any{p.IDNumberMasked, p.Name, p.Edition, p.K, p.WindowFrom, p.WindowTo, p.Due,
			p.Overdue, p.LastContactedOn})
	}
	return t
}

// WriteCSV writes one row per listed person, in the report's order, after a UTF-8
// byte-order mark; last_contacted_on is empty for a person never contacted.
func (r DueReport) WriteCSV(w io.Writer) error { return writeCSV(w, r.personTable()) }

// WriteXLSX writes a workbook with a summary sheet (概要) and the persons (待跟踪).
func (r DueReport) WriteXLSX(w io.Writer) error {
	summary := table{sheet: "概要", headers: []string{"统计截止日", "单位代码", "区域代码", "应联系人数", "逾期人数"},
		rows: [][]any{{r.AsOf, r.School, r.Region, r.DueCount, r.OverdueCount}}}
	return writeXLSX(w, []table{summary, r.personTable()})
}
