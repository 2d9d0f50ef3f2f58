package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandsGoThroughTheDoors: import, follow-ups due and audit export run through the
// same doors as the API and the pages, as the CLI's caller (cli:<os user>): the door's
// limits apply, the uploader and the audit rows name that caller, and each export is
// recorded as the door records it.
func TestCommandsGoThroughTheDoors(t *testing.T) {
	t.Parallel()
	url, st := testDB(t)
	keyFile := filepath.Join(t.TempDir(), "secret.key")
	if err := os.WriteFile(keyFile, []byte(strings.Repeat("cd", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(stdin string, args ...string) (int, string, string) {
		return runArgs(stdin, append(args, "--database-url", url, "--key-file", keyFile)...)
	}
	two := "code,name,kind,region_code\nDS01,示例小学,school,510104\nDS02,示例中学,school,510104\n"
	if code, out, _ := run(two, "import", "organizations", "-", "--max-rows", "1"); code != 1 || !strings.Contains(out, `"applied":false`) {
		t.Fatalf("--max-rows 1 with two rows: exit %d %s", code, out)
	}
	if code, out, errs := run(two, "import", "organizations", "-"); code != 0 || !strings.Contains(out, `"inserted":2`) {
		t.Fatalf("import: exit %d %s %s", code, out, errs)
	}
	if code, out, errs := run("", "follow-ups", "due", "--format", "csv"); code != 0 || !strings.HasPrefix(strings.TrimPrefix(out, "\ufeff"), "id_number_masked,name") {
		t.Fatalf("follow-ups due: exit %d %q %s", code, out, errs)
	}
	if code, _, errs := run("", "audit", "export", "--from", "2020-01-01", "--to", "2030-12-31"); code != 0 {
		t.Fatalf("audit export: exit %d %s", code, errs)
	}
	me := "cli:" + osUser()
	var uploader string
	if err := st.Pool.QueryRow(context.Background(), `SELECT string_agg(DISTINCT uploaded_by, ',') FROM imports`).Scan(&uploader); err != nil {
		t.Fatal(err)
	}
	if uploader != me {
		t.Errorf("imports uploaded by %q, want %q", uploader, me)
	}
	var got string
	if err := st.Pool.QueryRow(context.Background(), `SELECT string_agg(action || ' ' || entity || ' by ' || actor
		|| coalesce(' ' || (after->>'format'), '') || coalesce(' ' || array_to_string(fields, ';'), ''), ' | ' ORDER BY id)
		FROM audit_log WHERE action IN ('export', 'import')`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	want := "import organizations by " + me + " | export follow_up_schedule by " + me + " csv id_number_masked;name | export audit_log by " + me
	if got != want {
		t.Errorf("audit log:\n got %s\nwant %s", got, want)
	}
}
