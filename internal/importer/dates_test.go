package importer_test

import (
	"strings"
	"testing"
	"time"

	"talentdb/internal/importer"
)

// runAt imports a CSV with the clock stopped at now.
func (b *bundle) runAt(now time.Time, kind, csv string) importer.Summary {
	b.t.Helper()
	sum, err := b.im.Run(b.ctx, kind, kind+".csv", strings.NewReader(csv),
		importer.Options{Actor: "test", UploadedBy: "test:runner", Now: func() time.Time { return now }})
	if err != nil {
		b.t.Fatalf("import %s: %v", kind, err)
	}
	return sum
}

// An award or a follow-up dated after today is an error for its row, as in the API, and
// the whole file is refused; dated today it is accepted. Today is China's date: at
// 2026-06-30T16:30Z it is already 2026-07-01 in China (00:30), while at 15:59Z it is
// still 2026-06-30 there.
func TestImportDatesNotAfterToday(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.base()
	chinaJuly1 := time.Date(2026, 6, 30, 16, 30, 0, 0, time.UTC)
	chinaJune30 := time.Date(2026, 6, 30, 15, 59, 0, 0, time.UTC)
	for _, c := range []struct {
		kind, column, header, table string
		row                         func(id, day string) string
	}{
		{"follow-ups", "contacted_on", "id_number,contacted_on,channel,outcome\n", "follow_ups",
			func(id, day string) string { return id + "," + day + ",电话,已联系上\n" }},
		{"awards", "awarded_on", "id_number,competition,level,awarded_on\n", "awards",
			func(id, day string) string { return id + ",赛事" + day + ",省级," + day + "\n" }},
	} {
		row := c.row
		// tomorrow in China is refused, with the row and the column named; nothing is written
		sum := b.runAt(chinaJuly1, c.kind, c.header+row(idA, "2026-07-01")+row(idB, "2026-07-02"))
		if sum.Applied || len(sum.Errors) != 1 || !hasError(sum, 3, c.column) {
			t.Fatalf("%s dated tomorrow: %+v", c.kind, sum)
		}
		msg := sum.Errors[0].Error
		if !strings.Contains(msg, "不能晚于今天（2026-07-01）") || !strings.Contains(msg, "cannot be after today (2026-07-01)") {
			t.Fatalf("%s: message %q", c.kind, msg)
		}
		if n := b.count("SELECT count(*) FROM " + c.table); n != 0 {
			t.Fatalf("%s: %d rows written from a refused file", c.kind, n)
		}
		// a minute before China's midnight, 2026-07-01 is tomorrow
		sum = b.runAt(chinaJune30, c.kind, c.header+row(idA, "2026-07-01"))
		if sum.Applied || !hasError(sum, 2, c.column) || !strings.Contains(sum.Errors[0].Error, "2026-06-30") {
			t.Fatalf("%s dated 2026-07-01 on China's 2026-06-30: %+v", c.kind, sum)
		}
		// today in China (still 2026-06-30 in UTC) is accepted
		sum = b.runAt(chinaJuly1, c.kind, c.header+row(idA, "2026-07-01")+row(idB, "2026-06-30"))
		if !sum.Applied || len(sum.Errors) != 0 || sum.Inserted != 2 {
			t.Fatalf("%s dated today: %+v", c.kind, sum)
		}
	}
}

// The API's rule has a second half the import applies too: nothing is dated before the
// person's birth, the birth date being the identity number's (or, for a row that names
// its person by name, birth date and school, that birth date).
func TestImportDatesNotBeforeBirth(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.base()
	now := time.Date(2026, 6, 30, 16, 30, 0, 0, time.UTC)
	sum := b.runAt(now, "awards", "id_number,competition,level,awarded_on,name,birth_date,school_code\n"+
		idA+",市赛,市级,2012-03-14,,,\n"+
		idA+",省赛,省级,2012-03-15,,,\n"+
		",区赛,区县级,2011-07-01,李思雨,2011-07-02,BS01\n")
	// (row 4's person is not found either: 李思雨 has no link to BS01 here)
	if sum.Applied || !hasError(sum, 2, "awarded_on") || hasError(sum, 3, "awarded_on") || !hasError(sum, 4, "awarded_on") ||
		!strings.Contains(sum.Errors[0].Error, "早于该人员的出生日期（2012-03-15）") {
		t.Fatalf("awards before birth: %+v", sum)
	}
}
