package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"talentdb/internal/vocab"
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
	// keys built from an enumeration: every value of each (vocab's, and the pages' own)
	families := map[string][]string{
		"step.":       append(vocab.Statuses.Keys(), "evaluated"),
		"role_sees.":  vocab.Roles.Keys(),
		"nav.":        {"dashboard", "cohorts", "reports", "persons", "school", "imports", "users", "audit", "tokens"},
		"flash.":      {"follow_up", "award", "destination", "person", "user", "disabled", "enabled", "revoked"},
		"kind.":       {"organizations", "persons", "participations", "awards", "destinations", "career-moves", "follow-ups"},
		"tl.edit.":    {"update", "delete", "restore", "merge", "unmerge", "transition"},
		"users.hint_": {"school_code", "city_code", "mentor_id"},
		"field.":      {"username", "display_name", "school_code", "city_code", "mentor_id"},
	}
	for prefix, e := range terms {
		families[prefix+"."] = e.Keys()
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
		zh, en, ok := text(k)
		if !ok {
			t.Errorf("no text for %q", k)
			continue
		}
		if strings.TrimSpace(zh) == "" || strings.TrimSpace(en) == "" {
			t.Errorf("%q is empty in a language", k)
		}
	}
}

// No message repeats an enumeration's label: a key of terms is vocab's alone.
func TestMessagesLeaveTermsToVocab(t *testing.T) {
	for k := range messages {
		if prefix, v, ok := strings.Cut(k, "."); ok {
			if e, known := terms[prefix]; known && e.Valid(v) {
				t.Errorf("messages[%q] shadows vocab.%s", k, e.Name)
			}
		}
	}
	if got := Lang(langZh).T("category.scifi_painting"); got != "科幻画" {
		t.Errorf("category label = %q", got)
	}
	if got := Lang(langEn).T("role.office_admin"); got != "office administrator" {
		t.Errorf("role label = %q", got)
	}
	if got := Lang(langZh).T("status.no_such_status"); got != "no_such_status" {
		t.Errorf("an unknown value shows as %q, want itself", got)
	}
	if got := Lang(langZh).T("action.show"); got != "查看" {
		t.Errorf("a button's action.* = %q", got)
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
