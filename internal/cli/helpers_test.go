package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// testDB is a migrated database of the test's own: its URL, for the commands, and a
// store on it, for the test.
func testDB(t *testing.T) (string, *store.Store) {
	t.Helper()
	url := dbtest.URL(t)
	return url, dbtest.Open(t, url)
}

// runArgs runs talentdb with args and stdin as its standard input, and returns the exit
// code and what it wrote to stdout and stderr.
func runArgs(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = RunIO(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}
