package web

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
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

func (a *app) reports(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), langOf(r)
	today := a.today()
	year := today.Year()
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
			return
		}
		year = y
	}
	rep, err := a.doors.Reports.Annual(ctx, caller(r), year, report.Query{AsOf: today})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	regions, err := a.regions(r, l)
	if err != nil {
		a.fail(w, r, err)
		return
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
			figureTableOf(l.T("annual.by_category"), p.figs.ByCategory, nil, func(k string) string { return l.T("category." + k) }),
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

// figureTableOf lists a count map in the given key order (then any other keys sorted),
// skipping zeros as the report does, with the total.
func figureTableOf(title string, c report.Counts, order []string, label func(string) string) figureTable {
	t := figureTable{Title: title}
	seen := map[string]bool{}
	add := func(k string) {
		if n, ok := c[k]; ok && !seen[k] {
			seen[k] = true
			t.Rows = append(t.Rows, kv{Key: k, Label: label(k), N: n})
			if n > 0 {
				t.Total += n
			}
		}
	}
	for _, k := range order {
		add(k)
	}
	rest := make([]string, 0, len(c))
	for k := range c {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		add(k)
	}
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
