package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"talentdb/internal/access"
	"talentdb/internal/edition"
	"talentdb/internal/report"
)

// Lists with a total and an Excel export: the page's table and the workbook's sheet are
// the same listTable, so the download holds exactly the rows the page shows, in the same
// words (the persons list and the due list predate it and build their sheets by hand).

// listTable is a list in the page's words: one header per column, one row of cells each
// (strings, or numbers that the workbook keeps as numbers), and how many rows match in all.
type listTable struct {
	Headers []string
	Rows    [][]any
	Total   int
	Export  string // the address of the filtered list as a workbook ("" without one)
}

// headers names the columns by their text keys.
func headers(l Lang, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = l.T(k)
	}
	return out
}

// sheet is the table as a worksheet named name, closed by a 合计 row with the row count.
func (t listTable) sheet(l Lang, name string) report.Sheet {
	sh := report.Sheet{Name: name, Headers: t.Headers, Rows: t.Rows}
	sh.Rows = append(sh.Rows, []any{l.T("col.total"), len(t.Rows)})
	return sh
}

// exportURL is path with the query keep, without the page's own cursor and language.
func exportURL(path string, keep url.Values) string {
	q := url.Values{}
	for k, v := range keep {
		if k != "before" && k != "after" && k != "page" && k != "lang" && k != "done" {
			q[k] = v
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// sendTable answers the table as a workbook of one sheet, name-YYYYMMDD.xlsx.
func (a *app) sendTable(w http.ResponseWriter, r *http.Request, name, sheet string, t listTable) {
	a.sendWorkbook(w, r, name+"-"+a.today().Format("20060102"), t.sheet(langOf(r), sheet))
}

// filterChoices are the edition (newest first) and city choices of a list's filters,
// edSel and citySel selected, and the names of the regions. A role that may not list editions or regions (a mentor)
// goes without them, and one of one place (a school, a city, a mentor) without cities.
func (a *app) filterChoices(r *http.Request, l Lang, edSel, citySel string) (eds, cities []option, regions regionNames, err error) {
	ctx, c := r.Context(), caller(r)
	regions, err = a.regions(r, l)
	if err != nil && !errors.Is(err, access.ErrForbidden) {
		return nil, nil, regions, err
	}
	editions, err := a.doors.Editions.List(ctx, c, edition.Filter{Limit: 500})
	if err != nil && !errors.Is(err, access.ErrForbidden) {
		return nil, nil, regions, err
	}
	for i := len(editions) - 1; i >= 0; i-- {
		id := editions[i].ID
		eds = append(eds, option{Value: id, Label: l.Edition(id), Selected: id == edSel})
	}
	if c.ProvinceWide() {
		for _, code := range regions.codes {
			cities = append(cities, option{Value: code, Label: regions.name(code), Selected: code == citySel})
		}
	}
	return eds, cities, regions, nil
}

// pageLink is page p (1: the first) of the list at path with the query keep.
func pageLink(path string, keep url.Values, p int) string {
	u := url.Values{}
	for k, v := range keep {
		u[k] = v
	}
	if p > 1 {
		u.Set("page", strconv.Itoa(p))
	}
	if len(u) == 0 {
		return path
	}
	return path + "?" + u.Encode()
}

// cursorLink is the list at path with the query q, its cursor param set to id (and no
// language): the next page of a list paged by id.
func cursorLink(path string, q url.Values, param string, id int64) string {
	nq := url.Values{}
	for k, v := range q {
		if k != param && k != "lang" {
			nq[k] = v
		}
	}
	nq.Set(param, strconv.FormatInt(id, 10))
	return path + "?" + nq.Encode()
}

// sendList answers a list read by a door (its error, if any, answered instead) as a
// workbook: the columns keys, the total, and the cells made with the cities' names in
// the page's language.
func (a *app) sendList(w http.ResponseWriter, r *http.Request, name, sheetKey string, keys []string, total int,
	err error, cells func(regionNames) [][]any) {
	l := langOf(r)
	var regions regionNames
	if err == nil {
		regions, err = a.regions(r, l)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.sendTable(w, r, name, l.T(sheetKey), listTable{Headers: headers(l, keys...), Total: total, Rows: cells(regions)})
}
