package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"talentdb/internal/dbtest"
)

// TestReportCutPublishFreeze runs the cut, publication and freezing flags of the report
// command and the frozen/diff subcommands on reportDB (jingke-2023, BS01, two alumni).
func TestReportCutPublishFreeze(t *testing.T) {
	t.Parallel()
	url := reportDB(t)
	db := func(args ...string) (int, string, string) { return runArgs("", append(args, "--database-url", url)...) }

	code, out, errOut := db("report", "cohort", "--edition", "jingke-2023", "--as-of", "2023-03-01", "--school", "BS01")
	if code != 0 || !strings.Contains(out, `"cut":{"school":"BS01"}`) || !strings.Contains(out, `"cohort_size":2`) {
		t.Fatalf("cut: exit %d, %q, %q", code, out, errOut)
	}
	code, out, errOut = db("report", "annual", "--year", "2024", "--as-of", "2024-12-31", "--publish")
	if code != 0 || !strings.Contains(out, `"alumni":"<5"`) || !strings.Contains(out, `"publication":{`) {
		t.Fatalf("publish: exit %d, %q, %q", code, out, errOut)
	}

	// freeze: the id alone on stdout
	code, out, errOut = db("report", "annual", "--year", "2024", "--as-of", "2024-12-31", "--freeze")
	if code != 0 || strings.TrimSpace(out) == "" || strings.Count(out, "\n") != 1 {
		t.Fatalf("freeze: exit %d, %q, %q", code, out, errOut)
	}
	id := strings.TrimSpace(out)
	st := dbtest.Open(t, url)
	var by string
	if err := st.Pool.QueryRow(context.Background(), `SELECT frozen_by FROM frozen_reports WHERE id = $1::bigint`, id).Scan(&by); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(by, "cli") {
		t.Errorf("frozen_by %q", by)
	}
	code, frozen, _ := db("report", "frozen", id)
	if code != 0 || !strings.Contains(frozen, `"follow_up_coverage"`) {
		t.Fatalf("frozen %s: %d %q", id, code, frozen)
	}

	// a correction shows in the diff, not in the frozen body
	if _, err := st.Pool.Exec(context.Background(), `INSERT INTO awards (person_id, competition, level, awarded_on)
		SELECT id, '科创大赛', 'national', '2024-06-01' FROM persons WHERE name = '李四'`); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = db("report", "diff", id)
	if code != 0 {
		t.Fatalf("diff: %d %q", code, errOut)
	}
	var d struct {
		Changes []map[string]any `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Changes) != 1 || d.Changes[0]["path"] != "awards.by_level.national" || d.Changes[0]["frozen"] != 0.0 || d.Changes[0]["now"] != 1.0 {
		t.Fatalf("changes %v", d.Changes)
	}
	if code, again, _ := db("report", "frozen", id); code != 0 || again != frozen {
		t.Errorf("the frozen body changed:\n%s\n%s", frozen, again)
	}
	code, out, _ = db("report", "frozen")
	if code != 0 || !strings.HasPrefix(out, `[{"id":`+id+`,"kind":"annual"`) {
		t.Errorf("list: %d %q", code, out)
	}
	if code, out, _ := db("report", "frozen", id, "--format", "csv"); code != 0 || !strings.HasPrefix(out, "\ufeffsection,program") {
		t.Errorf("frozen csv: %d %q", code, out)
	}

	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"report", "cohort", "--edition", "jingke-2023", "--program", "jingke"}, 2, "talentdb report: usage"},
		{[]string{"report", "cohort", "--edition", "jingke-2023", "--school", "NOPE"}, 1, "talentdb report: 单位代码不存在 / unknown school code: NOPE"},
		{[]string{"report", "annual", "--year", "2024", "--region", "51"}, 1, "talentdb report: 区域必须是 6 位行政区划代码"},
		{[]string{"report", "diff"}, 2, "talentdb report: usage"},
		{[]string{"report", "frozen", "x"}, 2, "talentdb report: usage"},
		{[]string{"report", "frozen", "999"}, 1, "talentdb report: frozen report 999"},
		{[]string{"report", "diff", "1", "--publish"}, 2, "talentdb report: usage"},
	} {
		code, out, errOut := db(c.args...)
		if code != c.code || out != "" || !strings.HasPrefix(errOut, c.err) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d %q", c.args, code, out, errOut, c.code, c.err)
		}
	}
}
