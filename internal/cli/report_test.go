package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"talentdb/internal/dbtest"
)

// reportDB is a migrated database with one edition, one school and two alumni.
func reportDB(t *testing.T) string {
	t.Helper()
	url, st := testDB(t)
	_, err := st.Pool.Exec(context.Background(), `
		INSERT INTO editions (id, program, year, starts_on, ends_on) VALUES ('jingke-2023', 'jingke', 2023, '2023-03-01', '2024-02-29');
		INSERT INTO organizations (code, name, kind, region_code) VALUES ('BS01', '成都一小', 'school', '510104');
		INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date) VALUES
			(sha256('a'), '\x00', '5101**************', '张晓明', 'male', '2012-01-01'),
			(sha256('b'), '\x00', '5101**************', '李四', 'female', '2012-01-01');
		INSERT INTO participations (person_id, edition_id, program, school_id, category_code, grade, status)
			SELECT p.id, 'jingke-2023', 'jingke', o.id, 'robotics', '5', 'completed' FROM persons p, organizations o;
		INSERT INTO follow_ups (person_id, contacted_on, channel, outcome)
			SELECT id, '2025-04-02', 'phone', 'reached' FROM persons WHERE name = '张晓明';`)
	if err != nil {
		t.Fatal(err)
	}
	return url
}

func TestReportCommands(t *testing.T) {
	t.Parallel()
	url := reportDB(t)
	cases := []struct {
		name string
		args []string
		code int
		out  string // expected stdout, or a prefix of stderr when code != 0
	}{
		{"cohort json", []string{"report", "cohort", "--edition", "jingke-2023", "--as-of", "2024-03-01"}, 0,
			`{"edition":"jingke-2023","as_of":"2024-03-01","cohort_size":2,"windows":[` +
				`{"k":0,"from":"2023-03-01","to":"2024-02-29","partial":false,"contacted":0,"awarded":0,"awarded_provincial_plus":0,"cumulative_provincial_plus":0,"yingcai_cumulative":0,"destinations":{}},` +
				`{"k":1,"from":"2024-03-01","to":"2025-02-28","partial":true,"contacted":0,"awarded":0,"awarded_provincial_plus":0,"cumulative_provincial_plus":0,"yingcai_cumulative":0,"destinations":{}}]}` + "\n"},
		{"flags before the subcommand", []string{"report", "--as-of", "2023-01-01", "cohort", "--edition", "jingke-2023"}, 0,
			`{"edition":"jingke-2023","as_of":"2023-01-01","cohort_size":2,"windows":[]}` + "\n"},
		{"annual csv", []string{"report", "annual", "--year", "2024", "--as-of", "2024-12-31", "--format", "csv"}, 0,
			"\ufeffsection,program,dimension,key,value\r\n" +
				"follow_up_coverage,,overall,alumni,2\r\nfollow_up_coverage,,overall,contacted,0\r\nfollow_up_coverage,,overall,rate,0\r\n" +
				"follow_up_coverage,,by_region.510100,alumni,2\r\nfollow_up_coverage,,by_region.510100,contacted,0\r\nfollow_up_coverage,,by_region.510100,rate,0\r\n"},
		{"due json", []string{"follow-ups", "due", "--school", "BS01", "--as-of", "2026-06-30"}, 0,
			`{"as_of":"2026-06-30","school":"BS01","due_count":2,"overdue_count":1,"persons":[` +
				`{"id_number_masked":"5101**************","name":"李四","edition":"jingke-2023","k":3,"window_from":"2026-03-01","window_to":"2027-02-28","due":true,"overdue":true,"last_contacted_on":null},` +
				`{"id_number_masked":"5101**************","name":"张晓明","edition":"jingke-2023","k":3,"window_from":"2026-03-01","window_to":"2027-02-28","due":true,"overdue":false,"last_contacted_on":"2025-04-02"}]}` + "\n"},
		{"unknown edition", []string{"report", "cohort", "--edition", "jingke-2030"}, 1,
			"talentdb report: 年度不存在 / unknown edition: jingke-2030\n"},
		{"malformed edition", []string{"report", "cohort", "--edition", "jk-2023"}, 1, "talentdb report: edition"},
		{"missing edition", []string{"report", "cohort"}, 2, "talentdb report: usage"},
		{"missing year", []string{"report", "annual"}, 2, "talentdb report: usage"},
		{"unknown subcommand", []string{"report", "monthly"}, 2, "talentdb report: usage"},
		{"bad format", []string{"report", "annual", "--year", "2024", "--format", "pdf"}, 2, "talentdb report: usage"},
		{"bad date", []string{"report", "annual", "--year", "2024", "--as-of", "2024-02-30"}, 1, "talentdb report: --as-of"},
		{"unknown school", []string{"follow-ups", "due", "--school", "NOPE"}, 1,
			"talentdb follow-ups: 单位代码不存在 / unknown school code: NOPE\n"},
		{"bad region", []string{"follow-ups", "due", "--region", "51"}, 1, "talentdb follow-ups: 参数无效"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runArgs("", append(c.args, "--database-url", url)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, c.code, errOut)
			}
			if c.code == 0 {
				if out != c.out {
					t.Fatalf("stdout\n got %q\nwant %q", out, c.out)
				}
				return
			}
			if out != "" || !strings.HasPrefix(errOut, c.out) || strings.Count(errOut, "\n") != 1 {
				t.Fatalf("stdout %q, stderr %q; want one line starting %q", out, errOut, c.out)
			}
		})
	}
}

func TestReportOutFile(t *testing.T) {
	t.Parallel()
	url := reportDB(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "cohort.xlsx")
	code, out, errOut := runArgs("", "report", "cohort", "--edition", "jingke-2023", "--format", "xlsx", "--out", path,
		"--database-url", url)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("not an XLSX (zip) file: %q", b[:min(len(b), 8)])
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// the follow-up schedule records its export in the audit log
	code, _, errOut = runArgs("", "follow-ups", "due", "--as-of", "2026-06-30", "--format", "csv", "--out",
		filepath.Join(dir, "due.csv"), "--database-url", url)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var n, rows int
	st := dbtest.Open(t, url)
	if err := st.Pool.QueryRow(context.Background(),
		`SELECT count(*), max(row_count) FROM audit_log WHERE action = 'export' AND entity = 'follow_up_schedule'`).Scan(&n, &rows); err != nil {
		t.Fatal(err)
	}
	if n != 1 || rows != 2 {
		t.Errorf("audit: %d exports, row_count %d", n, rows)
	}
}
