package check

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"talentdb/internal/access"
)

// Fields collects the field errors of one input. The zero value is ready to use.
type Fields struct {
	errs []error
}

// Add records that field breaks rule; msg is user-facing, in Chinese and English.
func (c *Fields) Add(field, rule, msg string) {
	c.errs = append(c.errs, &access.FieldError{Field: field, Rule: rule, Message: msg})
}

// Required returns the trimmed value of a field that must not be blank.
func (c *Fields) Required(field, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		c.Add(field, "required", fmt.Sprintf("%s 必填 / %s is required", field, field))
	}
	return v
}

// Optional returns the trimmed value of an optional field, nil when absent or blank.
func (c *Fields) Optional(v *string) *string {
	if v == nil {
		return nil
	}
	t := strings.TrimSpace(*v)
	if t == "" {
		return nil
	}
	return &t
}

// Enum checks that a present value is one of allowed.
func (c *Fields) Enum(field string, v *string, allowed ...string) {
	if v != nil && *v != "" && !slices.Contains(allowed, *v) {
		c.Add(field, "enum", fmt.Sprintf("%s 必须是 %s 之一 / %s must be one of %s",
			field, strings.Join(allowed, ", "), field, strings.Join(allowed, ", ")))
	}
}

// Match checks that a present value matches re; whatZh and whatEn describe the form.
func (c *Fields) Match(field string, v *string, re *regexp.Regexp, whatZh, whatEn string) {
	if v != nil && *v != "" && !re.MatchString(*v) {
		c.Add(field, "format", fmt.Sprintf("%s 必须是%s / %s must be %s", field, whatZh, field, whatEn))
	}
}

// MaxLen checks the length in characters (not bytes) of a present value.
func (c *Fields) MaxLen(field string, v *string, n int) {
	if v != nil && len([]rune(*v)) > n {
		c.Add(field, "max_length", fmt.Sprintf("%s 不能超过 %d 个字符 / %s must be at most %d characters", field, n, field, n))
	}
}

// Date parses a YYYY-MM-DD value; nil when blank (absent) or invalid (recorded).
func (c *Fields) Date(field, v string) *time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		c.Add(field, "date", fmt.Sprintf("%s 必须是 YYYY-MM-DD 日期 / %s must be a date YYYY-MM-DD", field, field))
		return nil
	}
	return &d
}

// Err is every field error collected, in the order found, or nil.
func (c *Fields) Err() error { return errors.Join(c.errs...) }

// All returns every *access.FieldError in err's tree, depth first: the ones a Fields
// joined, or the single one a store or service returned.
func All(err error) []*access.FieldError {
	var out []*access.FieldError
	var walk func(error)
	walk = func(e error) {
		if fe, ok := e.(*access.FieldError); ok {
			out = append(out, fe)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			if x := u.Unwrap(); x != nil {
				walk(x)
			}
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}
