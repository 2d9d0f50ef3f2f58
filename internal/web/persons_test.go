package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/auth"
	"talentdb/internal/store"
)

// TestPersonsList: the list says how many match, finds a name by any part of it, filters
// by edition, level and city, and exports the filtered list as a workbook with every match
// and a total; a school operator's list is their school's.
func TestPersonsList(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c := f.login(f.user(auth.RoleOfficeAdmin, auth.NewUser{}))
	total := func(body string) int {
		t.Helper()
		m := regexp.MustCompile(`共 (\d+) 人`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no total on the page")
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	all := c.get("/persons", http.StatusOK)
	n := total(all)
	if n < 50 {
		t.Fatalf("total %d", n)
	}
	contains(t, all, `rel="next"`, `id="persons-export"`)

	ps, err := f.st.PersonList(context.Background(), store.PersonFilter{Limit: 1})
	if err != nil || len(ps) == 0 {
		t.Fatal(err)
	}
	name := []rune(ps[0].Name)
	tail := string(name[1:]) // the given name: not a prefix
	byName := c.get("/persons?name="+url.QueryEscape(tail), http.StatusOK)
	contains(t, byName, ps[0].Name)
	if m := total(byName); m < 1 || m > n {
		t.Errorf("name %q: %d of %d", tail, m, n)
	}

	ed := c.get("/persons?edition=jingke-2023&status=completed", http.StatusOK)
	contains(t, ed, "菁科计划 2023 年度", "已结业")
	if m := total(ed); m < 1 || m >= n {
		t.Errorf("jingke-2023 completed: %d of %d", m, n)
	}
	city := c.get("/persons?city=510700&sort=birth_date", http.StatusOK)
	if m := total(city); m < 1 || m >= n {
		t.Errorf("city 510700: %d of %d", m, n)
	}

	x := c.do("GET", "/persons/export?edition=jingke-2023&status=completed", nil)
	if x.Code != http.StatusOK {
		t.Fatalf("export: %d", x.Code)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.GetRows(wb.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if want := total(ed) + 2; len(rows) != want || rows[0][0] != "姓名" || rows[len(rows)-1][0] != "合计" {
		t.Errorf("export: %d rows, want %d; header %v, last %v", len(rows), want, rows[0], rows[len(rows)-1])
	}

	op, _, _ := f.dueOperator()
	if m := total(op.get("/persons", http.StatusOK)); m < 1 || m >= n {
		t.Errorf("school operator sees %d of %d", m, n)
	}
}
