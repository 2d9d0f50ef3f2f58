// Package importertest builds import files for the tests of internal/importer and of the
// paths that feed it (HTTP upload, CLI). Only tests import it.
package importertest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

// ZipBombXLSX returns a valid XLSX of the persons kind whose first sheet inflates to at
// least inflated bytes of one data row repeated (its name cell a 16 KiB run of one
// letter), while the file itself stays small: deflate squeezes the repetition about a
// thousand to one, so 480 MiB fit in about half a megabyte.
func ZipBombXLSX(inflated int64) []byte {
	// a long run of one letter in a cell is what compresses best
	row := cells("510104201203151011", strings.Repeat("x", 16<<10), "男", "2012-03-15")
	return build(map[string]bomb{"xl/worksheets/sheet1.xml": {
		head: sheetHead + cells("身份证号", "姓名", "性别", "出生日期"), unit: row, tail: sheetTail, size: inflated}})
}

// StylesBombXLSX returns a valid XLSX of the persons kind, one header row and one data
// row, whose xl/styles.xml inflates to at least inflated bytes of empty cell formats
// (<xf/>): small as XML, each is a structure of hundreds of bytes once a reader decodes
// the style sheet.
func StylesBombXLSX(inflated int64) []byte {
	return build(map[string]bomb{
		"xl/worksheets/sheet1.xml": {head: sheetHead + cells("身份证号", "姓名", "性别", "出生日期") +
			cells("510104201203151011", "张晓明", "男", "2012-03-15") + sheetTail},
		"xl/styles.xml": {head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>`,
			unit: "<xf/>", tail: "</cellXfs></styleSheet>", size: inflated},
	})
}

const (
	sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail = `</sheetData></worksheet>`
)

// cells is a row of inline-string cells.
func cells(vals ...string) string {
	var b strings.Builder
	b.WriteString("<row>")
	for _, v := range vals {
		fmt.Fprintf(&b, `<c t="inlineStr"><is><t>%s</t></is></c>`, v)
	}
	b.WriteString("</row>")
	return b.String()
}

// bomb is the text of a part: head, then unit repeated until at least size bytes are
// written, then tail.
type bomb struct {
	head, unit, tail string
	size             int64
}

// deflated returns the part compressed, with its CRC-32 and inflated size. The repeated
// chunk is compressed once and its bytes repeated: each segment comes from a fresh
// compressor ended by a sync flush, so it is a byte-aligned run of blocks that refers to
// nothing before it, and segments can be concatenated into one valid stream (then a final
// empty block). Compressing hundreds of megabytes for real takes seconds, and far more
// under the race detector.
func (p bomb) deflated() (data []byte, crc uint32, size uint64) {
	segment := func(text []byte, final bool) []byte {
		var buf bytes.Buffer
		w, err := flate.NewWriter(&buf, flate.BestCompression)
		if err != nil {
			panic(err)
		}
		_, _ = w.Write(text)
		if final {
			err = w.Close()
		} else {
			err = w.Flush()
		}
		if err != nil {
			panic(err)
		}
		return buf.Bytes()
	}
	sum := crc32.NewIEEE()
	var out bytes.Buffer
	add := func(text []byte, final bool) {
		out.Write(segment(text, final))
		sum.Write(text)
		size += uint64(len(text))
	}
	add([]byte(p.head), false)
	if p.unit != "" {
		chunk := []byte(strings.Repeat(p.unit, max(1, (1<<20)/len(p.unit))))
		z := segment(chunk, false)
		for int64(size) < p.size {
			out.Write(z)
			sum.Write(chunk)
			size += uint64(len(chunk))
		}
	}
	add([]byte(p.tail), true)
	return out.Bytes(), sum.Sum32(), size
}

// build writes a workbook with one sheet (xl/worksheets/sheet1.xml, named 人员) and the
// given parts.
func build(parts map[string]bomb) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	overrides := `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
	rels := `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`
	if _, ok := parts["xl/styles.xml"]; ok {
		overrides += `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`
		rels += `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`
	}
	fixed := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` + overrides + `</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="人员" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `</Relationships>`},
	}
	for _, p := range fixed {
		w, err := zw.Create(p.name)
		if err == nil {
			_, err = io.WriteString(w, p.body)
		}
		if err != nil {
			panic(err)
		}
	}
	for _, name := range []string{"xl/styles.xml", "xl/worksheets/sheet1.xml"} {
		p, ok := parts[name]
		if !ok {
			continue
		}
		data, crc, size := p.deflated()
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(data)), UncompressedSize64: size})
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}
