package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// Participation is a person in one edition: nominating school, category, selection
// status (with the time each status was first entered) and evaluation.
type Participation struct {
	ID                int64
	PersonID          int64
	EditionID         string
	Program           string
	SchoolID          int64
	SchoolCode        string
	CategoryCode      string
	Grade             *string
	TeacherRole       *string
	Status            string
	MentorID          *int64
	MentorName        *string
	InstitutionID     *int64
	InstitutionCode   *string
	Evaluation        *string
	EvaluationComment *string
	EvaluatedAt       *time.Time
	RegisteredAt      *time.Time
	ReviewedAt        *time.Time
	PublicizedAt      *time.Time
	RecommendedAt     *time.Time
	AdmittedAt        *time.Time
	CompletedAt       *time.Time
	WithdrawnAt       *time.Time
	RejectedAt        *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Version           int
}

// ParticipationInput is everything a client may set on a participation. PersonID and
// EditionID are its natural key and cannot change once created.
type ParticipationInput struct {
	PersonID          int64
	EditionID         string
	SchoolCode        string
	CategoryCode      string
	Grade             *string
	TeacherRole       *string
	Status            string
	MentorID          *int64
	InstitutionCode   *string
	Evaluation        *string
	EvaluationComment *string
}

// ParticipationFilter selects one page of participations. Nil fields do not filter.
type ParticipationFilter struct {
	Edition    *string
	SchoolCode *string
	Status     *string
	Category   *string
	Program    *string
	PersonID   *int64
	AfterID    int64
	Limit      int
}

func participationFrom(r db.ParticipationGetRow) Participation {
	return Participation{ID: r.ID, PersonID: r.PersonID, EditionID: r.EditionID, Program: r.Program,
		SchoolID: r.SchoolID, SchoolCode: r.SchoolCode, CategoryCode: r.CategoryCode, Grade: r.Grade,
		TeacherRole: r.TeacherRole, Status: r.Status, MentorID: r.MentorID, MentorName: r.MentorName,
		InstitutionID: r.InstitutionID, InstitutionCode: r.InstitutionCode, Evaluation: r.Evaluation,
		EvaluationComment: r.EvaluationComment, EvaluatedAt: r.EvaluatedAt, RegisteredAt: r.RegisteredAt,
		ReviewedAt: r.ReviewedAt, PublicizedAt: r.PublicizedAt, RecommendedAt: r.RecommendedAt,
		AdmittedAt: r.AdmittedAt, CompletedAt: r.CompletedAt, WithdrawnAt: r.WithdrawnAt, RejectedAt: r.RejectedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

// participationAudit is a participation as the audit log (and so the timeline) shows it.
func participationAudit(p Participation) map[string]any {
	return map[string]any{"id": p.ID, "person_id": p.PersonID, "edition": p.EditionID, "program": p.Program,
		"school_id": p.SchoolID, "school_code": p.SchoolCode, "category": p.CategoryCode, "grade": p.Grade,
		"teacher_role": p.TeacherRole, "status": p.Status, "mentor_id": p.MentorID, "mentor_name": p.MentorName,
		"institution_id": p.InstitutionID, "institution_code": p.InstitutionCode, "evaluation": p.Evaluation,
		"evaluation_comment": p.EvaluationComment, "evaluated_at": p.EvaluatedAt, "registered_at": p.RegisteredAt,
		"reviewed_at": p.ReviewedAt, "publicized_at": p.PublicizedAt, "recommended_at": p.RecommendedAt,
		"admitted_at": p.AdmittedAt, "completed_at": p.CompletedAt, "withdrawn_at": p.WithdrawnAt,
		"rejected_at": p.RejectedAt, "created_at": p.CreatedAt, "updated_at": p.UpdatedAt, "version": p.Version}
}

// ParticipationList returns up to f.Limit participations with id > f.AfterID, by id: only
// those within the caller's scope, and never one of a person whose guardian's consent is
// pending or withdrawn.
func (s *Store) ParticipationList(ctx context.Context, f ParticipationFilter) ([]Participation, error) {
	sf := s.listScope(ctx)
	if sf.deny {
		return []Participation{}, nil
	}
	from := func(r db.ParticipationListRow) Participation { return participationFrom(db.ParticipationGetRow(r)) }
	return listOf("list participations", from)(s.q.ParticipationList(ctx, s.scoped(),
		db.ParticipationListParams{AfterID: f.AfterID, Edition: f.Edition, SchoolCode: f.SchoolCode, Status: f.Status,
			Category: f.Category, Program: f.Program, PersonID: f.PersonID, Lim: int32(f.Limit),
			ScopeSchoolID: sf.schoolID, ScopeCityCode: sf.cityCode, ScopeMentorID: sf.mentorID}))
}

// participationRefs are the resolved references of a ParticipationInput.
type participationRefs struct {
	program       string
	schoolID      int64
	institutionID *int64
}

// resolveParticipation checks what a participation names against the database: the
// edition (and so the program), the category of that program, the grade or teacher role
// the program allows, the nominating school and the training institution.
func (s *Store) resolveParticipation(ctx context.Context, tx pgx.Tx, in ParticipationInput) (participationRefs, error) {
	var refs participationRefs
	ed, err := s.editionNamed(ctx, tx, in.EditionID)
	if err != nil {
		return refs, err
	}
	refs.program = ed.Program
	switch {
	case ed.Program == "jingke" && in.TeacherRole != nil:
		return refs, &FieldError{Field: "teacher_role", Rule: "program",
			Message: "菁科计划的学生没有教师类型 / teacher_role is for 金导师计划 (jindaoshi) teachers only"}
	case ed.Program == "jindaoshi" && in.Grade != nil:
		return refs, &FieldError{Field: "grade", Rule: "program",
			Message: "金导师计划的教师没有年级 / grade is for 菁科计划 (jingke) students only"}
	}
	cat, err := s.q.CategoryGet(ctx, tx, in.CategoryCode)
	if isNoRows(err) || (err == nil && cat.Program != ed.Program) {
		return refs, &FieldError{Field: "category", Rule: "exists",
			Message: fmt.Sprintf("%s 不是 %s 的项目类别 / %s is not a category of program %s",
				in.CategoryCode, ed.Program, in.CategoryCode, ed.Program)}
	}
	if err != nil {
		return refs, err
	}
	if refs.schoolID, err = s.organizationByCode(ctx, tx, "school_code", in.SchoolCode, "school"); err != nil {
		return refs, err
	}
	if in.InstitutionCode != nil {
		id, err := s.organizationByCode(ctx, tx, "institution_code", *in.InstitutionCode, "institution")
		if err != nil {
			return refs, err
		}
		refs.institutionID = &id
	}
	return refs, nil
}

// requirePersonInScope refuses a participation of a person the caller's scope does not
// cover, with exactly the error of a person_id that exists nowhere: a school links only
// persons already in its scope, and learns nothing of the others. The scope is checked
// with the explicit predicate of the HTTP layer's first fence (queries/scope.sql), inside
// a transaction under row-level security, whose policies refuse the insert too
// (migrations/00090_person_links.sql): either fence alone holds.
func (s *Store) requirePersonInScope(ctx context.Context, tx pgx.Tx, personID int64) error {
	in, err := s.personInScope(ctx, tx, personID)
	if isNoRows(err) || (err == nil && !in) {
		return &FieldError{Field: "person_id", Rule: "exists", Message: "人员不存在 / no person has this person_id"}
	}
	return err
}

// newParticipationRefs resolves the references of a new participation of a person in
// the caller's scope.
func (s *Store) newParticipationRefs(ctx context.Context, tx pgx.Tx, in ParticipationInput) (participationRefs, error) {
	if err := s.requirePersonInScope(ctx, tx, in.PersonID); err != nil {
		return participationRefs{}, err
	}
	return s.resolveParticipation(ctx, tx, in)
}

// participationCreated reads back participation id, just inserted, and audits its creation.
func (s *Store) participationCreated(ctx context.Context, tx pgx.Tx, a Actor, id int64) (Participation, error) {
	r, err := s.q.ParticipationGet(ctx, tx, id)
	if err != nil {
		return Participation{}, err
	}
	out := participationFrom(r)
	return out, s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "participation", EntityID: fmt.Sprint(id),
		PersonID: &out.PersonID, SchoolID: &out.SchoolID, After: participationAudit(out)})
}

// ParticipationCreate inserts a participation (stamping the time of its status), makes
// the nominating school of the person's latest edition their responsible school, and
// audits it. The same person twice in one edition is a *ConstraintError
// (participations_person_edition_key).
func (s *Store) ParticipationCreate(ctx context.Context, a Actor, in ParticipationInput) (Participation, error) {
	return createTx(ctx, s, "create participation", func(tx pgx.Tx) (Participation, error) {
		refs, err := s.newParticipationRefs(ctx, tx, in)
		if err != nil {
			return Participation{}, err
		}
		id, err := s.q.ParticipationInsert(ctx, tx, db.ParticipationInsertParams{PersonID: in.PersonID,
			EditionID: in.EditionID, Program: refs.program, SchoolID: refs.schoolID, CategoryCode: in.CategoryCode,
			Grade: in.Grade, TeacherRole: in.TeacherRole, Status: in.Status, MentorID: in.MentorID,
			InstitutionID: refs.institutionID, Evaluation: in.Evaluation, EvaluationComment: in.EvaluationComment})
		if err != nil {
			return Participation{}, err
		}
		if err := s.q.PersonSchoolFollow(ctx, tx, in.PersonID); err != nil {
			return Participation{}, err
		}
		// a person newly linked to a school is compared with the school's other persons
		if _, err := s.flagSimilarPerson(ctx, tx, in.PersonID, &refs.schoolID); err != nil {
			return Participation{}, err
		}
		return s.participationCreated(ctx, tx, a, id)
	})
}

// ParticipationUpdate replaces the editable fields of a participation still at version.
// in.PersonID and in.EditionID are ignored: the natural key does not change.
func (s *Store) ParticipationUpdate(ctx context.Context, a Actor, id int64, version int, in ParticipationInput) (Participation, error) {
	return updateLocked(ctx, s, a, id, &version, lockedWrite[int64, Participation]{op: "update participation",
		entity: "participation", lock: s.q.ParticipationLock, get: getter(s.q.ParticipationGet, participationFrom),
		write: func(ctx context.Context, tx pgx.Tx, cur Participation) (*Participation, error) {
			in.PersonID, in.EditionID = cur.PersonID, cur.EditionID
			refs, err := s.resolveParticipation(ctx, tx, in)
			if err != nil {
				return nil, err
			}
			if err := s.q.ParticipationUpdate(ctx, tx, db.ParticipationUpdateParams{ID: id, SchoolID: refs.schoolID,
				CategoryCode: in.CategoryCode, Grade: in.Grade, TeacherRole: in.TeacherRole, Status: in.Status,
				MentorID: in.MentorID, InstitutionID: refs.institutionID, Evaluation: in.Evaluation,
				EvaluationComment: in.EvaluationComment}); err != nil {
				return nil, err
			}
			return nil, s.q.PersonSchoolFollow(ctx, tx, cur.PersonID)
		},
		audit: func(before, after Participation) AuditEntry {
			return AuditEntry{Action: "update", PersonID: &after.PersonID, SchoolID: &after.SchoolID,
				Before: participationAudit(before), After: participationAudit(after)}
		}})
}

// ParticipationDelete deletes a participation that is still only registered (a later
// status is history to keep: withdraw or reject it instead) and that nothing refers to;
// otherwise a *DeleteBlockedError. When version is not nil it must still be at that version.
func (s *Store) ParticipationDelete(ctx context.Context, a Actor, id int64, version *int) error {
	_, err := updateLocked(ctx, s, a, id, version, lockedWrite[int64, Participation]{op: "delete participation",
		deleting: "participation", entity: "participation",
		lock: s.q.ParticipationLock, get: getter(s.q.ParticipationGet, participationFrom),
		write: func(ctx context.Context, tx pgx.Tx, cur Participation) (*Participation, error) {
			if cur.Status != "registered" {
				return nil, &DeleteBlockedError{Entity: "participation", Status: cur.Status}
			}
			_, err := s.q.ParticipationDelete(ctx, tx, id)
			return nil, err
		},
		audit: func(before, _ Participation) AuditEntry {
			return AuditEntry{Action: "delete", PersonID: &before.PersonID, SchoolID: &before.SchoolID, Before: participationAudit(before)}
		}})
	return err
}
