package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// Daily management (日常管理): growth logs, mentor tasks, training sessions, who is behind.

// ParticipationFacts is what the rules of a record attached to a participation need: the
// participation, its edition and its school's application.
type ParticipationFacts struct {
	Participation Participation
	Edition       Edition
	Application   *ApplicationStatus
}

// participationFacts reads the facts of participation id; with lock it holds the row
// (FOR UPDATE) until the transaction ends.
func (s *Store) participationFacts(ctx context.Context, tx pgx.Tx, id int64, lock bool) (ParticipationFacts, error) {
	var f ParticipationFacts
	if lock {
		if _, err := s.q.ParticipationLock(ctx, tx, id); err != nil {
			return f, err
		}
	}
	r, err := s.q.ParticipationGet(ctx, tx, id)
	if err != nil {
		return f, err
	}
	f.Participation = participationFrom(r)
	ed, err := s.q.EditionGet(ctx, tx, r.EditionID)
	if err != nil {
		return f, err
	}
	f.Edition = editionFrom(ed)
	f.Application, err = s.applicationOf(ctx, tx, r.EditionID, r.SchoolID)
	return f, err
}

// Participant is whose a record of the cycle is (a growth-log entry, a task, an
// objection, an exchange recommendation): the participation, its person and edition,
// the nominating school and the mentor.
type Participant struct {
	ParticipationID int64
	PersonID        int64
	EditionID       string
	SchoolID        int64
	MentorID        *int64
}

// participantOf is the Participant of a row's columns.
func participantOf(participation, person int64, edition string, school int64, mentor *int64) Participant {
	return Participant{ParticipationID: participation, PersonID: person, EditionID: edition, SchoolID: school, MentorID: mentor}
}

// GrowthLog is one dated entry of a student's growth log (成长日志), with mentor feedback.
type GrowthLog struct {
	ID int64
	Participant
	EntryOn        time.Time
	Content        string
	MentorFeedback *string
	FeedbackAt     *time.Time
	FeedbackBy     *string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int
}

func growthLogFrom(r db.CycleGrowthLogGetRow) GrowthLog {
	return GrowthLog{ID: r.ID, Participant: participantOf(r.ParticipationID, r.PersonID, r.EditionID, r.SchoolID, r.MentorID),
		EntryOn: r.EntryOn, Content: r.Content,
		MentorFeedback: r.MentorFeedback, FeedbackAt: r.FeedbackAt, FeedbackBy: r.FeedbackBy,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

func growthLogAudit(g GrowthLog) map[string]any {
	return map[string]any{"participation_id": g.ParticipationID, "entry_on": g.EntryOn.Format(time.DateOnly),
		"content": g.Content, "mentor_feedback": g.MentorFeedback, "feedback_by": g.FeedbackBy}
}

// GrowthLogGet returns one growth-log entry or ErrNotFound.
func (s *Store) GrowthLogGet(ctx context.Context, id int64) (GrowthLog, error) {
	return rowOf(ctx, s, "get growth log", id, getter(s.q.CycleGrowthLogGet, growthLogFrom))
}

// GrowthLogList returns the entries of a participation by date.
func (s *Store) GrowthLogList(ctx context.Context, pid int64) ([]GrowthLog, error) {
	rows, err := s.q.CycleGrowthLogList(ctx, s.scoped(), pid)
	return rowsOf("list growth logs", rows, err, func(r db.CycleGrowthLogListRow) GrowthLog {
		return growthLogFrom(db.CycleGrowthLogGetRow(r))
	})
}

// GrowthLogCreate adds an entry to participation pid's growth log after check accepted
// the participation's facts, and audits it.
func (s *Store) GrowthLogCreate(ctx context.Context, a Actor, pid int64, entryOn time.Time, content string,
	check func(ParticipationFacts) error) (GrowthLog, error) {
	return insertRow(ctx, s, a, newRow[ParticipationFacts, GrowthLog]{op: "create growth log", entity: "growth_log",
		facts: s.factsOf(pid), check: check, get: getter(s.q.CycleGrowthLogGet, growthLogFrom),
		insert: func(ctx context.Context, tx pgx.Tx, f ParticipationFacts) (int64, error) {
			return s.q.CycleGrowthLogInsert(ctx, tx, db.CycleGrowthLogInsertParams{ParticipationID: pid,
				SchoolID: f.Participation.SchoolID, EntryOn: entryOn, Content: content})
		},
		audit: func(_ ParticipationFacts, g GrowthLog) AuditEntry {
			return AuditEntry{PersonID: &g.PersonID, SchoolID: &g.SchoolID, After: growthLogAudit(g)}
		}})
}

// factsOf reads the facts of participation pid, for a new row's check.
func (s *Store) factsOf(pid int64) func(context.Context, pgx.Tx) (ParticipationFacts, error) {
	return func(ctx context.Context, tx pgx.Tx) (ParticipationFacts, error) {
		return s.participationFacts(ctx, tx, pid, false)
	}
}

// GrowthLogUpdate locks an entry, checks the version when given, lets apply change it
// (content by the school, feedback by the mentor) and audits before and after.
func (s *Store) GrowthLogUpdate(ctx context.Context, a Actor, id int64, version *int,
	apply func(cur *GrowthLog, f ParticipationFacts) error) (GrowthLog, error) {
	return updateLocked(ctx, s, a, id, version, participantUpdate(s, "update growth log", "growth_log",
		s.q.CycleGrowthLogLock, getter(s.q.CycleGrowthLogGet, growthLogFrom), apply,
		func(ctx context.Context, tx pgx.Tx, next GrowthLog) error {
			return s.q.CycleGrowthLogUpdate(ctx, tx, db.CycleGrowthLogUpdateParams{ID: id, EntryOn: next.EntryOn,
				Content: next.Content, MentorFeedback: next.MentorFeedback, FeedbackAt: next.FeedbackAt,
				FeedbackBy: next.FeedbackBy})
		}, growthLogAudit))
}

// Task is a task a mentor set a participant, with its due date and completion.
type Task struct {
	ID int64
	Participant
	ParticipationMentorID *int64
	Title                 string
	DueOn                 time.Time
	CompletedOn           *time.Time
	CreatedBy             *string
	CreatedAt             time.Time
	UpdatedAt             time.Time
	Version               int
}

func taskFrom(r db.CycleTaskGetRow) Task {
	return Task{ID: r.ID, Participant: participantOf(r.ParticipationID, r.PersonID, r.EditionID, r.SchoolID, r.MentorID),
		ParticipationMentorID: r.ParticipationMentorID, Title: r.Title,
		DueOn: r.DueOn, CompletedOn: r.CompletedOn, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

func taskAudit(t Task) map[string]any {
	return map[string]any{"participation_id": t.ParticipationID, "title": t.Title,
		"due_on": t.DueOn.Format(time.DateOnly), "completed_on": dateOnly(t.CompletedOn)}
}

// TaskGet returns one task or ErrNotFound.
func (s *Store) TaskGet(ctx context.Context, id int64) (Task, error) {
	return rowOf(ctx, s, "get task", id, getter(s.q.CycleTaskGet, taskFrom))
}

// TaskList returns the tasks of a participation by due date.
func (s *Store) TaskList(ctx context.Context, pid int64) ([]Task, error) {
	rows, err := s.q.CycleTaskList(ctx, s.scoped(), pid)
	return rowsOf("list tasks", rows, err, func(r db.CycleTaskListRow) Task { return taskFrom(db.CycleTaskGetRow(r)) })
}

// TaskCreate sets participation pid a task (assigned to the participation's mentor) after
// check accepted the facts, and audits it.
func (s *Store) TaskCreate(ctx context.Context, a Actor, pid int64, title string, dueOn time.Time,
	check func(ParticipationFacts) error) (Task, error) {
	return insertRow(ctx, s, a, newRow[ParticipationFacts, Task]{op: "create task", entity: "task",
		facts: s.factsOf(pid), check: check, get: getter(s.q.CycleTaskGet, taskFrom),
		insert: func(ctx context.Context, tx pgx.Tx, f ParticipationFacts) (int64, error) {
			return s.q.CycleTaskInsert(ctx, tx, db.CycleTaskInsertParams{ParticipationID: pid,
				SchoolID: f.Participation.SchoolID, MentorID: f.Participation.MentorID, Title: title, DueOn: dueOn,
				CreatedBy: actorName(a)})
		},
		audit: func(_ ParticipationFacts, t Task) AuditEntry {
			return AuditEntry{PersonID: &t.PersonID, SchoolID: &t.SchoolID, After: taskAudit(t)}
		}})
}

// TaskUpdate locks a task, checks the version when given, lets apply change it (title and
// due date, completion) and audits before and after.
func (s *Store) TaskUpdate(ctx context.Context, a Actor, id int64, version *int,
	apply func(cur *Task, f ParticipationFacts) error) (Task, error) {
	return updateLocked(ctx, s, a, id, version, participantUpdate(s, "update task", "task",
		s.q.CycleTaskLock, getter(s.q.CycleTaskGet, taskFrom), apply,
		func(ctx context.Context, tx pgx.Tx, next Task) error {
			return s.q.CycleTaskUpdate(ctx, tx, db.CycleTaskUpdateParams{ID: id, Title: next.Title,
				DueOn: next.DueOn, CompletedOn: next.CompletedOn})
		}, taskAudit))
}

// Training is a school's training or safety-education session with its attendance.
type Training struct {
	ID         int64
	EditionID  string
	SchoolID   int64
	SchoolCode string
	CityCode   string
	Kind       string
	HeldOn     time.Time
	Topic      string
	Attendees  []int64 // participation ids
	CreatedAt  time.Time
}

// TrainingFilter selects one page of sessions.
type TrainingFilter = SchoolFilter

func trainingFrom(r db.CycleTrainingGetRow) Training {
	att := r.Attendees
	if att == nil {
		att = []int64{}
	}
	return Training{ID: r.ID, EditionID: r.EditionID, SchoolID: r.SchoolID, SchoolCode: r.SchoolCode,
		CityCode: deref(r.SchoolCityCode), Kind: r.Kind, HeldOn: r.HeldOn, Topic: r.Topic, Attendees: att,
		CreatedAt: r.CreatedAt}
}

// TrainingGet returns one session or ErrNotFound.
func (s *Store) TrainingGet(ctx context.Context, id int64) (Training, error) {
	return rowOf(ctx, s, "get training session", id, getter(s.q.CycleTrainingGet, trainingFrom))
}

// TrainingList returns up to f.Limit sessions with id > f.AfterID, by id.
func (s *Store) TrainingList(ctx context.Context, f TrainingFilter) ([]Training, error) {
	rows, err := s.q.CycleTrainingList(ctx, s.scoped(), db.CycleTrainingListParams{AfterID: f.AfterID,
		Edition: f.Edition, SchoolID: f.SchoolID, CityCode: f.CityCode, Lim: int32(f.Limit)})
	return rowsOf("list training sessions", rows, err, func(r db.CycleTrainingListRow) Training {
		return trainingFrom(db.CycleTrainingGetRow(r))
	})
}

// TrainingCreate records a session of school schoolCode in editionID after check accepted
// the edition and the school's application, and audits it.
func (s *Store) TrainingCreate(ctx context.Context, a Actor, editionID, schoolCode, kind string, heldOn time.Time,
	topic string, check func(NoticeFacts) error) (Training, error) {
	return insertRow(ctx, s, a, newRow[NoticeFacts, Training]{op: "create training session", entity: "training_session",
		facts: s.schoolFactsOf(editionID, schoolCode), check: check, get: getter(s.q.CycleTrainingGet, trainingFrom),
		insert: func(ctx context.Context, tx pgx.Tx, f NoticeFacts) (int64, error) {
			return s.q.CycleTrainingInsert(ctx, tx, db.CycleTrainingInsertParams{EditionID: editionID,
				SchoolID: f.SchoolID, Kind: kind, HeldOn: heldOn, Topic: topic})
		},
		audit: func(f NoticeFacts, _ Training) AuditEntry {
			return AuditEntry{SchoolID: &f.SchoolID, After: map[string]any{"edition": editionID, "school_code": schoolCode,
				"kind": kind, "held_on": heldOn.Format(time.DateOnly), "topic": topic}}
		}})
}

// TrainingAttendanceSet replaces the attendance of a session with the participations ids
// (admitted or completed participants of its school and edition; any other is a
// *FieldError on participation_ids), and audits the change.
func (s *Store) TrainingAttendanceSet(ctx context.Context, a Actor, id int64, ids []int64) (Training, error) {
	return updateLocked(ctx, s, a, id, nil, lockedWrite[int64, Training]{op: "set training attendance",
		entity: "training_session", get: getter(s.q.CycleTrainingGet, trainingFrom),
		lock: func(ctx context.Context, q db.DBTX, id int64) (int32, error) {
			_, err := s.q.CycleTrainingLock(ctx, q, id)
			return 0, err // a session has no version
		},
		write: func(ctx context.Context, tx pgx.Tx, _ Training) (*Training, error) {
			ids = slices.Compact(slices.Sorted(slices.Values(ids)))
			ok, err := s.q.CycleTrainingAttendees(ctx, tx, db.CycleTrainingAttendeesParams{SessionID: id, Ids: ids})
			if err != nil {
				return nil, err
			}
			if len(ok) != len(ids) {
				for _, p := range ids {
					if !slices.Contains(ok, p) {
						return nil, &FieldError{Field: "participation_ids", Rule: "eligible", Message: fmt.Sprintf(
							"参与记录 %d 不是本校本年度已录取的学员 / participation %d is not an admitted participant of this school and edition", p, p)}
					}
				}
			}
			if err := s.q.CycleTrainingAttendanceClear(ctx, tx, id); err != nil {
				return nil, err
			}
			return nil, s.q.CycleTrainingAttendanceAdd(ctx, tx, db.CycleTrainingAttendanceAddParams{SessionID: id, Ids: ids})
		},
		audit: func(before, after Training) AuditEntry {
			return AuditEntry{Action: "update", SchoolID: &after.SchoolID,
				Before: map[string]any{"attendees": before.Attendees}, After: map[string]any{"attendees": after.Attendees}}
		}})
}

// BehindFilter asks who is behind in an edition on AsOf; SchoolID, CityCode and MentorID
// restrict the answer (a scope or a filter).
type BehindFilter struct {
	Edition  string
	AsOf     time.Time
	SchoolID *int64
	CityCode *string
	MentorID *int64
}

// BehindRow is an admitted participant who is behind: no growth log in the 30 days up to
// AsOf (LogBehind, for the grades that keep one) and/or OverdueTasks tasks past due.
type BehindRow struct {
	ParticipationID int64
	PersonID        int64
	PersonName      string
	Grade           *string
	SchoolID        int64
	SchoolCode      string
	SchoolName      string
	MentorID        *int64
	MentorName      *string
	LastLogOn       *time.Time
	LogBehind       bool
	OverdueTasks    int
	OldestDueOn     *time.Time
}

// Behind answers the who-is-behind view in one query.
func (s *Store) Behind(ctx context.Context, f BehindFilter) ([]BehindRow, error) {
	rows, err := s.q.CycleBehind(ctx, s.scoped(), db.CycleBehindParams{Edition: f.Edition, AsOf: f.AsOf,
		LogSince: f.AsOf.AddDate(0, 0, -29), SchoolID: f.SchoolID, CityCode: f.CityCode, MentorID: f.MentorID})
	if err != nil {
		return nil, mapErr("who is behind", err)
	}
	out := make([]BehindRow, len(rows))
	for i, r := range rows {
		out[i] = BehindRow{ParticipationID: r.ParticipationID, PersonID: r.PersonID, PersonName: r.PersonName,
			Grade: r.Grade, SchoolID: r.SchoolID, SchoolCode: r.SchoolCode, SchoolName: r.SchoolName,
			MentorID: r.MentorID, MentorName: r.MentorName, LastLogOn: anyDate(r.LastLogOn),
			LogBehind: r.LogBehind, OverdueTasks: int(r.OverdueTasks), OldestDueOn: anyDate(r.OldestDueOn)}
	}
	return out, nil
}

// anyDate reads a date column sqlc could not type (NULL or a time.Time).
func anyDate(v any) *time.Time {
	if t, ok := v.(time.Time); ok {
		return &t
	}
	return nil
}
