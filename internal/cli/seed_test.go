package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/dbtest"
)

// TestSeedCreatesDemoAccounts: a fresh demo load creates one account per role, prints each
// password once and stores only its hash; a second run with --if-empty creates none.
func TestSeedCreatesDemoAccounts(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	keyFile := t.TempDir() + "/secret.key"
	run := func(args ...string) (int, string, string) {
		return runArgs("", append(args, "--database-url", url, "--key-file", keyFile)...)
	}
	code, _, errs := run("seed", "demo", "--scale", "small", "--if-empty")
	if code != 0 {
		t.Fatalf("seed: %d %s", code, errs)
	}
	line := regexp.MustCompile(`(?m)^seed:\s+(demo\.\w+)\s+(\w+)\s+.*?(\S{16})$`)
	found := line.FindAllStringSubmatch(errs, -1)
	roles := map[string]string{}
	passwords := map[string]string{}
	for _, m := range found {
		roles[m[1]], passwords[m[1]] = m[2], m[3]
	}
	want := map[string]string{"demo.admin": auth.RoleOfficeAdmin, "demo.analyst": auth.RoleOfficeAnalyst,
		"demo.city": auth.RoleCityCoordinator, "demo.school": auth.RoleSchoolOperator,
		"demo.mentor": auth.RoleMentor, "demo.auditor": auth.RoleAuditor}
	for u, r := range want {
		if roles[u] != r {
			t.Errorf("account %s: role %q printed, want %s\n%s", u, roles[u], r, errs)
		}
	}

	st := dbtest.Open(t, url)
	ctx := context.Background()
	svc := auth.New(st, auth.Config{LoginRate: auth.NoLimit})
	for u, pw := range passwords {
		if _, err := svc.Login(ctx, auth.LoginRequest{Username: u, Password: pw}); err != nil {
			t.Errorf("%s cannot sign in with the printed password: %v", u, err)
		}
		var stored string
		if err := st.Pool.QueryRow(ctx, "SELECT password_hash FROM users WHERE username = $1", u).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored, pw) || !strings.HasPrefix(stored, "$argon2id$") {
			t.Errorf("%s: password not stored as an argon2id hash", u)
		}
	}
	// the school operator's school has alumni to follow up
	var alumni int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM users u JOIN participations p ON p.school_id = u.school_id
		WHERE u.username = 'demo.school' AND p.status = 'completed'`).Scan(&alumni); err != nil || alumni == 0 {
		t.Errorf("demo.school has %d alumni (%v)", alumni, err)
	}

	code, _, errs = run("seed", "demo", "--scale", "small", "--if-empty")
	if code != 0 || strings.Contains(errs, "demo.admin") {
		t.Fatalf("second run: %d, printed accounts again:\n%s", code, errs)
	}
	var users int
	if err := st.Pool.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&users); err != nil || users != 6 {
		t.Fatalf("%d users after two runs (%v), want 6", users, err)
	}
}
