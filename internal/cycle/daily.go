package cycle

import (
	"context"
	"time"

	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

func checkAdmitted(p store.Participation) error {
	if p.Status != "admitted" {
		return rule("status", "not_admitted", "该人员%s，日常管理只针对已录取的学员 / daily management is for admitted participants; this one is %s",
			vocab.Statuses.Zh(p.Status), p.Status)
	}
	return nil
}

func checkInEdition(field string, d time.Time, ed store.Edition) error {
	if !within(d, ed.StartsOn, ed.EndsOn) {
		return rule(field, "within_edition", "%s 须在年度 %s 至 %s 之内 / %s must lie within the edition (%s … %s)",
			field, day(ed.StartsOn), day(ed.EndsOn), field, day(ed.StartsOn), day(ed.EndsOn))
	}
	return nil
}

func checkNotFuture(field string, d, today time.Time) error {
	if d.After(today) {
		return rule(field, "not_future", "%s 不能晚于今天（%s） / %s cannot be after today (%s)", field, day(today), field, day(today))
	}
	return nil
}

func checkGrowthLogEntry(f store.ParticipationFacts, entryOn, today time.Time) error {
	p := f.Participation
	if !KeepsGrowthLog(p.Program, p.Grade) {
		return rule("grade", "no_growth_log", "只有菁科计划4-8年级的学生填写成长日志 / only jingke students in grades 4-8 keep a growth log")
	}
	if err := checkAdmitted(p); err != nil {
		return err
	}
	if err := checkInEdition("entry_on", entryOn, f.Edition); err != nil {
		return err
	}
	return checkNotFuture("entry_on", entryOn, today)
}

// addGrowthLog adds a dated entry to an admitted grade 4-8 student's growth log.
func (s *Service) addGrowthLog(ctx context.Context, a store.Actor, pid int64, entryOn time.Time, content string) (store.GrowthLog, error) {
	today := Today(ctx)
	return s.store.GrowthLogCreate(ctx, a, pid, entryOn, content, func(f store.ParticipationFacts) error {
		return checkGrowthLogEntry(f, entryOn, today)
	})
}

// editGrowthLog corrects the date and content of an entry (the school's side).
func (s *Service) editGrowthLog(ctx context.Context, a store.Actor, id int64, version int, entryOn time.Time, content string) (store.GrowthLog, error) {
	today := Today(ctx)
	return s.store.GrowthLogUpdate(ctx, a, id, &version, func(cur *store.GrowthLog, f store.ParticipationFacts) error {
		if err := checkGrowthLogEntry(f, entryOn, today); err != nil {
			return err
		}
		cur.EntryOn, cur.Content = entryOn, content
		return nil
	})
}

// feedbackGrowthLog records (or replaces) the mentor's feedback on an entry.
func (s *Service) feedbackGrowthLog(ctx context.Context, a store.Actor, id int64, version *int, feedback string) (store.GrowthLog, error) {
	now := Now(ctx).UTC()
	return s.store.GrowthLogUpdate(ctx, a, id, version, func(cur *store.GrowthLog, _ store.ParticipationFacts) error {
		by := a.Name
		cur.MentorFeedback, cur.FeedbackAt, cur.FeedbackBy = &feedback, &now, &by
		return nil
	})
}

// addTask sets an admitted participant a task due within the edition.
func (s *Service) addTask(ctx context.Context, a store.Actor, pid int64, title string, dueOn time.Time) (store.Task, error) {
	return s.store.TaskCreate(ctx, a, pid, title, dueOn, func(f store.ParticipationFacts) error {
		if err := checkAdmitted(f.Participation); err != nil {
			return err
		}
		return checkInEdition("due_on", dueOn, f.Edition)
	})
}

// editTask changes a task's title and due date.
func (s *Service) editTask(ctx context.Context, a store.Actor, id int64, version int, title string, dueOn time.Time) (store.Task, error) {
	return s.store.TaskUpdate(ctx, a, id, &version, func(cur *store.Task, f store.ParticipationFacts) error {
		if err := checkInEdition("due_on", dueOn, f.Edition); err != nil {
			return err
		}
		cur.Title, cur.DueOn = title, dueOn
		return nil
	})
}

// completeTask marks a task done on completedOn (not after today, not before the
// edition), or open again when completedOn is nil.
func (s *Service) completeTask(ctx context.Context, a store.Actor, id int64, version *int, completedOn *time.Time) (store.Task, error) {
	today := Today(ctx)
	return s.store.TaskUpdate(ctx, a, id, version, func(cur *store.Task, f store.ParticipationFacts) error {
		if completedOn != nil {
			if err := checkNotFuture("completed_on", *completedOn, today); err != nil {
				return err
			}
			if completedOn.Before(f.Edition.StartsOn) {
				return rule("completed_on", "within_edition", "completed_on 不能早于年度开始（%s） / completed_on cannot be before the edition starts (%s)",
					day(f.Edition.StartsOn), day(f.Edition.StartsOn))
			}
		}
		cur.CompletedOn = completedOn
		return nil
	})
}

// addTraining records a school's training or safety-education session within the edition.
func (s *Service) addTraining(ctx context.Context, a store.Actor, editionID, schoolCode, kind string, heldOn time.Time, topic string) (store.Training, error) {
	return s.store.TrainingCreate(ctx, a, editionID, schoolCode, kind, heldOn, topic, func(f store.NoticeFacts) error {
		if !approved(f.Application) {
			return notApproved("school_code", f.Application)
		}
		return checkInEdition("held_on", heldOn, f.Edition)
	})
}

// setAttendance records who attended a session that has been held.
func (s *Service) setAttendance(ctx context.Context, a store.Actor, t store.Training, ids []int64) (store.Training, error) {
	if err := checkNotFuture("held_on", t.HeldOn, Today(ctx)); err != nil {
		return store.Training{}, rule("held_on", "not_held", "培训尚未举行（%s），不能登记出勤 / the session is on %s: attendance is recorded once it has been held",
			day(t.HeldOn), day(t.HeldOn))
	}
	return s.store.TrainingAttendanceSet(ctx, a, t.ID, ids)
}

// behind answers who is behind in an edition on asOf (nil: today).
func (s *Service) behind(ctx context.Context, f store.BehindFilter, asOf *time.Time) ([]store.BehindRow, time.Time, error) {
	f.AsOf = Today(ctx)
	if asOf != nil {
		f.AsOf = *asOf
	}
	rows, err := s.store.Behind(ctx, f)
	return rows, f.AsOf, err
}
