package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/cycle"
	"talentdb/internal/edition"
	"talentdb/internal/organization"
	"talentdb/internal/participation"
	"talentdb/internal/tracking"
	"talentdb/internal/vocab"
)

// The office's workflow pages: the review of the schools' applications, the selection
// (public notices, objections and the admission of recommended nominees), the queue of
// awards waiting for verification, and a password reset. Each write is one door call as
// the signed-in office administrator; the door's refusals are shown next to the fields.

// editionChoice lists the editions newest first and picks the one asked for, else the
// newest open one, else the newest.
func (a *app) editionChoice(ctx context.Context, c access.Caller, l Lang, asked string) ([]option, string, error) {
	eds, err := a.doors.Editions.List(ctx, c, edition.Filter{Limit: 500})
	if err != nil {
		return nil, "", err
	}
	slices.SortStableFunc(eds, func(x, y edition.Edition) int {
		return cmp.Or(cmp.Compare(y.Year, x.Year), cmp.Compare(y.Program, x.Program))
	})
	sel := ""
	for _, e := range eds {
		if e.ID == asked {
			sel = asked
		}
	}
	for _, e := range eds {
		if sel == "" && e.Status == "open" {
			sel = e.ID
		}
	}
	if sel == "" && len(eds) > 0 {
		sel = eds[0].ID
	}
	out := make([]option, len(eds))
	for i, e := range eds {
		out[i] = option{Value: e.ID, Label: l.Edition(e.ID), Selected: e.ID == sel}
	}
	return out, sel, nil
}

// enumChoice is e's options labelled by the text keys of prefix, sel selected.
func enumChoice(l Lang, prefix string, e vocab.Enum, sel string) []option {
	out := make([]option, len(e.Terms))
	for i, t := range e.Terms {
		out[i] = option{Value: t.Key, Label: l.T(prefix + "." + t.Key), Selected: t.Key == sel}
	}
	return out
}

// --- applications

type applicationsData struct {
	Editions, Statuses, Decisions []option
	Cities                        []option
	Edition, Status, School       string
	Rows                          []applicationRow
	Table                         listTable // the rows' cells, the total and the export
	Next                          string
	Form                          *form
	regions                       regionNames
}

type applicationRow struct {
	cycle.Application
	StatusLabel, City string
	Reviewable        bool
}

const (
	applicationPage      = 200
	applicationExportMax = 5000
)

// applicationHeaders are the columns of the applications' workbook, the words of each
// application on the page.
var applicationHeaders = []string{"office.unit_name", "col.city", "col.edition", "col.status", "office.submitted_at",
	"office.unit_head", "office.project_lead", "office.review_comment"}

// applicationQuery reads the list's filters into d and the door's filter and school (a
// code, nil: every school); the edition is the one asked for, else the newest open one.
func (a *app) applicationQuery(r *http.Request, d *applicationsData) (cycle.ApplicationFilter, *string, url.Values, error) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	q := r.URL.Query()
	d.Status, d.School = q.Get("status"), strings.TrimSpace(q.Get("school"))
	if !q.Has("status") {
		d.Status = "submitted"
	}
	var err error
	if d.Editions, d.Edition, err = a.editionChoice(ctx, c, l, q.Get("edition")); err != nil {
		return cycle.ApplicationFilter{}, nil, nil, err
	}
	keep := url.Values{"edition": {d.Edition}, "status": {d.Status}}
	f := cycle.ApplicationFilter{Edition: &d.Edition}
	if vocab.ApplicationStatuses.Valid(d.Status) {
		f.Status = &d.Status
	}
	city := q.Get("city")
	if len(city) == 6 {
		f.CityCode = &city
		keep.Set("city", city)
	}
	if _, d.Cities, d.regions, err = a.filterChoices(r, l, "", city); err != nil {
		return f, nil, nil, err
	}
	var school *string
	if d.School != "" && len(d.School) <= 64 {
		school = &d.School
		keep.Set("school", d.School)
	}
	return f, school, keep, nil
}

// applicationRows are the applications in the page's words, and their cells.
func applicationRows(l Lang, apps []cycle.Application, regions regionNames) ([]applicationRow, [][]any) {
	rows, cells := make([]applicationRow, len(apps)), make([][]any, len(apps))
	for i, x := range apps {
		rows[i] = applicationRow{Application: x, StatusLabel: l.T("appstatus." + x.Status),
			City: regions.name(x.SchoolCityCode), Reviewable: x.Status == "submitted"}
		submitted := ""
		if x.SubmittedAt != nil {
			submitted = x.SubmittedAt.In(vocab.China).Format("2006-01-02 15:04")
		}
		cells[i] = []any{x.UnitName, rows[i].City, l.Edition(x.EditionID), rows[i].StatusLabel, submitted,
			deref(x.Head.Name), deref(x.Lead.Name), deref(x.ReviewComment)}
	}
	return rows, cells
}

func (a *app) showApplications(w http.ResponseWriter, r *http.Request, f *form) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	d := applicationsData{Form: f}
	filter, school, keep, err := a.applicationQuery(r, &d)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d.Decisions = enumChoice(l, "decision", vocab.ReviewDecisions, f.Val("decision", ""))
	filter.Limit = applicationPage + 1
	filter.AfterID, _ = strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	apps, err := a.doors.Cycle.ApplicationPage(ctx, c, filter, school)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rows := apps.Rows
	if len(rows) > applicationPage {
		rows = rows[:applicationPage]
		d.Next = cursorLink("/office/applications", keep, "after", rows[len(rows)-1].ID)
	}
	d.Rows, d.Table.Rows = applicationRows(l, rows, d.regions)
	d.Statuses = enumChoice(l, "appstatus", vocab.ApplicationStatuses, d.Status)
	d.Table.Headers, d.Table.Total = headers(l, applicationHeaders...), apps.Total
	d.Table.Export = exportURL("/office/applications/export", keep)
	a.render(w, r, formStatus(f), "applications", "office.applications_title", d)
}

// applicationsExport answers every application the list's filters match (up to
// applicationExportMax) as an Excel workbook with the page's words.
func (a *app) applicationsExport(w http.ResponseWriter, r *http.Request) {
	var d applicationsData
	filter, school, _, err := a.applicationQuery(r, &d)
	var apps cycle.Applications
	if err == nil {
		filter.Limit = applicationExportMax
		apps, err = a.doors.Cycle.ApplicationPage(r.Context(), caller(r), filter, school)
	}
	a.sendList(w, r, "applications", "office.applications", applicationHeaders, apps.Total, err, func(rg regionNames) [][]any {
		_, cells := applicationRows(langOf(r), apps.Rows, rg)
		return cells
	})
}

// again shows the page a form came from with the form's errors: the page's handler on a
// request for its address.
func again(r *http.Request, ret string, show showFunc, w http.ResponseWriter) func(*form) {
	return func(f *form) {
		u, _ := url.Parse(ret)
		r2 := r.Clone(r.Context())
		r2.URL.RawQuery = u.RawQuery
		show(w, r2, f)
	}
}

func (a *app) officeReview(w http.ResponseWriter, r *http.Request) {
	id, ret, f, ok := a.rowForm(w, r, "id", "rv-", "/office/applications", "decision", "comment")
	if !ok {
		return
	}
	decision := f.enum("decision", vocab.ReviewDecisions)
	comment := f.optional("comment", 2000)
	var err error
	if f.OK() {
		_, err = a.doors.Cycle.ReviewApplication(r.Context(), caller(r), id, formVersion(r), decision, comment)
	}
	a.answer(w, r, f, err, ret, "reviewed", again(r, ret, a.showApplications, w))
}

// --- selection

type selectionData struct {
	Editions    []option
	Edition     string
	EditionName string
	Schools     []schoolCount
	School      *organization.Organization
	SchoolCode  string
	NotFound    bool
	Notices     []noticeRow
	Publicized  []nomineeRow
	Recommended []nomineeRow
	Objections  []objectionRow
	Mentors     []option
	Outcomes    []option
	Today       string
	Return      string
	Form        *form
}

type schoolCount struct {
	Code, Name              string
	Publicized, Recommended int
}

type objectionRow struct {
	cycle.Objection
	Name         string
	OutcomeLabel string // a resolved one's outcome, in words
}

func (a *app) showSelection(w http.ResponseWriter, r *http.Request, f *form) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	q := r.URL.Query()
	d := selectionData{Form: f, Today: a.today().Format(time.DateOnly), SchoolCode: q.Get("school")}
	var err error
	if d.Editions, d.Edition, err = a.editionChoice(ctx, c, l, q.Get("edition")); err != nil {
		a.fail(w, r, err)
		return
	}
	status := formStatus(f)
	if d.Edition == "" {
		a.render(w, r, status, "selection", "office.selection_title", d)
		return
	}
	d.EditionName = l.Edition(d.Edition)
	d.Return = "/office/selection?" + url.Values{"edition": {d.Edition}, "school": {d.SchoolCode}}.Encode()
	kind := "school"
	orgs, err := a.doors.Organizations.List(ctx, c, organization.Filter{Kind: &kind, Limit: 5000})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	byID := map[int64]organization.Organization{}
	for _, o := range orgs {
		byID[o.ID] = o
		if o.Code == d.SchoolCode {
			d.School = &o
		}
	}
	if d.School == nil {
		d.NotFound = d.SchoolCode != ""
		if d.Schools, err = a.selectionSchools(ctx, c, d.Edition, byID); err != nil {
			a.fail(w, r, err)
			return
		}
		a.render(w, r, status, "selection", "office.selection_title", d)
		return
	}
	if err := a.selectionOfSchool(ctx, c, l, &d); err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, status, "selection", "office.selection_title", d)
}

// selectionSchools counts the publicized and recommended nominees of the edition by school.
func (a *app) selectionSchools(ctx context.Context, c access.Caller, ed string, byID map[int64]organization.Organization) ([]schoolCount, error) {
	counts := map[int64]*schoolCount{}
	for _, st := range []string{"publicized", "recommended"} {
		ps, err := a.doors.Participations.List(ctx, c, participation.Filter{Edition: &ed, Status: &st, Limit: 5000})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			sc := counts[p.SchoolID]
			if sc == nil {
				sc = &schoolCount{Code: p.SchoolCode, Name: byID[p.SchoolID].Name}
				counts[p.SchoolID] = sc
			}
			if st == "publicized" {
				sc.Publicized++
			} else {
				sc.Recommended++
			}
		}
	}
	out := make([]schoolCount, 0, len(counts))
	for _, sc := range counts {
		out = append(out, *sc)
	}
	slices.SortFunc(out, func(x, y schoolCount) int { return cmp.Compare(x.Code, y.Code) })
	return out, nil
}

// selectionOfSchool fills the school's notices, nominees, objections and the mentors to admit with.
func (a *app) selectionOfSchool(ctx context.Context, c access.Caller, l Lang, d *selectionData) error {
	ed, code := d.Edition, d.School.Code
	var err error
	if d.Notices, err = a.notices(ctx, c, l, ed, code); err != nil {
		return err
	}
	noms, err := a.doors.Cycle.SchoolNominees(ctx, c, d.School.ID, []string{ed}, 2000)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, n := range noms {
		names[n.ParticipationID] = n.Name
		row := nomineeRow{Nominee: n, StatusLabel: l.T("status." + n.Status), Category: l.T("category." + n.CategoryCode),
			GradeLabel: gradeLabel(l, n.Grade, n.TeacherRole)}
		switch n.Status {
		case "publicized":
			d.Publicized = append(d.Publicized, row)
		case "recommended":
			d.Recommended = append(d.Recommended, row)
		}
	}
	open := true
	obs, err := a.doors.Cycle.ListObjections(ctx, c, cycle.ObjectionFilter{Edition: &ed, Open: &open, Limit: 200}, &code)
	if err != nil {
		return err
	}
	for _, o := range obs {
		d.Objections = append(d.Objections, objectionRow{Objection: o, Name: names[o.ParticipationID]})
	}
	d.Outcomes = enumChoice(l, "objection", vocab.ObjectionOutcomes, "")
	// the mentors of the edition's admitted participants
	admitted := "admitted"
	ps, err := a.doors.Participations.List(ctx, c, participation.Filter{Edition: &ed, Status: &admitted, Limit: 5000})
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, p := range ps {
		if p.MentorID != nil && p.MentorName != nil && !seen[*p.MentorID] {
			seen[*p.MentorID] = true
			d.Mentors = append(d.Mentors, option{Value: strconv.FormatInt(*p.MentorID, 10), Label: *p.MentorName})
		}
	}
	slices.SortFunc(d.Mentors, func(x, y option) int { return cmp.Compare(x.Label, y.Label) })
	return nil
}

// showFunc shows a page, again with a form's errors when f is not nil.
type showFunc func(http.ResponseWriter, *http.Request, *form)

// postNotice posts a public notice of a school's nominees: the office's selection page
// for any school, the school's cycle page for its own (the door checks which). def is
// the page to go back to, show that page with the form's errors.
func (a *app) postNotice(def string, show showFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ret := backTo(r, def)
		f := newForm(r, "notice", "edition", "school_code", "starts_on", "ends_on")
		ed, code := f.required("edition"), f.required("school_code")
		from, to := f.date("starts_on"), f.date("ends_on")
		var err error
		if f.OK() {
			_, err = a.doors.Cycle.CreateNotice(r.Context(), caller(r), ed, code, from, to)
		}
		a.answer(w, r, f, err, ret+"#notices", "notice", again(r, ret, show, w))
	}
}

// lodgeObjection records an objection lodged against a publicized nominee (the office, or
// the nominating school).
func (a *app) lodgeObjection(def string, show showFunc) http.HandlerFunc {
	return a.rowWrite(def, "ob-", "#objections", "objection", show, []string{"lodged_on", "content"},
		func(r *http.Request, id int64, f *form) func() error {
			on, content := f.date("lodged_on"), f.text("content", 2000)
			return func() error {
				_, err := a.doors.Cycle.LodgeObjection(r.Context(), caller(r), id, on, content)
				return err
			}
		})
}

// resolveObjection resolves an objection (the office, or the nominating school).
func (a *app) resolveObjection(def string, show showFunc) http.HandlerFunc {
	return a.rowWrite(def, "rs-", "#objections", "resolved", show, []string{"outcome", "resolution"},
		func(r *http.Request, id int64, f *form) func() error {
			outcome, resolution := f.enum("outcome", vocab.ObjectionOutcomes), f.text("resolution", 2000)
			return func() error {
				_, err := a.doors.Cycle.ResolveObjection(r.Context(), caller(r), id, formVersion(r), outcome, resolution)
				return err
			}
		})
}

// rowWrite is the handler of a form posted for one record of a page (route parameter id,
// the form keyed prefix+id): read checks the form's fields and returns the door call,
// made when they are fine; the answer goes back to the page (def, or the form's return)
// at anchor with the confirmation done, or shows it again with the errors.
func (a *app) rowWrite(def, prefix, anchor, done string, show showFunc, fields []string,
	read func(r *http.Request, id int64, f *form) func() error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ret, f, ok := a.rowForm(w, r, "id", prefix, def, fields...)
		if !ok {
			return
		}
		call := read(r, id, f)
		var err error
		if f.OK() {
			err = call()
		}
		a.answer(w, r, f, err, ret+anchor, done, again(r, ret, show, w))
	}
}

// officeAdmit admits a recommended nominee with a mentor (录取).
func (a *app) officeAdmit(w http.ResponseWriter, r *http.Request) {
	id, ret, f, ok := a.rowForm(w, r, "id", "ad-", "/office/selection", "mentor_id")
	if !ok {
		return
	}
	var mentor *int64
	if v := f.required("mentor_id"); v != "" {
		if m, err := strconv.ParseInt(v, 10, 64); err == nil {
			mentor = &m
		} else {
			f.fail("mentor_id", "form.choice")
		}
	}
	var err error
	if f.OK() {
		_, err = a.doors.Cycle.Step(r.Context(), caller(r), id, formVersion(r), cycle.StepInput{To: "admitted", MentorID: mentor})
	}
	a.answer(w, r, f, err, ret+"#recommended", "admitted", again(r, ret, a.showSelection, w))
}

// --- the award-verification queue

type awardsData struct {
	Rows                     []queueRow
	Table                    listTable // the rows' cells, the total and the export
	Levels, States, Editions []option
	Cities                   []option
	Level, State, School     string
	Prev, Next, Return       string
	Reported                 bool // the queue proper: its rows can be verified
	Filtered                 bool
	Form                     *form
}

type queueRow struct {
	tracking.QueuedAward
	LevelLabel, Category, City, StateLabel string
}

const (
	awardPage      = 50
	awardExportMax = 20000
)

// awardHeaders are the columns of the queue's workbook, the words of each row on the page.
var awardHeaders = []string{"col.name", "col.school", "col.city", "field.competition", "field.level", "field.rank",
	"field.awarded_on", "field.organizer", "field.category", "fieldname.verification", "office.evidence", "office.note"}

// awardQuery reads the queue's filters: the door's filter and the query to repeat.
func awardQuery(q url.Values) (tracking.QueueFilter, url.Values) {
	f, keep := tracking.QueueFilter{Verification: "reported"}, url.Values{}
	set := func(param string, dst **string, valid func(string) bool) {
		if v := strings.TrimSpace(q.Get(param)); v != "" && valid(v) {
			*dst = &v
			keep.Set(param, v)
		}
	}
	if v := q.Get("state"); vocab.Verifications.Valid(v) {
		f.Verification = v
		keep.Set("state", v)
	}
	set("level", &f.Level, vocab.Levels.Valid)
	set("city", &f.CityCode, func(v string) bool { return len(v) == 6 })
	set("school", &f.SchoolCode, func(v string) bool { return len(v) <= 64 })
	set("edition", &f.Edition, func(v string) bool { _, err := edition.ParseID(v); return err == nil })
	return f, keep
}

// queueRows are the queue's awards in the page's words, and their cells.
func queueRows(l Lang, rs []tracking.QueuedAward, regions regionNames) ([]queueRow, [][]any) {
	rows, cells := make([]queueRow, len(rs)), make([][]any, len(rs))
	for i, x := range rs {
		row := queueRow{QueuedAward: x, LevelLabel: l.T("level." + x.Level), StateLabel: l.T("verification." + x.Verification)}
		if x.CategoryCode != nil {
			row.Category = l.T("category." + *x.CategoryCode)
		}
		if x.CityCode != nil {
			row.City = regions.name(*x.CityCode)
		}
		rows[i] = row
		cells[i] = []any{x.PersonName, deref(x.SchoolName), row.City, x.Competition, row.LevelLabel, deref(x.Rank),
			x.AwardedOn.Format(time.DateOnly), deref(x.Organizer), row.Category, row.StateLabel, deref(x.Evidence),
			deref(x.VerificationNote)}
	}
	return rows, cells
}

func (a *app) showAwards(w http.ResponseWriter, r *http.Request, f *form) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	q := r.URL.Query()
	qf, keep := awardQuery(q)
	d := awardsData{Form: f, Level: keep.Get("level"), State: qf.Verification, School: keep.Get("school"),
		Reported: qf.Verification == "reported", Filtered: len(keep) > 0}
	d.Levels = enumChoice(l, "level", vocab.Levels, d.Level)
	d.States = enumChoice(l, "verification", vocab.Verifications, d.State)
	editions, cities, regions, err := a.filterChoices(r, l, keep.Get("edition"), keep.Get("city"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d.Editions, d.Cities = editions, cities
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	qf.Offset, qf.Limit = (page-1)*awardPage, awardPage
	queue, err := a.doors.Tracking.AwardQueue(ctx, c, qf)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d.Rows, d.Table.Rows = queueRows(l, queue.Rows, regions)
	d.Table.Headers, d.Table.Total = headers(l, awardHeaders...), queue.Total
	d.Table.Export = exportURL("/office/awards/export", keep)
	link := func(p int) string { return pageLink("/office/awards", keep, p) }
	d.Return = link(page)
	if page > 1 {
		d.Prev = link(page - 1)
	}
	if qf.Offset+len(d.Rows) < queue.Total {
		d.Next = link(page + 1)
	}
	a.render(w, r, formStatus(f), "awards", "office.awards_title", d)
}

// awardsExport answers every award the queue's filters match (up to awardExportMax),
// oldest first as on the page, as an Excel workbook in the page's words; the door audits
// the read as it does the page's.
func (a *app) awardsExport(w http.ResponseWriter, r *http.Request) {
	qf, _ := awardQuery(r.URL.Query())
	qf.Limit = awardExportMax
	queue, err := a.doors.Tracking.AwardQueue(r.Context(), caller(r), qf)
	a.sendList(w, r, "awards", "office.awards_title", awardHeaders, queue.Total, err, func(rg regionNames) [][]any {
		_, cells := queueRows(langOf(r), queue.Rows, rg)
		return cells
	})
}

func (a *app) officeVerify(w http.ResponseWriter, r *http.Request) {
	id, ret, f, ok := a.rowForm(w, r, "id", "vf-", "/office/awards", "state", "note")
	if !ok {
		return
	}
	state := f.required("state")
	if state != "" && state != "verified" && state != "rejected" {
		f.fail("state", "form.choice")
	}
	note := f.optional("note", 2000)
	if state == "rejected" && note == nil {
		f.fail("note", "office.reject_needs_note")
	}
	var err error
	if f.OK() {
		_, err = a.doors.Tracking.VerifyAward(r.Context(), caller(r), id, formVersion(r), tracking.VerifyDraft{State: &state, Note: note})
	}
	a.answer(w, r, f, err, ret, "verified", again(r, ret, a.showAwards, w))
}

// --- password reset

type passwordData struct {
	Username  string
	Generated string
	Done      bool
	Form      *form
}

func (a *app) passwordPage(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "password", "office.password_title", passwordData{Username: chi.URLParam(r, "username")})
}

// passwordReset sets a new password (generated when left empty, shown once on this answer).
func (a *app) passwordReset(w http.ResponseWriter, r *http.Request) {
	d := passwordData{Username: chi.URLParam(r, "username")}
	f := newForm(r, "password", "password")
	gen, err := a.auth.ResetPassword(r.Context(), caller(r), d.Username, f.Values["password"])
	switch {
	case err == nil:
		d.Done, d.Generated = true, gen
		a.renderPage(w, r, http.StatusOK, "password", page{Title: langOf(r).T("office.password_title"), Data: d,
			Flash: langOf(r).T("flash.password")})
	case refused(f, err) || f.domain(err, nil):
		d.Form = f
		a.render(w, r, http.StatusUnprocessableEntity, "password", "office.password_title", d)
	default:
		a.fail(w, r, err)
	}
}
