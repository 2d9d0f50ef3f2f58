package cycle

import (
	"context"
	"errors"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// The records of the cycle as the door takes and returns them. They are the store's rows
// under the cycle's names, so that the paths above the door (httpapi, web) name the cycle,
// never the store.
type (
	// Application is a school's application (申报书) to take part in an edition.
	Application = store.Application
	// ApplicationForm is the filled form of an application: unit, contacts, phases, conditions.
	ApplicationForm = store.ApplicationForm
	// ApplicationPhase is one phase of an application's schedule table.
	ApplicationPhase = store.ApplicationPhase
	// ApplicationConditions are an application's implementation conditions.
	ApplicationConditions = store.ApplicationConditions
	// Contact is the unit head or project lead of an application.
	Contact = store.Contact
	// ApplicationFilter selects one page of applications.
	ApplicationFilter = store.ApplicationFilter
	// Participation is a nominee or participant of an edition.
	Participation = store.Participation
	// Notice is a public notice (公示) of a school's nominees.
	Notice = store.Notice
	// NoticeFilter selects one page of public notices.
	NoticeFilter = store.NoticeFilter
	// Objection is an objection (异议) lodged against a publicized nominee.
	Objection = store.Objection
	// ObjectionFilter selects one page of objections.
	ObjectionFilter = store.ObjectionFilter
	// GrowthLog is one entry of a student's growth log, with the mentor's feedback.
	GrowthLog = store.GrowthLog
	// Task is a task a mentor set a participant.
	Task = store.Task
	// Training is a school's training or safety-education session with its attendance.
	Training = store.Training
	// TrainingFilter selects one page of training sessions.
	TrainingFilter = store.TrainingFilter
	// BehindFilter selects who is behind: an edition, a school, a city or a mentor.
	BehindFilter = store.BehindFilter
	// BehindRow is one participant who is behind (growth log, overdue tasks).
	BehindRow = store.BehindRow
	// Assessment is the mentor's or the school's assessment of a participant.
	Assessment = store.Assessment
	// YearSummary is a school's year summary (年度总结).
	YearSummary = store.YearSummary
	// YearSummaryFilter selects one page of year summaries.
	YearSummaryFilter = store.YearSummaryFilter
	// Exchange is a recommendation of a participant to a science exchange activity.
	Exchange = store.Exchange
	// ExchangeFilter selects one page of exchange recommendations.
	ExchangeFilter = store.ExchangeFilter
	// TypicalCase is a typical case (典型案例) with the persons it names.
	TypicalCase = store.TypicalCase
	// TypicalCaseFilter selects one page of typical cases.
	TypicalCaseFilter = store.TypicalCaseFilter
	// TypicalCaseInput is a new typical case.
	TypicalCaseInput = store.TypicalCaseInput
	// Nominee is one line of a school's nominees (the web app's school workspace).
	Nominee = store.Nominee
)

// scoped authorizes c for act and returns ctx in c's scope, for the store.
func scoped(ctx context.Context, c access.Caller, act access.Action) (context.Context, error) {
	if err := access.Authorize(c, act); err != nil {
		return ctx, err
	}
	return store.WithScope(ctx, store.ScopeFor(c)), nil
}

// forbidden is the 403 of a write the caller's role may not make of this record.
func forbidden(msg string) error { return &ForbiddenError{Message: msg} }

// ofSchool reports whether c is the operator of school id.
func ofSchool(c access.Caller, id int64) bool {
	return c.Role == access.RoleSchoolOperator && c.SchoolID == id
}

// mentorOf reports whether c is mentor id.
func mentorOf(c access.Caller, id *int64) bool {
	return c.Role == access.RoleMentor && id != nil && c.MentorID == *id
}

// officeOrSchool refuses c with msg unless it is the office or the operator of school id.
func officeOrSchool(c access.Caller, id int64, msg string) error {
	if c.Office() || ofSchool(c, id) {
		return nil
	}
	return forbidden(msg)
}

// officeOrMentor refuses c with msg unless it is the office or mentor id.
func officeOrMentor(c access.Caller, id *int64, msg string) error {
	if c.Office() || mentorOf(c, id) {
		return nil
	}
	return forbidden(msg)
}

// seesSchool reports whether c may read a record of school schoolID (the city is read
// only for a coordinator).
func (s *Service) seesSchool(ctx context.Context, c access.Caller, schoolID int64) (bool, error) {
	switch {
	case c.ProvinceWide():
		return true, nil
	case c.Role == access.RoleSchoolOperator:
		return c.SchoolID == schoolID, nil
	case c.Role == access.RoleCityCoordinator:
		city, err := s.store.SchoolCity(ctx, schoolID)
		if err != nil {
			return false, err
		}
		return city == c.CityCode, nil
	}
	return false, nil
}

// visible reads record id with get and returns it when c may see it: a record of a school
// in c's scope or, when mentor is given, of c's own participant. Anything else is
// access.ErrNotFound, as if it did not exist, so that a record of another school cannot be
// told from a missing one.
func visible[T any](ctx context.Context, s *Service, c access.Caller, id int64,
	get func(context.Context, int64) (T, error), school func(T) int64, mentor func(T) *int64) (T, error) {
	v, err := get(ctx, id)
	if err != nil {
		return v, err
	}
	if mentor != nil && mentorOf(c, mentor(v)) {
		return v, nil
	}
	ok, err := s.seesSchool(ctx, c, school(v))
	if err != nil {
		return v, err
	}
	if !ok {
		var zero T
		return zero, access.ErrNotFound
	}
	return v, nil
}

// participation is participation id as c may see it: by its school's scope, or as its
// mentor — and never a participant whose guardian withdrew consent, to a school, a city or
// a mentor (the store's scope check, the same predicate as every other read by id).
func (s *Service) participation(ctx context.Context, c access.Caller, id int64) (Participation, error) {
	return visible(ctx, s, c, id, s.store.ParticipationGetScoped, func(p Participation) int64 { return p.SchoolID },
		func(p Participation) *int64 { return p.MentorID })
}

// schoolScope turns c's scope and an optional school filter (a code) into the store's
// filter: nil, nil when c reads everything and names no school. empty is true when the
// filter names a school outside c's scope (the answer is empty).
func (s *Service) schoolScope(ctx context.Context, c access.Caller, code *string) (schoolID *int64, city *string, empty bool, err error) {
	switch c.Role {
	case access.RoleSchoolOperator:
		id := c.SchoolID
		schoolID = &id
	case access.RoleCityCoordinator:
		cc := c.CityCode
		city = &cc
	}
	if code == nil {
		return schoolID, city, false, nil
	}
	o, err := s.store.OrganizationByCode(ctx, *code)
	if errors.Is(err, access.ErrNotFound) {
		return nil, nil, true, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	if schoolID != nil && *schoolID != o.ID || city != nil && *city != o.CityCode {
		return nil, nil, true, nil
	}
	return &o.ID, city, false, nil
}

// listed authorizes c for act and runs list in c's scope, with the filter's school and
// city (the fields schoolID and city point to) narrowed to c's scope and to school (a
// code; nil: every school c sees). A school outside c's scope lists nothing. A city the
// filter names is kept for a caller not bound to one (the office).
func listed[T any](ctx context.Context, s *Service, c access.Caller, act access.Action, school *string,
	schoolID **int64, city **string, list func(context.Context) ([]T, error)) ([]T, error) {
	ctx, err := scoped(ctx, c, act)
	if err != nil {
		return nil, err
	}
	id, cc, empty, err := s.schoolScope(ctx, c, school)
	if err != nil || empty {
		return []T{}, err
	}
	*schoolID = id
	if cc != nil { // a city the caller asked for stands unless its scope is one city
		*city = cc
	}
	return list(ctx)
}

// read authorizes c for act and returns record id as c may see it (see visible).
func read[T any](ctx context.Context, s *Service, c access.Caller, act access.Action, id int64,
	get func(context.Context, int64) (T, error), school func(T) int64, mentor func(T) *int64) (T, error) {
	ctx, err := scoped(ctx, c, act)
	if err != nil {
		var zero T
		return zero, err
	}
	return visible(ctx, s, c, id, get, school, mentor)
}

// OwnSchool is the school a school-level write of c is for, as a code: a school
// operator's own school (code, when given, must name it), anyone else's code as given.
// The problem is a *access.FieldError on school_code. Every write of a school's record
// checks it; a path may ask first, to report it together with the other fields.
func (s *Service) OwnSchool(ctx context.Context, c access.Caller, code *string) (string, *access.FieldError) {
	if c.Role != access.RoleSchoolOperator {
		if code == nil {
			return "", nil
		}
		return *code, nil
	}
	ctx = store.WithScope(ctx, store.ScopeFor(c))
	o, err := s.store.OrganizationGet(ctx, c.SchoolID)
	if err != nil {
		return "", &access.FieldError{Field: "school_code", Rule: "exists", Message: "找不到您的学校 / your school was not found"}
	}
	if code != nil && *code != "" && *code != o.Code {
		return o.Code, &access.FieldError{Field: "school_code", Rule: "scope", Message: "只能为本校填报 / you may act for your own school only"}
	}
	return o.Code, nil
}

// ownSchool sets *code to the school a write of c is for (see OwnSchool).
func (s *Service) ownSchool(ctx context.Context, c access.Caller, code *string) error {
	own, fe := s.OwnSchool(ctx, c, code)
	if fe != nil {
		return fe
	}
	*code = own
	return nil
}
