package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"talentdb/internal/cli"
	"talentdb/internal/dbtest"
)

func TestImportCommand(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "secret.key")
	if err := os.WriteFile(keyFile, []byte(strings.Repeat("ab", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, map[string]any, string) {
		t.Helper()
		var out, errb bytes.Buffer
		args = append(args, "--database-url", url, "--key-file", keyFile)
		code := cli.Run(context.Background(), args, &out, &errb)
		var sum map[string]any
		if out.Len() > 0 && !strings.HasPrefix(args[1], "template") {
			if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
				t.Fatalf("stdout is not one JSON summary: %q", out.String())
			}
		}
		return code, sum, errb.String()
	}
	good := filepath.Join(dir, "orgs.csv")
	os.WriteFile(good, []byte("code,name,kind,region_code\nBS01,示例小学,school,510104\n"), 0o600)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("code,name,kind,region_code\nBS02,示例中学,factory,510104\n"), 0o600)

	code, sum, _ := run("import", "organizations", good, "--dry-run")
	if code != 0 || sum["dry_run"] != true || sum["applied"] != false || sum["inserted"] != 1.0 {
		t.Fatalf("dry run: exit %d %v", code, sum)
	}
	code, sum, _ = run("import", "organizations", good)
	if code != 0 || sum["applied"] != true || sum["inserted"] != 1.0 || sum["rows"] != 1.0 {
		t.Fatalf("import: exit %d %v", code, sum)
	}
	code, sum, _ = run("import", "organizations", good)
	if code != 0 || sum["unchanged"] != 1.0 {
		t.Fatalf("again: exit %d %v", code, sum)
	}
	code, sum, stderr := run("import", "organizations", bad)
	if code == 0 || sum["applied"] != false || len(sum["errors"].([]any)) != 1 || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("bad file: exit %d %v stderr %q", code, sum, stderr)
	}
	code, sum, _ = run("import", "organizations", filepath.Join(dir, "missing.csv"))
	if code == 0 || sum == nil || sum["applied"] != false {
		t.Fatalf("missing file: exit %d %v", code, sum)
	}
	code, sum, _ = run("import", "pets", good)
	if code == 0 || sum == nil {
		t.Fatalf("unknown kind: exit %d %v", code, sum)
	}

	tpl := filepath.Join(dir, "persons.xlsx")
	if code, _, stderr := run("import", "template", "persons", "--out", tpl); code != 0 {
		t.Fatalf("template: exit %d %s", code, stderr)
	}
	code, sum, _ = run("import", "persons", tpl)
	if code != 0 || sum["inserted"] != 1.0 {
		t.Fatalf("template import: exit %d %v", code, sum)
	}
}
