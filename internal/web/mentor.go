package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/cycle"
	"talentdb/internal/participation"
	"talentdb/internal/person"
	"talentdb/internal/vocab"
)

// The mentor's workspace: their participants of an edition (the newest by default), who
// is behind with the growth log or tasks, and each participant's page — the growth log
// with a feedback box per entry, the tasks (set, mark done or open again) and the mentor's
// assessment. Every read and write is the cycle door's, in the mentor's scope; the office
// may open the same pages.

type mentorData struct {
	Editions    []option
	Edition     string
	EditionName string
	Rows        []mentorRow
	Total       int
	More        bool
}

type mentorRow struct {
	participation.Participation
	Name, Category, Grade, StatusLabel string
	LogBehind                          bool
	Overdue                            int
}

// mentorLimit is how many participants the workspace lists.
const mentorLimit = 300

func (a *app) mentorHome(w http.ResponseWriter, r *http.Request) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	all, err := a.doors.Participations.List(ctx, c, participation.Filter{Limit: 2000})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	seen := map[string]bool{}
	var eds []string
	for _, p := range all {
		if !seen[p.EditionID] {
			seen[p.EditionID] = true
			eds = append(eds, p.EditionID)
		}
	}
	// newest year first, then the programme
	slices.SortFunc(eds, func(x, y string) int { return cmp.Compare(y[len(y)-4:]+y, x[len(x)-4:]+x) })
	d := mentorData{Edition: r.URL.Query().Get("edition")}
	if !seen[d.Edition] && len(eds) > 0 {
		d.Edition = eds[0]
	}
	for _, e := range eds {
		d.Editions = append(d.Editions, option{Value: e, Label: l.Edition(e), Selected: e == d.Edition})
	}
	if d.Edition == "" {
		a.render(w, r, http.StatusOK, "mentor", "mentor.title", d)
		return
	}
	d.EditionName = l.Edition(d.Edition)
	ed := d.Edition
	ps, err := a.doors.Participations.List(ctx, c, participation.Filter{Edition: &ed, Limit: mentorLimit + 1})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if len(ps) > mentorLimit {
		ps, d.More = ps[:mentorLimit], true
	}
	names, err := a.personNames(ctx, c, ed, len(ps))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	behind, _, err := a.doors.Cycle.Behind(ctx, c, cycle.BehindFilter{Edition: ed}, nil, nil)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	late := map[int64]cycle.BehindRow{}
	for _, b := range behind {
		late[b.ParticipationID] = b
	}
	for _, p := range ps {
		row := mentorRow{Participation: p, Name: names[p.PersonID], Category: l.T("category." + p.CategoryCode),
			Grade: gradeLabel(l, p.Grade, p.TeacherRole), StatusLabel: l.T("status." + p.Status)}
		if b, ok := late[p.ID]; ok {
			row.LogBehind, row.Overdue = b.LogBehind, b.OverdueTasks
		}
		d.Rows = append(d.Rows, row)
	}
	slices.SortStableFunc(d.Rows, func(x, y mentorRow) int { return cmp.Compare(x.Name, y.Name) })
	d.Total = len(d.Rows)
	a.render(w, r, http.StatusOK, "mentor", "mentor.title", d)
}

// personNames are the names of the persons of an edition the caller sees (one audited list).
func (a *app) personNames(ctx context.Context, c access.Caller, edition string, n int) (map[int64]string, error) {
	ps, err := a.doors.Persons.List(ctx, c, person.Filter{Edition: &edition, Limit: max(n, 1) + 1})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(ps))
	for _, p := range ps {
		out[p.ID] = p.Name
	}
	return out, nil
}

// gradeLabel names a participation's grade, or a teacher's role.
func gradeLabel(l Lang, grade, role *string) string {
	switch {
	case grade != nil:
		return l.T("grade." + *grade)
	case role != nil:
		return l.T("teacher." + *role)
	}
	return ""
}

type participantData struct {
	P           participation.Participation
	Name        string
	School      string
	EditionName string
	Category    string
	Grade       string
	Status      string
	Evaluation  string
	KeepsLog    bool
	Logs        []cycle.GrowthLog
	Tasks       []taskRow
	Assessments []assessmentRow
	CanAssess   bool
	Evaluations []option
	Today       string
	Self        string
	Form        *form
}

type taskRow struct {
	cycle.Task
	Overdue bool
}

type assessmentRow struct {
	cycle.Assessment
	By, Evaluation string
}

// showParticipant renders a participant's page; f is a form to show again with its errors.
func (a *app) showParticipant(w http.ResponseWriter, r *http.Request, f *form) {
	ctx, l, c := r.Context(), langOf(r), caller(r)
	id, ok := idParam(r, "id")
	if !ok {
		a.notFound(w, r)
		return
	}
	p, as, err := a.doors.Cycle.Evaluation(ctx, c, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	per, err := a.doors.Persons.Get(ctx, c, p.PersonID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	today := a.today()
	d := participantData{P: p, Name: per.Name, EditionName: l.Edition(p.EditionID),
		Category: l.T("category." + p.CategoryCode), Grade: gradeLabel(l, p.Grade, p.TeacherRole),
		Status: l.T("status." + p.Status), KeepsLog: cycle.KeepsGrowthLog(p.Program, p.Grade),
		CanAssess: p.Status == "admitted" || p.Status == "completed", Today: today.Format(time.DateOnly),
		Self: "/mentor/participants/" + strconv.FormatInt(p.ID, 10), Form: f}
	if p.Evaluation != nil {
		d.Evaluation = l.T("evaluation." + *p.Evaluation)
	}
	if o, err := a.doors.Organizations.Get(ctx, c, p.SchoolID); err == nil {
		d.School = o.Name
	}
	if d.Logs, err = a.doors.Cycle.GrowthLogs(ctx, c, p.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	slices.SortStableFunc(d.Logs, func(x, y cycle.GrowthLog) int { return y.EntryOn.Compare(x.EntryOn) })
	tasks, err := a.doors.Cycle.Tasks(ctx, c, p.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, t := range tasks {
		d.Tasks = append(d.Tasks, taskRow{Task: t, Overdue: t.CompletedOn == nil && t.DueOn.Before(today)})
	}
	for _, x := range as {
		d.Assessments = append(d.Assessments, assessmentRow{Assessment: x, By: l.T("assessor." + x.ByRole),
			Evaluation: l.T("evaluation." + x.Evaluation)})
	}
	sel := f.Val("evaluation", "")
	for _, k := range vocab.Evaluations.Keys() {
		d.Evaluations = append(d.Evaluations, option{Value: k, Label: l.T("evaluation." + k), Selected: k == sel})
	}
	a.render(w, r, formStatus(f), "participant", "mentor.participant_title", d)
}

// participantPage is the page of the participant a route names.
func participantPage(r *http.Request) string { return "/mentor/participants/" + chi.URLParam(r, "id") }

// participantDone ends a write of a participant's page: back to it at anchor with the
// confirmation done, or the page again with the form's errors.
func (a *app) participantDone(w http.ResponseWriter, r *http.Request, f *form, err error, done, anchor string) {
	a.answer(w, r, f, err, participantPage(r)+"#"+anchor, done, func(f *form) { a.showParticipant(w, r, f) })
}

// mentorFeedback records the mentor's feedback on a growth-log entry.
func (a *app) mentorFeedback(w http.ResponseWriter, r *http.Request) {
	logID, _, f, ok := a.rowForm(w, r, "log", "fb-", "", "feedback")
	if !ok {
		return
	}
	feedback := f.text("feedback", 2000)
	var err error
	if f.OK() {
		_, err = a.doors.Cycle.FeedbackGrowthLog(r.Context(), caller(r), logID, formVersion(r), feedback)
	}
	a.participantDone(w, r, f, err, "feedback", "log-"+strconv.FormatInt(logID, 10))
}

// mentorAddTask sets the participant a task.
func (a *app) mentorAddTask(w http.ResponseWriter, r *http.Request) {
	id, _, f, ok := a.rowForm(w, r, "id", "task-", "", "title", "due_on")
	if !ok {
		return
	}
	title, due := f.text("title", 200), f.date("due_on")
	var err error
	if f.OK() {
		_, err = a.doors.Cycle.AddTask(r.Context(), caller(r), id, title, due)
	}
	a.participantDone(w, r, f, err, "task", "tasks")
}

// mentorTaskDone marks a task done today, or open again.
func (a *app) mentorTaskDone(w http.ResponseWriter, r *http.Request) {
	taskID, _, f, ok := a.rowForm(w, r, "task", "td-", "", "done")
	if !ok {
		return
	}
	done := f.Values["done"] != "0"
	_, err := a.doors.Cycle.CompleteTask(r.Context(), caller(r), taskID, formVersion(r), done, nil)
	flash := "task_done"
	if !done {
		flash = "task_open"
	}
	a.participantDone(w, r, f, err, flash, "tasks")
}

// mentorAssess records the mentor's assessment of the participant.
func (a *app) mentorAssess(w http.ResponseWriter, r *http.Request) {
	id, _, f, ok := a.rowForm(w, r, "id", "eval-", "", "evaluation", "comment")
	if !ok {
		return
	}
	ev, comment := f.enum("evaluation", vocab.Evaluations), f.optional("comment", 2000)
	var err error
	if f.OK() {
		_, _, err = a.doors.Cycle.Assess(r.Context(), caller(r), id,
			cycle.AssessmentInput{ByRole: "mentor", Evaluation: ev, Comment: comment})
	}
	a.participantDone(w, r, f, err, "assessed", "evaluation")
}
