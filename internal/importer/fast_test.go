package importer_test

import (
	"fmt"
	"strings"
	"testing"

	"talentdb/internal/importer"
)

// TestImportManyRowsErrorsInOrder: a file large enough to be parsed in several chunks at
// once reports every row's errors, by line and column, as a row-by-row reading would, and
// applies nothing.
func TestImportManyRowsErrorsInOrder(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const n = 20_000
	var csv strings.Builder
	csv.WriteString("id_number,name,gender,birth_date,phone\n")
	var want []cellAt
	for i := range n {
		id, birth := benchIDNumber(i)
		line := i + 2
		name, gender, date, phone := fmt.Sprintf("学生%06d", i), "男", birth.Format("2006-01-02"), fmt.Sprintf("138%08d", i)
		if i%997 == 0 {
			date = "2008-02-30" // not a date
		}
		if i%1499 == 0 {
			phone = "12" // too short
		}
		if i%4096 == 4095 { // the last row of a chunk of the parser
			name, gender = "", "未知"
		}
		// in the order of the kind's columns
		if i%4096 == 4095 {
			want = append(want, cellAt{line, "name"}, cellAt{line, "gender"})
		}
		if i%997 == 0 {
			want = append(want, cellAt{line, "birth_date"})
		}
		if i%1499 == 0 {
			want = append(want, cellAt{line, "phone"})
		}
		fmt.Fprintf(&csv, "%s,%s,%s,%s,%s\n", id, name, gender, date, phone)
	}
	sum := b.run("persons", csv.String())
	if sum.Applied || sum.Rows != n {
		t.Fatalf("applied %v, rows %d", sum.Applied, sum.Rows)
	}
	var got []cellAt
	for _, e := range sum.Errors {
		got = append(got, cellAt{e.Row, e.Column})
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("errors at\n%v\nwant\n%v", got, want)
	}
	if got := b.count("SELECT count(*) FROM persons"); got != 0 {
		t.Fatalf("%d persons written by a file with errors", got)
	}
}

// TestImportManyRowsStagedWhileParsed: a valid file of several parser chunks, staged chunk
// by chunk as the parse completes them (store.ImportBatch.Parse), writes every row once
// with its own values, whichever chunk finished first.
func TestImportManyRowsStagedWhileParsed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const n = 3*4096 + 17
	var csv strings.Builder
	csv.WriteString("id_number,name,gender,birth_date,phone\n")
	for i := range n {
		id, birth := benchIDNumber(i)
		fmt.Fprintf(&csv, "%s,学生%06d,男,%s,138%08d\n", id, i, birth.Format("2006-01-02"), i)
	}
	sum := b.run("persons", csv.String())
	if !sum.Applied || sum.Rows != n || sum.Inserted != n || len(sum.Errors) != 0 {
		t.Fatalf("applied %v, rows %d, inserted %d, errors %v", sum.Applied, sum.Rows, sum.Inserted, sum.Errors)
	}
	if got := b.count("SELECT count(DISTINCT name) FROM persons WHERE phone_masked LIKE '138%'"); got != n {
		t.Fatalf("%d distinct persons, want %d", got, n)
	}
	// each row's values stayed together: the name's number is the phone's
	if got := b.count(`SELECT count(*) FROM persons
		WHERE right(phone_masked, 4) <> right(name, 4)`); got != 0 {
		t.Fatalf("%d persons with another row's phone", got)
	}
}

// TestImportPersonsComparesWrittenPersons: a persons file compares the persons it writes
// (inserted or changed) that have a school with that school's persons of the same birth
// date; a person it leaves unchanged is not compared again.
func TestImportPersonsComparesWrittenPersons(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustApply("organizations", "code,name,kind,region_code\nS01,成都市示例小学,学校,510104\n")
	a, c := idNumber("20120315", 101), idNumber("20120315", 909)
	file := func(phone string) string {
		return "id_number,name,gender,birth_date,phone\n" + a + ",张晓明,男,2012-03-15,13800138000\n" +
			c + ",张小明,男,2012-03-15," + phone + "\n"
	}
	if sum := b.mustApply("persons", file("13800138001")); sum.IdentityCandidates != 0 {
		t.Fatalf("persons without a school compared: %+v", sum)
	}
	if _, err := b.st.Pool.Exec(b.ctx, `UPDATE persons SET school_id = (SELECT id FROM organizations WHERE code = 'S01')`); err != nil {
		t.Fatal(err)
	}
	if sum := b.mustApply("persons", file("13800138001")); sum.Unchanged != 2 || sum.IdentityCandidates != 0 {
		t.Fatalf("unchanged persons compared: %+v", sum)
	}
	sum := b.mustApply("persons", file("13800138002"))
	if sum.Updated != 1 || sum.IdentityCandidates != 1 {
		t.Fatalf("changed person at S01 not compared: %+v", sum)
	}
	if n := b.count("SELECT count(*) FROM identity_candidates"); n != 1 {
		t.Fatalf("%d candidates, want 1", n)
	}
	if sum := b.mustApply("persons", file("13800138003")); sum.Updated != 1 || sum.IdentityCandidates != 0 {
		t.Fatalf("a pair already queued added again: %+v", sum)
	}
}

// TestImportPersonsConcurrentOrders: two persons files holding the same new persons in
// opposite orders, imported at once, both apply — one inserts every person, the other
// finds them all unchanged — and neither waits on the other for ever (a deadlock).
func TestImportPersonsConcurrentOrders(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const n = 3000
	var up, down strings.Builder
	up.WriteString("id_number,name,gender,birth_date\n")
	down.WriteString("id_number,name,gender,birth_date\n")
	for i := range n {
		for _, f := range []struct {
			w *strings.Builder
			i int
		}{{&up, i}, {&down, n - 1 - i}} {
			id, birth := benchIDNumber(f.i)
			fmt.Fprintf(f.w, "%s,学生%06d,男,%s\n", id, f.i, birth.Format("2006-01-02"))
		}
	}
	done := make(chan importer.Summary, 2)
	for _, f := range []string{up.String(), down.String()} {
		go func() {
			sum, err := b.im.Run(b.ctx, "persons", "p.csv", strings.NewReader(f), importer.Options{Actor: "test"})
			if err != nil {
				t.Error(err)
			}
			done <- sum
		}()
	}
	s1, s2 := <-done, <-done
	if !s1.Applied || !s2.Applied || s1.Inserted+s2.Inserted != n || s1.Unchanged+s2.Unchanged != n {
		t.Fatalf("concurrent imports: %+v %+v", s1, s2)
	}
	if got := b.count("SELECT count(*) FROM persons"); got != n {
		t.Fatalf("%d persons", got)
	}
}

// TestImportPersonsDuplicateNumbers: every row repeating an identity number of an earlier
// row is an error on id_number naming the first row with it; a row whose number is invalid
// is no one's duplicate; nothing is applied.
func TestImportPersonsDuplicateNumbers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sum := b.run("persons", "id_number,name,gender,birth_date\n"+
		idA+",张晓明,男,2012-03-15\n"+ // 2
		idB+",李思雨,女,2011-07-02\n"+ // 3
		idA+",张晓明,男,2012-03-15\n"+ // 4: duplicate of 2
		idA[:17]+"Y,某,男,2012-03-15\n"+ // 5: invalid, not a duplicate
		idB+",李思雨,女,2011-07-02\n"+ // 6: duplicate of 3
		idA+",张晓明,男,2012-03-15\n") // 7: duplicate of 2
	var got []string
	for _, e := range sum.Errors {
		got = append(got, fmt.Sprintf("%d %s %s", e.Row, e.Column, e.Error))
	}
	want := []string{"4 id_number 与第 2 行重复 / duplicate of row 2",
		"6 id_number 与第 3 行重复 / duplicate of row 3", "7 id_number 与第 2 行重复 / duplicate of row 2"}
	if sum.Applied || len(got) != 4 || got[0] != want[0] || got[1][:1] != "5" || got[2] != want[1] || got[3] != want[2] {
		t.Fatalf("errors:\n%s\nwant duplicates\n%s\nand one error on row 5", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := b.count("SELECT count(*) FROM persons"); n != 0 {
		t.Fatalf("%d persons", n)
	}
}
