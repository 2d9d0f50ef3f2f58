package cycle

import (
	"context"
	"time"

	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// AssessmentInput is one assessment of a participant: by the mentor or the school.
type AssessmentInput struct {
	ByRole     string
	Evaluation string
	Comment    *string
}

// assess records the mentor's or the school's assessment of a participant. The school's
// is the final evaluation: pass or excellent completes the participation, fail leaves it
// admitted (docs/cycle.md). Assessments open with the school's summary-evaluation phase.
func (s *Service) assess(ctx context.Context, a store.Actor, pid int64, in AssessmentInput) (store.Participation, []store.Assessment, error) {
	now := Now(ctx).UTC()
	today := DateOf(now)
	return s.store.AssessmentRecord(ctx, a, pid, store.AssessmentInput{ByRole: in.ByRole, Evaluation: in.Evaluation,
		Comment: in.Comment, At: now}, func(f store.EvaluationFacts) (store.Evaluated, error) {
		return DecideAssessment(f, in, today)
	})
}

// DecideAssessment applies the evaluation rules to an assessment of the participant f
// describes, on today.
func DecideAssessment(f store.EvaluationFacts, in AssessmentInput, today time.Time) (store.Evaluated, error) {
	p := f.Participation
	switch {
	case p.Status == "completed" && in.ByRole == "school":
		return store.Evaluated{}, rule("evaluation", "evaluation_final",
			"该学员已结业，总结评估结果不再更改 / the participant has completed: the final evaluation no longer changes")
	case p.Status != "admitted" && p.Status != "completed":
		return store.Evaluated{}, rule("status", "not_admitted", "只能评估已录取的学员，该人员%s / only admitted participants are evaluated; this one is %s",
			vocab.Statuses.Zh(p.Status), p.Status)
	}
	if app := f.Application; approved(app) && app.SummaryStartsOn != nil && today.Before(*app.SummaryStartsOn) {
		return store.Evaluated{}, rule("evaluation", "evaluation_not_open",
			"总结评估阶段自 %s 开始 / the summary evaluation phase starts on %s", day(*app.SummaryStartsOn), day(*app.SummaryStartsOn))
	}
	if in.ByRole == "mentor" {
		return store.Evaluated{}, nil
	}
	if p.MentorID != nil && f.Mentor == nil {
		return store.Evaluated{}, rule("evaluation", "mentor_first", "请导师先作出评价 / the mentor's assessment comes first")
	}
	d := store.Evaluated{Final: true}
	if in.Evaluation == "pass" || in.Evaluation == "excellent" {
		d.To = "completed"
	}
	return d, nil
}

// createYearSummary records the year summary (年度总结) of a school that took part.
func (s *Service) createYearSummary(ctx context.Context, a store.Actor, editionID, schoolCode, content string) (store.YearSummary, error) {
	return s.store.YearSummaryCreate(ctx, a, editionID, schoolCode, content, func(f store.NoticeFacts) error {
		if !approved(f.Application) {
			return notApproved("school_code", f.Application)
		}
		return nil
	})
}

// editYearSummary changes the content of a summary not yet submitted.
func (s *Service) editYearSummary(ctx context.Context, a store.Actor, id int64, version int, content string) (store.YearSummary, error) {
	return s.store.YearSummaryUpdate(ctx, a, id, &version, "update", func(cur *store.YearSummary) error {
		if cur.SubmittedAt != nil {
			return rule("status", "submitted", "年度总结已提交，不能修改 / the year summary is submitted and cannot be edited")
		}
		cur.Content = content
		return nil
	})
}

// submitYearSummary submits a summary to the office.
func (s *Service) submitYearSummary(ctx context.Context, a store.Actor, id int64, version *int) (store.YearSummary, error) {
	now := Now(ctx).UTC()
	return s.store.YearSummaryUpdate(ctx, a, id, version, "transition", func(cur *store.YearSummary) error {
		if cur.SubmittedAt != nil {
			return rule("status", "submitted", "年度总结已提交 / the year summary is already submitted")
		}
		cur.SubmittedAt = &now
		return nil
	})
}

// recommendExchange recommends an admitted or completed participant to a science exchange
// activity (科技交流活动), on a day not after today.
func (s *Service) recommendExchange(ctx context.Context, a store.Actor, pid int64, activity string, on *time.Time) (store.Exchange, error) {
	today := Today(ctx)
	d := today
	if on != nil {
		d = *on
	}
	if err := checkNotFuture("recommended_on", d, today); err != nil {
		return store.Exchange{}, err
	}
	return s.store.ExchangeCreate(ctx, a, pid, activity, d, func(f store.ParticipationFacts) error {
		if st := f.Participation.Status; st != "admitted" && st != "completed" {
			return rule("participation_id", "not_admitted", "只能推荐已录取或已结业的学员，该人员%s / only admitted or completed participants are recommended; this one is %s",
				vocab.Statuses.Zh(st), st)
		}
		return nil
	})
}

// recordCase records a typical case (典型案例). schoolID is the caller's school when a
// school reports it: it may then name only persons it is responsible for.
func (s *Service) recordCase(ctx context.Context, a store.Actor, in store.TypicalCaseInput, schoolID *int64) (store.TypicalCase, error) {
	if err := checkNotFuture("reported_on", in.ReportedOn, Today(ctx)); err != nil {
		return store.TypicalCase{}, err
	}
	return s.store.TypicalCaseCreate(ctx, a, in, func(_ *int64, persons []store.CasePerson) error {
		if schoolID == nil {
			return nil
		}
		for _, p := range persons {
			if p.SchoolID == nil || *p.SchoolID != *schoolID {
				return rule("person_ids", "other_school", "人员 %d 不属于本校 / person %d is not one of the school's people", p.ID, p.ID)
			}
		}
		return nil
	})
}
