package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// The cohort explorer: pick editions and a cut (city, school, category) and an as-of
// date, see the cohort outcome reports as curves and tables, download any of them as CSV
// or XLSX (report.Write, the same files as the CLI and the API).

// maxExplore bounds the editions compared at once.
const maxExplore = 8

type editionOption struct {
	ID       string
	Program  string
	Checked  bool
	Disabled bool
}

type option struct {
	Value, Label string
	Selected     bool
}

type cohortTable struct {
	Report  report.CohortReport
	CSV     string // the export links
	XLSX    string
	Windows []cohortWindowRow
}

type cohortWindowRow struct {
	report.CohortWindow
	Destinations string
}

type cohortsData struct {
	Editions   []editionOption
	Regions    []option
	Categories []option
	School     string
	AsOf       string
	Form       *form
	Charts     []chart
	Rows       []outcomeRow
	Tables     []cohortTable
}

// cohortParams reads the explorer's query: editions, cut and as-of.
func cohortParams(r *http.Request, today time.Time) (ids []string, cut report.Cut, asOf time.Time, bad string) {
	q := r.URL.Query()
	for _, id := range q["edition"] {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	cut = report.Cut{Region: strings.TrimSpace(q.Get("region")), School: strings.TrimSpace(q.Get("school")),
		Category: strings.TrimSpace(q.Get("category"))}
	asOf = today
	if v := strings.TrimSpace(q.Get("as_of")); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return ids, cut, today, "as_of"
		}
		asOf = d
	}
	return ids, cut, asOf, ""
}

func (a *app) cohorts(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), langOf(r)
	today := a.today()
	editions, err := a.editions(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ids, cut, asOf, bad := cohortParams(r, today)
	f := &form{Key: "cohorts", Values: map[string]string{}, Errors: map[string]string{}, lang: l}
	if bad != "" {
		f.fail(bad, "form.date")
	}
	if len(ids) == 0 { // the last three closed jingke editions
		closed := []string{}
		for _, e := range editions {
			if e.Program == "jingke" && e.Status == "closed" {
				closed = append(closed, e.ID)
			}
		}
		ids = closed[max(len(closed)-3, 0):]
	}
	if len(ids) > maxExplore {
		f.fail("edition", "cohort.too_many")
		ids = ids[:maxExplore]
	}
	d := cohortsData{School: cut.School, AsOf: asOf.Format(time.DateOnly), Form: f}
	for _, e := range editions {
		d.Editions = append(d.Editions, editionOption{ID: e.ID, Program: e.Program, Checked: slices.Contains(ids, e.ID)})
	}
	regions, err := a.regions(r, l)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, c := range regions.codes {
		d.Regions = append(d.Regions, option{Value: c, Label: regions.name(c), Selected: c == cut.Region})
	}
	cats, err := a.categories(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, c := range cats {
		label := c.NameZh
		if l == langEn {
			label = c.Code
		}
		d.Categories = append(d.Categories, option{Value: c.Code, Label: label, Selected: c.Code == cut.Category})
	}
	var reps []report.CohortReport
	if f.OK() {
		for _, id := range ids {
			rep, err := a.doors.Reports.Cohort(ctx, caller(r), id, report.Query{AsOf: asOf, Cut: cut})
			if err != nil {
				if !f.domain(err, map[string]string{"edition": "edition"}) {
					a.fail(w, r, err)
					return
				}
				continue
			}
			reps = append(reps, rep)
			q := "/cohorts/export?" + exportQuery(id, cut, asOf)
			d.Tables = append(d.Tables, cohortTable{Report: rep, CSV: q + "&format=csv", XLSX: q + "&format=xlsx",
				Windows: windowRows(rep, l)})
		}
	}
	d.Charts, d.Rows = outcomeCharts(reps, l)
	status := http.StatusOK
	if !f.OK() {
		status = http.StatusUnprocessableEntity
	}
	a.renderPage(w, r, status, "cohorts", page{Title: l.T("cohorts.title"), Data: d, Charts: true})
}

// windowRows formats each window's destinations as "label n, label n".
func windowRows(rep report.CohortReport, l Lang) []cohortWindowRow {
	out := make([]cohortWindowRow, len(rep.Windows))
	for i, w := range rep.Windows {
		var parts []string
		for _, t := range vocab.DestinationTypes.Keys() {
			if n, ok := w.Destinations[t]; ok {
				parts = append(parts, l.T("dest."+t)+" "+countText(n))
			}
		}
		out[i] = cohortWindowRow{CohortWindow: w, Destinations: strings.Join(parts, l.T("list.sep"))}
	}
	return out
}

func exportQuery(edition string, cut report.Cut, asOf time.Time) string {
	v := make([]string, 0, 5)
	add := func(k, val string) {
		if val != "" {
			v = append(v, k+"="+url.QueryEscape(val))
		}
	}
	add("edition", edition)
	add("region", cut.Region)
	add("school", cut.School)
	add("category", cut.Category)
	add("as_of", asOf.Format(time.DateOnly))
	return strings.Join(v, "&")
}

// cohortExport downloads one edition's cohort report as CSV or XLSX.
func (a *app) cohortExport(w http.ResponseWriter, r *http.Request) {
	ids, cut, asOf, bad := cohortParams(r, a.today())
	f, err := report.ParseFormat(r.URL.Query().Get("format"))
	if bad != "" || len(ids) != 1 || err != nil || f == report.FormatJSON {
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	rep, err := a.doors.Reports.Cohort(r.Context(), caller(r), ids[0], report.Query{AsOf: asOf, Cut: cut})
	a.download(w, r, f, fmt.Sprintf("cohort-%s-%s", ids[0], asOf.Format(time.DateOnly)), rep, err)
}

// download writes a report in format f as an attachment; err is the door's: a refused
// parameter is a 400 page, any other error the page of its kind.
func (a *app) download(w http.ResponseWriter, r *http.Request, f report.Format, name string, rep report.Exporter,
	err error) {
	var pe *report.ParamError
	switch {
	case errors.As(err, &pe):
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	case err != nil:
		a.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, f, rep); err != nil {
		a.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, f))
	_, _ = w.Write(buf.Bytes())
}
