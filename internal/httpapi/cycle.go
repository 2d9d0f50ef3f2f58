package httpapi

import (
	"context"
	"errors"
	"net/http"

	"talentdb/internal/access"
	"talentdb/internal/cycle"
)

// The yearly cycle (docs/cycle.md): applications, nominations and their steps, public
// notices and objections, growth logs, tasks, training sessions, who is behind, the
// summary evaluation, year summaries, exchange recommendations and typical cases. The
// rules, and who may see and do what, are the cycle door's (internal/cycle); the handlers
// decode, call the door once and answer.

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

// cycleForbidden is the 403 of a write the caller's role may not make.
func cycleForbidden(msg string) *Problem {
	return newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden", msg)
}

// schoolCodeFor is the school a school-level write is for: a school operator's own school
// (a school_code naming another is 400), the office's school_code (required). The door
// checks it again; asking here reports it with the body's other fields.
func (s *server) schoolCodeFor(r *http.Request, code *string, ck *checker) string {
	c := callerFrom(r)
	if c.Role != access.RoleSchoolOperator {
		return ck.required("school_code", code)
	}
	own, fe := s.doors.Cycle.OwnSchool(r.Context(), c, ck.optional(code))
	if fe != nil {
		ck.add(fe.Field, fe.Rule, fe.Message)
	}
	return own
}

// pageQuery is what every list of a school's cycle records reads of its query: the
// edition, the school (a code) and the page (rows to read: one more than shown).
type pageQuery struct {
	Edition, School *string
	AfterID         int64
	Limit           int
}

// schoolPage serves one page of a list of the cycle's school records: the query names
// edition, school, after, limit and the parameters extra lists; filter makes the door's
// filter of the page and those (q reports a bad one), list reads the page from the door.
func schoolPage[F, T, V any](w http.ResponseWriter, r *http.Request, extra []string,
	filter func(q *query, p pageQuery) F, list func(context.Context, access.Caller, F, *string) ([]T, error),
	id func(T) int64, view func(T) V) {
	q := newQuery(r, append([]string{"edition", "school"}, extra...)...)
	p := pageQuery{Edition: q.str("edition"), Limit: q.limit() + 1, School: q.str("school")}
	q.after(&p.AfterID)
	f := filter(q, p)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := list(r.Context(), callerFrom(r), f, p.School)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, p.Limit-1, func(t T) any { return id(t) }, view)
}

// decoded decodes the request's body into v, or answers the error and is false.
func (s *server) decoded(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := s.decode(w, r, v); err != nil {
		fail(w, r, err)
		return false
	}
	return true
}

// cycleList answers the whole list the door's list returns for the participation {id}.
func cycleList[T, V any](w http.ResponseWriter, r *http.Request,
	rows func(context.Context, access.Caller, int64) ([]T, error), view func(T) V) {
	id, ok := queryAndID(w, r, newQuery(r), "participation")
	if !ok {
		return
	}
	out, err := rows(r.Context(), callerFrom(r), id)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	list(w, out, view)
}

// cycleGet answers GET of the record {id} (entity names it) as the door's get returns
// it, with its ETag when version is given.
func cycleGet[T, V any](w http.ResponseWriter, r *http.Request, entity string,
	get func(context.Context, access.Caller, int64) (T, error), version func(T) int, view func(T) V) {
	id, err := pathID(r, entity)
	if err != nil {
		fail(w, r, err)
		return
	}
	v, err := get(r.Context(), callerFrom(r), id)
	respondCycle(w, r, entity, http.StatusOK, v, err, version, view)
}

// respondCycle answers a door's result: its error as failCycle does (naming entity), or v
// with status and, when version is given, its ETag.
func respondCycle[T, V any](w http.ResponseWriter, r *http.Request, entity string, status int, v T, err error,
	version func(T) int, view func(T) V) {
	if err != nil {
		failCycle(w, r, err, entity)
		return
	}
	if version != nil {
		setETag(w, version(v))
	}
	respondJSON(w, status, view(v))
}

// respondCycleCreated answers a door's new record: its error as failCycle does, or 201
// with the record's Location (and ETag when version is given).
func respondCycleCreated[T, V any](w http.ResponseWriter, r *http.Request, entity string, v T, err error,
	location func(T) string, version func(T) int, view func(T) V) {
	if err == nil {
		w.Header().Set("Location", location(v))
	}
	respondCycle(w, r, entity, http.StatusCreated, v, err, version, view)
}

// target reads the {id} a write names (entity for a bad one) and its If-Match, required
// or not; ok is false when it answered the request already.
func target(w http.ResponseWriter, r *http.Request, entity string, required bool) (id int64, version *int, ok bool) {
	var err error
	if required {
		var v int
		if v, err = requireIfMatch(r); err == nil {
			version = &v
		}
	} else {
		version, err = optionalIfMatch(r)
	}
	if err == nil {
		id, err = pathID(r, entity)
	}
	if err != nil {
		fail(w, r, err)
		return 0, nil, false
	}
	return id, version, true
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
		writeProblem(w, r, ruleProblem(re))
	case errors.As(err, &fe):
		writeProblem(w, r, cycleForbidden(fe.Message))
	case errors.Is(err, access.ErrNotFound):
		writeProblem(w, r, notFoundProblem(entity))
	default:
		fail(w, r, err)
	}
}
