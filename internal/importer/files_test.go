package importer_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"talentdb/internal/importer"
)

// Every template imports back cleanly, in the order of importer.Kinds.
func TestTemplateRoundTrip(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.edition("jingke-2023")
	for _, kind := range importer.Kinds {
		var buf bytes.Buffer
		if err := b.im.Template(b.ctx, kind, &buf); err != nil {
			t.Fatalf("template %s: %v", kind, err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		dvs, err := f.GetDataValidations(sheets[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(sheets) < 2 || len(dvs) == 0 {
			t.Fatalf("template %s: sheets %v, %d drop-downs", kind, sheets, len(dvs))
		}
		f.Close()
		sum := b.runBytes(kind, "template.xlsx", buf.Bytes(), false)
		if !sum.Applied || sum.Inserted == 0 {
			t.Fatalf("template %s did not import back: %+v", kind, sum)
		}
	}
	if got := b.str("SELECT grade FROM participations"); got != "5" {
		t.Fatalf("template participation grade = %s", got)
	}
	if got := b.str("SELECT started_on::text FROM destinations"); got != "2024-09-01" {
		t.Fatalf("template destination date = %s", got)
	}
}

// An XLSX built by hand: header by key and label mixed, date cells in several display
// formats, numbers where text is expected, an empty row, and the first sheet only.
func TestImportXLSX(t *testing.T) {
	t.Parallel()
	b := setup(t)
	f := excelize.NewFile()
	sh := "Sheet1"
	rows := [][]any{
		{"姓名", "ID_Number", "性别", "birth_date", "phone"},
		{"张晓明", idA, "男", time.Date(2012, 3, 15, 0, 0, 0, 0, time.UTC), 13800138000},
		{},
		{"李思雨", idB, "female", "2011/07/02", nil},
		{"王芳", idC, "女", time.Date(1985, 1, 10, 0, 0, 0, 0, time.UTC), "13800138001"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	long := "yyyy\"年\"m\"月\"d\"日\""
	st1, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &long})
	st2, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(sh, "D2", "D2", st1)
	f.SetCellStyle(sh, "D5", "D5", st2)
	f.NewSheet("Other")
	f.SetCellStr("Other", "A1", "ignored")
	data := xlsxBytes(t, f)
	sum := b.runBytes("persons", "people.dat", data, false) // detected by content, not name
	wantCounts(t, sum, 3, 3, 0, 0)
	if !sum.Applied {
		t.Fatal("not applied")
	}
	if got := b.str("SELECT birth_date::text FROM persons WHERE name = '王芳'"); got != "1985-01-10" {
		t.Fatalf("birth date = %s", got)
	}
	if got := b.str("SELECT phone_masked FROM persons WHERE name = '张晓明'"); got != "138****8000" {
		t.Fatalf("phone from a number cell = %s", got)
	}
	wantCounts(t, b.runBytes("persons", "people.xlsx", data, false), 3, 0, 0, 3)
}

// A formula cell is an error for that cell, whatever it computes to.
func TestImportXLSXFormula(t *testing.T) {
	t.Parallel()
	b := setup(t)
	f := orgsWorkbook([]any{"BS01", "示例小学", "school", "510104"}, []any{"BS02", "示例中学", "school"})
	if err := f.SetCellFormula("Sheet1", "D3", "D2"); err != nil {
		t.Fatal(err)
	}
	sum := b.runBytes("organizations", "orgs.xlsx", xlsxBytes(t, f), false)
	if sum.Applied || len(sum.Errors) != 1 || !hasError(sum, 3, "region_code") ||
		!strings.Contains(sum.Errors[0].Error, "公式") {
		t.Fatalf("formula: %+v", sum)
	}
	if n := b.count("SELECT count(*) FROM organizations"); n != 0 {
		t.Fatalf("%d organizations written", n)
	}
}

func TestImportEncodings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(strings.ReplaceAll(orgsCSV, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, b.runBytes("organizations", "orgs.csv", gb, false), 4, 4, 0, 0)
	if got := b.str("SELECT name FROM organizations WHERE code = 'BS01'"); got != "成都市锦江区示例小学" {
		t.Fatalf("GB18030 name = %q", got)
	}
	bom := append([]byte{0xEF, 0xBB, 0xBF}, []byte(personsCSV())...)
	wantCounts(t, b.runBytes("persons", "persons.csv", bom, false), 3, 3, 0, 0)
	// the same kinds of files kept in testdata
	for _, name := range []string{"organizations-gb18030.csv", "persons-utf8-bom.csv"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "import", name))
		if err != nil {
			t.Fatal(err)
		}
		kind := strings.SplitN(name, "-", 2)[0]
		sum := b.runBytes(kind, name, data, false)
		if !sum.Applied || sum.Inserted == 0 {
			t.Fatalf("%s: %+v", name, sum)
		}
	}
	if got := b.str("SELECT name FROM organizations WHERE code = 'GB02'"); got != "乐山市示例初级中学" {
		t.Fatalf("GB18030 file name = %q", got)
	}
}

// Twenty bad rows: every one reported with its row and column, nothing written.
func TestImportReportsEveryError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.base()
	var sb strings.Builder
	sb.WriteString("id_number,edition,school_code,category,grade,status\n")
	sb.WriteString(idA + ",jingke-2023,BS01,机器人,5,admitted\n") // a good row
	for i := 0; i < 20; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&sb, "%s,jingke-2023,BS01,机器人,5,admitted\n", idNumber("20100101", i)) // unknown person
		case 1:
			fmt.Fprintf(&sb, "%s,jingke-1999,BS01,机器人,5,admitted\n", idB) // edition format
		case 2:
			fmt.Fprintf(&sb, "%s,jingke-2030,BS01,机器人,十年级,admitted\n", idC) // no edition, bad grade
		case 3:
			fmt.Fprintf(&sb, "%s,jingke-2023,BS01,机器人,5,\n", idA) // status missing, duplicate of row 2
		}
	}
	sum := b.run("participations", sb.String())
	if sum.Applied || sum.Rows != 21 {
		t.Fatalf("applied=%v rows=%d", sum.Applied, sum.Rows)
	}
	if len(sum.Errors) < 20 {
		t.Fatalf("%d errors, want at least 20: %v", len(sum.Errors), sum.Errors)
	}
	lines := map[int]bool{}
	for _, e := range sum.Errors {
		if e.Column == "" || e.Error == "" {
			t.Fatalf("error without column or message: %+v", e)
		}
		lines[e.Row] = true
	}
	for line := 3; line <= 22; line++ {
		if !lines[line] {
			t.Errorf("row %d not reported", line)
		}
	}
	if lines[2] {
		t.Error("the good row 2 reported")
	}
	if !hasError(sum, 5, "edition") || !hasError(sum, 5, "grade") || !hasError(sum, 6, "status") || !hasError(sum, 6, "id_number") {
		t.Fatalf("errors: %v", sum.Errors)
	}
	for _, e := range sum.Errors {
		if e.Row == 6 && e.Column == "id_number" && !strings.Contains(e.Error, "与第 2 行重复") {
			t.Fatalf("duplicate message: %s", e.Error)
		}
	}
	if n := b.count("SELECT count(*) FROM participations"); n != 0 {
		t.Fatalf("%d participations written", n)
	}
	if n := b.count("SELECT count(*) FROM imports WHERE kind = 'participations' AND NOT applied AND jsonb_array_length(summary->'errors') = $1", len(sum.Errors)); n != 1 {
		t.Fatalf("%d failed runs recorded", n)
	}
}

func TestImportHeaderErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sum := b.run("organizations", "code,名称,kind,region_code,网址,KIND\nBS01,x,school,510104,http://x,school\n")
	if sum.Applied || !hasError(sum, 1, "名称") || !hasError(sum, 1, "网址") || !hasError(sum, 1, "kind") || !hasError(sum, 1, "name") {
		t.Fatalf("header errors: %+v", sum.Errors)
	}
	sum = b.run("awards", "name,competition,level,awarded_on\n张三,市赛,市级,2023-01-01\n")
	if !hasError(sum, 1, "id_number") {
		t.Fatalf("awards without a person column: %+v", sum.Errors)
	}
	sum = b.run("career-moves", "id_number,position,started_on\n")
	if !hasError(sum, 1, "org_code") {
		t.Fatalf("career moves without org columns: %+v", sum.Errors)
	}
}

func TestImportDryRunAndLimits(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sum := b.runBytes("organizations", "orgs.csv", []byte(orgsCSV), true)
	if sum.Applied || !sum.OK() || sum.Inserted != 4 {
		t.Fatalf("dry run: %+v", sum)
	}
	if n := b.count("SELECT count(*) FROM organizations"); n != 0 {
		t.Fatalf("dry run wrote %d rows", n)
	}
	if n := b.count("SELECT count(*) FROM imports WHERE dry_run AND NOT applied"); n != 1 {
		t.Fatalf("dry run recorded %d times", n)
	}
	small, err := b.im.Run(b.ctx, "organizations", "orgs.csv", strings.NewReader(orgsCSV), importer.Options{MaxRows: 2})
	if err != nil || small.Applied || len(small.Errors) != 1 || !strings.Contains(small.Errors[0].Error, "2") {
		t.Fatalf("row limit: %+v %v", small, err)
	}
	tiny, err := b.im.Run(b.ctx, "organizations", "orgs.csv", strings.NewReader(orgsCSV), importer.Options{MaxBytes: 10})
	if err != nil || tiny.Applied || len(tiny.Errors) != 1 {
		t.Fatalf("size limit: %+v %v", tiny, err)
	}
	// an XLSX whose parts expand beyond the unzip limit (a zip bomb, in small)
	var tpl bytes.Buffer
	if err := b.im.Template(b.ctx, "organizations", &tpl); err != nil {
		t.Fatal(err)
	}
	bomb, err := b.im.Run(b.ctx, "organizations", "bomb.xlsx", bytes.NewReader(tpl.Bytes()), importer.Options{MaxUnzipBytes: 4096})
	if err != nil || bomb.Applied || len(bomb.Errors) != 1 || !strings.Contains(bomb.Errors[0].Error, "4096") {
		t.Fatalf("unzip limit: %+v %v", bomb, err)
	}
	xls := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...)
	if s := b.runBytes("organizations", "old.xls", xls, false); s.Applied || len(s.Errors) != 1 {
		t.Fatalf("xls: %+v", s)
	}
}

// The files under testdata/import load in the order of the kinds, and a second load
// changes nothing.
func TestImportTestdataSet(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.edition("jingke-2023")
	b.edition("jindaoshi-2023")
	want := map[string]int{"organizations": 3, "persons": 4, "participations": 4, "awards": 3,
		"destinations": 2, "career-moves": 2, "follow-ups": 3}
	for pass := 0; pass < 2; pass++ {
		for _, kind := range importer.Kinds {
			data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "import", kind+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			sum := b.runBytes(kind, kind+".csv", data, false)
			if !sum.Applied {
				t.Fatalf("%s: %+v", kind, sum)
			}
			if pass == 0 {
				wantCounts(t, sum, want[kind], want[kind], 0, 0)
			} else {
				wantCounts(t, sum, want[kind], 0, 0, want[kind])
			}
		}
	}
	if got := b.str(`SELECT o.code FROM awards a JOIN persons p ON p.id = a.person_id
		JOIN organizations o ON o.id = p.school_id WHERE a.competition = '全国青少年机器人竞赛'`); got != "TD-S01" {
		t.Fatalf("award by name + birth date + school went to a person of %s", got)
	}
}
