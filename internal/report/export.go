package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// Format is an output encoding of a report.
type Format string

// The encodings every report offers.
const (
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// ParseFormat accepts json, csv or xlsx (any case); empty means json.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case "":
		return FormatJSON, nil
	case FormatJSON, FormatCSV, FormatXLSX:
		return f, nil
	}
	return "", fmt.Errorf("%w: format %q: want json, csv or xlsx", ErrInvalid, s)
}

// ContentType is the media type to serve an encoding with.
func (f Format) ContentType() string {
	switch f {
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/json"
}

// Exporter is a report that can be written in every format.
type Exporter interface {
	WriteCSV(w io.Writer) error
	WriteXLSX(w io.Writer) error
}

// Write encodes r in format f: JSON (the contract's shape, one line and a newline), CSV
// or XLSX.
func Write(w io.Writer, f Format, r Exporter) error {
	switch f {
	case FormatJSON, "":
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // names with & < > stay readable; the output is not HTML
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("report: encode json: %w", err)
		}
		_, err := w.Write(buf.Bytes())
		return err
	case FormatCSV:
		return r.WriteCSV(w)
	case FormatXLSX:
		return r.WriteXLSX(w)
	}
	return fmt.Errorf("%w: format %q", ErrInvalid, f)
}

// table is one section of an export: a CSV file or an XLSX sheet.
type table struct {
	sheet   string   // XLSX sheet name
	keys    []string // CSV header: stable English keys
	headers []string // XLSX header: Chinese
	rows    [][]any  // string, *string, int, Count, float64, Ratio, bool or nil cells
	// percent lists the columns (0-based) whose numbers are shares, shown as 0.0%; bold the
	// rows (0-based, of rows) set in bold, as totals are.
	percent []int
	bold    []int
}

// dropColumns is t without its first n columns: an XLSX sheet whose summary sheet carries
// them once.
func (t table) dropColumns(n int) table {
	t.headers, t.keys = t.headers[n:], t.keys[n:]
	for i := range t.rows {
		t.rows[i] = t.rows[i][n:]
	}
	return t
}

// neutralise keeps a spreadsheet from evaluating text as a formula: a cell that begins
// with = + - @ (or a tab or carriage return, which some spreadsheets strip first) gets a
// leading apostrophe.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvCell renders one cell for CSV: a withheld count as its marker, a withheld rate as
// an empty cell.
func csvCell(v any) string {
	switch x := v.(type) {
	case Count:
		return csvCell(x.cell())
	case Ratio:
		return csvCell(x.cell())
	case nil:
		return ""
	case string:
		return neutralise(x)
	case *string:
		if x == nil {
			return ""
		}
		return neutralise(*x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return neutralise(fmt.Sprint(v))
}

// utf8BOM lets Excel recognise a CSV file as UTF-8.
const utf8BOM = "\ufeff"

// writeCSV writes a BOM, the header row and the rows of t, CRLF-terminated.
func writeCSV(w io.Writer, t table) error {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	if err := cw.Write(t.keys); err != nil {
		return fmt.Errorf("report: csv: %w", err)
	}
	rec := make([]string, len(t.keys))
	for _, row := range t.rows {
		for i := range rec {
			rec[i] = ""
			if i < len(row) {
				rec[i] = csvCell(row[i])
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("report: csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: csv: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// displayWidth estimates how many character cells text takes in a spreadsheet column:
// wide (CJK) characters count two.
func displayWidth(s string) int {
	n := 0
	for len(s) > 0 {
		p, size := width.LookupString(s)
		switch p.Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
		s = s[size:]
	}
	return n
}

// xlsxCell converts a cell for excelize: numbers stay numbers, text is neutralised,
// booleans become 是/否 and nil an empty cell; a withheld count is its marker text, a
// withheld rate an empty cell.
func xlsxCell(v any) any {
	switch x := v.(type) {
	case Count:
		return xlsxCell(x.cell())
	case Ratio:
		return xlsxCell(x.cell())
	case string:
		return neutralise(x)
	case *string:
		if x == nil {
			return nil
		}
		return neutralise(*x)
	case bool:
		if x {
			return "是"
		}
		return "否"
	}
	return v
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// writeXLSX writes one sheet per table: a bold, frozen header row, numbers as numbers,
// column widths fitted to the content.
func writeXLSX(w io.Writer, tables []table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newCellStyles(f)
	if err != nil {
		return fmt.Errorf("report: xlsx: %w", err)
	}
	bold := st[1]
	for i, t := range tables {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), t.sheet); err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
		} else if _, err := f.NewSheet(t.sheet); err != nil {
			return fmt.Errorf("report: xlsx: %w", err)
		}
		widths := make([]int, len(t.headers))
		header := make([]any, len(t.headers))
		for c, h := range t.headers {
			header[c] = h
			widths[c] = displayWidth(h)
		}
		if err := f.SetSheetRow(t.sheet, "A1", &header); err != nil {
			return fmt.Errorf("report: xlsx: %w", err)
		}
		if err := f.SetRowStyle(t.sheet, 1, 1, bold); err != nil {
			return fmt.Errorf("report: xlsx: %w", err)
		}
		for r, row := range t.rows {
			cells := make([]any, len(row))
			for c, v := range row {
				cells[c] = xlsxCell(v)
				if c < len(widths) {
					widths[c] = max(widths[c], displayWidth(cellText(cells[c])))
				}
			}
			cell, err := excelize.CoordinatesToCellName(1, r+2)
			if err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
			if err := f.SetSheetRow(t.sheet, cell, &cells); err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
			if err := t.styleRow(f, st, r, len(row)); err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
		}
		for c, wd := range widths {
			col, err := excelize.ColumnNumberToName(c + 1)
			if err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
			if err := f.SetColWidth(t.sheet, col, col, float64(min(wd, 60)+2)); err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
		}
		if err := f.SetPanes(t.sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2",
			ActivePane: "bottomLeft", Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
			return fmt.Errorf("report: xlsx: %w", err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("report: xlsx: %w", err)
	}
	return nil
}

// newCellStyles makes the styles of a sheet's cells, indexed by bold<<0 | percent<<1:
// plain (0, unused), bold, percent, bold percent.
func newCellStyles(f *excelize.File) ([4]int, error) {
	var st [4]int
	pctFmt := "0.0%"
	for i := 1; i < 4; i++ {
		s := &excelize.Style{Font: &excelize.Font{Bold: i&1 != 0}}
		if i&2 != 0 {
			s.CustomNumFmt = &pctFmt
		}
		id, err := f.NewStyle(s)
		if err != nil {
			return st, err
		}
		st[i] = id
	}
	return st, nil
}

// styleRow styles row r (0-based, of t.rows) of n cells: its percent columns, and the whole
// row when it is bold.
func (t table) styleRow(f *excelize.File, st [4]int, r, n int) error {
	if len(t.percent) == 0 && len(t.bold) == 0 {
		return nil
	}
	b := 0
	if slices.Contains(t.bold, r) {
		b = 1
	}
	for c := range n {
		i := b
		if slices.Contains(t.percent, c) {
			i |= 2
		}
		if i == 0 {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(c+1, r+2)
		if err != nil {
			return err
		}
		if err := f.SetCellStyle(t.sheet, cell, cell, st[i]); err != nil {
			return err
		}
	}
	return nil
}

// sortedKeys returns the keys of a count map in byte order, for a stable export.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Sheet is a table of a workbook a page offers (a list as shown, in the page's words):
// Rows hold string, *string, int, float64, bool or nil cells.
type Sheet struct {
	Name    string
	Headers []string
	Rows    [][]any
}

// WriteSheets writes sheets as one XLSX workbook, styled as the reports' exports are.
func WriteSheets(w io.Writer, sheets ...Sheet) error {
	tables := make([]table, len(sheets))
	for i, s := range sheets {
		tables[i] = table{sheet: s.Name, headers: s.Headers, rows: s.Rows}
	}
	return writeXLSX(w, tables)
}
