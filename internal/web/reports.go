package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// The reports page: the annual statistics report of a year as tables, its CSV and XLSX
// downloads, and the reports frozen as published with links to the API's downloads and
// diffs (GET /api/v1/reports/frozen/{id}, …/diff).

type figureTable struct {
	Title string
	Rows  []kv
	Total report.Count
}

type programFigures struct {
	Program string
	Tables  []figureTable
}

type coverageRow struct {
	Region    string
	Alumni    report.Count
	Contacted report.Count
	Rate      report.Ratio
}

type frozenRow struct {
	ID       int64
	Kind     string
	Params   string
	AsOf     string
	FrozenBy string
	FrozenAt time.Time
}

type reportsData struct {
	Year      int
	Years     []int
	AsOf      string
	Programs  []programFigures
	Others    []figureTable
	Overall   report.Coverage
	Coverage  []coverageRow
	Frozen    []frozenRow
	FrozenErr bool
}

// reportYear reads ?year= (this year when absent); when it is not a year it answers 400
// and ok is false.
func (a *app) reportYear(w http.ResponseWriter, r *http.Request) (year int, ok bool) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return a.today().Year(), true
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return 0, false
	}
	return y, true
}

// annualPage is annualData of the year asked; on an error it answers and ok is false.
func (a *app) annualPage(w http.ResponseWriter, r *http.Request) (d reportsData, ok bool) {
	year, ok := a.reportYear(w, r)
	if !ok {
		return d, false
	}
	d, err := a.annualData(r, year)
	if err != nil {
		a.fail(w, r, err)
		return d, false
	}
	return d, true
}

// annualData is the annual report of year as the page's tables: both programmes'
// participants, the year's records, the coverage by city (the frozen reports aside).
func (a *app) annualData(r *http.Request, year int) (reportsData, error) {
	l := langOf(r)
	today := a.today()
	rep, err := a.doors.Reports.Annual(r.Context(), caller(r), year, report.Query{AsOf: today})
	if err != nil {
		return reportsData{}, err
	}
	regions, err := a.regions(r, l)
	if err != nil {
		return reportsData{}, err
	}
	d := reportsData{Year: year, AsOf: rep.AsOf, Overall: rep.FollowUpCoverage}
	for y := today.Year(); y >= today.Year()-10; y-- {
		d.Years = append(d.Years, y)
	}
	for _, p := range []struct {
		key  string
		figs report.ProgramFigures
	}{{"jingke", rep.Participants.Jingke}, {"jindaoshi", rep.Participants.Jindaoshi}} {
		pf := programFigures{Program: l.T("program." + p.key)}
		pf.Tables = append(pf.Tables,
			figureTableOf(l.T("annual.by_status"), p.figs.ByStatus, vocab.Statuses.Keys(), func(k string) string { return l.T("status." + k) }),
			figureTableOf(l.T("annual.by_region"), p.figs.ByRegion, regions.codes, regions.name),
			figureTableOf(l.T("annual.by_category"), p.figs.ByCategory, vocab.Categories.Keys(), func(k string) string { return l.T("category." + k) }),
			figureTableOf(l.T("annual.by_grade_band"), p.figs.ByGradeBand,
				vocab.GradeBands.Keys(), func(k string) string { return l.T("band." + k) }),
			figureTableOf(l.T("annual.by_gender"), p.figs.ByGender, []string{"female", "male"},
				func(k string) string { return l.T("gender." + k) }))
		d.Programs = append(d.Programs, pf)
	}
	d.Others = []figureTable{
		figureTableOf(l.T("annual.awards"), rep.Awards.ByLevel, vocab.Levels.Keys(), func(k string) string { return l.T("level." + k) }),
		figureTableOf(l.T("annual.destinations"), rep.Destinations.ByType, vocab.DestinationTypes.Keys(),
			func(k string) string { return l.T("dest." + k) }),
		figureTableOf(l.T("annual.career_moves"), rep.CareerMoves.ByReason,
			vocab.Reasons.Keys(), func(k string) string { return l.T("reason." + k) }),
	}
	for _, code := range regions.codes {
		if c, ok := rep.FollowUpCoverage.ByRegion[code]; ok {
			d.Coverage = append(d.Coverage, coverageRow{Region: regions.name(code), Alumni: c.Alumni, Contacted: c.Contacted,
				Rate: c.Rate})
		}
	}
	return d, nil
}

func (a *app) reports(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), langOf(r)
	d, ok := a.annualPage(w, r)
	if !ok {
		return
	}
	frozen, err := a.doors.Reports.FrozenList(ctx, caller(r), report.FrozenFilter{Limit: 100})
	if err != nil {
		if !errors.Is(err, access.ErrForbidden) {
			a.log.Warn("web: frozen reports", "request_id", requestID(w), "err", err.Error())
		}
		d.FrozenErr = true
	}
	for i := len(frozen) - 1; i >= 0; i-- { // newest first
		fr := frozen[i]
		d.Frozen = append(d.Frozen, frozenRow{ID: fr.ID, Kind: l.T("frozen." + fr.Kind), Params: string(fr.Params),
			AsOf: fr.AsOf.Format(time.DateOnly), FrozenBy: fr.FrozenBy, FrozenAt: fr.FrozenAt})
	}
	a.render(w, r, http.StatusOK, "reports", "reports.title", d)
}

// reportsPrint is the annual report of a year as a print view: the same tables, one
// section a page, no navigation when printed (the print block of app.css), for a
// browser to turn into a PDF.
func (a *app) reportsPrint(w http.ResponseWriter, r *http.Request) {
	if d, ok := a.annualPage(w, r); ok {
		a.render(w, r, http.StatusOK, "reports_print", "reports.print_title", d)
	}
}

// annualWorkbook downloads the annual report of a year as the office's workbook
// (report.WriteAnnualWorkbook): names, shares as percentages, total rows.
func (a *app) annualWorkbook(w http.ResponseWriter, r *http.Request) {
	year, ok := a.reportYear(w, r)
	if !ok {
		return
	}
	today := a.today()
	rep, err := a.doors.Reports.Annual(r.Context(), caller(r), year, report.Query{AsOf: today})
	if a.reportFailed(w, r, err) {
		return
	}
	names, err := a.officeNames(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.sendXLSX(w, r, fmt.Sprintf("annual-%d-office-%s", year, today.Format(time.DateOnly)), func(b *bytes.Buffer) error {
		return report.WriteAnnualWorkbook(b, rep, names)
	})
}

// figureTableOf lists a count map in the given key order (then any other keys sorted),
// skipping zeros as the report does, with the total.
func figureTableOf(title string, c report.Counts, order []string, label func(string) string) figureTable {
	t := figureTable{Title: title}
	var all []report.Count
	for _, k := range report.OrderedKeys(c, order) {
		t.Rows = append(t.Rows, kv{Key: k, Label: label(k), N: c[k]})
		all = append(all, c[k])
	}
	t.Total = report.Total(all...)
	return t
}

// annualExport downloads the annual report of a year as CSV or XLSX.
func (a *app) annualExport(w http.ResponseWriter, r *http.Request) {
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	f, ferr := report.ParseFormat(r.URL.Query().Get("format"))
	if err != nil || ferr != nil || f == report.FormatJSON {
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	today := a.today()
	rep, err := a.doors.Reports.Annual(r.Context(), caller(r), year, report.Query{AsOf: today})
	a.download(w, r, f, fmt.Sprintf("annual-%d-%s", year, today.Format(time.DateOnly)), rep, err)
}
