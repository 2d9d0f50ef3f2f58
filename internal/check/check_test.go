package check

import (
	"errors"
	"fmt"
	"regexp"
	"testing"

	"talentdb/internal/access"
)

// TestEveryFieldAtOnce: the errors come back joined, in the order found; errors.As finds
// the first and All finds every one, also through a wrap.
func TestEveryFieldAtOnce(t *testing.T) {
	t.Parallel()
	var c Fields
	if c.Err() != nil {
		t.Fatal("an empty Fields has an error")
	}
	if got := c.Required("code", "  BS01 "); got != "BS01" {
		t.Fatalf("Required trims: %q", got)
	}
	c.Required("name", " ")
	c.Enum("kind", ptr("castle"), "school", "office")
	c.Match("region_code", ptr("51"), regexp.MustCompile(`^[0-9]{6}$`), "6 位行政区划代码", "a 6-digit GB/T 2260 code")
	c.MaxLen("head.name", ptr("张三丰"), 2)
	if d := c.Date("starts_on", "2025-13-01"); d != nil {
		t.Fatalf("a bad date parsed: %v", d)
	}
	if d := c.Date("ends_on", " 2024-02-29 "); d == nil || d.Day() != 29 {
		t.Fatalf("a leap day: %v", d)
	}
	if c.Optional(ptr("  ")) != nil || *c.Optional(ptr(" x ")) != "x" {
		t.Fatal("Optional: blank is absent, a value is trimmed")
	}
	err := fmt.Errorf("organization: create: %w", c.Err())
	var fe *access.FieldError
	if !errors.As(err, &fe) || fe.Field != "name" || fe.Rule != "required" {
		t.Fatalf("errors.As: %+v", fe)
	}
	var got []string
	for _, fe := range All(err) {
		got = append(got, fe.Field+":"+fe.Rule)
	}
	want := "[name:required kind:enum region_code:format head.name:max_length starts_on:date]"
	if fmt.Sprint(got) != want {
		t.Fatalf("All: %v, want %s", got, want)
	}
	if All(nil) != nil || All(errors.New("x")) != nil {
		t.Fatal("All of an error without field errors")
	}
}

func ptr(s string) *string { return &s }
