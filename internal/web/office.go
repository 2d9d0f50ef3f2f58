package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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
	Edition, Status               string
	Rows                          []applicationRow
	Form                          *form
}

type applicationRow struct {
	cycle.Application
	StatusLabel string
	Reviewable  bool
}

func (a *app) showApplications(w http.ResponseWriter, r *http.Request, f *form) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	q := r.URL.Query()
	d := applicationsData{Form: f, Status: q.Get("status")}
	if !q.Has("status") {
		d.Status = "submitted"
	}
	var err error
	if d.Editions, d.Edition, err = a.editionChoice(ctx, c, l, q.Get("edition")); err != nil {
		a.fail(w, r, err)
		return
	}
	d.Statuses = enumChoice(l, "appstatus", vocab.ApplicationStatuses, d.Status)
	d.Decisions = enumChoice(l, "decision", vocab.ReviewDecisions, f.Val("decision", ""))
	filter := cycle.ApplicationFilter{Edition: &d.Edition, Limit: 500}
	if vocab.ApplicationStatuses.Valid(d.Status) {
		filter.Status = &d.Status
	}
	apps, err := a.doors.Cycle.ListApplications(ctx, c, filter, nil)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, x := range apps {
		d.Rows = append(d.Rows, applicationRow{Application: x, StatusLabel: l.T("appstatus." + x.Status),
			Reviewable: x.Status == "submitted"})
	}
	a.render(w, r, formStatus(f), "applications", "office.applications_title", d)
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
	Rows   []queueRow
	Levels []option
	Level  string
	More   bool
	Next   int64
	Form   *form
}

type queueRow struct {
	tracking.QueuedAward
	LevelLabel, Category string
}

const awardPage = 50

func (a *app) showAwards(w http.ResponseWriter, r *http.Request, f *form) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	q := r.URL.Query()
	d := awardsData{Form: f, Level: q.Get("level")}
	d.Levels = enumChoice(l, "level", vocab.Levels, d.Level)
	var level *string
	if vocab.Levels.Valid(d.Level) {
		level = &d.Level
	}
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	rows, err := a.doors.Tracking.AwardQueue(ctx, c, level, after, awardPage+1)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if len(rows) > awardPage {
		rows, d.More = rows[:awardPage], true
	}
	for _, x := range rows {
		row := queueRow{QueuedAward: x, LevelLabel: l.T("level." + x.Level)}
		if x.CategoryCode != nil {
			row.Category = l.T("category." + *x.CategoryCode)
		}
		d.Rows = append(d.Rows, row)
		d.Next = x.ID
	}
	a.render(w, r, formStatus(f), "awards", "office.awards_title", d)
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
