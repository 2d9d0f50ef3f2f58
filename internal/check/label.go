package check

import (
	"fmt"
	"strings"
	"time"

	"talentdb/internal/vocab"
)

// Label checks a present enumeration value given by key or Chinese label and returns its
// key (nil when absent, blank or invalid; invalid is recorded).
func (c *Fields) Label(field string, v *string, e vocab.Enum) *string {
	if v == nil || strings.TrimSpace(*v) == "" {
		return nil
	}
	k, ok := e.Parse(*v)
	if !ok {
		c.Add(field, "enum", fmt.Sprintf("%s 必须是以下之一（代码或中文）：%s / %s must be one of (key or Chinese label): %s",
			field, e.Allowed(), field, e.Allowed()))
		return nil
	}
	return &k
}

// RequiredLabel is Label for a field that must be present: its key, "" when missing or
// invalid (recorded).
func (c *Fields) RequiredLabel(field string, v *string, e vocab.Enum) string {
	if c.Required(field, deref(v)) == "" {
		return ""
	}
	if k := c.Label(field, v, e); k != nil {
		return *k
	}
	return ""
}

// ServerSet refuses a value for a field the door fills in from the caller (who reported
// or made a record): a client cannot speak for someone else.
func (c *Fields) ServerSet(field string, v *string) {
	if v != nil {
		c.Add(field, "read_only", field+" 由系统按登录账号记录，不能填写 / "+field+" is recorded from the signed-in account and cannot be set")
	}
}

// RequiredDate parses a YYYY-MM-DD value that must be present (the zero time when
// missing or invalid, recorded).
func (c *Fields) RequiredDate(field string, v *string) (d time.Time) {
	if c.Required(field, deref(v)) == "" {
		return d
	}
	if p := c.Date(field, *v); p != nil {
		d = *p
	}
	return d
}

// OptionalDate parses a present YYYY-MM-DD value (nil when absent, blank or invalid).
func (c *Fields) OptionalDate(field string, v *string) *time.Time {
	if v == nil {
		return nil
	}
	return c.Date(field, *v)
}

func deref(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}
