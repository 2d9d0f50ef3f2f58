package importer

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// row is one line of a file: its line number (CSV: the line where the record starts;
// XLSX: the row number) and its cells, spaces trimmed.
type row struct {
	line    int
	cells   []string
	formula map[int]bool // XLSX cells holding a formula, by index
}

func (r *row) empty() bool {
	if len(r.formula) > 0 {
		return false
	}
	for _, c := range r.cells {
		if c != "" {
			return false
		}
	}
	return true
}

// table is a file read: its header row and its non-empty data rows.
type table struct {
	header   row
	rows     []row
	xlsx     bool
	date1904 bool
}

// fileError is a problem of the whole file (not of one row); line is 0 when no line can
// be named.
type fileError struct {
	line int
	msg  string
}

func (e *fileError) Error() string { return e.msg }

// limits bound what a file may cost.
type limits struct {
	maxBytes int64
	maxRows  int
	maxUnzip int64
}

var (
	magicZip = []byte("PK\x03\x04")
	magicOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	bomUTF8  = []byte{0xEF, 0xBB, 0xBF}
)

// readFile reads the whole file (up to the size limit), hashes it and parses it as XLSX
// or CSV by its content. A *fileError is a problem of the file to report to the user.
func readFile(r io.Reader, lim limits) (table, []byte, error) {
	data, sum, err := readBytes(r, lim)
	if err != nil {
		return table{}, sum, err
	}
	t, err := parseFile(data, lim)
	return t, sum, err
}

// readBytes reads the whole file, up to the size limit, and hashes it. An oversized file
// is a *fileError (and still has the hash of what was read).
func readBytes(r io.Reader, lim limits) ([]byte, []byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.maxBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("importer: read file: %w", err)
	}
	sum := sha256.Sum256(data)
	if int64(len(data)) > lim.maxBytes {
		return nil, sum[:], &fileError{msg: fmt.Sprintf("文件超过大小上限 %s / file is larger than the %s limit",
			sizeText(lim.maxBytes), sizeText(lim.maxBytes))}
	}
	return data, sum[:], nil
}

// parseFile parses the bytes of a file as XLSX or CSV by its content.
func parseFile(data []byte, lim limits) (table, error) {
	var err error
	var t table
	switch {
	case bytes.HasPrefix(data, magicZip):
		t, err = readXLSX(data, lim)
	case bytes.HasPrefix(data, magicOLE):
		err = &fileError{msg: "不支持 .xls 或加密的工作簿，请另存为 .xlsx 或 CSV / .xls and encrypted workbooks are not supported; save as .xlsx or CSV"}
	case len(bytes.TrimSpace(data)) == 0:
		err = &fileError{msg: "文件为空 / the file is empty"}
	default:
		t, err = readCSV(data, lim)
	}
	return t, err
}

func sizeText(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// decodeCSV returns the text of a CSV file: UTF-8 (BOM removed) when the bytes are valid
// UTF-8, otherwise GB18030 as Excel writes it on Chinese Windows.
func decodeCSV(data []byte) (string, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return "", &fileError{msg: "不支持 UTF-16 文本，请另存为 CSV（UTF-8 或 GB18030）或 .xlsx / UTF-16 text is not supported; save as CSV (UTF-8 or GB18030) or .xlsx"}
	}
	data = bytes.TrimPrefix(data, bomUTF8)
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", &fileError{msg: "文件编码无法识别（应为 UTF-8 或 GB18030）/ the file is neither UTF-8 nor GB18030"}
	}
	return string(out), nil
}

func readCSV(data []byte, lim limits) (table, error) {
	text, err := decodeCSV(data)
	if err != nil {
		return table{}, err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	first, _, _ := strings.Cut(text, "\n")
	if !strings.Contains(first, ",") && strings.Contains(first, "\t") {
		cr.Comma = '\t'
	}
	t := table{}
	haveHeader := false
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return table{}, &fileError{line: pe.StartLine,
					msg: fmt.Sprintf("CSV 格式错误（第 %d 行）/ malformed CSV at line %d: %v", pe.Line, pe.Line, pe.Err)}
			}
			return table{}, fmt.Errorf("importer: read csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		r := row{line: line, cells: make([]string, len(rec))}
		for i, c := range rec {
			r.cells[i] = clean(c)
		}
		if r.empty() {
			continue
		}
		if !haveHeader {
			t.header, haveHeader = r, true
			continue
		}
		if len(t.rows) >= lim.maxRows {
			return table{}, tooManyRows(lim.maxRows)
		}
		t.rows = append(t.rows, r)
	}
	if !haveHeader {
		return table{}, &fileError{msg: "文件为空 / the file is empty"}
	}
	return t, nil
}

func tooManyRows(n int) error {
	return &fileError{msg: fmt.Sprintf("数据行数超过上限 %d 行，请拆分文件 / more than %d data rows; split the file", n, n)}
}

// clean trims spaces (including the ideographic space and a stray BOM) from a cell.
func clean(s string) string {
	return strings.TrimSpace(strings.Trim(s, "\uFEFF\u200B"))
}

// readXLSX reads the first sheet with raw cell values (dates as serial numbers, whatever
// their display format) and marks formula cells.
func readXLSX(data []byte, lim limits) (table, error) {
	xmlLimit := min(lim.maxUnzip, 16<<20)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: lim.maxUnzip, UnzipXMLSizeLimit: xmlLimit,
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return table{}, &fileError{msg: fmt.Sprintf("工作簿解压后超过 %s 上限 / the workbook expands beyond the %s limit",
				sizeText(lim.maxUnzip), sizeText(lim.maxUnzip))}
		}
		return table{}, &fileError{msg: "无法读取 XLSX 文件 / cannot read the XLSX file: " + err.Error()}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return table{}, &fileError{msg: "工作簿没有工作表 / the workbook has no sheet"}
	}
	sheet := sheets[0]
	t := table{xlsx: true}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		t.date1904 = *props.Date1904
	}
	formulas, err := formulaCells(data, lim.maxUnzip)
	if err != nil {
		return table{}, &fileError{msg: "无法读取 XLSX 文件 / cannot read the XLSX file: " + err.Error()}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return table{}, &fileError{msg: "无法读取第一个工作表 / cannot read the first sheet: " + err.Error()}
	}
	haveHeader := false
	line := 0
	for rows.Next() {
		line++
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			rows.Close()
			return table{}, &fileError{line: line, msg: "无法读取工作表 / cannot read the sheet: " + err.Error()}
		}
		r := row{line: line, cells: make([]string, len(rec))}
		for i, c := range rec {
			r.cells[i] = clean(c)
		}
		for i := range r.cells {
			if formulas[[2]int{line, i + 1}] {
				if r.formula == nil {
					r.formula = map[int]bool{}
				}
				r.formula[i] = true
			}
		}
		if r.empty() {
			continue
		}
		if !haveHeader {
			t.header, haveHeader = r, true
			continue
		}
		if len(t.rows) >= lim.maxRows {
			rows.Close()
			return table{}, tooManyRows(lim.maxRows)
		}
		t.rows = append(t.rows, r)
	}
	if err := rows.Close(); err != nil {
		return table{}, &fileError{msg: "无法读取工作表 / cannot read the sheet: " + err.Error()}
	}
	if !haveHeader {
		return table{}, &fileError{msg: "第一个工作表为空 / the first sheet is empty"}
	}
	return t, nil
}

// formulaCells finds the cells of the first sheet that hold a formula: their value is
// whatever Excel last computed, which the import will not trust. excelize's row iterator
// returns values only, and asking it cell by cell decodes the whole sheet into memory, so
// the sheet's XML is scanned here once, and only when it contains a formula element at all.
func formulaCells(data []byte, maxUnzip int64) (map[[2]int]bool, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.ToLower(f.Name)] = f
	}
	read := func(name string) ([]byte, error) {
		f, ok := parts[strings.ToLower(strings.TrimPrefix(name, "/"))]
		if !ok {
			return nil, fmt.Errorf("missing part %s", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxUnzip+1))
		if err == nil && int64(len(b)) > maxUnzip {
			err = fmt.Errorf("part %s exceeds the unzip limit", name)
		}
		return b, err
	}
	wb, err := read("xl/workbook.xml")
	if err != nil {
		return nil, err
	}
	var book struct {
		Sheets []struct {
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(wb, &book); err != nil || len(book.Sheets) == 0 {
		return nil, fmt.Errorf("workbook.xml: no sheet (%v)", err)
	}
	rid := ""
	for _, a := range book.Sheets[0].Attrs {
		if a.Name.Local == "id" && a.Name.Space != "" {
			rid = a.Value
		}
	}
	relsXML, err := read("xl/_rels/workbook.xml.rels")
	if err != nil {
		return nil, err
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(relsXML, &rels); err != nil {
		return nil, fmt.Errorf("workbook.xml.rels: %w", err)
	}
	target := ""
	for _, r := range rels.Rel {
		if r.ID == rid {
			target = r.Target
		}
	}
	if target == "" {
		return nil, fmt.Errorf("first sheet %q has no part", rid)
	}
	if !strings.HasPrefix(target, "/") {
		target = "xl/" + target
	}
	sheet, err := read(target)
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(sheet, []byte("<f>")) && !bytes.Contains(sheet, []byte("<f ")) &&
		!bytes.Contains(sheet, []byte("<f/>")) && !bytes.Contains(sheet, []byte(":f>")) &&
		!bytes.Contains(sheet, []byte(":f ")) && !bytes.Contains(sheet, []byte(":f/>")) {
		return nil, nil
	}
	out := map[[2]int]bool{}
	dec := xml.NewDecoder(bytes.NewReader(sheet))
	rowNum, colNum := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "row":
			rowNum++
			for _, a := range se.Attr {
				if a.Name.Local == "r" {
					if n, err := strconv.Atoi(a.Value); err == nil {
						rowNum = n
					}
				}
			}
			colNum = 0
		case "c":
			colNum++
			for _, a := range se.Attr {
				if a.Name.Local == "r" {
					if c, r, err := excelize.CellNameToCoordinates(a.Value); err == nil {
						colNum, rowNum = c, r
					}
				}
			}
		case "f":
			out[[2]int{rowNum, colNum}] = true
		}
	}
}
