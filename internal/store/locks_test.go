package store_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOneLockVerb: a query whose statement is a lock — it ends in FOR UPDATE or takes an
// advisory lock — is named <Noun>Lock, and a query named so takes a lock, so a reader
// finds every lock of the store by its name. (A write that locks rows on its way, like
// the CTE of a merge, is not a lock query.)
func TestOneLockVerb(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../queries/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("queries: %v (%d files)", err, len(files))
	}
	nameRE := regexp.MustCompile(`(?m)^-- name: (\w+) :\w+\s*$`)
	commentRE := regexp.MustCompile(`(?m)^\s*--.*$`)
	forUpdateRE := regexp.MustCompile(`(?i)FOR UPDATE;$`)
	locks := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		idx := nameRE.FindAllStringSubmatchIndex(src, -1)
		for i, m := range idx {
			end := len(src)
			if i+1 < len(idx) {
				end = idx[i+1][0]
			}
			name, body := src[m[2]:m[3]], strings.TrimSpace(commentRE.ReplaceAllString(src[m[1]:end], ""))
			isLock := forUpdateRE.MatchString(body) ||
				strings.Contains(body, "pg_advisory_xact_lock")
			switch named := strings.HasSuffix(name, "Lock"); {
			case isLock && !named:
				t.Errorf("%s: %s takes a lock but is not named <Noun>Lock", filepath.Base(f), name)
			case named && !isLock:
				t.Errorf("%s: %s is named a lock but takes none", filepath.Base(f), name)
			case isLock:
				locks++
			}
		}
	}
	if locks == 0 {
		t.Error("no lock query found: the test reads the wrong files")
	}
}
