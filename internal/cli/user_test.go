package cli

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
)

// runUserCmd runs talentdb user … against url with stdin as standard input.
func runUserCmd(t *testing.T, url, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runArgs(stdin, append(append([]string{"user"}, args...), "--database-url", url)...)
}

func TestUserCommands(t *testing.T) {
	t.Parallel()
	url, st := testDB(t)
	ctx := context.Background()
	if _, err := st.Pool.Exec(ctx, `INSERT INTO organizations (code, name, kind, region_code) VALUES ('BS01', '成都一小', 'school', '510104')`); err != nil {
		t.Fatal(err)
	}
	svc := auth.New(st, auth.Config{LoginRate: auth.NoLimit})
	login := func(name, pw string) (auth.LoginResult, error) {
		return svc.Login(ctx, auth.LoginRequest{Username: name, Password: pw})
	}

	// add, password piped
	code, out, errs := runUserCmd(t, url, "四川科学教育办公室\n", "add", "office.admin", "--role", "office_admin", "--display-name", "王主任")
	if code != 0 {
		t.Fatalf("add: %d %s", code, errs)
	}
	var added map[string]any
	if err := json.Unmarshal([]byte(out), &added); err != nil || added["username"] != "office.admin" || added["role"] != "office_admin" ||
		added["display_name"] != "王主任" || added["password"] != nil || added["state"] != "active" {
		t.Fatalf("add printed %q (%v)", out, err)
	}
	if _, err := login("office.admin", "四川科学教育办公室"); err != nil {
		t.Fatalf("the piped password does not sign in: %v", err)
	}

	// add, password generated and printed once
	code, out, errs = runUserCmd(t, url, "", "add", "bs01.op", "--role", "school_operator", "--school", "BS01", "--generate-password")
	if code != 0 {
		t.Fatalf("add generated: %d %s", code, errs)
	}
	_ = json.Unmarshal([]byte(out), &added)
	pw, _ := added["password"].(string)
	if len(pw) != 16 || added["school_code"] != "BS01" {
		t.Fatalf("add generated printed %q", out)
	}
	sess, err := login("bs01.op", pw)
	if err != nil || sess.Principal.SchoolID == 0 {
		t.Fatalf("the generated password does not sign in: %v", err)
	}
	token := authtest.TokenFor(t, st, sess.User)

	// refusals
	for _, c := range []struct {
		stdin string
		args  []string
		code  int
		err   string
	}{
		{"abc\n", []string{"add", "short.pw", "--role", "auditor"}, 1, "at least 8"},
		{"woaini1314\n", []string{"add", "common.pw", "--role", "auditor"}, 1, "common"},
		{"plenty long phrase\n", []string{"add", "office.admin", "--role", "auditor"}, 1, "taken"},
		{"", []string{"add", "no.pw", "--role", "auditor"}, 1, "no password"},
		{"long enough pw\n", []string{"add", "no.role"}, 2, "--role"},
		{"long enough pw\n", []string{"add", "x.op", "--role", "school_operator"}, 1, "--school"},
		{"long enough pw\n", []string{"add", "x.op", "--role", "school_operator", "--school", "NOPE"}, 1, "NOPE"},
		{"long enough pw\n", []string{"add", "x.admin", "--role", "office_admin", "--city", "510100"}, 1, "--city"},
		{"", []string{"list", "--role", "auditor"}, 2, "does not take --role"},
		{"", []string{"disable", "nobody.here"}, 1, "no user named nobody.here"},
		{"", []string{"frobnicate"}, 2, "unknown subcommand"},
	} {
		code, _, errs := runUserCmd(t, url, c.stdin, c.args...)
		if code != c.code || !strings.Contains(errs, c.err) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.err)
		}
	}

	// list: a table, or one JSON object a line; never a hash
	code, out, _ = runUserCmd(t, url, "", "list")
	if code != 0 || !strings.HasPrefix(out, "USERNAME") || !strings.Contains(out, "bs01.op") || !strings.Contains(out, "school BS01") ||
		!strings.Contains(out, "王主任") || strings.Contains(out, "argon2") {
		t.Fatalf("list table:\n%s", out)
	}
	code, out, _ = runUserCmd(t, url, "", "list", "--format", "json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || strings.Contains(out, "argon2") || strings.Contains(out, "password") {
		t.Fatalf("list json:\n%s", out)
	}

	// disable ends the sessions and revokes the tokens
	code, out, errs = runUserCmd(t, url, "", "disable", "bs01.op")
	if code != 0 || !strings.Contains(out, `"changed":true`) {
		t.Fatalf("disable: %d %s %s", code, out, errs)
	}
	if _, err := svc.AuthenticateSession(ctx, sess.Token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("session survived disable: %v", err)
	}
	if _, err := svc.AuthenticateToken(ctx, token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("token survived disable: %v", err)
	}
	if _, err := login("bs01.op", pw); err == nil {
		t.Fatal("a disabled account signed in")
	}
	code, out, _ = runUserCmd(t, url, "", "list", "--format", "json")
	if code != 0 || !strings.Contains(out, `"state":"disabled"`) {
		t.Fatalf("list after disable:\n%s", out)
	}
	if code, _, errs := runUserCmd(t, url, "", "enable", "bs01.op"); code != 0 {
		t.Fatalf("enable: %s", errs)
	}

	// reset-password: a new password, the old one and its sessions gone
	s2, _ := login("office.admin", "四川科学教育办公室")
	if code, out, errs := runUserCmd(t, url, "新的办公室长密码啊\r\n", "reset-password", "office.admin"); code != 0 || strings.Contains(out, `"password":`) {
		t.Fatalf("reset-password: %d %s %s", code, out, errs)
	}
	if _, err := svc.AuthenticateSession(ctx, s2.Token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatal("a session survived the reset")
	}
	if _, err := login("office.admin", "四川科学教育办公室"); err == nil {
		t.Fatal("the old password still signs in")
	}
	if _, err := login("office.admin", "新的办公室长密码啊"); err != nil {
		t.Fatalf("the new password does not sign in: %v", err)
	}
	code, out, _ = runUserCmd(t, url, "", "reset-password", "bs01.op", "--generate-password")
	if code != 0 || !strings.Contains(out, `"password":"`) {
		t.Fatalf("reset-password generated: %s", out)
	}

	// every change audited as cli:<os user>
	var n int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'user' AND actor LIKE 'cli:%'
		AND action IN ('create', 'update')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 6 { // 2 creates, disable, enable, 2 resets
		t.Fatalf("%d audited account changes, want 6", n)
	}
	var leaked int
	_ = st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE coalesce(after::text, '') || coalesce(before::text, '') ~ 'argon2|办公室长密码|科学教育办公室'`).Scan(&leaked)
	if leaked != 0 {
		t.Fatal("a password or hash reached the audit log")
	}
}
