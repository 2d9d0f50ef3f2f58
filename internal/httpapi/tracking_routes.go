package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"talentdb/internal/access"
	"talentdb/internal/tracking"
)

// trackingRoutes declares the tracking endpoints under /api/v1: awards, destinations,
// career moves, follow-ups and a person's timeline. It is called from routes; the
// handlers live in their own files of this package and reuse the shared helpers
// (decodeJSON, respondJSON, fail, requireIfMatch, newQuery, respondPage, callerFrom).
func (s *server) trackingRoutes(api api) {
	aw, de, cm, fu := s.awardRoutes(), s.destinationRoutes(), s.careerMoveRoutes(), s.followUpRoutes()
	api.get("/persons/{id}/awards", access.TrackingRead, aw.list)
	api.post("/persons/{id}/awards", access.TrackingWrite, aw.create)
	api.get("/awards/{id}", access.TrackingRead, aw.get)
	api.patch("/awards/{id}", access.TrackingWrite, aw.update)
	api.delete("/awards/{id}", access.TrackingWrite, aw.delete)
	api.post("/awards/{id}/restore", access.TrackingWrite, aw.restore)
	api.post("/awards/{id}/verify", access.AwardVerify, s.verifyAward)

	api.get("/persons/{id}/destinations", access.TrackingRead, de.list)
	api.post("/persons/{id}/destinations", access.TrackingWrite, de.create)
	api.get("/destinations/{id}", access.TrackingRead, de.get)
	api.patch("/destinations/{id}", access.TrackingWrite, de.update)
	api.delete("/destinations/{id}", access.TrackingWrite, de.delete)
	api.post("/destinations/{id}/restore", access.TrackingWrite, de.restore)

	api.get("/persons/{id}/career-moves", access.TrackingRead, cm.list)
	api.post("/persons/{id}/career-moves", access.TrackingWrite, cm.create)
	api.get("/career-moves/{id}", access.TrackingRead, cm.get)
	api.patch("/career-moves/{id}", access.TrackingWrite, cm.update)
	api.delete("/career-moves/{id}", access.TrackingWrite, cm.delete)
	api.post("/career-moves/{id}/restore", access.TrackingWrite, cm.restore)
	api.get("/persons/{id}/career", access.PersonRead, s.careerOn)
	api.get("/stats/teachers-in-education", access.StatsRead, s.teachersInEducation)

	api.get("/persons/{id}/follow-ups", access.TrackingRead, fu.list)
	api.post("/persons/{id}/follow-ups", access.TrackingWrite, fu.create)
	api.get("/follow-ups/{id}", access.TrackingRead, fu.get)
	api.patch("/follow-ups/{id}", access.TrackingWrite, fu.update)
	api.delete("/follow-ups/{id}", access.TrackingWrite, fu.delete)
	api.post("/follow-ups/{id}/restore", access.TrackingWrite, fu.restore)
	api.get("/follow-ups/due", access.StatsRead, s.followUpsDue)
	api.get("/follow-ups/coverage", access.StatsRead, s.followUpCoverage)

	api.get("/persons/{id}/timeline", access.PersonRead, s.timeline)
}

// ProblemRule is the type of a 422: the request is well formed but breaks a rule of the
// domain (a date in the future or before birth, an overlapping career move, a contact
// after an opt-out, a verification step that is not allowed).
const ProblemRule = problemBase + "rule-violation"

// resourcePath is the API path of a tracking record.
func resourcePath(entity string, id int64) string {
	return fmt.Sprintf("/api/v1/%ss/%d", strings.ReplaceAll(entity, "_", "-"), id)
}

// duplicateProblem is the 409 of a record reported twice: it points at the existing one.
type duplicateProblem struct {
	*Problem
	ExistingID int64  `json:"existing_id"`
	Existing   string `json:"existing"`
}

// failTracking answers the errors of the tracking writes: rule violations 422, duplicates
// 409 with the existing record, writes to a merged person or a deleted record 409, an
// unknown record 404 naming entity; everything else as fail does.
func failTracking(w http.ResponseWriter, r *http.Request, err error, entity string) {
	var (
		re  *tracking.RuleError
		dup *tracking.DuplicateError
		me  *tracking.MergedError
	)
	switch {
	case errors.As(err, &re):
		writeProblem(w, r, ruleProblem(re))
	case errors.As(err, &dup):
		field, msg := tracking.Duplicate(dup)
		writeDuplicate(w, r, duplicateProblem{Problem: conflictProblem(field, "duplicate", msg),
			ExistingID: dup.ExistingID, Existing: resourcePath(dup.Entity, dup.ExistingID)})
	case errors.As(err, &me):
		writeProblem(w, r, newProblem(http.StatusConflict, ProblemConflict, "Conflict", fmt.Sprintf(
			"该人员已合并到 %d，请在该人员下记录 / the person was merged into person %d; record it there", me.Into, me.Into)))
	case errors.Is(err, tracking.ErrDeleted):
		writeProblem(w, r, newProblem(http.StatusConflict, ProblemConflict, "Conflict",
			"记录已删除，请先恢复（POST …/restore） / the record is deleted; restore it first (POST …/restore)"))
	case errors.Is(err, access.ErrNotFound):
		writeProblem(w, r, notFoundProblem(strings.ReplaceAll(entity, "_", " ")))
	default:
		fail(w, r, err)
	}
}

// writeDuplicate sends a duplicateProblem the way writeProblem sends a Problem.
func writeDuplicate(w http.ResponseWriter, r *http.Request, p duplicateProblem) {
	q := *p.Problem
	q.RequestID = requestIDFrom(r.Context())
	if q.Instance == "" {
		q.Instance = r.URL.Path
	}
	p.Problem = &q
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// includeDeleted reads the include_deleted=true|false parameter of the per-person lists.
func includeDeleted(q *query) bool {
	v := q.enum("include_deleted", "true", "false")
	return v != nil && *v == "true"
}

// list answers a per-person list: every record at once (a person has few), in the
// page shape of every list.
func list[R any, T any](w http.ResponseWriter, rows []R, view func(R) T) {
	p := Page[T]{Items: make([]T, 0, len(rows))}
	for _, r := range rows {
		p.Items = append(p.Items, view(r))
	}
	respondJSON(w, http.StatusOK, p)
}
