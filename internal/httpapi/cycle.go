package httpapi

import (
	"context"
	"errors"
	"net/http"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/cycle"
	"talentdb/internal/store"
)

// The yearly cycle (docs/cycle.md): applications, nominations and their steps, public
// notices and objections, growth logs, tasks, training sessions, who is behind, the
// summary evaluation, year summaries, exchange recommendations and typical cases. The
// rules are internal/cycle's; the handlers check who may see and do what.

// cycleRoutes declares the cycle's endpoints under /api/v1 (called from routes).
func (s *server) cycleRoutes(api api) {
	api.get("/applications", access.CycleRead, s.listApplications)
	api.post("/applications", access.CycleWrite, s.createApplication)
	api.get("/applications/{id}", access.CycleRead, s.getApplication)
	api.get("/applications/{id}.xlsx", access.CycleRead, s.applicationForm)
	api.patch("/applications/{id}", access.CycleWrite, s.updateApplication)
	api.post("/applications/{id}/submit", access.CycleWrite, s.submitApplication)
	api.post("/applications/{id}/review", access.CycleReview, s.reviewApplication)

	api.post("/nominations", access.CycleWrite, s.createNomination)
	api.post("/participations/{id}/transitions", access.CycleWrite, s.stepParticipation)

	api.get("/public-notices", access.CycleRead, s.listNotices)
	api.post("/public-notices", access.CycleWrite, s.createNotice)
	api.get("/public-notices/{id}", access.CycleRead, s.getNotice)
	api.get("/objections", access.CycleRead, s.listObjections)
	api.post("/participations/{id}/objections", access.CycleWrite, s.createObjection)
	api.get("/objections/{id}", access.CycleRead, s.getObjection)
	api.post("/objections/{id}/resolve", access.CycleWrite, s.resolveObjection)

	api.get("/participations/{id}/growth-logs", access.ParticipantRead, s.listGrowthLogs)
	api.post("/participations/{id}/growth-logs", access.CycleWrite, s.createGrowthLog)
	api.patch("/growth-logs/{id}", access.CycleWrite, s.updateGrowthLog)
	api.post("/growth-logs/{id}/feedback", access.MentorWrite, s.feedbackGrowthLog)
	api.get("/participations/{id}/tasks", access.ParticipantRead, s.listTasks)
	api.post("/participations/{id}/tasks", access.MentorWrite, s.createTask)
	api.patch("/tasks/{id}", access.MentorWrite, s.updateTask)
	api.post("/tasks/{id}/complete", access.StaffWrite, s.completeTask)
	api.get("/training-sessions", access.CycleRead, s.listTrainings)
	api.post("/training-sessions", access.CycleWrite, s.createTraining)
	api.get("/training-sessions/{id}", access.CycleRead, s.getTraining)
	api.put("/training-sessions/{id}/attendance", access.CycleWrite, s.setAttendance)
	api.get("/cycle/behind", access.ParticipantRead, s.behind)

	api.get("/participations/{id}/evaluation", access.ParticipantRead, s.getEvaluation)
	api.post("/participations/{id}/evaluation", access.StaffWrite, s.assess)
	api.get("/year-summaries", access.CycleRead, s.listYearSummaries)
	api.post("/year-summaries", access.CycleWrite, s.createYearSummary)
	api.get("/year-summaries/{id}", access.CycleRead, s.getYearSummary)
	api.patch("/year-summaries/{id}", access.CycleWrite, s.updateYearSummary)
	api.post("/year-summaries/{id}/submit", access.CycleWrite, s.submitYearSummary)
	api.get("/exchange-recommendations", access.ParticipantRead, s.listExchanges)
	api.post("/exchange-recommendations", access.CycleReview, s.createExchange)
	api.get("/typical-cases", access.CycleRead, s.listCases)
	api.post("/typical-cases", access.CycleWrite, s.createCase)
	api.get("/typical-cases/{id}", access.CycleRead, s.getCase)
}

func init() {
	registerConstraints(map[string]constraintField{
		"applications_edition_school_key": {http.StatusConflict, "edition", "unique",
			"该校已有本年度的申报书 / the school already has an application for this edition"},
		"year_summaries_key": {http.StatusConflict, "edition", "unique",
			"该校已有本年度的年度总结 / the school already has a year summary for this edition"},
		"exchange_recommendations_key": {http.StatusConflict, "activity", "unique",
			"该学员已被推荐参加该活动 / the participant is already recommended to this activity"},
		"public_notice_nominees_pkey": {http.StatusConflict, "notice_id", "unique",
			"该人员已在公示中 / the nominee is already on a public notice"},
	})
}

// cycleService returns the cycle's rules on the server's store.
func (s *server) cycleService() *cycle.Service { return cycle.New(s.store) }

// caller is who asks, as the cycle's handlers see it: the office (writes everything),
// province-wide readers, or a scope (one school, one city, one mentor). With
// authentication switched off every caller is the office.
type caller struct {
	role     string
	office   bool // office_admin (or no authentication): may do everything
	readAll  bool // office_admin, office_analyst
	schoolID *int64
	cityCode *string
	mentorID *int64
}

func callerOf(r *http.Request) caller {
	p, ok := auth.FromContext(r.Context())
	if !ok {
		return caller{role: auth.RoleOfficeAdmin, office: true, readAll: true}
	}
	c := caller{role: p.Role, office: p.Role == auth.RoleOfficeAdmin, readAll: p.ProvinceWide()}
	switch p.Role {
	case auth.RoleSchoolOperator:
		c.schoolID = &p.SchoolID
	case auth.RoleCityCoordinator:
		c.cityCode = &p.CityCode
	case auth.RoleMentor:
		c.mentorID = &p.MentorID
	}
	return c
}

// school reports whether c is the operator of school id.
func (c caller) school(id int64) bool { return c.schoolID != nil && *c.schoolID == id }

// mentor reports whether c is mentor id.
func (c caller) mentor(id *int64) bool { return c.mentorID != nil && id != nil && *c.mentorID == *id }

// schoolWide reports whether c may read school-level records at all (not mentors, not
// auditors).
func (c caller) schoolWide() bool { return c.readAll || c.schoolID != nil || c.cityCode != nil }

// cycleForbidden is the 403 of a write the caller's role may not make.
func cycleForbidden(msg string) *Problem {
	return newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden", msg)
}

var errForbiddenRead = cycleForbidden("您的角色不能查看该内容 / Your role may not see this.")

// visibleRecord resolves the {id} of a school's cycle record (read with get) to one the
// caller may see: a record of a school in the caller's scope or, when mentorOf is given,
// of the caller's own participant. Anything else is store.ErrNotFound, as if it did not
// exist, so that a record of another school cannot be told from a missing one.
func visibleRecord[T any](s *server, r *http.Request, c caller, what string,
	get func(context.Context, int64) (T, error), schoolOf func(T) int64, mentorOf func(T) *int64) (T, error) {
	var zero T
	id, err := pathID(r, what)
	if err != nil {
		return zero, err
	}
	v, err := get(r.Context(), id)
	if err != nil {
		return v, err
	}
	if mentorOf != nil && c.mentor(mentorOf(v)) {
		return v, nil
	}
	ok, err := s.canSeeSchool(r.Context(), c, schoolOf(v))
	if err != nil {
		return v, err
	}
	if !ok {
		return v, store.ErrNotFound
	}
	return v, nil
}

// canSeeSchool reports whether c may read a record of school schoolID (the city is read
// only for a coordinator).
func (s *server) canSeeSchool(ctx context.Context, c caller, schoolID int64) (bool, error) {
	switch {
	case c.readAll:
		return true, nil
	case c.schoolID != nil:
		return *c.schoolID == schoolID, nil
	case c.cityCode != nil:
		city, err := s.store.SchoolCity(ctx, schoolID)
		if err != nil {
			return false, err
		}
		return city == *c.cityCode, nil
	}
	return false, nil
}

// canSeeParticipation reports whether c may read a participation's records: by its
// school's scope, or as its mentor.
func (s *server) canSeeParticipation(ctx context.Context, c caller, p store.Participation) (bool, error) {
	if c.mentor(p.MentorID) {
		return true, nil
	}
	return s.canSeeSchool(ctx, c, p.SchoolID)
}

// participationFor resolves the {id} of /participations/{id}/… to a participation the
// caller may see (404 otherwise: another school's record does not exist for them).
func (s *server) participationFor(r *http.Request, c caller) (store.Participation, error) {
	id, err := pathID(r, "participation")
	if err != nil {
		return store.Participation{}, err
	}
	p, err := s.store.ParticipationGet(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return p, notFoundProblem("participation")
	}
	if err != nil {
		return p, err
	}
	ok, err := s.canSeeParticipation(r.Context(), c, p)
	if err != nil {
		return p, err
	}
	if !ok {
		return p, notFoundProblem("participation")
	}
	return p, nil
}

// schoolScope turns the caller's scope and an optional school filter (a code) into the
// store's filter: nil, nil when the caller reads everything and names no school. empty is
// true when the filter names a school outside the caller's scope (the answer is empty).
func (s *server) schoolScope(ctx context.Context, c caller, code *string) (schoolID *int64, city *string, empty bool, err error) {
	schoolID, city = c.schoolID, c.cityCode
	if code == nil {
		return schoolID, city, false, nil
	}
	o, err := s.store.OrganizationByCode(ctx, *code)
	if errors.Is(err, store.ErrNotFound) {
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

// failCycle answers the errors of the cycle: rule violations 422 naming the field,
// office-only steps 403, an unknown record 404 naming entity; the rest as fail does.
func failCycle(w http.ResponseWriter, r *http.Request, err error, entity string) {
	var (
		re *cycle.RuleError
		fe *cycle.ForbiddenError
	)
	switch {
	case errors.As(err, &re):
		p := newProblem(http.StatusUnprocessableEntity, ProblemRule, "Rule violation", re.Message)
		p.Errors = []FieldError{{Field: re.Field, Rule: re.Rule, Message: re.Message}}
		writeProblem(w, r, p)
	case errors.As(err, &fe):
		writeProblem(w, r, cycleForbidden(fe.Message))
	case errors.Is(err, store.ErrNotFound):
		writeProblem(w, r, notFoundProblem(entity))
	default:
		fail(w, r, err)
	}
}
