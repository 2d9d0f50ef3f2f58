package participation

import (
	"context"
	"fmt"

	"talentdb/internal/access"
	"talentdb/internal/cycle"
	"talentdb/internal/store"
)

// ownSchool refuses (*ForbiddenError) a school operator who names a school other than
// their own; for every other role it does nothing. code is the school_code of a write.
func (s *Service) ownSchool(ctx context.Context, c access.Caller, code string) error {
	if c.Role != access.RoleSchoolOperator {
		return nil
	}
	own, err := s.st.OrganizationGet(ctx, c.SchoolID)
	if err != nil {
		return err
	}
	if code != own.Code {
		return &ForbiddenError{Message: "学校账号只能登记本校（" + own.Code + "）的记录 / A school account records its own school's (" +
			own.Code + ") records only."}
	}
	return nil
}

// nominate records a school's new participation as a nomination under the cycle's rules
// (the same as POST /nominations): it starts registered, without mentor, institution or
// evaluation, which follow the selection and the summary evaluation.
func (s *Service) nominate(ctx context.Context, c access.Caller, in store.ParticipationInput) (Participation, error) {
	if in.Status != "registered" || in.MentorID != nil || in.InstitutionCode != nil || in.Evaluation != nil {
		return Participation{}, &access.RuleError{Field: "status", Rule: "use_transition",
			Message: "学校报名从“已报名”开始，之后的状态、导师与评价按选拔和总结评估流程办理 / a school's nomination starts registered; later statuses, the mentor and the evaluation follow the cycle"}
	}
	return s.cycle.Register(ctx, store.ActorFor(c), cycle.NominationInput{PersonID: in.PersonID,
		EditionID: in.EditionID, SchoolCode: in.SchoolCode, Category: in.CategoryCode, Grade: in.Grade,
		TeacherRole: in.TeacherRole})
}

// cycleOwnedFields refuses a correction that changes a participation's status or its
// evaluation: those change only through the cycle's rules (the transitions and the
// evaluation of internal/cycle), so every step is checked and audited as a transition.
// Only the office assigns mentors and institutions (at admission) or moves a nominee to a
// grade that is not eligible.
func cycleOwnedFields(c access.Caller, cur Participation, in store.ParticipationInput) error {
	rule := func(field, code, msg string) error {
		return &access.RuleError{Field: field, Rule: code, Message: msg}
	}
	if in.Status != cur.Status {
		return rule("status", "use_transition", fmt.Sprintf(
			"状态须通过 POST /api/v1/participations/%d/transitions 办理 / the status changes through POST /api/v1/participations/%d/transitions",
			cur.ID, cur.ID))
	}
	if deref(in.Evaluation) != deref(cur.Evaluation) || deref(in.EvaluationComment) != deref(cur.EvaluationComment) {
		return rule("evaluation", "use_evaluation", fmt.Sprintf(
			"总结评估须通过 POST /api/v1/participations/%d/evaluation 录入 / the evaluation is recorded through POST /api/v1/participations/%d/evaluation",
			cur.ID, cur.ID))
	}
	if c.Office() {
		return nil
	}
	if !sameID(in.MentorID, cur.MentorID) || deref(in.InstitutionCode) != deref(cur.InstitutionCode) {
		return &ForbiddenError{Message: "导师和培养单位由管理办公室在录取时指定 / the office assigns the mentor and institution on admission"}
	}
	if deref(in.Grade) != deref(cur.Grade) && cur.Status != "completed" {
		if re, ok := cycle.IsRule(cycle.CheckEligible(cur.Program, in.Grade, in.TeacherRole)); ok {
			return re
		}
	}
	return nil
}

func sameID(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
