package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"talentdb/internal/cycle"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Daily management (日常管理): growth logs with mentor feedback, mentor tasks, training
// sessions with attendance, and who is behind.

type growthLogView struct {
	ID              int64      `json:"id"`
	ParticipationID int64      `json:"participation_id"`
	PersonID        int64      `json:"person_id"`
	EntryOn         string     `json:"entry_on"`
	Content         string     `json:"content"`
	MentorFeedback  *string    `json:"mentor_feedback"`
	FeedbackAt      *time.Time `json:"feedback_at"`
	FeedbackBy      *string    `json:"feedback_by"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	Version         int        `json:"version"`
}

func viewGrowthLog(g store.GrowthLog) growthLogView {
	return growthLogView{ID: g.ID, ParticipationID: g.ParticipationID, PersonID: g.PersonID,
		EntryOn: dateString(g.EntryOn), Content: g.Content, MentorFeedback: g.MentorFeedback, FeedbackAt: g.FeedbackAt,
		FeedbackBy: g.FeedbackBy, CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt, Version: g.Version}
}

type growthLogBody struct {
	EntryOn *string `json:"entry_on"`
	Content *string `json:"content"`
}

func (b growthLogBody) validate() (time.Time, string, error) {
	var ck checker
	content := ck.required("content", b.Content)
	ck.maxLen("content", &content, 4000)
	ck.required("entry_on", b.EntryOn)
	on := ck.date("entry_on", b.EntryOn)
	if err := ck.err(); err != nil {
		return time.Time{}, "", err
	}
	return *on, content, nil
}

func (s *server) listGrowthLogs(w http.ResponseWriter, r *http.Request) {
	if err := newQuery(r).err(); err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.participationFor(r, callerOf(r))
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	rows, err := s.store.GrowthLogList(r.Context(), p.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	list(w, rows, viewGrowthLog)
}

// createGrowthLog adds an entry: by the student's school (or the office).
func (s *server) createGrowthLog(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	p, err := s.participationFor(r, c)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	if !c.office && !c.school(p.SchoolID) {
		fail(w, r, cycleForbidden("成长日志由学生所在学校填写 / the student's school writes the growth log"))
		return
	}
	var b growthLogBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	on, content, err := b.validate()
	if err != nil {
		fail(w, r, err)
		return
	}
	g, err := s.cycleService().AddGrowthLog(r.Context(), actorFrom(r), p.ID, on, content)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/growth-logs/%d", g.ID), g.Version, viewGrowthLog(g))
}

// growthLogFor resolves {id} to an entry the caller may see.
func (s *server) growthLogFor(r *http.Request, c caller) (store.GrowthLog, error) {
	return visibleRecord(s, r, c, "growth log", s.store.GrowthLogGet,
		func(g store.GrowthLog) int64 { return g.SchoolID }, func(g store.GrowthLog) *int64 { return g.MentorID })
}

func (s *server) updateGrowthLog(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	version, err := requireIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	g, err := s.growthLogFor(r, c)
	if err != nil {
		failCycle(w, r, err, "growth log")
		return
	}
	if !c.office && !c.school(g.SchoolID) {
		fail(w, r, cycleForbidden("成长日志由学生所在学校修改 / the student's school edits the growth log"))
		return
	}
	on, content := dateString(g.EntryOn), g.Content
	b := growthLogBody{EntryOn: &on, Content: &content}
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	d, text, err := b.validate()
	if err != nil {
		fail(w, r, err)
		return
	}
	out, err := s.cycleService().EditGrowthLog(r.Context(), actorFrom(r), g.ID, version, d, text)
	if err != nil {
		failCycle(w, r, err, "growth log")
		return
	}
	respondVersioned(w, http.StatusOK, out.Version, viewGrowthLog(out))
}

type feedbackBody struct {
	Feedback *string `json:"feedback"`
}

// feedbackGrowthLog records the mentor's feedback: the participant's mentor (or the office).
func (s *server) feedbackGrowthLog(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	g, err := s.growthLogFor(r, c)
	if err != nil {
		failCycle(w, r, err, "growth log")
		return
	}
	if !c.office && !c.mentor(g.MentorID) {
		fail(w, r, cycleForbidden("只有该学员的导师可以反馈 / only the participant's mentor gives feedback"))
		return
	}
	var b feedbackBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var ck checker
	fb := ck.required("feedback", b.Feedback)
	ck.maxLen("feedback", &fb, 4000)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	out, err := s.cycleService().FeedbackGrowthLog(r.Context(), actorFrom(r), g.ID, version, fb)
	if err != nil {
		failCycle(w, r, err, "growth log")
		return
	}
	respondVersioned(w, http.StatusOK, out.Version, viewGrowthLog(out))
}

type taskView struct {
	ID              int64     `json:"id"`
	ParticipationID int64     `json:"participation_id"`
	PersonID        int64     `json:"person_id"`
	MentorID        *int64    `json:"mentor_id"`
	Title           string    `json:"title"`
	DueOn           string    `json:"due_on"`
	CompletedOn     *string   `json:"completed_on"`
	CreatedBy       *string   `json:"created_by"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	Version         int       `json:"version"`
}

func viewTask(t store.Task) taskView {
	return taskView{ID: t.ID, ParticipationID: t.ParticipationID, PersonID: t.PersonID, MentorID: t.MentorID,
		Title: t.Title, DueOn: dateString(t.DueOn), CompletedOn: optDate(t.CompletedOn), CreatedBy: t.CreatedBy,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, Version: t.Version}
}

type taskBody struct {
	Title *string `json:"title"`
	DueOn *string `json:"due_on"`
}

func (b taskBody) validate() (string, time.Time, error) {
	var ck checker
	title := ck.required("title", b.Title)
	ck.maxLen("title", &title, 200)
	ck.required("due_on", b.DueOn)
	due := ck.date("due_on", b.DueOn)
	if err := ck.err(); err != nil {
		return "", time.Time{}, err
	}
	return title, *due, nil
}

func (s *server) listTasks(w http.ResponseWriter, r *http.Request) {
	if err := newQuery(r).err(); err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.participationFor(r, callerOf(r))
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	rows, err := s.store.TaskList(r.Context(), p.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	list(w, rows, viewTask)
}

// createTask sets a task: the participant's mentor (or the office).
func (s *server) createTask(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	p, err := s.participationFor(r, c)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	if !c.office && !c.mentor(p.MentorID) {
		fail(w, r, cycleForbidden("只有该学员的导师可以布置任务 / only the participant's mentor sets tasks"))
		return
	}
	var b taskBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	title, due, err := b.validate()
	if err != nil {
		fail(w, r, err)
		return
	}
	t, err := s.cycleService().AddTask(r.Context(), actorFrom(r), p.ID, title, due)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/tasks/%d", t.ID), t.Version, viewTask(t))
}

// taskFor resolves {id} to a task the caller may see.
func (s *server) taskFor(r *http.Request, c caller) (store.Task, error) {
	return visibleRecord(s, r, c, "task", s.store.TaskGet,
		func(t store.Task) int64 { return t.SchoolID }, func(t store.Task) *int64 { return t.ParticipationMentorID })
}

func (s *server) updateTask(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	version, err := requireIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	t, err := s.taskFor(r, c)
	if err != nil {
		failCycle(w, r, err, "task")
		return
	}
	if !c.office && !c.mentor(t.ParticipationMentorID) {
		fail(w, r, cycleForbidden("只有该学员的导师可以修改任务 / only the participant's mentor edits tasks"))
		return
	}
	due := dateString(t.DueOn)
	b := taskBody{Title: &t.Title, DueOn: &due}
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	title, d, err := b.validate()
	if err != nil {
		fail(w, r, err)
		return
	}
	out, err := s.cycleService().EditTask(r.Context(), actorFrom(r), t.ID, version, title, d)
	if err != nil {
		failCycle(w, r, err, "task")
		return
	}
	respondVersioned(w, http.StatusOK, out.Version, viewTask(out))
}

// completeBody is the body of POST /tasks/{id}/complete: completed_on (default today;
// null reopens the task).
type completeBody struct {
	CompletedOn optional[string] `json:"completed_on"`
}

// completeTask marks a task done: the mentor, the school or the office.
func (s *server) completeTask(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	t, err := s.taskFor(r, c)
	if err != nil {
		failCycle(w, r, err, "task")
		return
	}
	if !c.office && !c.mentor(t.ParticipationMentorID) && !c.school(t.SchoolID) {
		fail(w, r, cycleForbidden("只有导师、学校或管理办公室可以登记完成 / only the mentor, the school or the office records completion"))
		return
	}
	var b completeBody
	if r.ContentLength != 0 {
		if err := s.decode(w, r, &b); err != nil {
			fail(w, r, err)
			return
		}
	}
	var on *time.Time
	switch {
	case !b.CompletedOn.Set:
		today := cycle.Today(r.Context())
		on = &today
	case !b.CompletedOn.Null:
		var ck checker
		ck.required("completed_on", &b.CompletedOn.Value)
		on = ck.date("completed_on", &b.CompletedOn.Value)
		if err := ck.err(); err != nil {
			fail(w, r, err)
			return
		}
	}
	out, err := s.cycleService().CompleteTask(r.Context(), actorFrom(r), t.ID, version, on)
	if err != nil {
		failCycle(w, r, err, "task")
		return
	}
	respondVersioned(w, http.StatusOK, out.Version, viewTask(out))
}

type trainingView struct {
	ID         int64     `json:"id"`
	Edition    string    `json:"edition"`
	SchoolID   int64     `json:"school_id"`
	SchoolCode string    `json:"school_code"`
	Kind       string    `json:"kind"`
	HeldOn     string    `json:"held_on"`
	Topic      string    `json:"topic"`
	Attendees  []int64   `json:"participation_ids"`
	CreatedAt  time.Time `json:"created_at"`
}

func viewTraining(t store.Training) trainingView {
	return trainingView{ID: t.ID, Edition: t.EditionID, SchoolID: t.SchoolID, SchoolCode: t.SchoolCode, Kind: t.Kind,
		HeldOn: dateString(t.HeldOn), Topic: t.Topic, Attendees: t.Attendees, CreatedAt: t.CreatedAt}
}

type trainingBody struct {
	Edition    *string `json:"edition"`
	SchoolCode *string `json:"school_code"`
	Kind       *string `json:"kind"`
	HeldOn     *string `json:"held_on"`
	Topic      *string `json:"topic"`
}

func (s *server) listTrainings(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	q := newQuery(r, "edition", "school")
	f := store.TrainingFilter{Edition: q.str("edition"), Limit: q.limit() + 1}
	school := q.str("school")
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	if !c.schoolWide() {
		fail(w, r, errForbiddenRead)
		return
	}
	var empty bool
	var err error
	if f.SchoolID, f.CityCode, empty, err = s.schoolScope(r.Context(), c, school); err != nil || empty {
		respondEmptyOr(w, r, err)
		return
	}
	rows, err := s.store.TrainingList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(t store.Training) any { return t.ID }, viewTraining)
}

// trainingFor resolves {id} to a session the caller may see.
func (s *server) trainingFor(r *http.Request, c caller) (store.Training, error) {
	return visibleRecord(s, r, c, "training session", s.store.TrainingGet,
		func(t store.Training) int64 { return t.SchoolID }, nil)
}

func (s *server) getTraining(w http.ResponseWriter, r *http.Request) {
	t, err := s.trainingFor(r, callerOf(r))
	if err != nil {
		failCycle(w, r, err, "training session")
		return
	}
	respondJSON(w, http.StatusOK, viewTraining(t))
}

func (s *server) createTraining(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !c.mayWriteSchool() {
		fail(w, r, cycleForbidden("只有学校或管理办公室可以登记培训 / only a school or the office records training"))
		return
	}
	var b trainingBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var ck checker
	ed, school := ck.required("edition", b.Edition), s.schoolCodeFor(r, c, b.SchoolCode, &ck)
	kind, topic := ck.required("kind", b.Kind), ck.required("topic", b.Topic)
	ck.enum("kind", &kind, vocab.TrainingKinds.Keys()...)
	ck.maxLen("topic", &topic, 200)
	ck.required("held_on", b.HeldOn)
	held := ck.date("held_on", b.HeldOn)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	t, err := s.cycleService().AddTraining(r.Context(), actorFrom(r), ed, school, kind, *held, topic)
	if err != nil {
		failCycle(w, r, err, "training session")
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/training-sessions/%d", t.ID))
	respondJSON(w, http.StatusCreated, viewTraining(t))
}

type attendanceBody struct {
	ParticipationIDs []int64 `json:"participation_ids"`
}

// setAttendance replaces who attended a session (the school or the office).
func (s *server) setAttendance(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	t, err := s.trainingFor(r, c)
	if err != nil {
		failCycle(w, r, err, "training session")
		return
	}
	if !c.office && !c.school(t.SchoolID) {
		fail(w, r, cycleForbidden("只有本校或管理办公室可以登记出勤 / only the school or the office records attendance"))
		return
	}
	var b attendanceBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	if b.ParticipationIDs == nil {
		fail(w, r, fieldProblem("participation_ids", "required", "participation_ids 必填（可为空数组） / participation_ids is required (may be empty)"))
		return
	}
	out, err := s.cycleService().SetAttendance(r.Context(), actorFrom(r), t, b.ParticipationIDs)
	if err != nil {
		failCycle(w, r, err, "training session")
		return
	}
	respondJSON(w, http.StatusOK, viewTraining(out))
}

type behindLine struct {
	ParticipationID int64   `json:"participation_id"`
	PersonID        int64   `json:"person_id"`
	Name            string  `json:"name"`
	Grade           *string `json:"grade"`
	SchoolCode      string  `json:"school_code"`
	SchoolName      string  `json:"school_name"`
	MentorID        *int64  `json:"mentor_id"`
	MentorName      *string `json:"mentor_name"`
	LastLogOn       *string `json:"last_growth_log_on"`
	GrowthLogBehind bool    `json:"growth_log_behind"`
	OverdueTasks    int     `json:"overdue_tasks"`
	OldestDueOn     *string `json:"oldest_overdue_on"`
}

type behindView struct {
	Edition string       `json:"edition"`
	AsOf    string       `json:"as_of"`
	Count   int          `json:"count"`
	Items   []behindLine `json:"items"`
}

// behind answers who is behind (no growth log in 30 days, tasks overdue), per school or
// per mentor: a school operator sees their school, a mentor their participants.
func (s *server) behind(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	q := newQuery(r, "edition", "school", "mentor", "as_of")
	ed, mentor, asOf := q.str("edition"), q.int("mentor"), q.date("as_of")
	school := q.str("school")
	if ed == nil {
		q.add("edition", "required", "edition 必填 / edition is required")
	}
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	if !c.schoolWide() && c.mentorID == nil {
		fail(w, r, errForbiddenRead)
		return
	}
	f := store.BehindFilter{Edition: *ed, MentorID: mentor}
	empty := false
	if c.mentorID != nil {
		if school != nil || (mentor != nil && *mentor != *c.mentorID) {
			empty = true
		}
		f.MentorID = c.mentorID
	} else {
		var err error
		if f.SchoolID, f.CityCode, empty, err = s.schoolScope(r.Context(), c, school); err != nil {
			fail(w, r, err)
			return
		}
	}
	var rows []store.BehindRow
	day := cycle.Today(r.Context())
	if asOf != nil {
		day = *asOf
	}
	if !empty {
		var err error
		if rows, day, err = s.cycleService().Behind(r.Context(), f, asOf); err != nil {
			fail(w, r, err)
			return
		}
	}
	v := behindView{Edition: *ed, AsOf: dateString(day), Count: len(rows), Items: make([]behindLine, len(rows))}
	for i, b := range rows {
		v.Items[i] = behindLine{ParticipationID: b.ParticipationID, PersonID: b.PersonID, Name: b.PersonName,
			Grade: b.Grade, SchoolCode: b.SchoolCode, SchoolName: b.SchoolName, MentorID: b.MentorID,
			MentorName: b.MentorName, LastLogOn: optDate(b.LastLogOn), GrowthLogBehind: b.LogBehind,
			OverdueTasks: b.OverdueTasks, OldestDueOn: optDate(b.OldestDueOn)}
	}
	respondJSON(w, http.StatusOK, v)
}
