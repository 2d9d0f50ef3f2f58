package participation

import (
	"strings"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/edition"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Input is a participation as a caller writes it, each field as sent: nil is absent (or
// null), strings untrimmed. Create validates it; Update hands the current participation to
// the caller's patch as an Input (InputOf) and validates what comes back. PersonID and
// Edition are the natural key and cannot change once created. Its JSON names are the
// API's: the API decodes request bodies straight into it.
type Input struct {
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

// InputOf is p as an Input. Its pointers are copies: a patch applied to the Input cannot
// write through to p.
func InputOf(p Participation) Input {
	return Input{PersonID: clonePtr(&p.PersonID), Edition: clonePtr(&p.EditionID), SchoolCode: clonePtr(&p.SchoolCode),
		Category: clonePtr(&p.CategoryCode), Grade: clonePtr(p.Grade), TeacherRole: clonePtr(p.TeacherRole),
		Status: clonePtr(&p.Status), MentorID: clonePtr(p.MentorID), InstitutionCode: clonePtr(p.InstitutionCode),
		Evaluation: clonePtr(p.Evaluation), EvaluationComment: clonePtr(p.EvaluationComment)}
}

// InvalidError is input with invalid fields: every one found, in the order checked, so a
// caller can correct them at once. Paths answer it as a bad request naming each field.
type InvalidError struct {
	Fields []access.FieldError
}

func (e *InvalidError) Error() string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field + " (" + f.Rule + ")"
	}
	return "participation: invalid " + strings.Join(names, ", ")
}

// ForbiddenError is a write the caller's role may make in general but not with these
// values: another school's code from a school operator, a mentor or institution assigned by
// someone other than the office. It is access.ErrForbidden (errors.Is), with the reason in
// Chinese and English for the caller.
type ForbiddenError struct {
	Message string
}

func (e *ForbiddenError) Error() string { return "participation: forbidden: " + e.Message }

// Unwrap makes a ForbiddenError an access.ErrForbidden.
func (e *ForbiddenError) Unwrap() error { return access.ErrForbidden }

// validate checks b and returns the store's input; cur is the participation being
// corrected, nil on create (where the status defaults to registered).
func validate(b Input, cur *Participation) (store.ParticipationInput, error) {
	var c check.Fields
	in := store.ParticipationInput{
		EditionID: c.Required("edition", deref(b.Edition)), SchoolCode: c.Required("school_code", deref(b.SchoolCode)),
		CategoryCode: c.Required("category", deref(b.Category)), Grade: c.Optional(b.Grade),
		TeacherRole: c.Optional(b.TeacherRole), MentorID: b.MentorID, InstitutionCode: c.Optional(b.InstitutionCode),
		Evaluation: c.Optional(b.Evaluation), EvaluationComment: c.Optional(b.EvaluationComment),
		Status: "registered",
	}
	if b.PersonID == nil || *b.PersonID <= 0 {
		c.Add("person_id", "required", "person_id 必填 / person_id is required")
	} else {
		in.PersonID = *b.PersonID
	}
	if in.EditionID != "" {
		if _, err := edition.ParseID(in.EditionID); err != nil {
			c.Add("edition", "format", "年度编号应为 计划-年份，如 jingke-2023 / edition must be PROGRAM-YEAR, e.g. jingke-2023")
		}
	}
	if cur != nil {
		if in.PersonID != cur.PersonID {
			c.Add("person_id", "immutable", "参与记录的人员不能更改 / person_id of a participation cannot change")
		}
		if in.EditionID != cur.EditionID {
			c.Add("edition", "immutable", "参与记录的年度不能更改 / edition of a participation cannot change")
		}
		in.Status = c.Required("status", deref(b.Status))
	} else if v := c.Optional(b.Status); v != nil {
		in.Status = *v
	}
	c.Enum("status", &in.Status, vocab.Statuses.Keys()...)
	c.Enum("grade", in.Grade, vocab.Grades.Keys()...)
	c.Enum("teacher_role", in.TeacherRole, vocab.TeacherRoles.Keys()...)
	c.Enum("evaluation", in.Evaluation, vocab.Evaluations.Keys()...)
	c.MaxLen("evaluation_comment", in.EvaluationComment, 2000)
	if in.MentorID != nil && *in.MentorID <= 0 {
		c.Add("mentor_id", "exists", "导师不存在 / no mentor has this mentor_id")
	}
	return in, invalid(c.Err())
}

// invalid is err, the field errors of check.Fields, as an *InvalidError with every one of
// them, or nil.
func invalid(err error) error {
	all := check.All(err)
	if len(all) == 0 {
		return nil
	}
	errs := make([]access.FieldError, len(all))
	for i, fe := range all {
		errs[i] = *fe
	}
	return &InvalidError{Fields: errs}
}

// clonePtr copies the value behind p.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
