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

// add files a row read from the file: an empty row is skipped, the first other one is the
// header (haveHeader says whether it has been read); past maxRows data rows is an error.
func (t *table) add(r row, haveHeader *bool, maxRows int) error {
	switch {
	case r.empty():
	case !*haveHeader:
		t.header, *haveHeader = r, true
	case len(t.rows) >= maxRows:
		return tooManyRows(maxRows)
	default:
		t.rows = append(t.rows, r)
	}
	return nil
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
		if err := t.add(r, &haveHeader, lim.maxRows); err != nil {
			return table{}, err
		}
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

// xlsxXMLInMemory is the largest sheet or shared-strings part excelize keeps in memory;
// a larger one is inflated to a temporary file and streamed from there.
const xlsxXMLInMemory = 4 << 20

// tooInflated is the file error of an XLSX whose parts inflate beyond the limit.
func tooInflated(limit int64) error {
	return &fileError{msg: fmt.Sprintf("文件解压后超过 %s / the file inflates to more than %s",
		sizeText(limit), sizeText(limit))}
}

// readXLSX reads the first sheet with raw cell values (dates as serial numbers, whatever
// their display format) and marks formula cells. Nothing is inflated before the parts'
// declared sizes are checked against the limit, and the sheet is streamed, never held
// whole.
func readXLSX(data []byte, lim limits) (table, error) {
	zr, err := openXLSXZip(data, lim.maxUnzip)
	if err != nil {
		return table{}, err
	}
	formulas, err := formulaCells(zr, lim)
	var fe *fileError
	switch {
	case errors.Is(err, errInflated):
		return table{}, tooInflated(lim.maxUnzip)
	case errors.As(err, &fe):
		return table{}, fe
	case err != nil:
		return table{}, &fileError{msg: "无法读取 XLSX 文件 / cannot read the XLSX file: " + err.Error()}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: lim.maxUnzip, UnzipXMLSizeLimit: min(lim.maxUnzip, xlsxXMLInMemory),
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return table{}, tooInflated(lim.maxUnzip)
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
		width := len(rec)
		if haveHeader {
			width = min(width, len(t.header.cells))
		} else if width > excelize.MaxColumns {
			rows.Close()
			return table{}, &fileError{line: line, msg: fmt.Sprintf("表头超过 %d 列 / the header has more than %d columns",
				excelize.MaxColumns, excelize.MaxColumns)}
		}
		r := row{line: line, cells: make([]string, width, width+1)}
		mark := func(i int) {
			if r.formula == nil {
				r.formula = map[int]bool{}
			}
			r.formula[i] = true
		}
		for i := range width {
			r.cells[i] = clean(rec[i])
			if formulas[[2]int{line, i + 1}] {
				mark(i)
			}
		}
		// of the cells beyond the header only the first that holds something is kept:
		// it is an error whatever it holds, and a row thousands of cells wide stays small
		for i := width; i < len(rec); i++ {
			if v, f := clean(rec[i]), formulas[[2]int{line, i + 1}]; v != "" || f {
				r.cells = append(r.cells, v)
				if f {
					mark(width)
				}
				break
			}
		}
		if err := t.add(r, &haveHeader, lim.maxRows); err != nil {
			rows.Close()
			return table{}, err
		}
	}
	if err := rows.Close(); err != nil {
		return table{}, &fileError{msg: "无法读取工作表 / cannot read the sheet: " + err.Error()}
	}
	if !haveHeader {
		return table{}, &fileError{msg: "第一个工作表为空 / the first sheet is empty"}
	}
	return t, nil
}

// openXLSXZip opens the zip of an XLSX and adds up what its parts declare they inflate
// to: over limit is a file error, found without inflating anything. The declaration
// binds: archive/zip fails a part that inflates beyond its declared size.
func openXLSXZip(data []byte, limit int64) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &fileError{msg: "无法读取 XLSX 文件 / cannot read the XLSX file: " + err.Error()}
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > uint64(limit) {
			return nil, tooInflated(limit)
		}
		if total += f.UncompressedSize64; total > uint64(limit) {
			return nil, tooInflated(limit)
		}
		if decodedWhole(f.Name) && f.UncompressedSize64 > xlsxPartLimit {
			return nil, &fileError{msg: fmt.Sprintf(
				"工作簿的 %s 部分超过 %s，请把数据粘贴到导入模板中或另存为 CSV / the workbook's part %s is larger than %s; paste the data into the import template or save it as CSV",
				f.Name, sizeText(xlsxPartLimit), f.Name, sizeText(xlsxPartLimit))}
		}
	}
	return zr, nil
}

// xlsxPartLimit bounds each part that excelize decodes whole into structures when it
// opens a workbook: those structures are many times the XML's size (a styles.xml of
// 60 MiB of empty <xf/> took 4 GiB), and the import needs none of them to be large.
const xlsxPartLimit = 1 << 20

// decodedWhole reports whether excelize decodes the part name whole on the import's path
// (opening the workbook, listing its sheets, reading the first one): the package's
// content types and relationships, the workbook, its styles, theme and calculation chain.
func decodedWhole(name string) bool {
	n := strings.ToLower(strings.ReplaceAll(name, "\\", "/"))
	switch n {
	case "[content_types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
		"xl/styles.xml", "xl/calcchain.xml":
		return true
	}
	return strings.HasPrefix(n, "xl/theme/")
}

// errInflated: a part inflated beyond the limit while it was read.
var errInflated = errors.New("a part inflates beyond the limit")

// cappedPart reads an inflating part through an io.LimitReader of one byte more than the
// limit, and fails with errInflated once that byte arrives.
type cappedPart struct {
	lr *io.LimitedReader
}

func (p cappedPart) Read(b []byte) (int, error) {
	n, err := p.lr.Read(b)
	if p.lr.N <= 0 {
		return n, errInflated
	}
	return n, err
}

// xlsxParts opens the parts of an XLSX by name, for streaming.
type xlsxParts struct {
	byName map[string]*zip.File
	limit  int64
}

// open returns a reader of the part name (case-insensitive; a leading / ignored) that
// fails with errInflated past the limit.
func (z *xlsxParts) open(name string) (io.ReadCloser, error) {
	f, ok := z.byName[strings.ToLower(strings.TrimPrefix(name, "/"))]
	if !ok {
		return nil, fmt.Errorf("missing part %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{cappedPart{lr: &io.LimitedReader{R: rc, N: z.limit + 1}}, rc}, nil
}

// scan streams the part name through an XML decoder, handing each start element to each
// until it returns false.
func (z *xlsxParts) scan(name string, each func(xml.StartElement) bool) error {
	rc, err := z.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && !each(se) {
			return nil
		}
	}
}

// formulaCells finds the cells of the first sheet that hold a formula: their value is
// whatever Excel last computed, which the import will not trust. excelize's row iterator
// returns values only, and asking it cell by cell decodes the whole sheet into memory, so
// the sheet's XML is streamed here: once through a plain byte search for a formula
// element, and, only when there is one, through an XML decoder. Every part is read
// through a reader capped at the unzip limit (errInflated past it). More formula cells
// than the row limit is a *fileError: the file cannot be imported anyway, and one message
// serves its user better than a list of every cell.
func formulaCells(zr *zip.Reader, lim limits) (map[[2]int]bool, error) {
	z := &xlsxParts{byName: map[string]*zip.File{}, limit: lim.maxUnzip}
	for _, f := range zr.File {
		z.byName[strings.ToLower(f.Name)] = f
	}
	rid, found := "", false
	err := z.scan("xl/workbook.xml", func(se xml.StartElement) bool {
		if se.Name.Local != "sheet" {
			return true
		}
		found = true
		for _, a := range se.Attr {
			if a.Name.Local == "id" && a.Name.Space != "" {
				rid = a.Value
			}
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errors.New("workbook.xml: no sheet")
	}
	target := ""
	err = z.scan("xl/_rels/workbook.xml.rels", func(se xml.StartElement) bool {
		if se.Name.Local != "Relationship" {
			return true
		}
		id, tgt := "", ""
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				id = a.Value
			case "Target":
				tgt = a.Value
			}
		}
		if id == rid {
			target = tgt
			return false
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("workbook.xml.rels: %w", err)
	}
	if target == "" {
		return nil, fmt.Errorf("first sheet %q has no part", rid)
	}
	if !strings.HasPrefix(target, "/") {
		target = "xl/" + target
	}
	if has, err := z.hasFormula(target); err != nil || !has {
		return nil, err
	}
	out := map[[2]int]bool{}
	rowNum, colNum := 0, 0
	err = z.scan(target, func(se xml.StartElement) bool {
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
			return len(out) <= lim.maxRows
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if len(out) > lim.maxRows {
		return nil, &fileError{msg: fmt.Sprintf("工作表中的公式单元格超过 %d 个，请复制后“选择性粘贴”为数值 / the sheet has more than %d formula cells; paste them as values",
			lim.maxRows, lim.maxRows)}
	}
	return out, nil
}

// formulaTags are the byte patterns of a formula element, with or without a namespace
// prefix; a false positive only costs the XML pass.
var formulaTags = [][]byte{[]byte("<f>"), []byte("<f "), []byte("<f/>"), []byte(":f>"), []byte(":f "), []byte(":f/>")}

// hasFormula streams the part name in chunks looking for formulaTags.
func (z *xlsxParts) hasFormula(name string) (bool, error) {
	rc, err := z.open(name)
	if err != nil {
		return false, err
	}
	defer rc.Close()
	const keep = 3 // longest pattern minus one: a tag split between two chunks is found
	buf := make([]byte, keep+64<<10)
	carry := 0
	for {
		n, err := rc.Read(buf[carry:])
		win := buf[:carry+n]
		for _, tag := range formulaTags {
			if bytes.Contains(win, tag) {
				return true, nil
			}
		}
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		carry = copy(buf, win[max(0, len(win)-keep):])
	}
}
