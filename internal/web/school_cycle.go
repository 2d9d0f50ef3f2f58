package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/category"
	"talentdb/internal/cycle"
	"talentdb/internal/organization"
	"talentdb/internal/person"
	"talentdb/internal/vocab"
)

// The school's own steps of the programme cycle (/school/cycle): its application for an
// edition (fill in, save, submit; the office's decision), its nominations and their
// selection status, the training sessions with the attendance of its participants, its
// assessment of them and its year summary. Every read and write is the cycle door's as the
// signed-in school operator (or the office, for a school it names); the door's refusals are
// shown next to the fields, a stale version in words.

// cycleFlash are the confirmations of the school's cycle page (?done=).
var cycleFlash = []string{"app_saved", "app_submitted", "nominated", "training", "attendance", "school_assessed",
	"summary_saved", "summary_submitted", "step_reviewed", "step_publicized", "step_recommended", "step_rejected"}

func init() {
	for _, k := range cycleFlash {
		flashKeys[k] = true
	}
}

// contactFields are the fields of a contact of the form (单位负责人, 项目负责人), as the
// door names them after the contact's key.
var contactFields = []string{"name", "title", "office_phone", "mobile", "email"}

// conditionFields are the implementation conditions (组织实施条件), in the form's order.
var conditionFields = []string{"organization", "staff", "environment", "track_record", "rules", "funding"}

// applicationFields are the names of the application form's fields: the door's field keys
// (head.name, phases.selection.starts_on…), so that its refusals land next to them; the
// groups themselves (phases.selection, conditions) carry the errors about a whole group.
func applicationFields() []string {
	out := []string{"unit_name", "address", "postal_code", "conditions"}
	for _, who := range []string{"head", "lead"} {
		for _, k := range contactFields {
			out = append(out, who+"."+k)
		}
	}
	for _, k := range conditionFields {
		out = append(out, "conditions."+k)
	}
	for _, ph := range vocab.Phases.Keys() {
		out = append(out, "phases."+ph, "phases."+ph+".content", "phases."+ph+".starts_on", "phases."+ph+".ends_on")
	}
	return out
}

type schoolCycleData struct {
	School      *organization.Organization
	SchoolCode  string // asked for, when not found
	NotFound    bool
	Editions    []option
	Edition     string
	EditionName string
	Program     string
	Starts      string // the edition's first and last day
	Ends        string
	Return      string
	Today       string
	Form        *form

	App        *cycle.Application
	AppStatus  string
	AppValues  map[string]string // the form's values as the application stands
	AppEdit    bool              // draft or returned (or none yet): the form is editable
	Phases     []option          // the phases: key and label
	Conditions []option          // the conditions: key and label

	Nominees    []nomineeRow
	Candidates  []option // the school's persons not nominated in the edition
	Categories  []option
	Grades      []option
	Roles       []option
	Trainings   []trainingRow
	Kinds       []option
	Participant []nomineeRow // admitted and completed: attend training, are assessed
	Evaluations []option

	// the school's own steps of the selection: its notices, the nominees it moves on,
	// the objections against them
	Notices    []noticeRow
	NoticeOpen bool // a notice of the school is open today: a reviewed nominee can be publicized
	Steps      []stepRow
	Objections []objectionRow // open, to resolve
	Resolved   []objectionRow
	Outcomes   []option

	Summary       *cycle.YearSummary
	SummaryStatus string
	SummaryText   string
}

// noticeRow is a public notice with where it stands today, in words.
type noticeRow struct {
	cycle.Notice
	State   string // not started, running (until its last day), ended
	Running bool
}

// notices are the public notices of a school's edition, newest first, each with where it
// stands on the page's today.
func (a *app) notices(ctx context.Context, c access.Caller, l Lang, ed, code string) ([]noticeRow, error) {
	ns, err := a.doors.Cycle.ListNotices(ctx, c, cycle.NoticeFilter{Edition: &ed, Limit: 200}, &code)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(ns, func(x, y cycle.Notice) int { return y.StartsOn.Compare(x.StartsOn) })
	today := a.today()
	out := make([]noticeRow, len(ns))
	for i, n := range ns {
		row := noticeRow{Notice: n}
		switch {
		case today.Before(n.StartsOn):
			row.State = l.T("notice.pending")
		case today.After(n.EndsOn):
			row.State = l.T("notice.ended")
		default:
			row.Running = true
			row.State = fmt.Sprintf(l.T("notice.running"), n.EndsOn.Format(time.DateOnly), int(n.EndsOn.Sub(today).Hours()/24)+1)
		}
		out[i] = row
	}
	return out, nil
}

// stepRow is a nominee in the school's selection steps: the step it may take next, and
// for a publicized nominee the notice it is on and the objections against it.
type stepRow struct {
	nomineeRow
	Next       string // the next step (reviewed, publicized, recommended), "" when the office's
	NextLabel  string
	Rejectable bool // the school may still reject it (up to publicized)
	Notice     *noticeRow
	Open       int    // open objections
	Blocked    string // why the next step would be refused today, in words ("" when it would not)
}

// schoolSteps are the selection steps a school takes itself, by the status they follow.
var schoolSteps = map[string]string{"registered": "reviewed", "reviewed": "publicized", "publicized": "recommended"}

type trainingRow struct {
	cycle.Training
	KindLabel string
	Attended  map[int64]bool
}

func (a *app) showSchoolCycle(w http.ResponseWriter, r *http.Request, f *form) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	q := r.URL.Query()
	d := schoolCycleData{Form: f, Today: a.today().Format(time.DateOnly), SchoolCode: q.Get("school")}
	var err error
	if d.School, err = a.schoolOf(r, d.SchoolCode); err != nil {
		a.fail(w, r, err)
		return
	}
	d.NotFound = d.School == nil && d.SchoolCode != ""
	if d.Editions, d.Edition, err = a.editionChoice(ctx, c, l, q.Get("edition")); err != nil {
		a.fail(w, r, err)
		return
	}
	status := formStatus(f)
	if d.School == nil || d.Edition == "" {
		a.render(w, r, status, "school_cycle", "cycle.title", d)
		return
	}
	ret := url.Values{"edition": {d.Edition}}
	if principal(r).Role != auth.RoleSchoolOperator {
		ret.Set("school", d.School.Code)
	}
	d.Return = "/school/cycle?" + ret.Encode()
	d.EditionName = l.Edition(d.Edition)
	ed, err := a.doors.Editions.Get(ctx, c, d.Edition)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d.Program, d.Starts, d.Ends = ed.Program, ed.StartsOn.Format(time.DateOnly), ed.EndsOn.Format(time.DateOnly)
	if err := a.cycleApplication(r, &d); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.cycleNominees(r, &d); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.cycleSelection(r, &d); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.cycleTrainings(r, &d); err != nil {
		a.fail(w, r, err)
		return
	}
	sums, err := a.doors.Cycle.ListYearSummaries(ctx, c, cycle.YearSummaryFilter{Edition: &d.Edition, Limit: 1}, &d.School.Code)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if len(sums) > 0 {
		d.Summary, d.SummaryText = &sums[0], sums[0].Content
		d.SummaryStatus = l.T("cycle.summary_draft")
		if d.Summary.SubmittedAt != nil {
			d.SummaryStatus = l.T("cycle.summary_submitted")
		}
	}
	a.render(w, r, status, "school_cycle", "cycle.title", d)
}

// cycleApplication fills the school's application of the edition, its values and status.
func (a *app) cycleApplication(r *http.Request, d *schoolCycleData) error {
	l := langOf(r)
	apps, err := a.doors.Cycle.ListApplications(r.Context(), caller(r), cycle.ApplicationFilter{Edition: &d.Edition, Limit: 1}, &d.School.Code)
	if err != nil {
		return err
	}
	for _, k := range vocab.Phases.Keys() {
		d.Phases = append(d.Phases, option{Value: k, Label: l.T("phase." + k)})
	}
	for _, k := range conditionFields {
		d.Conditions = append(d.Conditions, option{Value: k, Label: l.T("cycle.cond_" + k)})
	}
	d.AppEdit, d.AppValues = true, map[string]string{"unit_name": d.School.Name}
	if len(apps) == 0 {
		return nil
	}
	x := apps[0]
	d.App, d.AppStatus = &x, l.T("appstatus."+x.Status)
	d.AppEdit = x.Status == "draft" || x.Status == "returned"
	v := map[string]string{"unit_name": x.UnitName, "address": deref(x.Address), "postal_code": deref(x.PostalCode)}
	for who, ct := range map[string]cycle.Contact{"head": x.Head, "lead": x.Lead} {
		for k, p := range map[string]*string{"name": ct.Name, "title": ct.Title, "office_phone": ct.OfficePhone,
			"mobile": ct.Mobile, "email": ct.Email} {
			v[who+"."+k] = deref(p)
		}
	}
	cd := x.Conditions
	for k, p := range map[string]*string{"organization": cd.Organization, "staff": cd.Staff, "environment": cd.Environment,
		"track_record": cd.TrackRecord, "rules": cd.Rules, "funding": cd.Funding} {
		v["conditions."+k] = deref(p)
	}
	for _, ph := range x.Phases {
		v["phases."+ph.Phase+".content"] = ph.Content
		v["phases."+ph.Phase+".starts_on"] = ph.StartsOn.Format(time.DateOnly)
		v["phases."+ph.Phase+".ends_on"] = ph.EndsOn.Format(time.DateOnly)
	}
	d.AppValues = v
	return nil
}

// cycleNominees fills the school's nominees of the edition, the persons it may still
// nominate and the choices of the nomination form.
func (a *app) cycleNominees(r *http.Request, d *schoolCycleData) error {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	noms, err := a.doors.Cycle.SchoolNominees(ctx, c, d.School.ID, []string{d.Edition}, 2000)
	if err != nil {
		return err
	}
	taken := map[int64]bool{}
	for _, n := range noms {
		row := nomineeRowOf(l, n)
		d.Nominees = append(d.Nominees, row)
		if _, ok := schoolSteps[n.Status]; ok || n.Status == "recommended" {
			d.Steps = append(d.Steps, stepRow{nomineeRow: row})
		}
		taken[n.PersonID] = true
		if n.Status == "admitted" || n.Status == "completed" {
			d.Participant = append(d.Participant, row)
		}
	}
	code := d.School.Code
	ps, err := a.doors.Persons.List(ctx, c, person.Filter{SchoolCode: &code, Limit: 1000})
	if err != nil {
		return err
	}
	sel := d.Form.Val("person_id", "")
	for _, p := range ps {
		if !taken[p.ID] && p.MergedInto == nil {
			id := strconv.FormatInt(p.ID, 10)
			d.Candidates = append(d.Candidates, option{Value: id, Label: p.Name + "（" + p.IDNumberMasked + "）", Selected: id == sel})
		}
	}
	slices.SortStableFunc(d.Candidates, func(x, y option) int { return cmp.Compare(x.Label, y.Label) })
	prog := d.Program
	cats, err := a.doors.Categories.List(ctx, c, category.Filter{Program: &prog, Limit: 200})
	if err != nil {
		return err
	}
	sel = d.Form.Val("category", "")
	for _, k := range cats {
		d.Categories = append(d.Categories, option{Value: k.Code, Label: l.T("category." + k.Code), Selected: k.Code == sel})
	}
	d.Grades = enumChoice(l, "grade", vocab.Grades, d.Form.Val("grade", ""))
	d.Roles = enumChoice(l, "teacher", vocab.TeacherRoles, d.Form.Val("teacher_role", ""))
	d.Evaluations = enumChoice(l, "evaluation", vocab.Evaluations, "")
	return nil
}

// nomineeRowOf is a nominee as a list shows them: status, grade or role and category named.
func nomineeRowOf(l Lang, n cycle.Nominee) nomineeRow {
	return nomineeRow{Nominee: n, StatusLabel: l.T("status." + n.Status), Category: l.T("category." + n.CategoryCode),
		GradeLabel: gradeLabel(l, n.Grade, n.TeacherRole)}
}

// cycleSelection fills the school's own selection steps: its public notices, the next
// step of each nominee in selection (with its notice and objections, and why that step
// would be refused today) and the objections against its nominees.
func (a *app) cycleSelection(r *http.Request, d *schoolCycleData) error {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	var err error
	if d.Notices, err = a.notices(ctx, c, l, d.Edition, d.School.Code); err != nil {
		return err
	}
	byID := map[int64]*noticeRow{}
	for i := range d.Notices {
		byID[d.Notices[i].ID] = &d.Notices[i]
		d.NoticeOpen = d.NoticeOpen || d.Notices[i].Running
	}
	code := d.School.Code
	obs, err := a.doors.Cycle.ListObjections(ctx, c, cycle.ObjectionFilter{Edition: &d.Edition, Limit: 500}, &code)
	if err != nil {
		return err
	}
	names, open := map[int64]string{}, map[int64]int{}
	for _, n := range d.Nominees {
		names[n.ParticipationID] = n.Name
	}
	for _, o := range obs {
		row := objectionRow{Objection: o, Name: names[o.ParticipationID]}
		if o.ResolvedAt == nil {
			d.Objections = append(d.Objections, row)
			open[o.ParticipationID]++
		} else {
			row.OutcomeLabel = l.T("objection." + deref(o.Outcome))
			d.Resolved = append(d.Resolved, row)
		}
	}
	for i := range d.Steps {
		st := &d.Steps[i]
		st.Next, st.Rejectable = schoolSteps[st.Status], st.Status != "recommended"
		if st.Next != "" {
			st.NextLabel = l.T("sel." + st.Next)
		}
		if st.NoticeID != nil {
			st.Notice = byID[*st.NoticeID]
		}
		st.Open = open[st.ParticipationID]
		switch {
		case st.Next == "publicized" && !d.NoticeOpen:
			st.Blocked = l.T("sel.no_notice")
		case st.Next == "recommended" && st.Notice != nil && !a.today().After(st.Notice.EndsOn):
			st.Blocked = fmt.Sprintf(l.T("sel.notice_running"), st.Notice.EndsOn.Format(time.DateOnly))
		case st.Next == "recommended" && st.Open > 0:
			st.Blocked = fmt.Sprintf(l.T("sel.objections_open"), st.Open)
		}
	}
	d.Outcomes = enumChoice(l, "objection", vocab.ObjectionOutcomes, "")
	return nil
}

// cycleStep takes a selection step of one of the school's nominees at the version read:
// review, publicize, recommend, or reject with a note. The door's refusals (a step out of
// order, the notice still running, an open objection) come back above the row's form.
func (a *app) cycleStep(w http.ResponseWriter, r *http.Request) {
	to := r.PostFormValue("to")
	prefix := "st-"
	if to == "rejected" {
		prefix = "rj-"
	}
	id, _, f, ok := a.rowForm(w, r, "id", prefix, "/school/cycle", "to", "note")
	if !ok {
		return
	}
	ret, show := a.cycleReturn(w, r)
	if !slices.Contains([]string{"reviewed", "publicized", "recommended", "rejected"}, to) {
		f.fail("to", "form.choice")
	}
	var note *string
	if to == "rejected" {
		n := f.text("note", 2000)
		note = &n
	}
	var err error
	if f.OK() {
		_, err = a.doors.Cycle.Step(r.Context(), caller(r), id, formVersion(r), cycle.StepInput{To: to, Note: note})
	}
	a.answer(w, r, f, err, ret+"#step-"+strconv.FormatInt(id, 10), "step_"+to, show)
}

// cycleTrainings fills the school's training sessions of the edition with who attended.
func (a *app) cycleTrainings(r *http.Request, d *schoolCycleData) error {
	l := langOf(r)
	ts, err := a.doors.Cycle.ListTrainings(r.Context(), caller(r), cycle.TrainingFilter{Edition: &d.Edition, Limit: 500}, &d.School.Code)
	if err != nil {
		return err
	}
	slices.SortStableFunc(ts, func(x, y cycle.Training) int { return y.HeldOn.Compare(x.HeldOn) })
	for _, t := range ts {
		row := trainingRow{Training: t, KindLabel: l.T("training." + t.Kind), Attended: map[int64]bool{}}
		for _, id := range t.Attendees {
			row.Attended[id] = true
		}
		d.Trainings = append(d.Trainings, row)
	}
	d.Kinds = enumChoice(l, "training", vocab.TrainingKinds, d.Form.Val("kind", ""))
	return nil
}

// cycleReturn is the page a cycle form came from, and how to show it again with errors.
func (a *app) cycleReturn(w http.ResponseWriter, r *http.Request) (string, func(*form)) {
	ret := backTo(r, "/school/cycle")
	return ret, again(r, ret, a.showSchoolCycle, w)
}

// cycleSaveApplication saves the application form (creating the application on the first
// save) and, when asked, submits it.
func (a *app) cycleSaveApplication(w http.ResponseWriter, r *http.Request) {
	ctx, c := r.Context(), caller(r)
	f := newForm(r, "app", applicationFields()...)
	form := applicationForm(f)
	saveThenSubmit(a, w, r, f, "application", "app",
		func(id int64, version int) (cycle.Application, error) {
			return a.doors.Cycle.UpdateApplication(ctx, c, id, version, func(cur cycle.Application) (cycle.ApplicationForm, error) {
				form.UnitType, form.AppliedOn = cur.UnitType, cur.AppliedOn
				return form, nil
			})
		},
		func() (cycle.Application, error) {
			return a.doors.Cycle.CreateApplication(ctx, c, cycle.ApplicationInput{EditionID: r.PostFormValue("edition"),
				SchoolCode: r.PostFormValue("school"), Form: form})
		},
		func(x cycle.Application) error {
			_, err := a.doors.Cycle.SubmitApplication(ctx, c, x.ID, &x.Version)
			return err
		})
}

// saveThenSubmit ends a form that saves a record of the school (update at the version
// read when the form carries its id, else create) and submits it when its submit button
// was pressed; the confirmation is flash_saved or flash_submitted, at anchor.
func saveThenSubmit[T any](a *app, w http.ResponseWriter, r *http.Request, f *form, anchor, flash string,
	update func(id int64, version int) (T, error), create func() (T, error), submit func(T) error) {
	ret, show := a.cycleReturn(w, r)
	asked := r.PostFormValue("intent") == "submit"
	var err error
	if f.OK() {
		var x T
		if id, perr := strconv.ParseInt(r.PostFormValue("id"), 10, 64); perr == nil && id > 0 {
			v := formVersion(r)
			if v == nil {
				v = new(int)
			}
			x, err = update(id, *v)
		} else {
			x, err = create()
		}
		if err == nil && asked {
			err = submit(x)
		}
	}
	done := flash + "_saved"
	if asked {
		done = flash + "_submitted"
	}
	a.answer(w, r, f, err, ret+"#"+anchor, done, show)
}

// applicationForm reads the application form's values; a phase is in the schedule once any
// of its fields is filled, and then needs both dates.
func applicationForm(f *form) cycle.ApplicationForm {
	out := cycle.ApplicationForm{UnitName: f.text("unit_name", 200), Address: f.optional("address", 500),
		PostalCode: f.optional("postal_code", 20)}
	for _, ct := range []struct {
		who string
		dst *cycle.Contact
	}{{"head", &out.Head}, {"lead", &out.Lead}} {
		for _, p := range []struct {
			k   string
			dst **string
		}{{"name", &ct.dst.Name}, {"title", &ct.dst.Title}, {"office_phone", &ct.dst.OfficePhone},
			{"mobile", &ct.dst.Mobile}, {"email", &ct.dst.Email}} {
			*p.dst = f.optional(ct.who+"."+p.k, 100)
		}
	}
	cd := &out.Conditions
	for _, p := range []struct {
		k   string
		dst **string
	}{{"organization", &cd.Organization}, {"staff", &cd.Staff}, {"environment", &cd.Environment},
		{"track_record", &cd.TrackRecord}, {"rules", &cd.Rules}, {"funding", &cd.Funding}} {
		*p.dst = f.optional("conditions."+p.k, 4000)
	}
	out.Phases = []cycle.ApplicationPhase{}
	for _, ph := range vocab.Phases.Keys() {
		k := "phases." + ph
		if f.Values[k+".content"] == "" && f.Values[k+".starts_on"] == "" && f.Values[k+".ends_on"] == "" {
			continue
		}
		p := cycle.ApplicationPhase{Phase: ph, Content: deref(f.optional(k+".content", 2000)),
			StartsOn: f.date(k + ".starts_on"), EndsOn: f.date(k + ".ends_on")}
		out.Phases = append(out.Phases, p)
	}
	return out
}

// cycleNominate registers a nominee of the school for the edition.
func (a *app) cycleNominate(w http.ResponseWriter, r *http.Request) {
	ret, show := a.cycleReturn(w, r)
	f := newForm(r, "nominate", "person_id", "category", "grade", "teacher_role")
	pid, perr := strconv.ParseInt(f.required("person_id"), 10, 64)
	if perr != nil && f.Values["person_id"] != "" {
		f.fail("person_id", "form.choice")
	}
	in := cycle.NominationInput{PersonID: pid, EditionID: r.PostFormValue("edition"), SchoolCode: r.PostFormValue("school"),
		Category: f.required("category"), Grade: f.optional("grade", 20), TeacherRole: f.optional("teacher_role", 20)}
	var err error
	if f.OK() {
		_, err = a.doors.Cycle.Nominate(r.Context(), caller(r), in)
	}
	a.answer(w, r, f, err, ret+"#nominees", "nominated", show)
}

// cycleAddTraining records a training session of the school.
func (a *app) cycleAddTraining(w http.ResponseWriter, r *http.Request) {
	ret, show := a.cycleReturn(w, r)
	f := newForm(r, "training", "kind", "held_on", "topic")
	kind, held, topic := f.enum("kind", vocab.TrainingKinds), f.date("held_on"), f.text("topic", 200)
	var err error
	if f.OK() {
		_, err = a.doors.Cycle.AddTraining(r.Context(), caller(r), r.PostFormValue("edition"), r.PostFormValue("school"),
			kind, held, topic)
	}
	a.answer(w, r, f, err, ret+"#training", "training", show)
}

// cycleAttendance replaces who attended a training session with the boxes ticked.
func (a *app) cycleAttendance(w http.ResponseWriter, r *http.Request) {
	id, _, f, ok := a.rowForm(w, r, "id", "att-", "/school/cycle", "attendee")
	if !ok {
		return
	}
	ret, show := a.cycleReturn(w, r)
	ids := []int64{}
	for _, v := range r.PostForm["attendee"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f.fail("attendee", "form.choice")
			continue
		}
		ids = append(ids, n)
	}
	var err error
	if f.OK() {
		_, err = a.doors.Cycle.SetAttendance(r.Context(), caller(r), id, ids)
	}
	a.answer(w, r, f, err, ret+"#training-"+strconv.FormatInt(id, 10), "attendance", show)
}

// cycleAssess records the school's (final) assessment of a participant.
func (a *app) cycleAssess(w http.ResponseWriter, r *http.Request) {
	id, _, f, ok := a.rowForm(w, r, "id", "as-", "/school/cycle", "evaluation", "comment")
	if !ok {
		return
	}
	ret, show := a.cycleReturn(w, r)
	ev, comment := f.enum("evaluation", vocab.Evaluations), f.optional("comment", 2000)
	var err error
	if f.OK() {
		_, _, err = a.doors.Cycle.Assess(r.Context(), caller(r), id,
			cycle.AssessmentInput{ByRole: "school", Evaluation: ev, Comment: comment})
	}
	a.answer(w, r, f, err, ret+"#assess-"+strconv.FormatInt(id, 10), "school_assessed", show)
}

// cycleSummary saves the school's year summary (creating it on the first save) and, when
// asked, submits it.
func (a *app) cycleSummary(w http.ResponseWriter, r *http.Request) {
	ctx, c := r.Context(), caller(r)
	f := newForm(r, "summary", "content")
	content := f.text("content", 20000)
	saveThenSubmit(a, w, r, f, "summary", "summary",
		func(id int64, version int) (cycle.YearSummary, error) {
			return a.doors.Cycle.EditYearSummary(ctx, c, id, version, func(cycle.YearSummary) (string, error) { return content, nil })
		},
		func() (cycle.YearSummary, error) {
			return a.doors.Cycle.CreateYearSummary(ctx, c, r.PostFormValue("edition"), r.PostFormValue("school"), content)
		},
		func(y cycle.YearSummary) error {
			_, err := a.doors.Cycle.SubmitYearSummary(ctx, c, y.ID, &y.Version)
			return err
		})
}
