package cycle

import (
	"context"
	"slices"
	"time"

	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// NominationInput registers a nominee: the person, the edition, the nominating school, the
// category, and the grade (students) or teacher role (teachers).
type NominationInput struct {
	PersonID    int64
	EditionID   string
	SchoolCode  string
	Category    string
	Grade       *string
	TeacherRole *string
}

// Register records a nomination in status registered. The school needs an approved
// application for the edition; a student needs an eligible grade, a teacher a role.
func (s *Service) Register(ctx context.Context, a store.Actor, in NominationInput) (store.Participation, error) {
	now := Now(ctx).UTC()
	return s.store.NominationCreate(ctx, a, store.ParticipationInput{PersonID: in.PersonID, EditionID: in.EditionID,
		SchoolCode: in.SchoolCode, CategoryCode: in.Category, Grade: in.Grade, TeacherRole: in.TeacherRole}, now,
		func(f store.NominationFacts) error {
			if f.Edition.Status == "closed" {
				return rule("edition", "edition_closed", "年度 %s 已结束 / edition %s is closed", f.Edition.ID, f.Edition.ID)
			}
			if !approved(f.Application) {
				return notApproved("school_code", f.Application)
			}
			return CheckEligible(f.Edition.Program, in.Grade, in.TeacherRole)
		})
}

// CheckEligible is the eligibility rule at registration: jingke students in grades K, 4-6,
// 7-8 or V1-V3 (not grade 9), jindaoshi teachers with one of the four roles.
func CheckEligible(program string, grade, teacherRole *string) error {
	switch program {
	case "jingke":
		if grade == nil {
			return rule("grade", "grade_required", "菁科计划的学生须填写年级 / a jingke student needs a grade")
		}
		if !slices.Contains(EligibleGrades, *grade) {
			return rule("grade", "grade_not_eligible",
				"%s 年级不在菁科计划的招收范围内（幼儿园大班及学前、4-6年级、7-8年级、职高） / grade %s is not eligible for jingke (K, 4-6, 7-8, V1-V3)",
				*grade, *grade)
		}
	case "jindaoshi":
		if teacherRole == nil || !vocab.TeacherRoles.Valid(*teacherRole) {
			return rule("teacher_role", "teacher_role_required",
				"金导师计划的教师须填写教师类型（新教师、青年教师、科技辅导员、学校管理干部） / a jindaoshi teacher needs a teacher_role (new, young, counsellor, admin)")
		}
	}
	return nil
}

// StepInput moves a nominee: the status to enter, a note (required to reject or
// withdraw), and for admission the mentor and the institution (default: the mentor's).
type StepInput struct {
	To              string
	Note            *string
	MentorID        *int64
	InstitutionCode *string
}

// allowedFrom lists, per target status, the statuses a nominee may come from.
var allowedFrom = map[string][]string{
	"reviewed":    {"registered"},
	"publicized":  {"reviewed"},
	"recommended": {"publicized"},
	"admitted":    {"recommended"},
	"rejected":    {"registered", "reviewed", "publicized", "recommended"},
	"withdrawn":   {"registered", "reviewed", "publicized", "recommended", "admitted"},
}

// step moves a nominee one step of the selection; office says whether the caller speaks
// for the office (only the office admits, and rejects a recommended nominee).
func (s *Service) step(ctx context.Context, a store.Actor, office bool, id int64, version *int, in StepInput) (store.Participation, error) {
	now := Now(ctx).UTC()
	today := DateOf(now)
	if in.To == "admitted" && !office {
		return store.Participation{}, officeOnly("录取")
	}
	req := store.StepRequest{Day: today}
	if in.To == "admitted" {
		req.MentorID, req.InstitutionCode = in.MentorID, in.InstitutionCode
	}
	return s.store.ParticipationStep(ctx, a, id, version, now, req, func(f store.SelectionFacts) (store.Step, error) {
		return DecideStep(f, in, office, today)
	})
}

// DecideStep applies the selection rules to a step of the nominee described by f on today.
func DecideStep(f store.SelectionFacts, in StepInput, office bool, today time.Time) (store.Step, error) {
	from := f.Participation.Status
	step := store.Step{To: in.To, Note: in.Note}
	if in.To == "completed" {
		return step, rule("to", "by_evaluation", "结业由总结评估决定：评估为合格或优秀即结业 / completion follows from the summary evaluation (pass or excellent)")
	}
	froms, ok := allowedFrom[in.To]
	if !ok || !slices.Contains(froms, from) {
		return step, rule("to", "transition", "不能从“%s”变为“%s” / a nominee cannot go from %s to %s",
			vocab.Statuses.Zh(from), vocab.Statuses.Zh(in.To), from, in.To)
	}
	if (in.To == "rejected" || in.To == "withdrawn") && (in.Note == nil || *in.Note == "") {
		return step, rule("note", "required", "未通过或退出须说明理由 / a note is required to reject or withdraw")
	}
	switch in.To {
	case "publicized":
		if f.OpenNotice == nil {
			return step, rule("notice_id", "notice_not_open",
				"今天（%s）该校本年度没有正在进行的公示，请先发布公示 / the school has no public notice open today (%s): post one first", day(today), day(today))
		}
		step.LinkNotice = &f.OpenNotice.ID
	case "recommended":
		if n := f.Notice; n != nil && !today.After(n.EndsOn) {
			return step, rule("notice_id", "notice_running",
				"公示期至 %s 结束，公示期满后方可推荐 / the public notice runs until %s: recommend after it has ended", day(n.EndsOn), day(n.EndsOn))
		}
		if f.OpenObjections > 0 {
			return step, rule("objections", "objection_unresolved",
				"有 %d 条异议尚未处理，处理后方可推荐 / %d objection(s) against the nominee are not resolved", f.OpenObjections, f.OpenObjections)
		}
		if f.UpheldObjections > 0 {
			return step, rule("objections", "objection_upheld",
				"异议经核实成立，不能推荐，只能作未通过或退出处理 / an objection was upheld: the nominee can only be rejected or withdrawn")
		}
	case "admitted":
		if f.Mentor == nil {
			return step, rule("mentor_id", "required", "录取须指定导师 / a mentor_id is required to admit")
		}
		inst := f.InstitutionID
		if f.Mentor.InstitutionID != nil {
			if inst != nil && *inst != *f.Mentor.InstitutionID {
				return step, rule("institution_code", "mentor_institution",
					"导师属于培养单位 %s，不能指定其他单位 / the mentor belongs to institution %s",
					deref(f.Mentor.InstitutionCode), deref(f.Mentor.InstitutionCode))
			}
			inst = f.Mentor.InstitutionID
		}
		if inst == nil {
			return step, rule("institution_code", "required", "录取须指定培养单位 / an institution_code is required to admit")
		}
		step.MentorID, step.InstitutionID = &f.Mentor.ID, inst
	case "rejected":
		if from == "recommended" && !office {
			return step, officeOnly("否决已推荐人员")
		}
	}
	return step, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// NoticeMinDays is the shortest public notice: 校内公示 customarily lasts five (working)
// days, so a notice covers at least five calendar days.
const NoticeMinDays = 5

// createNotice posts a public notice of a school's nominees for an edition, from startsOn
// to endsOn. The school needs an approved application; the notice lies within the edition
// and lasts at least NoticeMinDays days.
func (s *Service) createNotice(ctx context.Context, a store.Actor, editionID, schoolCode string, startsOn, endsOn time.Time) (store.Notice, error) {
	return s.store.NoticeCreate(ctx, a, editionID, schoolCode, startsOn, endsOn, func(f store.NoticeFacts) error {
		if f.Edition.Status == "closed" {
			return rule("edition", "edition_closed", "年度 %s 已结束 / edition %s is closed", f.Edition.ID, f.Edition.ID)
		}
		if !approved(f.Application) {
			return notApproved("school_code", f.Application)
		}
		if !within(startsOn, f.Edition.StartsOn, f.Edition.EndsOn) {
			return rule("starts_on", "within_edition", "公示须在年度 %s 至 %s 之内 / the notice must lie within the edition (%s … %s)",
				day(f.Edition.StartsOn), day(f.Edition.EndsOn), day(f.Edition.StartsOn), day(f.Edition.EndsOn))
		}
		if !within(endsOn, f.Edition.StartsOn, f.Edition.EndsOn) {
			return rule("ends_on", "within_edition", "公示须在年度 %s 至 %s 之内 / the notice must lie within the edition (%s … %s)",
				day(f.Edition.StartsOn), day(f.Edition.EndsOn), day(f.Edition.StartsOn), day(f.Edition.EndsOn))
		}
		if endsOn.Before(startsOn.AddDate(0, 0, NoticeMinDays-1)) {
			return rule("ends_on", "min_length", "公示期不少于 %d 天 / a public notice lasts at least %d days", NoticeMinDays, NoticeMinDays)
		}
		return nil
	})
}

// lodgeObjection records an objection against a publicized nominee, lodged on a day of
// the nominee's public notice that is not after today.
func (s *Service) lodgeObjection(ctx context.Context, a store.Actor, pid int64, lodgedOn time.Time, content string) (store.Objection, error) {
	today := Today(ctx)
	return s.store.ObjectionCreate(ctx, a, pid, lodgedOn, content, func(f store.SelectionFacts) error {
		if f.Participation.Status != "publicized" {
			return rule("status", "not_publicized", "只能对公示中的人员提出异议，该人员%s / objections are lodged against publicized nominees; this one is %s",
				vocab.Statuses.Zh(f.Participation.Status), f.Participation.Status)
		}
		if lodgedOn.After(today) {
			return rule("lodged_on", "not_future", "提出日期不能晚于今天（%s） / lodged_on cannot be after today (%s)", day(today), day(today))
		}
		n := f.Notice
		if n == nil {
			return rule("notice_id", "no_notice", "该人员没有公示记录 / the nominee has no public notice")
		}
		if !within(lodgedOn, n.StartsOn, n.EndsOn) {
			return rule("lodged_on", "outside_notice", "异议须在公示期 %s 至 %s 内提出 / an objection is lodged during the notice (%s … %s)",
				day(n.StartsOn), day(n.EndsOn), day(n.StartsOn), day(n.EndsOn))
		}
		return nil
	})
}

// resolveObjection resolves an open objection: dismissed (the nomination stands) or upheld.
func (s *Service) resolveObjection(ctx context.Context, a store.Actor, id int64, version *int, outcome, resolution string) (store.Objection, error) {
	now := Now(ctx).UTC()
	return s.store.ObjectionResolve(ctx, a, id, version, outcome, resolution, now, func(cur store.Objection) error {
		if cur.ResolvedAt != nil {
			return rule("outcome", "resolved", "该异议已于 %s 处理 / the objection was already resolved on %s",
				day(DateOf(*cur.ResolvedAt)), day(DateOf(*cur.ResolvedAt)))
		}
		return nil
	})
}
