package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/report"
	"talentdb/internal/tracking"
	"talentdb/internal/vocab"
)

// form is a submitted form being checked: its values (to show them again) and the error
// of each field, shown next to that field. Key names the form on a page with several
// (one per row), so only the one submitted shows its values and errors.
type form struct {
	Key     string
	Values  map[string]string
	Errors  map[string]string
	General string // an error about the whole form
	lang    Lang
}

// newForm reads the named fields of r's parsed form.
func newForm(r *http.Request, key string, fields ...string) *form {
	f := &form{Key: key, Values: map[string]string{}, Errors: map[string]string{}, lang: langOf(r)}
	for _, k := range fields {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	return f
}

// For returns the form when it is the one named key, else an empty one: a page with one
// form per row asks each row for its own.
func (f *form) For(key string) *form {
	if f == nil || f.Key != key {
		return &form{}
	}
	return f
}

// Active reports whether this form was submitted (and so is shown again, open).
func (f *form) Active() bool { return f != nil && f.Key != "" }

// Val is the submitted value of a field, or def when this form was not submitted.
func (f *form) Val(field, def string) string {
	if f == nil || f.Key == "" {
		return def
	}
	return f.Values[field]
}

// Err is the error of a field ("" when none).
func (f *form) Err(field string) string {
	if f == nil {
		return ""
	}
	return f.Errors[field]
}

// OK reports whether no error was found.
func (f *form) OK() bool { return len(f.Errors) == 0 && f.General == "" }

// fail records an error on a field (the first one stays).
func (f *form) fail(field, key string) {
	if _, ok := f.Errors[field]; !ok {
		f.Errors[field] = f.lang.T(key)
	}
}

// failText records a message (Chinese / English, as the domain writes them) on a field;
// a message that starts with the field's key ("rank 不能超过 50 个字符") names the field by
// its label instead, as the form does.
func (f *form) failText(field, msg string) {
	if _, ok := f.Errors[field]; !ok {
		text := f.lang.Pick(msg)
		if rest, ok := strings.CutPrefix(text, field+" "); ok {
			text = f.lang.Field(field) + " " + rest
		}
		f.Errors[field] = text
	}
}

// pastDate reads a required YYYY-MM-DD field that may not be after today.
func (f *form) pastDate(field string, today time.Time) {
	if d := f.date(field); !d.IsZero() && d.After(today) {
		f.fail(field, "form.future")
	}
}

// required returns the value of a field, recording an error when it is empty.
func (f *form) required(field string) string {
	v := f.Values[field]
	if v == "" {
		f.fail(field, "form.required")
	}
	return v
}

// optional returns the value as a pointer, nil when empty, recording an error past max
// characters.
func (f *form) optional(field string, max int) *string {
	v := f.Values[field]
	if v == "" {
		return nil
	}
	if len([]rune(v)) > max {
		f.fail(field, "form.too_long")
	}
	return &v
}

// date reads a required YYYY-MM-DD field.
func (f *form) date(field string) time.Time {
	v := f.required(field)
	if v == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		f.fail(field, "form.date")
		return time.Time{}
	}
	return d
}

// enum reads a required field that must be a key (or Chinese label) of e.
func (f *form) enum(field string, e vocab.Enum) string {
	v := f.required(field)
	if v == "" {
		return ""
	}
	k, ok := e.Parse(v)
	if !ok {
		f.fail(field, "form.choice")
	}
	return k
}

// domain turns an error of a write into field errors when it names a field; it returns
// false for errors that are not about the input (those become an error page).
func (f *form) domain(err error, fieldOf map[string]string) bool {
	var re *tracking.RuleError
	var fe *access.FieldError
	var dup *tracking.DuplicateError
	var pe *auth.PolicyError
	var rp *report.ParamError
	field := func(name string) string {
		if m, ok := fieldOf[name]; ok {
			return m
		}
		return name
	}
	switch {
	case errors.As(err, &re):
		f.failText(field(re.Field), re.Message)
	case errors.As(err, &fe):
		f.failText(field(fe.Field), fe.Message)
	case errors.As(err, &pe):
		f.failText(field("password"), pe.Message)
	case errors.As(err, &rp):
		f.failText(field(rp.Param), rp.Message)
	case errors.As(err, &dup):
		f.General = f.lang.T("form.duplicate")
	case errors.Is(err, access.ErrStale):
		f.General = f.lang.T("form.stale")
	case errors.Is(err, access.ErrConflict):
		f.General = f.lang.T("form.conflict")
	default:
		return false
	}
	return true
}
