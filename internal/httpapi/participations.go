package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"talentdb/internal/edition"
	"talentdb/internal/store"
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

type participationView struct {
	ID                int64      `json:"id"`
	PersonID          int64      `json:"person_id"`
	EditionID         string     `json:"edition"`
	Program           string     `json:"program"`
	SchoolID          int64      `json:"school_id"`
	SchoolCode        string     `json:"school_code"`
	CategoryCode      string     `json:"category"`
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
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	Version           int        `json:"version"`
}

func viewParticipation(p store.Participation) participationView { return participationView(p) }

// participationBody is the body of POST and PATCH /participations. On PATCH it starts as
// the current participation and the patch is decoded over it (JSON merge patch);
// person_id and edition, the natural key, cannot change.
type participationBody struct {
	PersonID          *int64  `json:"person_id"`
	Edition           *string `json:"edition"`
	SchoolCode        *string `json:"school_code"`
	Category          *string `json:"category"`
	Grade             *string `json:"grade"`
	TeacherRole       *string `json:"teacher_role"`
	Status            *string `json:"status"`
	MentorID          *int64  `json:"mentor_id"`
	InstitutionCode   *string `json:"institution_code"`
	Evaluation        *string `json:"evaluation"`
	EvaluationComment *string `json:"evaluation_comment"`
}

func participationBodyOf(p store.Participation) participationBody {
	return participationBody{PersonID: &p.PersonID, Edition: &p.EditionID, SchoolCode: &p.SchoolCode,
		Category: &p.CategoryCode, Grade: clonePtr(p.Grade), TeacherRole: clonePtr(p.TeacherRole), Status: &p.Status,
		MentorID: clonePtr(p.MentorID), InstitutionCode: clonePtr(p.InstitutionCode), Evaluation: clonePtr(p.Evaluation),
		EvaluationComment: clonePtr(p.EvaluationComment)} // copies: the patch must not write through to the current row
}

// validate checks the body; cur is the participation being patched, nil on create.
func (b participationBody) validate(cur *store.Participation) (store.ParticipationInput, error) {
	var c checker
	in := store.ParticipationInput{
		EditionID: c.required("edition", b.Edition), SchoolCode: c.required("school_code", b.SchoolCode),
		CategoryCode: c.required("category", b.Category), Grade: c.optional(b.Grade),
		TeacherRole: c.optional(b.TeacherRole), MentorID: b.MentorID, InstitutionCode: c.optional(b.InstitutionCode),
		Evaluation: c.optional(b.Evaluation), EvaluationComment: c.optional(b.EvaluationComment),
		Status: "registered",
	}
	if b.PersonID == nil || *b.PersonID <= 0 {
		c.add("person_id", "required", "person_id 必填 / person_id is required")
	} else {
		in.PersonID = *b.PersonID
	}
	if in.EditionID != "" {
		if _, err := edition.ParseID(in.EditionID); err != nil {
			c.add("edition", "format", "年度编号应为 计划-年份，如 jingke-2023 / edition must be PROGRAM-YEAR, e.g. jingke-2023")
		}
	}
	if cur != nil {
		if in.PersonID != cur.PersonID {
			c.add("person_id", "immutable", "参与记录的人员不能更改 / person_id of a participation cannot change")
		}
		if in.EditionID != cur.EditionID {
			c.add("edition", "immutable", "参与记录的年度不能更改 / edition of a participation cannot change")
		}
		in.Status = c.required("status", b.Status)
	} else if v := c.optional(b.Status); v != nil {
		in.Status = *v
	}
	c.enum("status", &in.Status, vocab.Statuses.Keys()...)
	c.enum("grade", in.Grade, vocab.Grades.Keys()...)
	c.enum("teacher_role", in.TeacherRole, vocab.TeacherRoles.Keys()...)
	c.enum("evaluation", in.Evaluation, vocab.Evaluations.Keys()...)
	c.maxLen("evaluation_comment", in.EvaluationComment, 2000)
	if in.MentorID != nil && *in.MentorID <= 0 {
		c.add("mentor_id", "exists", "导师不存在 / no mentor has this mentor_id")
	}
	return in, c.err()
}

func (s *server) listParticipations(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "edition", "school", "status", "category", "program", "person")
	f := store.ParticipationFilter{Edition: q.str("edition"), SchoolCode: q.str("school"),
		Status: q.enum("status", vocab.Statuses.Keys()...), Category: q.str("category"),
		Program: q.enum("program", edition.Programs...), PersonID: q.int("person"), Limit: q.limit() + 1}
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.store.ParticipationList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(p store.Participation) any { return p.ID }, viewParticipation)
}

func (s *server) getParticipation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "participation")
	if err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.store.ParticipationGet(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, p.Version, viewParticipation(p))
}

func (s *server) createParticipation(w http.ResponseWriter, r *http.Request) {
	var b participationBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	in, err := b.validate(nil)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := s.ownSchool(r, &in.SchoolCode); err != nil { // a school nominates its own students
		fail(w, r, err)
		return
	}
	if !callerOf(r).office { // a school's new participation is a nomination, under the cycle's rules
		s.nominateParticipation(w, r, in)
		return
	}
	p, err := s.store.ParticipationCreate(r.Context(), actorFrom(r), in)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/participations/%d", p.ID), p.Version, viewParticipation(p))
}

func (s *server) updateParticipation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "participation")
	if err != nil {
		fail(w, r, err)
		return
	}
	version, err := requireIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	cur, err := s.store.ParticipationGet(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	if cur.Version != version {
		fail(w, r, store.ErrStale)
		return
	}
	b := participationBodyOf(cur)
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	in, err := b.validate(&cur)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := s.ownSchool(r, &in.SchoolCode); err != nil { // nor move one to another school
		fail(w, r, err)
		return
	}
	if err := cycleOwnedFields(r, cur, in); err != nil { // status and evaluation change by the cycle's rules
		fail(w, r, err)
		return
	}
	p, err := s.store.ParticipationUpdate(r.Context(), actorFrom(r), id, version, in)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, p.Version, viewParticipation(p))
}

func (s *server) deleteParticipation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "participation")
	if err != nil {
		fail(w, r, err)
		return
	}
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := s.store.ParticipationDelete(r.Context(), actorFrom(r), id, version); err != nil {
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
