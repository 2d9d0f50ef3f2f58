package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/edition"
	"talentdb/internal/person"
	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// The persons list: a name found anywhere in it, filters (edition, program, status, award
// level, city, school), a sort, the total of the matches, pages, and the filtered list as
// an Excel workbook; all within the user's scope (person.Service.Search).

type personsData struct {
	Name, School                 string
	Editions, Programs, Statuses []option
	Levels, Cities, Sorts        []option
	Rows                         []personRow
	Total                        int
	From, To                     int
	Prev, Next, Export           string
	Filtered                     bool
}

// personRow is a row of the list in the page's words.
type personRow struct {
	ID                                int64
	Name, IDMasked, Gender, BirthDate string
	School, City, Edition, Status     string
	StatusKey, Category, BestLevel    string
}

const personsPage = 50

// personsExportMax bounds the rows of one export.
const personsExportMax = 20000

// personSorts are the orders the list offers.
var personSorts = []string{"name", "newest", "birth_date", "birth_date_desc", "school"}

// personSearch reads the list's query: the search for the door and the query to repeat.
func personSearch(q url.Values) (person.Search, url.Values) {
	s := person.Search{Sort: "name"}
	keep := url.Values{}
	set := func(param string, dst **string, valid func(string) bool) {
		v := strings.TrimSpace(q.Get(param))
		if v == "" || (valid != nil && !valid(v)) {
			return
		}
		*dst = &v
		keep.Set(param, v)
	}
	set("name", &s.Name, func(v string) bool { return len([]rune(v)) <= 50 })
	set("school", &s.SchoolCode, nil)
	set("edition", &s.Edition, func(v string) bool { _, err := edition.ParseID(v); return err == nil })
	set("program", &s.Program, vocab.Programs.Valid)
	set("status", &s.Status, vocab.Statuses.Valid)
	set("level", &s.Level, vocab.Levels.Valid)
	set("city", &s.CityCode, func(v string) bool { return len(v) == 6 })
	for _, k := range personSorts {
		if q.Get("sort") == k {
			s.Sort = k
		}
	}
	keep.Set("sort", s.Sort)
	return s, keep
}

func (a *app) persons(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), langOf(r)
	q := r.URL.Query()
	s, keep := personSearch(q)
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	s.Offset, s.Limit = (page-1)*personsPage, personsPage
	hits, err := a.doors.Persons.Search(ctx, caller(r), s)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	editions, cities, _, err := a.filterChoices(r, l, keep.Get("edition"), keep.Get("city"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := personsData{Name: keep.Get("name"), School: keep.Get("school"), Total: hits.Total,
		Filtered: len(keep) > 1, Editions: editions, Cities: cities}
	sel := func(param string) string { return keep.Get(param) }
	choices := func(param string, e vocab.Enum) []option {
		out := enumOptions(l, e)
		for i := range out {
			out[i].Selected = out[i].Value == sel(param)
		}
		return out
	}
	d.Programs, d.Statuses, d.Levels = choices("program", vocab.Programs), choices("status", vocab.Statuses), choices("level", vocab.Levels)
	for _, k := range personSorts {
		d.Sorts = append(d.Sorts, option{Value: k, Label: l.T("persons.sort_" + k), Selected: k == s.Sort})
	}
	for _, h := range hits.Rows {
		d.Rows = append(d.Rows, personRowOf(h, l))
	}
	if len(d.Rows) > 0 {
		d.From, d.To = s.Offset+1, s.Offset+len(d.Rows)
	}
	link := func(p int) string { return pageLink("/persons", keep, p) }
	if page > 1 {
		d.Prev = link(page - 1)
	}
	if s.Offset+len(d.Rows) < hits.Total {
		d.Next = link(page + 1)
	}
	d.Export = "/persons/export?" + keep.Encode()
	a.render(w, r, http.StatusOK, "persons", "persons.title", d)
}

// personRowOf is a hit in the page's words.
func personRowOf(h person.Hit, l Lang) personRow {
	row := personRow{ID: h.ID, Name: h.Name, IDMasked: h.IDMasked, Gender: l.T("gender." + h.Gender),
		BirthDate: h.BirthDate.Format(time.DateOnly), School: deref(h.SchoolName), City: h.CityNameZh,
		StatusKey: h.Status}
	if l == langEn {
		row.City = h.CityNameEn
	}
	if h.EditionID != "" {
		row.Edition = l.Edition(h.EditionID)
		row.Status = l.T("status." + h.Status)
		row.Category = l.T("category." + h.CategoryCode)
	}
	if h.BestLevel != "" {
		row.BestLevel = l.T("level." + h.BestLevel)
	}
	return row
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// personsExport answers the filtered list (every match, up to personsExportMax) as an
// Excel workbook with the page's columns and words.
func (a *app) personsExport(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	s, _ := personSearch(r.URL.Query())
	s.Limit = personsExportMax
	hits, err := a.doors.Persons.Search(r.Context(), caller(r), s)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	sh := report.Sheet{Name: l.T("persons.sheet"), Headers: []string{l.T("col.name"), l.T("col.id_number"),
		l.T("col.gender"), l.T("col.birth_date"), l.T("col.school"), l.T("col.city"), l.T("col.edition"),
		l.T("field.category"), l.T("col.status"), l.T("persons.best_level")}}
	for _, h := range hits.Rows {
		p := personRowOf(h, l)
		sh.Rows = append(sh.Rows, []any{p.Name, p.IDMasked, p.Gender, p.BirthDate, p.School, p.City, p.Edition,
			p.Category, p.Status, p.BestLevel})
	}
	sh.Rows = append(sh.Rows, []any{l.T("col.total"), len(hits.Rows)})
	a.sendWorkbook(w, r, "persons-"+a.today().Format("20060102"), sh)
}

// sendWorkbook answers sheets as an XLSX download named name.xlsx.
func (a *app) sendWorkbook(w http.ResponseWriter, r *http.Request, name string, sheets ...report.Sheet) {
	a.sendXLSX(w, r, name, func(b *bytes.Buffer) error { return report.WriteSheets(b, sheets...) })
}
