package httpapi

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"talentdb/internal/edition"
)

// checker collects the field errors of one request body so the client learns about all
// of them at once. Its methods take the body's pointer fields (nil = absent or null).
type checker struct {
	errs []FieldError
}

func (c *checker) add(field, rule, msg string) {
	c.errs = append(c.errs, FieldError{Field: field, Rule: rule, Message: msg})
}

// required returns the trimmed value of a field that must be present and not blank.
func (c *checker) required(field string, v *string) string {
	if v == nil || strings.TrimSpace(*v) == "" {
		c.add(field, "required", fmt.Sprintf("%s 必填 / %s is required", field, field))
		return ""
	}
	return strings.TrimSpace(*v)
}

// optional returns the trimmed value of an optional field, nil when absent or blank.
func (c *checker) optional(v *string) *string {
	if v == nil {
		return nil
	}
	t := strings.TrimSpace(*v)
	if t == "" {
		return nil
	}
	return &t
}

// enum checks that a present value is one of allowed.
func (c *checker) enum(field string, v *string, allowed ...string) {
	if v != nil && *v != "" && !slices.Contains(allowed, *v) {
		c.add(field, "enum", fmt.Sprintf("%s 必须是 %s 之一 / %s must be one of %s",
			field, strings.Join(allowed, ", "), field, strings.Join(allowed, ", ")))
	}
}

// match checks that a present value matches re; what describes the expected form.
func (c *checker) match(field string, v *string, re *regexp.Regexp, whatZh, whatEn string) {
	if v != nil && *v != "" && !re.MatchString(*v) {
		c.add(field, "format", fmt.Sprintf("%s 必须是%s / %s must be %s", field, whatZh, field, whatEn))
	}
}

// maxLen checks the length in characters of a present value.
// serverSet refuses a value for a field the server fills in from the caller (who
// reported or made a record): a client cannot speak for someone else.
func (c *checker) serverSet(field string, v *string) {
	if v != nil {
		c.add(field, "read_only", field+" 由系统按登录账号记录，不能填写 / "+field+" is recorded from the signed-in account and cannot be set")
	}
}

func (c *checker) maxLen(field string, v *string, n int) {
	if v != nil && len([]rune(*v)) > n {
		c.add(field, "max_length", fmt.Sprintf("%s 不能超过 %d 个字符 / %s must be at most %d characters", field, n, field, n))
	}
}

// date parses a present YYYY-MM-DD value.
func (c *checker) date(field string, v *string) *time.Time {
	if v == nil || strings.TrimSpace(*v) == "" {
		return nil
	}
	d, err := edition.ParseDate(*v)
	if err != nil {
		c.add(field, "date", fmt.Sprintf("%s 必须是 YYYY-MM-DD 日期 / %s must be a date YYYY-MM-DD", field, field))
		return nil
	}
	return &d
}

// err is the 400 for every error collected, or nil.
func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return validationProblem(c.errs...)
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
