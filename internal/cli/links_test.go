package cli

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/doors"
	"talentdb/internal/identity"
	"talentdb/internal/report"
	"talentdb/internal/seed"
	"talentdb/internal/selfreport"
)

// TestLinksDue: `links due --school CODE` writes one working link per alumnus on the
// school's due list, with the public address, to a file only its owner reads; the
// links open through the door with the database's key.
func TestLinksDue(t *testing.T) {
	url, st := testDB(t)
	ctx := context.Background()
	tiny := seed.Scale{Name: "tiny", Schools: 40, Institutions: 4, MentorsPerInstitution: 2, Persons: 800}
	if _, err := seed.Run(ctx, st, identity.TestKeys(), seed.Options{Scale: tiny, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var code string
	if err := st.Pool.QueryRow(ctx, `SELECT o.code FROM due_state d JOIN organizations o ON o.id = d.school_id
		WHERE d.listed GROUP BY o.code ORDER BY count(*) DESC, o.code LIMIT 1`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	due, err := report.New(st, nil).DueCounts(ctx, access.CLI("test"), report.DueFilter{SchoolCode: code})
	if err != nil || due.Due == 0 {
		t.Fatalf("school %s: %+v %v", code, due, err)
	}
	master := sha256.Sum256([]byte("talentdb test master key"))
	t.Setenv("TALENTDB_SECRET_KEY", hex.EncodeToString(master[:]))
	t.Setenv("PUBLIC_BASE_URL", "https://talentdb.example.cn")
	out := filepath.Join(t.TempDir(), "links.csv")
	rc, _, errOut := runArgs("", "links", "due", "--school", code, "--out", out, "--database-url", url)
	if rc != 0 {
		t.Fatalf("links due: %d %s", rc, errOut)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the sheet's mode: %v %v", fi.Mode(), err)
	}
	b, _ := os.ReadFile(out)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil || len(rows) != due.Due+1 || rows[0][2] != "link" {
		t.Fatalf("the sheet (%d rows for %d due): %v\n%s", len(rows), due.Due, err, b)
	}
	if !strings.Contains(errOut, "links for the alumni due at 1 school") {
		t.Errorf("the summary: %s", errOut)
	}
	token, ok := strings.CutPrefix(rows[1][2], "https://talentdb.example.cn/r/")
	if !ok {
		t.Fatalf("a link without the public address: %s", rows[1][2])
	}
	d := doors.New(st, identity.TestKeys(), doors.Options{})
	addr := netip.MustParseAddr("192.0.2.1")
	if _, err := d.SelfReports.Open(ctx, access.Respondent("", &addr), token); err != nil {
		t.Errorf("the sheet's link does not open: %v", err)
	}
	if _, err := d.SelfReports.Open(ctx, access.Respondent("", &addr), token+"x"); !errors.Is(err, selfreport.ErrLinkDead) {
		t.Errorf("a changed link opens: %v", err)
	}
	if rc, _, _ := runArgs("", "links", "due", "--database-url", url); rc != 2 {
		t.Errorf("links due without --school or --all: exit %d", rc)
	}
}
