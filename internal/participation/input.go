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

// checker collects the field errors of one input, so the caller learns of all of them at
// once; the rules and messages are internal/check's, as the API's are.
type checker struct {
	f check.Fields
}

func (c *checker) add(field, rule, msg string)                     { c.f.Add(field, rule, msg) }
func (c *checker) required(field string, v *string) string         { return c.f.Required(field, deref(v)) }
func (c *checker) optional(v *string) *string                      { return c.f.Optional(v) }
func (c *checker) enum(field string, v *string, allowed ...string) { c.f.Enum(field, v, allowed...) }
func (c *checker) maxLen(field string, v *string, n int)           { c.f.MaxLen(field, v, n) }

// err is an *InvalidError with every error collected, or nil.
func (c *checker) err() error {
	all := check.All(c.f.Err())
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
