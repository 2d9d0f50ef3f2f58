package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every text key the templates and handlers use exists, in both languages, and none is
// left empty.
func TestMessagesComplete(t *testing.T) {
	keys := map[string]bool{}
	literal := regexp.MustCompile(`\bT "([a-z_]+\.[a-z_.]+)"|\.T\("([a-z_]+\.[a-z_.]+)"\)|(?:fail|errorPage)\([^)]*"([a-z_]+\.[a-z_]+)"\)|render(?:Charts)?\([^)]*"([a-z_]+\.title)"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	var sources []string
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		sources = append(sources, string(b))
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, string(b))
	}
	for _, src := range sources {
		for _, m := range literal.FindAllStringSubmatch(src, -1) {
			for _, k := range m[1:] {
				if k != "" {
					keys[k] = true
				}
			}
		}
	}
	// keys built from an enumeration: every value of each
	families := map[string][]string{
		"status.":     statuses,
		"level.":      levels,
		"dest.":       destinationTypes,
		"action.":     auditActions,
		"step.":       append(append([]string{}, statuses...), "evaluated"),
		"channel.":    {"phone", "wechat", "email", "visit", "other"},
		"outcome.":    {"reached", "unreachable", "declined", "opted_out"},
		"role.":       {"office_admin", "office_analyst", "city_coordinator", "school_operator", "mentor", "auditor"},
		"role_sees.":  {"office_admin", "office_analyst", "city_coordinator", "school_operator", "mentor", "auditor"},
		"nav.":        {"dashboard", "cohorts", "reports", "persons", "school", "imports", "users", "audit", "tokens"},
		"flash.":      {"follow_up", "award", "destination", "person", "user", "disabled", "enabled", "revoked"},
		"kind.":       {"organizations", "persons", "participations", "awards", "destinations", "career-moves", "follow-ups"},
		"gender.":     {"male", "female"},
		"consent.":    {"not_required", "pending", "granted", "withdrawn"},
		"program.":    {"jingke", "jindaoshi"},
		"edition.":    {"planned", "open", "closed"},
		"evaluation.": {"excellent", "pass", "fail"},
		"band.":       {"preschool", "primary", "junior", "vocational", "teacher"},
		"reason.":     {"transfer", "promotion", "new_role", "left", "retired"},
		"grade.":      {"K", "4", "5", "6", "7", "8", "9", "V1", "V2", "V3"},
		"teacher.":    {"new", "young", "counsellor", "admin"},
		"frozen.":     {"annual", "cohort"},
		"tl.edit.":    {"update", "delete", "restore", "merge", "unmerge", "transition"},
		"users.hint_": {"school_code", "city_code", "mentor_id"},
		"field.":      {"username", "display_name", "school_code", "city_code", "mentor_id"},
	}
	for prefix, vals := range families {
		for _, v := range vals {
			keys[prefix+v] = true
		}
	}
	if len(keys) < 200 {
		t.Fatalf("found only %d keys: the pattern is broken", len(keys))
	}
	for k := range keys {
		m, ok := messages[k]
		if !ok {
			t.Errorf("no text for %q", k)
			continue
		}
		if strings.TrimSpace(m[0]) == "" || strings.TrimSpace(m[1]) == "" {
			t.Errorf("%q is empty in a language", k)
		}
	}
}

// The templates carry no inline script, inline style or event-handler attribute: the
// Content-Security-Policy would block them.
func TestTemplatesCSPClean(t *testing.T) {
	bad := regexp.MustCompile(`(?i)<script(\s[^>]*)?>[^<\s]|<style|\sstyle=|\son[a-z]+=|javascript:`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		if loc := bad.FindIndex(b); loc != nil {
			t.Errorf("%s: %q", f, b[loc[0]:min(loc[1]+20, len(b))])
		}
	}
}

func TestPick(t *testing.T) {
	msg := "联系日期不能晚于今天 / contacted_on cannot be after today"
	if got := Lang(langZh).Pick(msg); got != "联系日期不能晚于今天" {
		t.Errorf("zh %q", got)
	}
	if got := Lang(langEn).Pick(msg); got != "contacted_on cannot be after today" {
		t.Errorf("en %q", got)
	}
	if got := Lang(langEn).Pick("plain"); got != "plain" {
		t.Errorf("plain %q", got)
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{"/school": "/school", "//evil.example/x": "/", "https://evil.example": "/",
		"/\\evil": "/", "": "/", "school": "/", "/persons/3?x=1": "/persons/3?x=1"} {
		if got := localPath(in, "/"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
