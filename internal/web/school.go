package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/check"
	"talentdb/internal/cycle"
	"talentdb/internal/edition"
	"talentdb/internal/organization"
	"talentdb/internal/report"
	"talentdb/internal/tracking"
	"talentdb/internal/vocab"
)

// The school workspace: the school's nominees of the current editions and their status,
// and the alumni due or overdue for a follow-up contact (report.FollowUpsDue for the
// school), each with quick forms to record a contact, an award or a destination through
// the tracking service (its rules, the store's transaction and audit row).

type schoolData struct {
	School     *organization.Organization
	SchoolCode string // asked for, when not found
	CanWrite   bool
	Editions   []string
	Nominees   []nomineeRow
	StatusSum  []kv
	Due        report.DueReport
	Today      string
	Return     string
	Form       *form
	Enums      enums
	NotFound   bool
}

type nomineeRow struct {
	cycle.Nominee
	StatusLabel string
	GradeLabel  string
	Category    string
}

// enums are the choices of the quick forms, labelled in the page language.
type enums struct {
	Channels, Outcomes, Levels, DestTypes []option
}

func enumOptions(l Lang, e vocab.Enum) []option {
	out := make([]option, len(e.Terms))
	for i, t := range e.Terms {
		out[i] = option{Value: t.Key, Label: e.Label(t.Key, l.Code())}
	}
	return out
}

func pageEnums(l Lang) enums {
	return enums{Channels: enumOptions(l, vocab.Channels), Outcomes: enumOptions(l, vocab.Outcomes),
		Levels: enumOptions(l, vocab.Levels), DestTypes: enumOptions(l, vocab.DestinationTypes)}
}

// canWrite reports whether the user records tracking data: the office administrator and
// school operators (for their own school; row-level security enforces which).
func canWrite(p auth.Principal) bool {
	return p.Role == auth.RoleOfficeAdmin || p.Role == auth.RoleSchoolOperator
}

func (a *app) school(w http.ResponseWriter, r *http.Request) {
	a.showSchool(w, r, r.URL.Query().Get("school"), nil, http.StatusOK)
}

// showSchool renders the workspace of the operator's school, or for the office of the
// school whose code is asked for; f is a quick form to show again with its errors.
func (a *app) showSchool(w http.ResponseWriter, r *http.Request, code string, f *form, status int) {
	ctx, l, p := r.Context(), langOf(r), principal(r)
	today := a.today()
	d := schoolData{CanWrite: canWrite(p), Today: today.Format(time.DateOnly), Form: f, Enums: pageEnums(l),
		SchoolCode: strings.TrimSpace(code)}
	var err error
	if d.School, err = a.schoolOf(r, d.SchoolCode); err != nil {
		a.fail(w, r, err)
		return
	}
	if a.otherCity(w, r, d.School) {
		return
	}
	d.NotFound = d.School == nil && d.SchoolCode != ""
	if d.School == nil {
		a.render(w, r, status, "school", "school.title", d)
		return
	}
	d.Return = "/school"
	if p.Role != auth.RoleSchoolOperator {
		d.Return += "?school=" + url.QueryEscape(d.School.Code)
	}
	editions, err := a.doors.Editions.List(ctx, caller(r), edition.Filter{Limit: 500})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	latest, latestOpen := 0, 0 // the open editions' year, else the newest year
	for _, e := range editions {
		latest = max(latest, e.Year)
		if e.Status == "open" {
			latestOpen = max(latestOpen, e.Year)
		}
	}
	if latestOpen > 0 {
		latest = latestOpen
	}
	for _, e := range editions {
		if e.Year == latest {
			d.Editions = append(d.Editions, e.ID)
		}
	}
	noms, err := a.doors.Cycle.SchoolNominees(ctx, caller(r), d.School.ID, d.Editions, 1000)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	counts := map[string]report.Count{}
	for _, n := range noms {
		row := nomineeRow{Nominee: n, StatusLabel: l.T("status." + n.Status), Category: l.T("category." + n.CategoryCode)}
		if n.Grade != nil {
			row.GradeLabel = l.T("grade." + *n.Grade)
		} else if n.TeacherRole != nil {
			row.GradeLabel = l.T("teacher." + *n.TeacherRole)
		}
		d.Nominees = append(d.Nominees, row)
		counts[n.Status]++
	}
	for _, s := range vocab.Statuses.Keys() {
		if n := counts[s]; n > 0 {
			d.StatusSum = append(d.StatusSum, kv{Key: s, Label: l.T("status." + s), N: n})
		}
	}
	d.Due, err = a.doors.Reports.FollowUpsDue(ctx, caller(r), report.DueFilter{SchoolCode: d.School.Code, AsOf: today})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, status, "school", "school.title", d)
}

// schoolOf is the school a workspace is about: a school operator's own, else the school
// whose code is asked for (nil when none is, or no such school is visible).
func (a *app) schoolOf(r *http.Request, code string) (*organization.Organization, error) {
	if p := principal(r); p.Role == auth.RoleSchoolOperator {
		o, err := a.doors.Organizations.Get(r.Context(), caller(r), p.SchoolID)
		return &o, err
	}
	if code == "" {
		return nil, nil
	}
	kind := "school"
	os, err := a.doors.Organizations.List(r.Context(), caller(r), organization.Filter{Code: &code, Kind: &kind, Limit: 1})
	if err != nil || len(os) != 1 {
		return nil, err
	}
	return &os[0], nil
}

// otherCity answers 403 "no access" when a city coordinator asks for a school of another
// city (the organization is reference data everyone reads, its people are not), and reports
// whether it did.
func (a *app) otherCity(w http.ResponseWriter, r *http.Request, school *organization.Organization) bool {
	city := coordinatorCity(r)
	if school == nil || city == "" || school.CityCode == city {
		return false
	}
	a.errorPage(w, r, http.StatusForbidden, "school.other_city")
	return true
}

// dueExport answers the school's due list as an Excel workbook, with its totals.
func (a *app) dueExport(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	school, err := a.schoolOf(r, strings.TrimSpace(r.URL.Query().Get("school")))
	if err != nil || school == nil {
		if err == nil {
			err = access.ErrNotFound
		}
		a.fail(w, r, err)
		return
	}
	if a.otherCity(w, r, school) {
		return
	}
	today := a.today()
	due, err := a.doors.Reports.FollowUpsDue(r.Context(), caller(r), report.DueFilter{SchoolCode: school.Code, AsOf: today})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	sh := report.Sheet{Name: l.T("school.due"), Headers: []string{l.T("col.name"), l.T("col.id_number"),
		l.T("col.edition"), l.T("cohort.window"), l.T("school.window_from"), l.T("school.window_to"),
		l.T("col.status"), l.T("school.last_contact")}}
	for _, p := range due.Persons {
		state := l.T("school.due_now")
		if p.Overdue {
			state = l.T("school.overdue")
		}
		last := l.T("school.never")
		if p.LastContactedOn != nil {
			last = *p.LastContactedOn
		}
		sh.Rows = append(sh.Rows, []any{p.Name, p.IDNumberMasked, l.Edition(p.Edition), p.K, p.WindowFrom,
			p.WindowTo, state, last})
	}
	sh.Rows = append(sh.Rows, []any{l.T("col.total"), len(due.Persons)},
		[]any{l.T("school.overdue"), due.OverdueCount})
	a.sendWorkbook(w, r, "due-"+school.Code+"-"+today.Format("20060102"), sh)
}

// personPath reads the {id} of a person route.
func personPath(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	return id, err == nil && id > 0
}

// quick is a quick form's submission: the person, where to go back, and the form.
type quick struct {
	personID int64
	ret      string
	f        *form
}

// readQuick reads a quick form posted for a person.
func (a *app) readQuick(w http.ResponseWriter, r *http.Request, prefix string, fields ...string) (quick, bool) {
	id, ok := personPath(r)
	if !ok {
		a.notFound(w, r)
		return quick{}, false
	}
	ret := localPath(r.PostFormValue("return"), "/persons/"+strconv.FormatInt(id, 10))
	return quick{personID: id, ret: ret, f: newForm(r, prefix+strconv.FormatInt(id, 10), fields...)}, true
}

// quickFailed shows the page the quick form came from again, with its errors.
func (a *app) quickFailed(w http.ResponseWriter, r *http.Request, q quick) {
	u, _ := url.Parse(q.ret)
	if u.Path == "/school" {
		a.showSchool(w, r, u.Query().Get("school"), q.f, http.StatusUnprocessableEntity)
		return
	}
	a.showPerson(w, r, q.personID, q.f, nil, http.StatusUnprocessableEntity)
}

// quickWrite makes the quick form's write through the tracking door (create, with draft d)
// as the page's caller unless the page's own checks failed, and answers: back to the page with a confirmation, the page again with the door's
// errors next to the fields, or an error page.
func quickWrite[D, R any](a *app, w http.ResponseWriter, r *http.Request, q quick, done string, d D,
	create func(t *tracking.Service, ctx context.Context, c access.Caller, personID int64, d D) (R, error)) {
	if !q.f.OK() {
		a.quickFailed(w, r, q)
		return
	}
	_, err := create(a.doors.Tracking, r.Context(), caller(r), q.personID, d)
	switch {
	case err == nil:
	case a.refusedAccess(w, r, err):
		return
	case quickRefused(q.f, err):
		a.quickFailed(w, r, q)
		return
	default:
		a.serverError(w, r, fmt.Errorf("web: quick %s: %w", done, err))
		return
	}
	anchor := "record"
	if strings.HasPrefix(q.ret, "/school") {
		anchor = "due"
	}
	redirectDone(w, r, q.ret, done, anchor)
}

// quickRefused files a refusal of the tracking door on a quick form: every field error,
// rule and duplicate next to its field (org_code's next to org_name), the rest as the
// form's error. It returns false for errors that are not about the input.
func quickRefused(f *form, err error) bool {
	var (
		re  *access.RuleError
		dup *tracking.DuplicateError
		ke  *access.ConsentError
	)
	onField := func(field, msg string) bool {
		if field == "org_code" {
			field = "org_name"
		}
		if _, ok := f.Values[field]; !ok {
			return false
		}
		f.failText(field, msg)
		return true
	}
	switch fes := check.All(err); {
	case len(fes) > 0:
		var rest []string
		for _, fe := range fes {
			if !onField(fe.Field, fe.Message) {
				rest = append(rest, f.lang.Pick(fe.Message))
			}
		}
		if len(rest) == len(fes) {
			f.General = strings.Join(rest, " ")
		}
	case errors.As(err, &re):
		if !onField(re.Field, re.Message) {
			f.General = f.lang.Pick(re.Message)
		}
	case errors.As(err, &dup):
		if field, msg := tracking.Duplicate(dup); !onField(field, msg) {
			f.General = f.lang.T("form.duplicate")
		}
	case errors.As(err, &ke):
		f.General = f.lang.T("person.no_consent")
	case errors.Is(err, access.ErrConflict): // a merged person, a deleted record
		f.General = f.lang.T("form.conflict")
	default:
		return false
	}
	return true
}

// quickValue is a form value as a draft takes it (the door trims and checks it).
func quickValue(f *form, field string) *string {
	v := f.Values[field]
	return &v
}

// addFollowUp records a contact (跟踪联系) with a person.
func (a *app) addFollowUp(w http.ResponseWriter, r *http.Request) {
	q, ok := a.readQuick(w, r, "fu-", "contacted_on", "channel", "outcome", "notes")
	if !ok {
		return
	}
	f := q.f
	f.pastDate("contacted_on", a.today())
	f.enum("channel", vocab.Channels)
	f.enum("outcome", vocab.Outcomes)
	d := tracking.FollowUpDraft{ContactedOn: quickValue(f, "contacted_on"), Channel: quickValue(f, "channel"),
		Outcome: quickValue(f, "outcome"), Notes: f.optional("notes", 2000)}
	quickWrite(a, w, r, q, "follow_up", d, (*tracking.Service).CreateFollowUp)
}

// addAward records an award (获奖) of a person.
func (a *app) addAward(w http.ResponseWriter, r *http.Request) {
	q, ok := a.readQuick(w, r, "aw-", "competition", "level", "rank", "awarded_on", "organizer")
	if !ok {
		return
	}
	f := q.f
	if len([]rune(f.required("competition"))) > 200 {
		f.fail("competition", "form.too_long")
	}
	f.enum("level", vocab.Levels)
	f.pastDate("awarded_on", a.today())
	d := tracking.AwardDraft{Competition: quickValue(f, "competition"), Level: quickValue(f, "level"),
		Rank: f.optional("rank", 100), AwardedOn: quickValue(f, "awarded_on"), Organizer: f.optional("organizer", 200)}
	quickWrite(a, w, r, q, "award", d, (*tracking.Service).CreateAward)
}

// addDestination records a destination (毕业去向) of a person.
func (a *app) addDestination(w http.ResponseWriter, r *http.Request) {
	q, ok := a.readQuick(w, r, "de-", "type", "org_name", "major", "started_on")
	if !ok {
		return
	}
	f := q.f
	f.enum("type", vocab.DestinationTypes)
	f.pastDate("started_on", a.today())
	d := tracking.DestinationDraft{Type: quickValue(f, "type"), OrgName: f.optional("org_name", 200),
		Major: f.optional("major", 200), StartedOn: quickValue(f, "started_on")}
	quickWrite(a, w, r, q, "destination", d, (*tracking.Service).CreateDestination)
}
