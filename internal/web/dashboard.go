package web

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"talentdb/internal/organization"
	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// The office dashboard: the current edition at a glance, participants by city, the
// outcome curves of past cohorts, follow-up coverage by city and awards by level over the
// years, and a map (dashboard_city.go). Every figure comes from the report package, computed
// in the user's scope: a city coordinator sees their city's, by district and school.

// dashboardCohorts is how many past jingke cohorts the outcome curves compare.
const dashboardCohorts = 6

type kv struct {
	Key   string
	Label string
	N     report.Count
}

type editionGlance struct {
	ID       string
	Program  string
	Status   string
	Total    report.Count
	ByStatus []kv
}

type cityRow struct {
	Code, Name          string
	Jingke, Jindaoshi   report.Count
	People              report.Count // both programmes; withheld when either is
	Alumni, Contacted   report.Count
	Rate                report.Ratio
	HasCoverage, HasAny bool
}

type outcomeRow struct {
	Edition    string
	CohortSize report.Count
	K          int
	Partial    bool
	Provincial *float64
	Yingcai    *float64
	Contacted  *float64
}

type awardRow struct {
	Year  int
	Total report.Count
	Cells []report.Count
}

type dashboardData struct {
	Year        int
	AsOf        string
	Current     []editionGlance
	Cities      chart
	CityRows    []cityRow
	Map         chart     // the province by city, or a coordinator's city by district
	City        *cityData // a city coordinator's city; nil for the province-wide roles
	Outcomes    []chart
	OutcomeRows []outcomeRow
	Coverage    chart
	Overall     report.Coverage
	Awards      chart
	AwardLevels []string
	AwardRows   []awardRow
}

// today is the civil date in China, the "today" of the tracking rules.
func (a *app) today() time.Time { return vocab.DateOf(a.now()) }

// dashboard computes its figures concurrently: the annual report of the year, the cohort
// reports of the last cohorts and the award series.
func (a *app) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	today := a.today()
	editions, err := a.editions(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	year := today.Year()
	for _, e := range editions {
		if e.Status == "open" && e.Program == "jingke" {
			year = e.Year
		}
	}
	if v, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && v >= 2000 && v <= 2100 {
		year = v
	}
	var cohortIDs []string
	for _, e := range editions {
		if e.Program == "jingke" && e.Year < year {
			cohortIDs = append(cohortIDs, e.ID)
		}
	}
	if len(cohortIDs) > dashboardCohorts {
		cohortIDs = cohortIDs[len(cohortIDs)-dashboardCohorts:]
	}

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		firstEr error
		annual  report.AnnualReport
		awards  report.AwardsOverTimeReport
		cohorts = make([]report.CohortReport, len(cohortIDs))
	)
	keep := func(err error) {
		if err != nil {
			mu.Lock()
			if firstEr == nil {
				firstEr = err
			}
			mu.Unlock()
		}
	}
	wg.Add(2 + len(cohortIDs))
	go func() {
		defer wg.Done()
		var err error
		annual, err = a.doors.Reports.Annual(ctx, c, year, report.Query{AsOf: today})
		keep(err)
	}()
	go func() {
		defer wg.Done()
		var err error
		from := year - 7
		awards, err = a.doors.Reports.AwardsOverTime(ctx, c, &from, &year, "", report.Query{AsOf: today})
		keep(err)
	}()
	for i, id := range cohortIDs {
		go func() {
			defer wg.Done()
			var err error
			cohorts[i], err = a.doors.Reports.Cohort(ctx, c, id, report.Query{AsOf: today})
			keep(err)
		}()
	}
	var (
		city    = coordinatorCity(r)
		league  report.LeagueReport
		schools []organization.Organization
	)
	if city != "" {
		wg.Add(2)
		go func() {
			defer wg.Done()
			var err error
			league, err = a.doors.Reports.SchoolLeague(ctx, c, report.Query{AsOf: today, Cut: report.Cut{Region: city}})
			keep(err)
		}()
		go func() {
			defer wg.Done()
			var err error
			schools, err = a.citySchools(ctx, c, city)
			keep(err)
		}()
	}
	regions, err := a.regions(r, l)
	keep(err)
	wg.Wait()
	if firstEr != nil {
		a.fail(w, r, firstEr)
		return
	}

	d := dashboardData{Year: year, AsOf: today.Format(time.DateOnly), Overall: annual.FollowUpCoverage}
	for _, e := range editions {
		if e.Year != year {
			continue
		}
		figs := annual.Participants.Jingke
		if e.Program == "jindaoshi" {
			figs = annual.Participants.Jindaoshi
		}
		g := editionGlance{ID: e.ID, Program: l.T("program." + e.Program), Status: l.T("edition." + e.Status)}
		for _, s := range vocab.Statuses.Keys() {
			if n := figs.ByStatus[s]; n != 0 {
				g.ByStatus = append(g.ByStatus, kv{Key: s, Label: l.T("status." + s), N: n})
				if n > 0 {
					g.Total += n
				}
			}
		}
		d.Current = append(d.Current, g)
	}
	if city != "" {
		regions.codes = []string{city} // not 21 cities with 20 empty
	}
	a.cityFigures(&d, annual, regions, l)
	if city != "" {
		a.coordinatorFigures(&d, city, league, schools, regions, l)
	} else {
		a.provinceMap(&d, regions, l)
	}
	a.outcomeFigures(&d, cohorts, l)
	a.awardFigures(&d, awards, l)
	a.renderCharts(w, r, "dashboard", "dashboard.title", d)
}

func (a *app) cityFigures(d *dashboardData, annual report.AnnualReport, regions regionNames, l Lang) {
	d.Cities = chart{ID: "chart-cities", Title: l.T("dashboard.cities"), Type: "bar", Stack: true, Rotate: true,
		YName: l.T("dashboard.persons")}
	d.Coverage = chart{ID: "chart-coverage", Title: l.T("dashboard.coverage"), Type: "bar", Percent: true, Rotate: true}
	jk := series{Name: l.T("program.jingke")}
	jd := series{Name: l.T("program.jindaoshi")}
	cov := series{Name: l.T("dashboard.contact_rate")}
	for _, code := range regions.codes {
		row := cityRow{Code: code, Name: regions.name(code), Jingke: annual.Participants.Jingke.ByRegion[code],
			Jindaoshi: annual.Participants.Jindaoshi.ByRegion[code]}
		row.People = row.Jingke + row.Jindaoshi
		if row.Jingke.Withheld() || row.Jindaoshi.Withheld() {
			row.People = min(row.Jingke, row.Jindaoshi)
		}
		c, ok := annual.FollowUpCoverage.ByRegion[code]
		if ok {
			row.Alumni, row.Contacted, row.Rate, row.HasCoverage = c.Alumni, c.Contacted, c.Rate, true
		}
		row.HasAny = row.Jingke != 0 || row.Jindaoshi != 0 || ok
		d.CityRows = append(d.CityRows, row)
		d.Cities.X = append(d.Cities.X, row.Name)
		d.Coverage.X = append(d.Coverage.X, row.Name)
		jk.Data = append(jk.Data, countNum(row.Jingke))
		jd.Data = append(jd.Data, countNum(row.Jindaoshi))
		if ok && !c.Rate.Withheld() {
			cov.Data = append(cov.Data, num(float64(c.Rate)))
		} else {
			cov.Data = append(cov.Data, nil)
		}
	}
	d.Cities.Series = []series{jk, jd}
	d.Coverage.Series = []series{cov}
}

// outcomeFigures draws three curves per cohort over the windows after its edition: the
// cumulative share with a provincial-or-higher award, the cumulative share in 英才计划, and
// the share contacted in each window.
func (a *app) outcomeFigures(d *dashboardData, cohorts []report.CohortReport, l Lang) {
	d.Outcomes, d.OutcomeRows = outcomeCharts(cohorts, l)
}

// outcomeCharts is shared by the dashboard and the cohort explorer.
func outcomeCharts(cohorts []report.CohortReport, l Lang) ([]chart, []outcomeRow) {
	maxK := 0
	for _, c := range cohorts {
		if n := len(c.Windows); n > maxK {
			maxK = n
		}
	}
	x := make([]string, maxK)
	for k := range x {
		x[k] = fmt.Sprintf(l.T("cohort.window_k"), k)
	}
	mk := func(id, key string) chart {
		return chart{ID: id, Title: l.T(key), Type: "line", Percent: true, X: x, XName: l.T("cohort.window")}
	}
	prov, ying, cont := mk("chart-provincial", "cohort.share_provincial"), mk("chart-yingcai", "cohort.share_yingcai"),
		mk("chart-contacted", "cohort.share_contacted")
	var rows []outcomeRow
	for _, c := range cohorts {
		name := l.Edition(c.Edition)
		sp, sy, sc := series{Name: name}, series{Name: name}, series{Name: name}
		for k := range maxK {
			if k >= len(c.Windows) {
				sp.Data, sy.Data, sc.Data = append(sp.Data, nil), append(sy.Data, nil), append(sc.Data, nil)
				continue
			}
			win := c.Windows[k]
			row := outcomeRow{Edition: name, CohortSize: c.CohortSize, K: win.K, Partial: win.Partial,
				Provincial: share(win.CumulativeProvincialPlus, c.CohortSize),
				Yingcai:    share(win.YingcaiCumulative, c.CohortSize),
				Contacted:  share(win.Contacted, c.CohortSize)}
			if win.K == 0 {
				row.Contacted = nil // no follow-up is owed during the edition itself
			}
			rows = append(rows, row)
			sp.Data, sy.Data, sc.Data = append(sp.Data, row.Provincial), append(sy.Data, row.Yingcai),
				append(sc.Data, row.Contacted)
		}
		prov.Series, ying.Series, cont.Series = append(prov.Series, sp), append(ying.Series, sy), append(cont.Series, sc)
	}
	return []chart{prov, ying, cont}, rows
}

func (a *app) awardFigures(d *dashboardData, aw report.AwardsOverTimeReport, l Lang) {
	d.Awards = chart{ID: "chart-awards", Title: l.T("dashboard.awards"), Type: "bar", Stack: true,
		YName: l.T("dashboard.records")}
	levels := vocab.Levels.Keys()
	for _, lv := range levels {
		d.AwardLevels = append(d.AwardLevels, l.T("level."+lv))
	}
	byLevel := make([]series, len(levels))
	for i, lv := range levels {
		byLevel[i].Name = l.T("level." + lv)
	}
	for _, y := range aw.Years {
		d.Awards.X = append(d.Awards.X, strconv.Itoa(y.Year))
		row := awardRow{Year: y.Year, Total: y.Total}
		for i, lv := range levels {
			row.Cells = append(row.Cells, y.ByLevel[lv])
			byLevel[i].Data = append(byLevel[i].Data, countNum(y.ByLevel[lv]))
		}
		d.AwardRows = append(d.AwardRows, row)
	}
	d.Awards.Series = byLevel
}
