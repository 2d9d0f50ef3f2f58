package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/store"
	"talentdb/internal/tracking"
	"talentdb/internal/vocab"
)

// trackingRoutes declares the tracking endpoints under /api/v1: awards, destinations,
// career moves, follow-ups and a person's timeline. It is called from routes; the
// handlers live in their own files of this package and reuse the shared helpers
// (decodeJSON, respondJSON, fail, requireIfMatch, newQuery, respondPage, actorFrom).
func (s *server) trackingRoutes(r chi.Router) {
	aw, de, cm, fu := s.awardRoutes(), s.destinationRoutes(), s.careerMoveRoutes(), s.followUpRoutes()
	r.Get("/persons/{id}/awards", aw.list)
	r.Post("/persons/{id}/awards", aw.create)
	r.Get("/awards/{id}", aw.get)
	r.Patch("/awards/{id}", aw.update)
	r.Delete("/awards/{id}", aw.delete)
	r.Post("/awards/{id}/restore", aw.restore)
	r.Post("/awards/{id}/verify", s.verifyAward)

	r.Get("/persons/{id}/destinations", de.list)
	r.Post("/persons/{id}/destinations", de.create)
	r.Get("/destinations/{id}", de.get)
	r.Patch("/destinations/{id}", de.update)
	r.Delete("/destinations/{id}", de.delete)
	r.Post("/destinations/{id}/restore", de.restore)

	r.Get("/persons/{id}/career-moves", cm.list)
	r.Post("/persons/{id}/career-moves", cm.create)
	r.Get("/career-moves/{id}", cm.get)
	r.Patch("/career-moves/{id}", cm.update)
	r.Delete("/career-moves/{id}", cm.delete)
	r.Post("/career-moves/{id}/restore", cm.restore)
	r.Get("/persons/{id}/career", s.careerOn)
	r.Get("/stats/teachers-in-education", s.teachersInEducation)

	r.Get("/persons/{id}/follow-ups", fu.list)
	r.Post("/persons/{id}/follow-ups", fu.create)
	r.Get("/follow-ups/{id}", fu.get)
	r.Patch("/follow-ups/{id}", fu.update)
	r.Delete("/follow-ups/{id}", fu.delete)
	r.Post("/follow-ups/{id}/restore", fu.restore)
	r.Get("/follow-ups/due", s.followUpsDue)
	r.Get("/follow-ups/coverage", s.followUpCoverage)

	r.Get("/persons/{id}/timeline", s.timeline)
}

// ProblemRule is the type of a 422: the request is well formed but breaks a rule of the
// domain (a date in the future or before birth, an overlapping career move, a contact
// after an opt-out, a verification step that is not allowed).
const ProblemRule = problemBase + "rule-violation"

// tracker returns the tracking rules on the server's store (a Service is two words; one
// per request keeps the server struct untouched).
func (s *server) tracker() *tracking.Service { return tracking.New(s.store, nil) }

// isOffice reports whether the actor speaks for the office, which alone may re-open a
// verified or rejected award. Until accounts exist the API has no roles and every caller
// is trusted as the office, as for every other write.
func isOffice(a store.Actor) bool { return a.Role == "" || a.Role == "office_admin" }

// naturalKeyField names, per tracking entity, the field a duplicate collides on.
var naturalKeyField = map[string]string{"award": "competition", "destination": "started_on",
	"career_move": "started_on", "follow_up": "contacted_on"}

var entityZh = map[string]string{"award": "获奖", "destination": "毕业去向", "career_move": "工作动向",
	"follow_up": "跟踪联系", "person": "人员"}

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
		dup *store.DuplicateError
		me  *store.MergedError
	)
	switch {
	case errors.As(err, &re):
		p := newProblem(http.StatusUnprocessableEntity, ProblemRule, "Rule violation", re.Message)
		p.Errors = []FieldError{{Field: re.Field, Rule: re.Rule, Message: re.Message}}
		writeProblem(w, r, p)
	case errors.As(err, &dup):
		msg := fmt.Sprintf("该%s已记录（id %d），不能重复 / the same %s is already recorded (id %d)",
			entityZh[dup.Entity], dup.ExistingID, strings.ReplaceAll(dup.Entity, "_", " "), dup.ExistingID)
		writeDuplicate(w, r, duplicateProblem{Problem: conflictProblem(naturalKeyField[dup.Entity], "duplicate", msg),
			ExistingID: dup.ExistingID, Existing: resourcePath(dup.Entity, dup.ExistingID)})
	case errors.As(err, &me):
		writeProblem(w, r, newProblem(http.StatusConflict, ProblemConflict, "Conflict", fmt.Sprintf(
			"该人员已合并到 %d，请在该人员下记录 / the person was merged into person %d; record it there", me.Into, me.Into)))
	case errors.Is(err, tracking.ErrDeleted):
		writeProblem(w, r, newProblem(http.StatusConflict, ProblemConflict, "Conflict",
			"记录已删除，请先恢复（POST …/restore） / the record is deleted; restore it first (POST …/restore)"))
	case errors.Is(err, store.ErrNotFound):
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

// label checks a present enumeration value given by key or Chinese label and returns its
// key (nil when absent or invalid).
func (c *checker) label(field string, v *string, e vocab.Enum) *string {
	if v == nil || strings.TrimSpace(*v) == "" {
		return nil
	}
	k, ok := e.Parse(*v)
	if !ok {
		c.add(field, "enum", fmt.Sprintf("%s 必须是以下之一（代码或中文）：%s / %s must be one of (key or Chinese label): %s",
			field, e.Allowed(), field, e.Allowed()))
		return nil
	}
	return &k
}

// requiredLabel is label for a field that must be present.
func (c *checker) requiredLabel(field string, v *string, e vocab.Enum) string {
	if c.required(field, v) == "" {
		return ""
	}
	if k := c.label(field, v, e); k != nil {
		return *k
	}
	return ""
}

// personFor resolves the {id} of /persons/{id}/… to a person that exists (404 otherwise).
func (s *server) personFor(r *http.Request) (store.TrackedPerson, error) {
	id, err := pathID(r, "person")
	if err != nil {
		return store.TrackedPerson{}, err
	}
	p, err := s.store.TrackedPersonGet(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return p, notFoundProblem("person")
	}
	return p, err
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
