package cycle

import (
	"context"
	"slices"
	"time"

	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Service is the door to the cycle (see the package doc). Input arrives parsed (dates as
// dates, enumerations as keys); the Service adds who may do it, the rules that need
// today's date (from the context's clock) and the rules that need other rows.
type Service struct {
	store *store.Store
}

// New returns a Service on st.
func New(st *store.Store) *Service { return &Service{store: st} }

// ApplicationInput is a new application: the edition, the school and the form. Unit and
// contact fields left empty are filled in from the school's organization record.
type ApplicationInput struct {
	EditionID  string
	SchoolCode string
	Form       store.ApplicationForm
}

// ineligibleSchoolTypes cannot apply to jingke: they have no student in an eligible grade.
var ineligibleSchoolTypes = []string{"senior_high", "university", "enterprise", "research_institute", "out_of_school"}

// createApplication records a draft application of a school for an edition.
func (s *Service) createApplication(ctx context.Context, a store.Actor, in ApplicationInput) (store.Application, error) {
	return s.store.ApplicationCreate(ctx, a, in.EditionID, in.SchoolCode, in.Form,
		func(ed store.Edition, school store.Organization, form *store.ApplicationForm) error {
			if school.Kind != "school" {
				return &store.FieldError{Field: "school_code", Rule: "kind", Message: "申报单位必须是学校 / the applicant must be a school"}
			}
			if ed.Status == "closed" {
				return rule("edition", "edition_closed", "年度 %s 已结束 / edition %s is closed", ed.ID, ed.ID)
			}
			if ed.Program == "jingke" && school.Type != nil && slices.Contains(ineligibleSchoolTypes, *school.Type) {
				return rule("school_code", "school_type",
					"该类型学校没有菁科计划可招收的年级 / a school of type %s has no grade the jingke program admits", *school.Type)
			}
			prefill(form, school)
			return CheckPhases(form.Phases, ed)
		})
}

// prefill fills the empty unit and contact fields of a form from the school's record,
// which carries the same fields of the form.
func prefill(f *store.ApplicationForm, o store.Organization) {
	if f.UnitName == "" {
		f.UnitName = o.Name
	}
	orElse(&f.UnitType, o.Type)
	orElse(&f.Address, o.Address)
	orElse(&f.PostalCode, o.PostalCode)
	for _, c := range []struct{ dst, src *store.Contact }{{&f.Head, &o.Head}, {&f.Lead, &o.Lead}} {
		orElse(&c.dst.Name, c.src.Name)
		orElse(&c.dst.Title, c.src.Title)
		orElse(&c.dst.OfficePhone, c.src.OfficePhone)
		orElse(&c.dst.Mobile, c.src.Mobile)
		orElse(&c.dst.Email, c.src.Email)
		orElse(&c.dst.Fax, c.src.Fax)
	}
}

func orElse(dst **string, src *string) {
	if *dst == nil && src != nil {
		v := *src
		*dst = &v
	}
}

// CheckPhases checks an application's schedule against its edition: every phase within
// the edition, ending on or after it starts, and the phases starting in their order.
func CheckPhases(phases []store.ApplicationPhase, ed store.Edition) error {
	var prev *store.ApplicationPhase
	for _, name := range vocab.Phases.Keys() {
		i := slices.IndexFunc(phases, func(p store.ApplicationPhase) bool { return p.Phase == name })
		if i < 0 {
			continue
		}
		p := phases[i]
		field := "phases." + name
		switch {
		case p.StartsOn.Before(ed.StartsOn) || p.StartsOn.After(ed.EndsOn):
			return rule(field+".starts_on", "within_edition", "%s阶段的开始日期须在年度 %s 至 %s 之内 / the %s phase must start within the edition (%s … %s)",
				vocab.Phases.Zh(name), day(ed.StartsOn), day(ed.EndsOn), name, day(ed.StartsOn), day(ed.EndsOn))
		case p.EndsOn.Before(ed.StartsOn) || p.EndsOn.After(ed.EndsOn):
			return rule(field+".ends_on", "within_edition", "%s阶段的结束日期须在年度 %s 至 %s 之内 / the %s phase must end within the edition (%s … %s)",
				vocab.Phases.Zh(name), day(ed.StartsOn), day(ed.EndsOn), name, day(ed.StartsOn), day(ed.EndsOn))
		case p.EndsOn.Before(p.StartsOn):
			return rule(field+".ends_on", "after_start", "%s阶段的结束日期不能早于开始日期 / the %s phase cannot end before it starts",
				vocab.Phases.Zh(name), name)
		case prev != nil && p.StartsOn.Before(prev.StartsOn):
			return rule(field+".starts_on", "phase_order", "%s阶段不能早于%s阶段开始 / the %s phase cannot start before the %s phase",
				vocab.Phases.Zh(name), vocab.Phases.Zh(prev.Phase), name, prev.Phase)
		}
		prev = &phases[i]
	}
	return nil
}

// CheckComplete checks that an application can be submitted: the unit name, the unit head
// and project lead with title and a phone, the three phases with content, and at least
// one implementation condition.
func CheckComplete(f store.ApplicationForm) error {
	blank := func(p *string) bool { return p == nil || *p == "" }
	if f.UnitName == "" {
		return rule("unit_name", "required_to_submit", "提交前须填写单位名称 / unit_name is required to submit")
	}
	for _, c := range []struct {
		key, zh string
		c       store.Contact
	}{{"head", "单位负责人", f.Head}, {"lead", "项目负责人", f.Lead}} {
		switch {
		case blank(c.c.Name):
			return rule(c.key+".name", "required_to_submit", "提交前须填写%s姓名 / %s.name is required to submit", c.zh, c.key)
		case blank(c.c.Title):
			return rule(c.key+".title", "required_to_submit", "提交前须填写%s职称/职务 / %s.title is required to submit", c.zh, c.key)
		case blank(c.c.OfficePhone) && blank(c.c.Mobile):
			return rule(c.key+".mobile", "required_to_submit", "提交前须填写%s的办公电话或移动电话 / %s needs an office phone or a mobile to submit", c.zh, c.key)
		}
	}
	for _, name := range vocab.Phases.Keys() {
		if !slices.ContainsFunc(f.Phases, func(p store.ApplicationPhase) bool { return p.Phase == name && p.Content != "" }) {
			return rule("phases."+name, "required_to_submit", "提交前须填写%s阶段的内容和起止时间 / the %s phase (content and dates) is required to submit",
				vocab.Phases.Zh(name), name)
		}
	}
	c := f.Conditions
	if blank(c.Organization) && blank(c.Staff) && blank(c.Environment) && blank(c.TrackRecord) && blank(c.Rules) && blank(c.Funding) {
		return rule("conditions", "required_to_submit", "提交前须填写组织实施条件 / the implementation conditions are required to submit")
	}
	return nil
}

// updateApplication replaces the form of an application still in draft or returned.
func (s *Service) updateApplication(ctx context.Context, a store.Actor, id int64, version int, form store.ApplicationForm) (store.Application, error) {
	return s.store.ApplicationUpdate(ctx, a, id, store.ApplicationChange{Version: &version, Action: "update",
		Apply: func(cur *store.Application) error {
			if cur.Status != "draft" && cur.Status != "returned" {
				return rule("status", "not_editable", "%s的申报书不能修改，只有草稿或退回修改的可以 / an application that is %s cannot be edited; only draft or returned ones can",
					vocab.ApplicationStatuses.Zh(cur.Status), cur.Status)
			}
			if err := CheckPhases(form.Phases, editionOf(cur)); err != nil {
				return err
			}
			cur.ApplicationForm = form
			return nil
		}})
}

func editionOf(a *store.Application) store.Edition {
	return store.Edition{ID: a.EditionID, Program: a.Program, StartsOn: a.EditionStartsOn, EndsOn: a.EditionEndsOn}
}

// submitApplication submits a draft or returned application with a complete form. The
// application date defaults to the day of submission.
func (s *Service) submitApplication(ctx context.Context, a store.Actor, id int64, version *int) (store.Application, error) {
	now := Now(ctx).UTC()
	today := DateOf(now)
	return s.store.ApplicationUpdate(ctx, a, id, store.ApplicationChange{Version: version, Action: "transition",
		Apply: func(cur *store.Application) error {
			if cur.Status != "draft" && cur.Status != "returned" {
				return rule("status", "transition", "%s的申报书不能提交 / an application that is %s cannot be submitted",
					vocab.ApplicationStatuses.Zh(cur.Status), cur.Status)
			}
			if err := CheckComplete(cur.ApplicationForm); err != nil {
				return err
			}
			if err := CheckPhases(cur.Phases, editionOf(cur)); err != nil {
				return err
			}
			cur.Status, cur.SubmittedAt = "submitted", &now
			if cur.AppliedOn == nil {
				cur.AppliedOn = &today
			}
			return nil
		}})
}

// reviewApplication is the office's decision on a submitted application: approve, reject
// or return it for changes; reject and return need a comment for the school.
func (s *Service) reviewApplication(ctx context.Context, a store.Actor, office bool, id int64, version *int,
	decision string, comment *string) (store.Application, error) {
	if !office {
		return store.Application{}, officeOnly("审核申报书")
	}
	if decision != "approve" && (comment == nil || *comment == "") {
		return store.Application{}, rule("comment", "required", "退回或不通过须说明理由 / a comment is required to reject or return an application")
	}
	now := Now(ctx).UTC()
	to := map[string]string{"approve": "approved", "reject": "rejected", "return": "returned"}[decision]
	return s.store.ApplicationUpdate(ctx, a, id, store.ApplicationChange{Version: version, Action: "transition",
		Apply: func(cur *store.Application) error {
			if cur.Status != "submitted" {
				return rule("status", "transition", "只能审核已提交的申报书，该申报书%s / only a submitted application can be reviewed; this one is %s",
					vocab.ApplicationStatuses.Zh(cur.Status), cur.Status)
			}
			by := a.Name
			cur.Status, cur.ReviewedAt, cur.ReviewedBy, cur.ReviewComment = to, &now, &by, comment
			return nil
		}})
}

// approved reports whether app is an approved application.
func approved(app *store.ApplicationStatus) bool { return app != nil && app.Status == "approved" }

func notApproved(field string, app *store.ApplicationStatus) *RuleError {
	st := "none"
	zh := "没有申报书"
	if app != nil {
		st, zh = app.Status, "申报书"+vocab.ApplicationStatuses.Zh(app.Status)
	}
	return rule(field, "application_not_approved",
		"该校本年度的申报书尚未通过审核（%s） / the school's application for this edition is not approved (%s)", zh, st)
}

// within reports whether d lies in [from, to].
func within(d, from, to time.Time) bool { return !d.Before(from) && !d.After(to) }
