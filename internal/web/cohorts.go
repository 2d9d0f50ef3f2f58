package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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
	Within     int
	Clamped    bool // a future as_of was brought back to today
	Today      string
	Form       *form
	Charts     []chart
	Rows       []outcomeRow
	Tables     []cohortTable
	WithinRows []withinRow
	Workbook   string // the comparison workbook's link
	Teachers   teacherFigures
}

// withinRow is a students' cohort within N years of its edition's end.
type withinRow struct {
	Edition string
	report.WithinFigures
	Listed bool // the cohort report lists a window (as_of is after the edition's start)
}

// teacherFigures are the teachers' (金导师) cohorts asked for, with their trajectories
// (report door TeacherTrajectories); Pending names those not ended by as_of.
type teacherFigures struct {
	Rows    []report.TrajectoryEdition
	Pending []string
	Asked   bool
	Cut     bool // a cut was chosen: the trajectories are the province's
	Within  int
}

// defaultWithin is the "within N years" the explorer opens with, the analytics' default.
const defaultWithin = 3

// cohortQuery is the explorer's query: editions, cut, as-of and N years.
type cohortQuery struct {
	IDs     []string
	Cut     report.Cut
	AsOf    time.Time
	Within  int
	Clamped bool   // as_of was in the future and is today instead
	Bad     string // the field of a parameter refused
}

// cohortParams reads the explorer's query. An as_of after today is today (its windows
// would show as final what has not ended): Clamped says so, for the page's note.
func cohortParams(r *http.Request, today time.Time) cohortQuery {
	q := r.URL.Query()
	c := cohortQuery{AsOf: today, Within: defaultWithin}
	for _, id := range q["edition"] {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(c.IDs, id) {
			c.IDs = append(c.IDs, id)
		}
	}
	c.Cut = report.Cut{Region: strings.TrimSpace(q.Get("region")), School: strings.TrimSpace(q.Get("school")),
		Category: strings.TrimSpace(q.Get("category"))}
	if v := strings.TrimSpace(q.Get("within")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 20 {
			c.Bad = "within"
		} else {
			c.Within = n
		}
	}
	if v := strings.TrimSpace(q.Get("as_of")); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		switch {
		case err != nil:
			c.Bad = "as_of"
		case d.After(today):
			c.Clamped = true
		default:
			c.AsOf = d
		}
	}
	return c
}

// form is the page's form named key, with the refused parameter's error next to its field.
func (c cohortQuery) form(key string, l Lang) *form {
	f := &form{Key: key, Values: map[string]string{}, Errors: map[string]string{}, lang: l}
	switch c.Bad {
	case "as_of":
		f.fail("as_of", "form.date")
	case "within":
		f.fail("within", "cohorts.within_range")
	}
	return f
}

// isTeachers says whether an edition id is of the teachers' programme (金导师).
func isTeachers(id string) bool { return strings.HasPrefix(id, "jindaoshi-") }

func (a *app) cohorts(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), langOf(r)
	today := a.today()
	editions, err := a.editions(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	cq := cohortParams(r, today)
	ids, cut, asOf := cq.IDs, cq.Cut, cq.AsOf
	f := cq.form("cohorts", l)
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
	d := cohortsData{School: cut.School, AsOf: asOf.Format(time.DateOnly), Within: cq.Within, Clamped: cq.Clamped,
		Today: today.Format(time.DateOnly), Form: f}
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
	var teachers []string
	if f.OK() {
		for _, id := range ids {
			if isTeachers(id) { // the teachers' measures, not the students'
				teachers = append(teachers, id)
				continue
			}
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
			wf, ok := rep.Within(cq.Within)
			d.WithinRows = append(d.WithinRows, withinRow{Edition: rep.Edition, WithinFigures: wf, Listed: ok})
		}
	}
	if f.OK() && len(teachers) > 0 {
		d.Teachers, err = a.teacherFigures(r, cq.Within, asOf, teachers)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		d.Teachers.Cut = cut != (report.Cut{})
	}
	if f.OK() && (len(reps) > 0 || len(teachers) > 0) {
		d.Workbook = "/cohorts/workbook?" + workbookQuery(ids, cut, asOf, cq.Within)
	}
	d.Charts, d.Rows = outcomeCharts(reps, l)
	status := http.StatusOK
	if !f.OK() {
		status = http.StatusUnprocessableEntity
	}
	a.renderPage(w, r, status, "cohorts", page{Title: l.T("cohorts.title"), Data: d, Charts: true})
}

// teacherFigures reads the trajectories of the teachers' cohorts ids (all of them when ids
// is nil) within n years, on asOf, through the report door.
func (a *app) teacherFigures(r *http.Request, n int, asOf time.Time, ids []string) (teacherFigures, error) {
	tr, err := a.doors.Reports.TeacherTrajectories(r.Context(), caller(r), n, report.Query{AsOf: asOf})
	if err != nil {
		return teacherFigures{}, err
	}
	out := teacherFigures{Asked: true, Within: n}
	listed := map[string]bool{}
	for _, e := range tr.Editions {
		if ids == nil || slices.Contains(ids, e.Edition) {
			out.Rows = append(out.Rows, e)
			listed[e.Edition] = true
		}
	}
	for _, id := range ids {
		if !listed[id] {
			out.Pending = append(out.Pending, id)
		}
	}
	return out, nil
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

// workbookQuery is the comparison workbook's query: every edition, the cut, as-of and N.
func workbookQuery(ids []string, cut report.Cut, asOf time.Time, within int) string {
	v := make([]string, 0, len(ids)+1)
	for _, id := range ids[1:] {
		v = append(v, "edition="+url.QueryEscape(id))
	}
	return exportQuery(ids[0], cut, asOf) + "&" + strings.Join(append(v, "within="+strconv.Itoa(within)), "&")
}

// cohortWorkbook downloads the cohorts compared as one office workbook: a summary, a sheet
// per cohort, the teachers' cohorts with their trajectories
// (report.WriteComparisonWorkbook), in Chinese.
func (a *app) cohortWorkbook(w http.ResponseWriter, r *http.Request) {
	cq := cohortParams(r, a.today())
	if cq.Bad != "" || len(cq.IDs) == 0 || len(cq.IDs) > maxExplore {
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	c := report.Comparison{AsOf: cq.AsOf.Format(time.DateOnly), WithinYears: cq.Within}
	var teachers []string
	for _, id := range cq.IDs {
		if isTeachers(id) {
			teachers = append(teachers, id)
			continue
		}
		rep, err := a.doors.Reports.Cohort(r.Context(), caller(r), id, report.Query{AsOf: cq.AsOf, Cut: cq.Cut})
		if a.reportFailed(w, r, err) {
			return
		}
		c.Cohorts = append(c.Cohorts, rep)
	}
	if len(teachers) > 0 {
		tf, err := a.teacherFigures(r, cq.Within, cq.AsOf, teachers)
		if a.reportFailed(w, r, err) {
			return
		}
		c.Teachers = tf.Rows
	}
	names, err := a.officeNames(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.sendXLSX(w, r, fmt.Sprintf("cohorts-%s", c.AsOf), func(b *bytes.Buffer) error {
		return report.WriteComparisonWorkbook(b, c, names)
	})
}

// officeNames names editions and regions in Chinese, for the office's workbooks.
func (a *app) officeNames(r *http.Request) (report.OfficeNames, error) {
	regions, err := a.regions(r, langZh)
	if err != nil {
		return report.OfficeNames{}, err
	}
	return report.OfficeNames{Edition: Lang(langZh).Edition, Region: regions.name}, nil
}

// sendXLSX writes the workbook write makes as an XLSX attachment named name.xlsx.
func (a *app) sendXLSX(w http.ResponseWriter, r *http.Request, name string, write func(*bytes.Buffer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		a.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", report.FormatXLSX.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, name))
	_, _ = w.Write(buf.Bytes())
}

// cohortExport downloads one edition's cohort report as CSV or XLSX.
func (a *app) cohortExport(w http.ResponseWriter, r *http.Request) {
	cq := cohortParams(r, a.today())
	f, err := report.ParseFormat(r.URL.Query().Get("format"))
	if cq.Bad != "" || len(cq.IDs) != 1 || err != nil || f == report.FormatJSON {
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	rep, err := a.doors.Reports.Cohort(r.Context(), caller(r), cq.IDs[0], report.Query{AsOf: cq.AsOf, Cut: cq.Cut})
	a.download(w, r, f, fmt.Sprintf("cohort-%s-%s", cq.IDs[0], cq.AsOf.Format(time.DateOnly)), rep, err)
}

// reportFailed answers a report door's error, if any: a refused parameter is a 400 page,
// any other error the page of its kind.
func (a *app) reportFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	var pe *report.ParamError
	switch {
	case errors.As(err, &pe):
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
	case err != nil:
		a.fail(w, r, err)
	default:
		return false
	}
	return true
}

// download writes a report in format f as an attachment; err is the door's: a refused
// parameter is a 400 page, any other error the page of its kind.
func (a *app) download(w http.ResponseWriter, r *http.Request, f report.Format, name string, rep report.Exporter,
	err error) {
	if a.reportFailed(w, r, err) {
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

type teachersData struct {
	AsOf     string
	Within   int
	Clamped  bool
	Today    string
	Form     *form
	Teachers teacherFigures
	Chart    chart
	Workbook string
}

// teachers is the teachers' trajectories page: every 金导师 cohort ended by as_of, N years
// on — still in science education, promoted, moved city, awarded (report door
// TeacherTrajectories), as a chart of shares and a table of counts and shares.
func (a *app) teachers(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	today := a.today()
	cq := cohortParams(r, today)
	f := cq.form("teachers", l)
	d := teachersData{AsOf: cq.AsOf.Format(time.DateOnly), Within: cq.Within, Clamped: cq.Clamped,
		Today: today.Format(time.DateOnly), Form: f}
	status := http.StatusUnprocessableEntity
	if f.OK() {
		status = http.StatusOK
		var err error
		if d.Teachers, err = a.teacherFigures(r, cq.Within, cq.AsOf, nil); a.reportFailed(w, r, err) {
			return
		}
		d.Chart = chart{ID: "chart-teachers", Title: l.T("teachers.chart"), Type: "bar", Percent: true, Rotate: true}
		measures := []struct {
			key   string
			share func(report.TrajectoryEdition) report.Ratio
		}{
			{"teachers.in_education", func(e report.TrajectoryEdition) report.Ratio { return e.Shares.InEducation }},
			{"teachers.promoted", func(e report.TrajectoryEdition) report.Ratio { return e.Shares.Promoted }},
			{"teachers.moved_city", func(e report.TrajectoryEdition) report.Ratio { return e.Shares.MovedCity }},
			{"teachers.provincial", func(e report.TrajectoryEdition) report.Ratio { return e.Shares.AwardedProvincialPlus }},
		}
		var ids []string
		for _, m := range measures {
			s := series{Name: l.T(m.key)}
			for _, e := range d.Teachers.Rows {
				s.Data = append(s.Data, ratioNum(m.share(e)))
			}
			d.Chart.Series = append(d.Chart.Series, s)
		}
		for _, e := range d.Teachers.Rows {
			d.Chart.X = append(d.Chart.X, l.Edition(e.Edition))
			ids = append(ids, e.Edition)
		}
		if len(ids) > maxExplore {
			ids = ids[len(ids)-maxExplore:]
		}
		if len(ids) > 0 {
			d.Workbook = "/cohorts/workbook?" + workbookQuery(ids, report.Cut{}, cq.AsOf, cq.Within)
		}
	}
	a.renderPage(w, r, status, "teachers", page{Title: l.T("teachers.title"), Data: d, Charts: true})
}

// ratioNum is a report ratio as a chart value; a withheld one is a gap.
func ratioNum(v report.Ratio) *float64 {
	if v.Withheld() {
		return nil
	}
	return num(float64(v))
}
