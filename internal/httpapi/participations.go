package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/cycle"
	"talentdb/internal/edition"
	"talentdb/internal/participation"
	"talentdb/internal/vocab"
)

// Participations (参与 / 培养): a person in one edition — nominating school, category,
// grade or teacher role, selection status, mentor, institution and evaluation.

func init() {
	registerConstraints(map[string]constraintField{
		"participations_person_edition_key": {http.StatusConflict, "edition", "unique",
			"该人员已参与该年度 / this person already takes part in this edition"},
		"participations_person_id_fkey": {http.StatusBadRequest, "person_id", "exists",
			"人员不存在 / no person has this person_id"},
		"participations_mentor_id_fkey": {http.StatusBadRequest, "mentor_id", "exists",
			"导师不存在 / no mentor has this mentor_id"},
		"participations_category_fkey": {http.StatusBadRequest, "category", "exists",
			"项目类别不属于该计划 / category is not a category of the edition's program"},
		"participations_edition_fkey": {http.StatusBadRequest, "edition", "exists",
			"年度不存在 / edition does not exist"},
		"participations_role_by_program": {http.StatusBadRequest, "teacher_role", "program",
			"学生填年级，教师填教师类型 / students have a grade, teachers a teacher_role"},
	})
}

// The body of POST and PATCH /participations is participation.Input (on PATCH the current
// participation, the patch decoded over it: JSON merge patch; person_id and edition, the
// natural key, cannot change).

// participationView is a participation as the API shows it (the cycle's selection answers
// it too): its school, category, status with the time each status was first entered, mentor,
// institution and evaluation.
type participationView struct {
	ID                int64      `json:"id"`
	PersonID          int64      `json:"person_id"`
	Edition           string     `json:"edition"`
	Program           string     `json:"program"`
	SchoolID          int64      `json:"school_id"`
	SchoolCode        string     `json:"school_code"`
	Category          string     `json:"category"`
	Grade             *string    `json:"grade"`
	TeacherRole       *string    `json:"teacher_role"`
	Status            string     `json:"status"`
	MentorID          *int64     `json:"mentor_id"`
	MentorName        *string    `json:"mentor_name"`
	InstitutionID     *int64     `json:"institution_id"`
	InstitutionCode   *string    `json:"institution_code"`
	Evaluation        *string    `json:"evaluation"`
	EvaluationComment *string    `json:"evaluation_comment"`
	EvaluatedAt       *time.Time `json:"evaluated_at"`
	RegisteredAt      *time.Time `json:"registered_at"`
	ReviewedAt        *time.Time `json:"reviewed_at"`
	PublicizedAt      *time.Time `json:"publicized_at"`
	RecommendedAt     *time.Time `json:"recommended_at"`
	AdmittedAt        *time.Time `json:"admitted_at"`
	CompletedAt       *time.Time `json:"completed_at"`
	WithdrawnAt       *time.Time `json:"withdrawn_at"`
	RejectedAt        *time.Time `json:"rejected_at"`
	stamps
}

func viewParticipation(p participation.Participation) participationView {
	return participationView{ID: p.ID, PersonID: p.PersonID, Edition: p.EditionID, Program: p.Program,
		SchoolID: p.SchoolID, SchoolCode: p.SchoolCode, Category: p.CategoryCode, Grade: p.Grade,
		TeacherRole: p.TeacherRole, Status: p.Status, MentorID: p.MentorID, MentorName: p.MentorName,
		InstitutionID: p.InstitutionID, InstitutionCode: p.InstitutionCode, Evaluation: p.Evaluation,
		EvaluationComment: p.EvaluationComment, EvaluatedAt: p.EvaluatedAt, RegisteredAt: p.RegisteredAt,
		ReviewedAt: p.ReviewedAt, PublicizedAt: p.PublicizedAt, RecommendedAt: p.RecommendedAt,
		AdmittedAt: p.AdmittedAt, CompletedAt: p.CompletedAt, WithdrawnAt: p.WithdrawnAt, RejectedAt: p.RejectedAt,
		stamps: stamps{p.CreatedAt, p.UpdatedAt, p.Version}}
}

// failParticipation answers the errors of the participation door: every invalid field
// 400, a rule of the cycle 422 naming its field, a refusal with its reason 403; the rest
// as fail does.
func failParticipation(w http.ResponseWriter, r *http.Request, err error) {
	var (
		inv *participation.InvalidError
		fe  *participation.ForbiddenError
		re  *access.RuleError
		cfe *cycle.ForbiddenError
	)
	switch {
	case errors.As(err, &inv):
		errs := make([]FieldError, len(inv.Fields))
		for i, f := range inv.Fields {
			errs[i] = FieldError{Field: f.Field, Rule: f.Rule, Message: f.Message}
		}
		fail(w, r, validationProblem(errs...))
	case errors.As(err, &fe):
		fail(w, r, newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden", fe.Message))
	case errors.As(err, &re), errors.As(err, &cfe):
		failCycle(w, r, err, "participation")
	default:
		fail(w, r, err)
	}
}

func (s *server) listParticipations(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "edition", "school", "status", "category", "program", "person")
	f := participation.Filter{Edition: q.str("edition"), SchoolCode: q.str("school"),
		Status: q.enum("status", vocab.Statuses.Keys()...), Category: q.str("category"),
		Program: q.enum("program", edition.Programs...), PersonID: q.int("person"), Limit: q.limit() + 1}
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.doors.Participations.List(r.Context(), callerFrom(r), f)
	if err != nil {
		failParticipation(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(p participation.Participation) any { return p.ID }, viewParticipation)
}

func (s *server) getParticipation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "participation")
	if err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.doors.Participations.Get(r.Context(), callerFrom(r), id)
	if err != nil {
		failParticipation(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, p.Version, viewParticipation(p))
}

func (s *server) createParticipation(w http.ResponseWriter, r *http.Request) {
	var b participation.Input
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.doors.Participations.Create(r.Context(), callerFrom(r), b)
	if err != nil {
		failParticipation(w, r, err)
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/participations/%d", p.ID), p.Version, viewParticipation(p))
}

// updateParticipation is a JSON merge patch: the body is decoded over the current
// participation, which the service hands over once it has checked the version.
func (s *server) updateParticipation(w http.ResponseWriter, r *http.Request) {
	updateByID(w, r, "participation", failParticipation,
		func(ctx context.Context, c access.Caller, id int64, version int) (participation.Participation, error) {
			return s.doors.Participations.Update(ctx, c, id, version, func(cur *participation.Input) error {
				return s.decode(w, r, cur)
			})
		}, participationVersion, viewParticipation)
}

func participationVersion(p participation.Participation) int { return p.Version }

func (s *server) deleteParticipation(w http.ResponseWriter, r *http.Request) {
	deleteByID(w, r, "participation", failParticipation, s.doors.Participations.Delete)
}
