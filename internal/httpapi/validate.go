package httpapi

import (
	"regexp"
	"time"

	"talentdb/internal/check"
)

// checker collects the field errors of one request body so the client learns about all
// of them at once. Its methods take the body's pointer fields (nil = absent or null); the
// rules and messages are internal/check's, which the doors use too.
type checker struct {
	f check.Fields
}

func (c *checker) add(field, rule, msg string) { c.f.Add(field, rule, msg) }

// required returns the trimmed value of a field that must be present and not blank.
func (c *checker) required(field string, v *string) string { return c.f.Required(field, deref(v)) }

// optional returns the trimmed value of an optional field, nil when absent or blank.
func (c *checker) optional(v *string) *string { return c.f.Optional(v) }

// enum checks that a present value is one of allowed.
func (c *checker) enum(field string, v *string, allowed ...string) { c.f.Enum(field, v, allowed...) }

// match checks that a present value matches re; what describes the expected form.
func (c *checker) match(field string, v *string, re *regexp.Regexp, whatZh, whatEn string) {
	c.f.Match(field, v, re, whatZh, whatEn)
}

// maxLen checks the length in characters of a present value.
func (c *checker) maxLen(field string, v *string, n int) { c.f.MaxLen(field, v, n) }

// date parses a present YYYY-MM-DD value.
func (c *checker) date(field string, v *string) *time.Time { return c.f.Date(field, deref(v)) }

// err is the 400 for every error collected, or nil.
func (c *checker) err() error {
	all := check.All(c.f.Err())
	if len(all) == 0 {
		return nil
	}
	errs := make([]FieldError, len(all))
	for i, fe := range all {
		errs[i] = FieldError{Field: fe.Field, Rule: fe.Rule, Message: fe.Message}
	}
	return validationProblem(errs...)
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
