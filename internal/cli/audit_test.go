package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talentdb/internal/store"
)

// TestAuditExport: talentdb audit export writes the days' audit rows as CSV with a BOM,
// Chinese intact, formulas defused, oldest first, and records the export itself.
func TestAuditExport(t *testing.T) {
	t.Parallel()
	url, st := testDB(t)
	ctx := context.Background()
	pid := int64(7)
	n := int32(3)
	for _, e := range []store.AuditEntry{
		{Action: "create", Entity: "person", EntityID: "7", PersonID: &pid, After: map[string]string{"name": "张晓明"}},
		{Action: "read", Entity: "person", Fields: []string{"name", "birth_date"}, RowCount: &n},
		{Action: "update", Entity: "award", EntityID: "1", After: map[string]string{"rank": "=HYPERLINK(\"x\")"}},
	} {
		if err := st.Audit(ctx, nil, store.Actor{Name: "王老师", Role: "school_operator", RequestID: "r1"}, e); err != nil {
			t.Fatal(err)
		}
	}
	// a row of another day is left out
	// (only the table's owner, with row security lifted, may change a row at all)
	if _, err := st.Pool.Exec(ctx, `ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY;
		UPDATE audit_log SET at = at - interval '3 days' WHERE action = 'update';
		ALTER TABLE audit_log FORCE ROW LEVEL SECURITY`); err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(chinaTime).Format(time.DateOnly)
	out := filepath.Join(t.TempDir(), "audit.csv")
	var stdout, stderr bytes.Buffer
	if code := RunIO(ctx, []string{"audit", "export", "--from", today, "--to", today, "--out", out, "--database-url", url},
		strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatal("no BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || strings.Join(recs[0], ",") != strings.Join(auditHeader, ",") {
		t.Fatalf("records %v", recs)
	}
	create, read := recs[1], recs[2]
	if create[2] != "王老师" || create[3] != "school_operator" || create[4] != "create" || create[7] != "7" ||
		!strings.Contains(create[14], "张晓明") || !strings.HasSuffix(create[1], "+08:00") {
		t.Fatalf("create row %v", create)
	}
	if read[4] != "read" || read[9] != "name;birth_date" || read[10] != "3" {
		t.Fatalf("read row %v", read)
	}
	// the export is audited; the day of the edited row exports it, defused
	var exports int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'export' AND entity = 'audit_log'
		AND row_count = 2 AND actor LIKE 'cli%'`).Scan(&exports); err != nil || exports != 1 {
		t.Fatalf("%d export audit rows (%v)", exports, err)
	}
	day := time.Now().In(chinaTime).AddDate(0, 0, -3).Format(time.DateOnly)
	stdout.Reset()
	if code := RunIO(ctx, []string{"audit", "export", "--from", day, "--to", day, "--database-url", url},
		strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	recs, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(stdout.String(), "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][5] != "award" || !strings.HasPrefix(recs[1][14], "{") {
		t.Fatalf("export of %s: %v %v", day, recs, err)
	}
	// usage errors
	for _, args := range [][]string{{"audit", "export", "--from", today}, {"audit", "export", "--from", today, "--to", "2000-01-01"},
		{"audit", "list"}} {
		if code := RunIO(ctx, append(args, "--database-url", url), strings.NewReader(""), &stdout, &stderr); code == 0 {
			t.Errorf("%v: exit 0", args)
		}
	}
}

// TestNoFormula: cells a spreadsheet would run as formulas get an apostrophe.
func TestNoFormula(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"=1+1": "'=1+1", "+86": "'+86", "-x": "'-x", "@a": "'@a", "王": "王", "": "",
		"{\"a\":1}": "{\"a\":1}"} {
		if got := noFormula(in); got != want {
			t.Errorf("noFormula(%q) = %q, want %q", in, got, want)
		}
	}
}
