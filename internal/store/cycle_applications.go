package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// This file and the other cycle*.go files hold the store side of the yearly cycle
// (docs/cycle.md): the rows, their locks and audit. The rules live in internal/cycle and
// reach these functions as decide/apply functions that run inside the transaction.

// ApplicationPhase is one row of an application's schedule table (项目进度计划).
type ApplicationPhase struct {
	Phase    string
	Content  string
	StartsOn time.Time
	EndsOn   time.Time
}

// ApplicationConditions are the implementation conditions (组织实施条件) of the form.
type ApplicationConditions struct {
	Organization *string
	Staff        *string
	Environment  *string
	TrackRecord  *string
	Rules        *string
	Funding      *string
}

// ApplicationForm is everything a school fills in on the form (申报书).
type ApplicationForm struct {
	UnitName   string
	UnitType   *string
	Address    *string
	PostalCode *string
	Head       Contact
	Lead       Contact
	Conditions ApplicationConditions
	Phases     []ApplicationPhase
	AppliedOn  *time.Time
}

// Application is a school's application to take part in an edition, with its review state.
type Application struct {
	ApplicationForm
	ID              int64
	EditionID       string
	Program         string
	EditionStartsOn time.Time
	EditionEndsOn   time.Time
	SchoolID        int64
	SchoolCode      string
	SchoolCityCode  string
	Status          string
	SubmittedAt     *time.Time
	ReviewedAt      *time.Time
	ReviewedBy      *string
	ReviewComment   *string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int
}

// ApplicationFilter selects one page of applications; nil fields do not filter. SchoolID
// and CityCode restrict the list to a caller's scope.
type ApplicationFilter struct {
	Edition  *string
	Status   *string
	SchoolID *int64
	CityCode *string
	AfterID  int64
	Limit    int
}

func applicationFrom(r db.CycleApplicationGetRow) Application {
	return Application{
		ApplicationForm: ApplicationForm{UnitName: r.UnitName, UnitType: r.UnitType, Address: r.Address,
			PostalCode: r.PostalCode,
			Head: Contact{Name: r.HeadName, Title: r.HeadTitle, OfficePhone: r.HeadOfficePhone, Mobile: r.HeadMobile,
				Email: r.HeadEmail, Fax: r.HeadFax},
			Lead: Contact{Name: r.LeadName, Title: r.LeadTitle, OfficePhone: r.LeadOfficePhone, Mobile: r.LeadMobile,
				Email: r.LeadEmail, Fax: r.LeadFax},
			Conditions: ApplicationConditions{Organization: r.CondOrganization, Staff: r.CondStaff,
				Environment: r.CondEnvironment, TrackRecord: r.CondTrackRecord, Rules: r.CondRules, Funding: r.CondFunding},
			Phases: []ApplicationPhase{}, AppliedOn: r.AppliedOn},
		ID: r.ID, EditionID: r.EditionID, Program: r.Program, EditionStartsOn: r.EditionStartsOn,
		EditionEndsOn: r.EditionEndsOn, SchoolID: r.SchoolID, SchoolCode: r.SchoolCode,
		SchoolCityCode: deref(r.SchoolCityCode), Status: r.Status, SubmittedAt: r.SubmittedAt,
		ReviewedAt: r.ReviewedAt, ReviewedBy: r.ReviewedBy, ReviewComment: r.ReviewComment,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

// withPhases reads the schedule tables of apps in one query.
func (s *Store) withPhases(ctx context.Context, q db.DBTX, apps []Application) error {
	if len(apps) == 0 {
		return nil
	}
	ids := make([]int64, len(apps))
	at := make(map[int64]int, len(apps))
	for i, a := range apps {
		ids[i], at[a.ID] = a.ID, i
	}
	rows, err := s.q.CycleApplicationPhases(ctx, q, ids)
	if err != nil {
		return err
	}
	for _, r := range rows {
		a := &apps[at[r.ApplicationID]]
		a.Phases = append(a.Phases, ApplicationPhase{Phase: r.Phase, Content: r.Content, StartsOn: r.StartsOn, EndsOn: r.EndsOn})
	}
	return nil
}

func (s *Store) applicationGet(ctx context.Context, q db.DBTX, id int64) (Application, error) {
	r, err := s.q.CycleApplicationGet(ctx, q, id)
	if err != nil {
		return Application{}, err
	}
	apps := []Application{applicationFrom(r)}
	if err := s.withPhases(ctx, q, apps); err != nil {
		return Application{}, err
	}
	return apps[0], nil
}

// ApplicationGet returns one application with its schedule, or ErrNotFound.
func (s *Store) ApplicationGet(ctx context.Context, id int64) (Application, error) {
	a, err := s.applicationGet(ctx, s.scoped(), id)
	if err != nil {
		return Application{}, mapErr("get application", err)
	}
	return a, nil
}

// ApplicationList returns up to f.Limit applications with id > f.AfterID, by id.
func (s *Store) ApplicationList(ctx context.Context, f ApplicationFilter) ([]Application, error) {
	rows, err := s.q.CycleApplicationList(ctx, s.scoped(), db.CycleApplicationListParams{AfterID: f.AfterID,
		Edition: f.Edition, Status: f.Status, SchoolID: f.SchoolID, CityCode: f.CityCode, Lim: int32(f.Limit)})
	if err != nil {
		return nil, mapErr("list applications", err)
	}
	out := make([]Application, len(rows))
	for i, r := range rows {
		out[i] = applicationFrom(db.CycleApplicationGetRow(r))
	}
	if err := s.withPhases(ctx, s.scoped(), out); err != nil {
		return nil, mapErr("list applications", err)
	}
	return out, nil
}

// ApplicationCount is how many applications f matches (f.AfterID and f.Limit aside) in
// ctx's scope.
func (s *Store) ApplicationCount(ctx context.Context, f ApplicationFilter) (int, error) {
	n, err := s.q.CycleApplicationCount(ctx, s.scoped(), db.CycleApplicationCountParams{Edition: f.Edition,
		Status: f.Status, SchoolID: f.SchoolID, CityCode: f.CityCode})
	if err != nil {
		return 0, mapErr("count applications", err)
	}
	return int(n), nil
}

// ApplicationPrepare is the rule check of a new application, run in the transaction with
// the edition and the school it names; it may fill in the form (defaults from the school).
type ApplicationPrepare func(ed Edition, school Organization, form *ApplicationForm) error

// ApplicationCreate inserts a draft application of school schoolCode for editionID after
// prepare accepted it, and audits it. A second application of the same school for the
// edition is a *ConstraintError (applications_edition_school_key).
func (s *Store) ApplicationCreate(ctx context.Context, a Actor, editionID, schoolCode string, form ApplicationForm,
	prepare ApplicationPrepare) (Application, error) {
	var out Application
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		edRow, err := s.editionNamed(ctx, tx, editionID)
		if err != nil {
			return err
		}
		orgRow, err := s.organizationRowByCode(ctx, tx, "school_code", schoolCode, "")
		if err != nil {
			return err
		}
		if err := prepare(editionFrom(edRow), organizationFrom(orgRow), &form); err != nil {
			return err
		}
		p := applicationParams(form)
		id, err := s.q.CycleApplicationInsert(ctx, tx, db.CycleApplicationInsertParams{EditionID: editionID,
			SchoolID: orgRow.ID, UnitName: form.UnitName, UnitType: p.UnitType, Address: p.Address,
			PostalCode: p.PostalCode, HeadName: p.HeadName, HeadTitle: p.HeadTitle,
			HeadOfficePhone: p.HeadOfficePhone, HeadMobile: p.HeadMobile, HeadEmail: p.HeadEmail, HeadFax: p.HeadFax,
			LeadName: p.LeadName, LeadTitle: p.LeadTitle, LeadOfficePhone: p.LeadOfficePhone, LeadMobile: p.LeadMobile,
			LeadEmail: p.LeadEmail, LeadFax: p.LeadFax, CondOrganization: p.CondOrganization, CondStaff: p.CondStaff,
			CondEnvironment: p.CondEnvironment, CondTrackRecord: p.CondTrackRecord, CondRules: p.CondRules,
			CondFunding: p.CondFunding, AppliedOn: p.AppliedOn})
		if err != nil {
			return err
		}
		if err := s.writePhases(ctx, tx, id, orgRow.ID, form.Phases); err != nil {
			return err
		}
		if out, err = s.applicationGet(ctx, tx, id); err != nil {
			return err
		}
		return s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "application", EntityID: fmt.Sprint(id),
			SchoolID: &out.SchoolID, After: applicationAudit(out)})
	})
	if err != nil {
		return Application{}, writeErr("create application", "", err)
	}
	return out, nil
}

// ApplicationChange changes an application: Apply edits *cur (form fields, status, review
// fields) or refuses with an error. Action is the audit action: "update" for an edit of
// the form, "transition" for a change of status (submit, review).
type ApplicationChange struct {
	Version *int
	Action  string
	Apply   func(cur *Application) error
}

// ApplicationUpdate locks the application, checks the version when given, lets c.Apply
// change it, writes the whole row and its schedule table and audits before and after.
func (s *Store) ApplicationUpdate(ctx context.Context, a Actor, id int64, c ApplicationChange) (Application, error) {
	return updateLocked(ctx, s, a, id, c.Version, lockedWrite[int64, Application]{op: "update application",
		entity: "application", lock: s.q.CycleApplicationLock, get: s.applicationGet,
		write: func(ctx context.Context, tx pgx.Tx, cur Application) (*Application, error) {
			next := cur
			next.Phases = append([]ApplicationPhase(nil), cur.Phases...)
			if err := c.Apply(&next); err != nil {
				return nil, err
			}
			p := applicationParams(next.ApplicationForm)
			p.ID, p.Status, p.UnitName = id, next.Status, next.UnitName
			p.SubmittedAt, p.ReviewedAt, p.ReviewedBy, p.ReviewComment = next.SubmittedAt, next.ReviewedAt, next.ReviewedBy, next.ReviewComment
			if err := s.q.CycleApplicationUpdate(ctx, tx, p); err != nil {
				return nil, err
			}
			return nil, s.writePhases(ctx, tx, id, cur.SchoolID, next.Phases)
		},
		audit: func(before, after Application) AuditEntry {
			return AuditEntry{Action: c.Action, SchoolID: &after.SchoolID, Before: applicationAudit(before),
				After: applicationAudit(after)}
		}})
}

// ApplicationStatus is the state of a school's application for an edition as the other
// steps of the cycle see it.
type ApplicationStatus struct {
	ID     int64
	Status string
	// SummaryStartsOn is the start of the summary-evaluation phase (nil without one).
	SummaryStartsOn *time.Time
}

// applicationOf returns the school's application for the edition, or nil without one.
func (s *Store) applicationOf(ctx context.Context, q db.DBTX, editionID string, schoolID int64) (*ApplicationStatus, error) {
	r, err := s.q.CycleApplicationOf(ctx, q, db.CycleApplicationOfParams{EditionID: editionID, SchoolID: schoolID})
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &ApplicationStatus{ID: r.ID, Status: r.Status, SummaryStartsOn: r.SummaryStartsOn}, nil
}

func (s *Store) writePhases(ctx context.Context, tx pgx.Tx, appID, schoolID int64, phases []ApplicationPhase) error {
	if err := s.q.CycleApplicationPhasesDelete(ctx, tx, appID); err != nil {
		return err
	}
	for _, ph := range phases {
		if err := s.q.CycleApplicationPhaseInsert(ctx, tx, db.CycleApplicationPhaseInsertParams{ApplicationID: appID,
			SchoolID: schoolID, Phase: ph.Phase, Content: ph.Content, StartsOn: ph.StartsOn, EndsOn: ph.EndsOn}); err != nil {
			return err
		}
	}
	return nil
}

// applicationParams maps the form to the update parameters (the insert takes the same).
func applicationParams(f ApplicationForm) db.CycleApplicationUpdateParams {
	return db.CycleApplicationUpdateParams{UnitName: f.UnitName, UnitType: f.UnitType, Address: f.Address,
		PostalCode: f.PostalCode, HeadName: f.Head.Name, HeadTitle: f.Head.Title, HeadOfficePhone: f.Head.OfficePhone,
		HeadMobile: f.Head.Mobile, HeadEmail: f.Head.Email, HeadFax: f.Head.Fax, LeadName: f.Lead.Name,
		LeadTitle: f.Lead.Title, LeadOfficePhone: f.Lead.OfficePhone, LeadMobile: f.Lead.Mobile,
		LeadEmail: f.Lead.Email, LeadFax: f.Lead.Fax, CondOrganization: f.Conditions.Organization,
		CondStaff: f.Conditions.Staff, CondEnvironment: f.Conditions.Environment,
		CondTrackRecord: f.Conditions.TrackRecord, CondRules: f.Conditions.Rules, CondFunding: f.Conditions.Funding,
		AppliedOn: f.AppliedOn}
}

// applicationAudit is the audit snapshot of an application: the review state and the form
// (contact details of staff are business contacts, not personal data of participants).
func applicationAudit(a Application) map[string]any {
	phases := make(map[string]any, len(a.Phases))
	for _, p := range a.Phases {
		phases[p.Phase] = map[string]any{"content": p.Content, "starts_on": p.StartsOn.Format(time.DateOnly),
			"ends_on": p.EndsOn.Format(time.DateOnly)}
	}
	return map[string]any{"edition": a.EditionID, "school_code": a.SchoolCode, "status": a.Status,
		"unit_name": a.UnitName, "unit_type": a.UnitType, "address": a.Address, "postal_code": a.PostalCode,
		"head": contactAudit(a.Head), "lead": contactAudit(a.Lead), "conditions": conditionsAudit(a.Conditions), "phases": phases,
		"applied_on": dateOnly(a.AppliedOn), "submitted_at": a.SubmittedAt, "reviewed_at": a.ReviewedAt,
		"reviewed_by": a.ReviewedBy, "review_comment": a.ReviewComment}
}

// conditionsAudit is the form's implementation conditions as the audit image shows them.
func conditionsAudit(c ApplicationConditions) map[string]any {
	return map[string]any{"organization": c.Organization, "staff": c.Staff, "environment": c.Environment,
		"track_record": c.TrackRecord, "rules": c.Rules, "funding": c.Funding}
}

// OrganizationByCode returns the organization with code, or ErrNotFound.
func (s *Store) OrganizationByCode(ctx context.Context, code string) (Organization, error) {
	r, err := s.q.OrganizationGetByCode(ctx, s.scoped(), code)
	if err != nil {
		return Organization{}, mapErr("get organization", err)
	}
	return organizationFrom(r), nil
}
