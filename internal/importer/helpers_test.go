package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/importer"
	"talentdb/internal/store"
)

// bundle is what an import test needs: a database of its own and an importer on it.
type bundle struct {
	t   *testing.T
	ctx context.Context
	st  *store.Store
	im  *importer.Importer
}

func setup(t *testing.T) *bundle {
	t.Helper()
	st := dbtest.New(t)
	return &bundle{t: t, ctx: context.Background(), st: st, im: importer.New(st, identity.TestKeys())}
}

// run imports a CSV given as text.
func (b *bundle) run(kind, csv string) importer.Summary {
	b.t.Helper()
	return b.runBytes(kind, kind+".csv", []byte(csv), false)
}

func (b *bundle) runBytes(kind, name string, data []byte, dry bool) importer.Summary {
	b.t.Helper()
	sum, err := b.im.Run(b.ctx, kind, name, strings.NewReader(string(data)),
		importer.Options{DryRun: dry, Actor: "test", UploadedBy: "test:runner"})
	if err != nil {
		b.t.Fatalf("import %s: %v", kind, err)
	}
	return sum
}

// mustApply imports and fails the test unless the file was applied.
func (b *bundle) mustApply(kind, csv string) importer.Summary {
	b.t.Helper()
	sum := b.run(kind, csv)
	if !sum.Applied || len(sum.Errors) > 0 {
		b.t.Fatalf("import %s not applied: %+v", kind, sum)
	}
	return sum
}

func (b *bundle) count(q string, args ...any) int {
	b.t.Helper()
	var n int
	if err := b.st.Pool.QueryRow(b.ctx, q, args...).Scan(&n); err != nil {
		b.t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (b *bundle) str(q string, args ...any) string {
	b.t.Helper()
	var s *string
	if err := b.st.Pool.QueryRow(b.ctx, q, args...).Scan(&s); err != nil {
		b.t.Fatalf("%s: %v", q, err)
	}
	if s == nil {
		return "<nil>"
	}
	return *s
}

func (b *bundle) edition(id string) {
	b.t.Helper()
	var prog string
	var year int
	fmt.Sscanf(strings.Replace(id, "-", " ", 1), "%s %d", &prog, &year)
	_, _, err := b.st.EditionEnsure(b.ctx, store.Edition{ID: id, Program: prog, Year: year,
		StartsOn: time.Date(year, 3, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(year+1, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)})
	if err != nil {
		b.t.Fatal(err)
	}
}

// idNumber builds a valid identity number for a birth date (YYYYMMDD) and a sequence.
func idNumber(birth string, seq int) string {
	first := fmt.Sprintf("510104%s%03d", birth, seq%1000)
	c, err := identity.CheckChar(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}

// wantCounts checks a summary's counts.
func wantCounts(t *testing.T, sum importer.Summary, rows, ins, upd, unch int) {
	t.Helper()
	if sum.Rows != rows || sum.Inserted != ins || sum.Updated != upd || sum.Unchanged != unch {
		t.Fatalf("counts rows=%d inserted=%d updated=%d unchanged=%d; want %d %d %d %d (errors %v)",
			sum.Rows, sum.Inserted, sum.Updated, sum.Unchanged, rows, ins, upd, unch, sum.Errors)
	}
}

// hasError reports whether the summary names an error at row and column.
func hasError(sum importer.Summary, row int, column string) bool {
	for _, e := range sum.Errors {
		if e.Row == row && e.Column == column {
			return true
		}
	}
	return false
}

// orgsWorkbook is a workbook whose first sheet holds the header code,name,kind,region_code
// and then rows.
func orgsWorkbook(rows ...[]any) *excelize.File {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"code", "name", "kind", "region_code"})
	for i := range rows {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+2), &rows[i])
	}
	return f
}

// xlsxBytes is workbook f as written to a file.
func xlsxBytes(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cellAt is a row and column of an import file.
type cellAt struct {
	row int
	col string
}

// wantErrorsAt fails for every cell of at where sum has no error.
func wantErrorsAt(t *testing.T, sum importer.Summary, at []cellAt) {
	t.Helper()
	for _, w := range at {
		if !hasError(sum, w.row, w.col) {
			t.Errorf("no error at row %d column %s: %v", w.row, w.col, sum.Errors)
		}
	}
}

const orgsCSV = `code,name,kind,type,region_code,address,postal_code
BS01,成都市锦江区示例小学,school,primary,510104,锦江区示例路1号,610000
BS02,绵阳市示例中学,学校,初中,510703,,621000
PX01,四川大学,institution,university,510100,,
OF01,项目管理办公室,office,,510000,,
`

var (
	idA = idNumber("20120315", 101) // 张晓明
	idB = idNumber("20110702", 202) // 李思雨
	idC = idNumber("19850110", 303) // 王老师 (teacher)
)

func personsCSV() string {
	return "身份证号,姓名,性别,出生日期,手机号,监护人姓名,监护人电话\n" +
		idA + ",张晓明,男,2012-03-15,13800138000,张伟,13900139000\n" +
		idB + ",李思雨,女,2011/07/02,,,\n" +
		idC + ",王芳,女,1985-01-10,138-0013-8001,,\n"
}

// base loads organizations, three persons and editions.
func (b *bundle) base() {
	b.t.Helper()
	b.mustApply("organizations", orgsCSV)
	b.mustApply("persons", personsCSV())
	b.edition("jingke-2023")
	b.edition("jingke-2024")
	b.edition("jindaoshi-2023")
}
