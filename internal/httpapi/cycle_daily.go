package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"talentdb/internal/cycle"
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

func viewGrowthLog(g cycle.GrowthLog) growthLogView {
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

func growthLogVersion(g cycle.GrowthLog) int { return g.Version }

func (s *server) listGrowthLogs(w http.ResponseWriter, r *http.Request) {
	cycleList(w, r, s.doors.Cycle.GrowthLogs, viewGrowthLog)
}

// createGrowthLog adds an entry: by the student's school (or the office).
func (s *server) createGrowthLog(w http.ResponseWriter, r *http.Request) {
	pid, err := pathID(r, "participation")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b growthLogBody
	if !s.decoded(w, r, &b) {
		return
	}
	on, content, err := b.validate()
	if err != nil {
		fail(w, r, err)
		return
	}
	g, err := s.doors.Cycle.AddGrowthLog(r.Context(), callerFrom(r), pid, on, content)
	respondCycleCreated(w, r, "participation", g, err, func(g cycle.GrowthLog) string {
		return fmt.Sprintf("/api/v1/growth-logs/%d", g.ID)
	}, growthLogVersion, viewGrowthLog)
}

func (s *server) updateGrowthLog(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "growth log", true)
	if !ok {
		return
	}
	out, err := s.doors.Cycle.EditGrowthLog(r.Context(), callerFrom(r), id, *version,
		func(g cycle.GrowthLog) (time.Time, string, error) {
			on, content := dateString(g.EntryOn), g.Content
			b := growthLogBody{EntryOn: &on, Content: &content}
			if err := s.decode(w, r, &b); err != nil {
				return time.Time{}, "", err
			}
			return b.validate()
		})
	respondCycle(w, r, "growth log", http.StatusOK, out, err, growthLogVersion, viewGrowthLog)
}

type feedbackBody struct {
	Feedback *string `json:"feedback"`
}

// feedbackGrowthLog records the mentor's feedback: the participant's mentor (or the office).
func (s *server) feedbackGrowthLog(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "growth log", false)
	if !ok {
		return
	}
	var b feedbackBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	fb := ck.required("feedback", b.Feedback)
	ck.maxLen("feedback", &fb, 4000)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	out, err := s.doors.Cycle.FeedbackGrowthLog(r.Context(), callerFrom(r), id, version, fb)
	respondCycle(w, r, "growth log", http.StatusOK, out, err, growthLogVersion, viewGrowthLog)
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

func viewTask(t cycle.Task) taskView {
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

func taskVersion(t cycle.Task) int { return t.Version }

func (s *server) listTasks(w http.ResponseWriter, r *http.Request) {
	cycleList(w, r, s.doors.Cycle.Tasks, viewTask)
}

// createTask sets a task: the participant's mentor (or the office).
func (s *server) createTask(w http.ResponseWriter, r *http.Request) {
	pid, err := pathID(r, "participation")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b taskBody
	if !s.decoded(w, r, &b) {
		return
	}
	title, due, err := b.validate()
	if err != nil {
		fail(w, r, err)
		return
	}
	t, err := s.doors.Cycle.AddTask(r.Context(), callerFrom(r), pid, title, due)
	respondCycleCreated(w, r, "participation", t, err, func(t cycle.Task) string {
		return fmt.Sprintf("/api/v1/tasks/%d", t.ID)
	}, taskVersion, viewTask)
}

func (s *server) updateTask(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "task", true)
	if !ok {
		return
	}
	out, err := s.doors.Cycle.EditTask(r.Context(), callerFrom(r), id, *version,
		func(t cycle.Task) (string, time.Time, error) {
			due := dateString(t.DueOn)
			b := taskBody{Title: &t.Title, DueOn: &due}
			if err := s.decode(w, r, &b); err != nil {
				return "", time.Time{}, err
			}
			return b.validate()
		})
	respondCycle(w, r, "task", http.StatusOK, out, err, taskVersion, viewTask)
}

// completeBody is the body of POST /tasks/{id}/complete: completed_on (default today;
// null reopens the task).
type completeBody struct {
	CompletedOn optional[string] `json:"completed_on"`
}

// completeTask marks a task done: the mentor, the school or the office.
func (s *server) completeTask(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "task", false)
	if !ok {
		return
	}
	var b completeBody
	if r.ContentLength != 0 {
		if !s.decoded(w, r, &b) {
			return
		}
	}
	var on *time.Time
	if b.CompletedOn.Set && !b.CompletedOn.Null {
		var ck checker
		ck.required("completed_on", &b.CompletedOn.Value)
		on = ck.date("completed_on", &b.CompletedOn.Value)
		if err := ck.err(); err != nil {
			fail(w, r, err)
			return
		}
	}
	done := !b.CompletedOn.Set || !b.CompletedOn.Null // unset: today; null: open again
	out, err := s.doors.Cycle.CompleteTask(r.Context(), callerFrom(r), id, version, done, on)
	respondCycle(w, r, "task", http.StatusOK, out, err, taskVersion, viewTask)
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

func viewTraining(t cycle.Training) trainingView {
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

func trainingID(t cycle.Training) int64 { return t.ID }

func (s *server) listTrainings(w http.ResponseWriter, r *http.Request) {
	schoolPage(w, r, nil, func(_ *query, p pageQuery) cycle.TrainingFilter {
		return cycle.TrainingFilter{Edition: p.Edition, AfterID: p.AfterID, Limit: p.Limit}
	}, s.doors.Cycle.ListTrainings, trainingID, viewTraining)
}

func (s *server) getTraining(w http.ResponseWriter, r *http.Request) {
	cycleGet(w, r, "training session", s.doors.Cycle.GetTraining, nil, viewTraining)
}

func (s *server) createTraining(w http.ResponseWriter, r *http.Request) {
	var b trainingBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	ed, school := ck.required("edition", b.Edition), s.schoolCodeFor(r, b.SchoolCode, &ck)
	kind, topic := ck.required("kind", b.Kind), ck.required("topic", b.Topic)
	ck.enum("kind", &kind, vocab.TrainingKinds.Keys()...)
	ck.maxLen("topic", &topic, 200)
	ck.required("held_on", b.HeldOn)
	held := ck.date("held_on", b.HeldOn)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	t, err := s.doors.Cycle.AddTraining(r.Context(), callerFrom(r), ed, school, kind, *held, topic)
	respondCycleCreated(w, r, "training session", t, err, func(t cycle.Training) string {
		return fmt.Sprintf("/api/v1/training-sessions/%d", t.ID)
	}, nil, viewTraining)
}

type attendanceBody struct {
	ParticipationIDs []int64 `json:"participation_ids"`
}

// setAttendance replaces who attended a session (the school or the office).
func (s *server) setAttendance(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "training session")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b attendanceBody
	if !s.decoded(w, r, &b) {
		return
	}
	if b.ParticipationIDs == nil {
		fail(w, r, fieldProblem("participation_ids", "required", "participation_ids 必填（可为空数组） / participation_ids is required (may be empty)"))
		return
	}
	out, err := s.doors.Cycle.SetAttendance(r.Context(), callerFrom(r), id, b.ParticipationIDs)
	respondCycle(w, r, "training session", http.StatusOK, out, err, nil, viewTraining)
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
	rows, day, err := s.doors.Cycle.Behind(r.Context(), callerFrom(r), cycle.BehindFilter{Edition: *ed, MentorID: mentor}, school, asOf)
	if err != nil {
		fail(w, r, err)
		return
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
