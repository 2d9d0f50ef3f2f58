package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// bundle is what a service test needs: the store, a clock it moves, and the service.
type bundle struct {
	st  *store.Store
	clk *authtest.Clock
	svc *auth.Service
	ctx context.Context
}

func setup(t *testing.T) bundle {
	t.Helper()
	st := dbtest.New(t)
	clk := authtest.NewClock()
	svc := auth.New(st, auth.Config{Argon2: auth.TestArgon2, Now: clk.Now, LoginRate: auth.NoLimit})
	return bundle{st: st, clk: clk, svc: svc, ctx: context.Background()}
}

var cli = access.Caller{Username: "cli:test", Role: access.RoleOfficeAdmin}

func (b bundle) user(t *testing.T, name, role, pw string) store.User {
	t.Helper()
	u, _, err := b.svc.CreateUser(b.ctx, cli, auth.NewUser{Username: name, Role: role, Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// signedIn creates an account and signs it in.
func (b bundle) signedIn(t *testing.T, name, role, pw string) auth.LoginResult {
	t.Helper()
	b.user(t, name, role, pw)
	r, err := b.login(name, pw)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// withToken creates an account, signs it in and makes it an API token valid for 30 days.
func (b bundle) withToken(t *testing.T, name, role, pw string) (auth.LoginResult, auth.NewToken) {
	t.Helper()
	r := b.signedIn(t, name, role, pw)
	tok, err := b.svc.CreateToken(b.ctx, r.Principal, r.Principal.Caller("", nil), "script", 30)
	if err != nil {
		t.Fatal(err)
	}
	return r, tok
}

func (b bundle) login(name, pw string) (auth.LoginResult, error) {
	return b.svc.Login(b.ctx, auth.LoginRequest{Username: name, Password: pw})
}

// auditCount counts audit rows of an action and entity whose after.outcome is outcome ("" any).
func (b bundle) auditCount(t *testing.T, action, entity, outcome string) int {
	t.Helper()
	var n int
	err := b.st.Pool.QueryRow(b.ctx, `SELECT count(*) FROM audit_log WHERE action = $1 AND entity = $2
		AND ($3 = '' OR after->>'outcome' = $3)`, action, entity, outcome).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLockout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.user(t, "wang.fang", auth.RoleOfficeAnalyst, "科学教育2023!")

	// four failures, then a success: the count starts again
	for range 4 {
		if _, err := b.login("wang.fang", "wrong password"); !errors.Is(err, auth.ErrLoginFailed) {
			t.Fatalf("wrong password: %v", err)
		}
	}
	if _, err := b.login("wang.fang", "科学教育2023!"); err != nil {
		t.Fatalf("right password after 4 failures: %v", err)
	}
	u, _ := b.st.UserGetByUsername(b.ctx, "wang.fang")
	if u.FailedLogins != 0 || u.LockedUntil != nil {
		t.Fatalf("after success: failed_logins %d locked_until %v", u.FailedLogins, u.LockedUntil)
	}
	// five consecutive failures lock the account, even against the right password
	for range 5 {
		_, _ = b.login("wang.fang", "wrong password")
	}
	u, _ = b.st.UserGetByUsername(b.ctx, "wang.fang")
	if !u.Locked(b.clk.Now()) || u.LockedUntil.Sub(b.clk.Now()) > 15*time.Minute+time.Second {
		t.Fatalf("after 5 failures: locked_until %v", u.LockedUntil)
	}
	if _, err := b.login("wang.fang", "科学教育2023!"); !errors.Is(err, auth.ErrLoginFailed) {
		t.Fatalf("locked account signed in: %v", err)
	}
	b.clk.Advance(14 * time.Minute)
	if _, err := b.login("wang.fang", "科学教育2023!"); !errors.Is(err, auth.ErrLoginFailed) {
		t.Fatalf("signed in after 14 minutes: %v", err)
	}
	b.clk.Advance(time.Minute + time.Second)
	if _, err := b.login("wang.fang", "科学教育2023!"); err != nil {
		t.Fatalf("not unlocked after 15 minutes: %v", err)
	}
	u, _ = b.st.UserGetByUsername(b.ctx, "wang.fang")
	if u.FailedLogins != 0 || u.LockedUntil != nil {
		t.Fatalf("after unlock: failed_logins %d locked_until %v", u.FailedLogins, u.LockedUntil)
	}
	// unknown users fail the same way and are audited without their name
	if _, err := b.login("nobody", "whatever1"); !errors.Is(err, auth.ErrLoginFailed) {
		t.Fatalf("unknown user: %v", err)
	}
	for outcome, want := range map[string]int{"bad_password": 8, "locked_out": 1, "locked": 2, "unknown_user": 1} {
		if n := b.auditCount(t, "login", "user", outcome); n != want {
			t.Errorf("%d audit rows of outcome %s, want %d", n, outcome, want)
		}
	}
	if n := b.auditCount(t, "login", "session", ""); n != 2 {
		t.Errorf("%d successful logins audited, want 2", n)
	}
	var leaked int
	_ = b.st.Pool.QueryRow(b.ctx, `SELECT count(*) FROM audit_log WHERE after::text ~ '(nobody|wrong password|科学教育)'`).Scan(&leaked)
	if leaked != 0 {
		t.Errorf("%d audit rows hold a typed name or password", leaked)
	}
}

func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.signedIn(t, "li.jing", auth.RoleOfficeAdmin, "science-for-kids")
	p, err := b.svc.AuthenticateSession(b.ctx, r.Token)
	if err != nil || p.Username != "li.jing" || p.Via != auth.ViaSession || !p.CSRFMatches(r.Session.CSRFToken) || p.CSRFMatches("") {
		t.Fatalf("fresh session: %+v %v", p, err)
	}
	// used every 29 minutes, the session lives on past the idle limit
	for range 3 {
		b.clk.Advance(29 * time.Minute)
		if _, err := b.svc.AuthenticateSession(b.ctx, r.Token); err != nil {
			t.Fatalf("active session ended: %v", err)
		}
	}
	b.clk.Advance(30 * time.Minute)
	if _, err := b.svc.AuthenticateSession(b.ctx, r.Token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("idle session: %v", err)
	}
	if _, _, err := b.st.SessionGetByHash(b.ctx, auth.HashSecret(r.Token)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("idle session row kept: %v", err)
	}

	// absolute limit: 12 hours however active
	r, _ = b.login("li.jing", "science-for-kids")
	for elapsed := time.Duration(0); elapsed < 12*time.Hour-20*time.Minute; elapsed += 20 * time.Minute {
		b.clk.Advance(20 * time.Minute)
		if _, err := b.svc.AuthenticateSession(b.ctx, r.Token); err != nil {
			t.Fatalf("session ended after %v: %v", elapsed+20*time.Minute, err)
		}
	}
	b.clk.Advance(20 * time.Minute)
	if _, err := b.svc.AuthenticateSession(b.ctx, r.Token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("session older than 12 h accepted: %v", err)
	}
	if _, err := b.svc.AuthenticateSession(b.ctx, "not-a-token"); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("junk cookie: %v", err)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.signedIn(t, "zhao.lei", auth.RoleOfficeAnalyst, "longitudinal study")
	a := r.Principal.Caller("", nil)

	var fe *store.FieldError
	if _, err := b.svc.CreateToken(b.ctx, r.Principal, a, "nightly", 366); !errors.As(err, &fe) || fe.Field != "expires_in_days" {
		t.Fatalf("366 days: %v", err)
	}
	if _, err := b.svc.CreateToken(b.ctx, r.Principal, a, "  ", 0); !errors.As(err, &fe) || fe.Field != "name" {
		t.Fatalf("blank name: %v", err)
	}
	def, err := b.svc.CreateToken(b.ctx, r.Principal, a, "report export", 0)
	if err != nil {
		t.Fatal(err)
	}
	if d := def.Token.ExpiresAt.Sub(b.clk.Now()); d < 90*24*time.Hour-time.Millisecond || d > 90*24*time.Hour {
		t.Fatalf("default lifetime %v, want 90 days", d)
	}
	short, err := b.svc.CreateToken(b.ctx, r.Principal, a, "one day", 1)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.svc.AuthenticateToken(b.ctx, short.Secret)
	if err != nil || p.Username != "zhao.lei" || p.Role != auth.RoleOfficeAnalyst || p.Via != auth.ViaToken || p.TokenID != short.Token.ID {
		t.Fatalf("token principal %+v %v", p, err)
	}
	// a token cannot mint tokens
	if _, err := b.svc.CreateToken(b.ctx, p, a, "child", 1); !errors.Is(err, auth.ErrSessionRequired) {
		t.Fatalf("token minted a token: %v", err)
	}
	b.clk.Advance(24*time.Hour + time.Second)
	if _, err := b.svc.AuthenticateToken(b.ctx, short.Secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("expired token: %v", err)
	}
	if _, err := b.svc.AuthenticateToken(b.ctx, def.Secret); err != nil {
		t.Fatalf("90-day token after a day: %v", err)
	}
	if _, err := b.svc.RevokeToken(b.ctx, r.Principal, a, def.Token.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.AuthenticateToken(b.ctx, def.Secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("revoked token: %v", err)
	}
	list, _ := b.svc.ListTokens(b.ctx, r.Principal)
	if len(list) != 2 || list[0].Name != "one day" || list[1].RevokedAt == nil || list[0].LastUsedAt == nil {
		t.Fatalf("token list %+v", list)
	}
	// another user's token is not found
	o := b.signedIn(t, "other.user", auth.RoleAuditor, "audit the audit")
	if _, err := b.svc.RevokeToken(b.ctx, o.Principal, a, short.Token.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoking another's token: %v", err)
	}
	if _, err := b.svc.AuthenticateToken(b.ctx, "tdb_"+def.Secret[4:10]); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("truncated token: %v", err)
	}
	if n := b.auditCount(t, "create", "api_token", ""); n != 2 {
		t.Errorf("%d token creations audited", n)
	}
	if n := b.auditCount(t, "delete", "api_token", ""); n != 1 {
		t.Errorf("%d revocations audited", n)
	}
}

func TestDisableEndsEverything(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r, tok := b.withToken(t, "chen.jie", auth.RoleOfficeAdmin, "plant a tree")
	changed, err := b.svc.DisableUser(b.ctx, cli, "chen.jie")
	if err != nil || !changed {
		t.Fatalf("disable: %v %v", changed, err)
	}
	if _, err := b.svc.AuthenticateSession(b.ctx, r.Token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("session of a disabled account: %v", err)
	}
	if _, err := b.svc.AuthenticateToken(b.ctx, tok.Secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("token of a disabled account: %v", err)
	}
	if _, err := b.login("chen.jie", "plant a tree"); !errors.Is(err, auth.ErrLoginFailed) {
		t.Fatalf("disabled account signed in: %v", err)
	}
	if changed, _ := b.svc.DisableUser(b.ctx, cli, "chen.jie"); changed {
		t.Fatal("disabling twice reports a change")
	}
	if changed, err := b.svc.EnableUser(b.ctx, cli, "chen.jie"); !changed || err != nil {
		t.Fatalf("enable: %v %v", changed, err)
	}
	if _, err := b.login("chen.jie", "plant a tree"); err != nil {
		t.Fatalf("enabled account: %v", err)
	}
	if _, err := b.svc.AuthenticateToken(b.ctx, tok.Secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatal("a token revoked by disabling came back on enabling")
	}
}

func TestCreateUserRules(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if _, err := b.st.Pool.Exec(b.ctx, `INSERT INTO organizations (code, name, kind, region_code) VALUES
		('BS01', '成都一小', 'school', '510104'), ('INST1', '四川大学', 'institution', '510107');
		INSERT INTO mentors (name) VALUES ('王老师')`); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		u     auth.NewUser
		field string
	}{
		{auth.NewUser{Username: "ab", Role: auth.RoleOfficeAdmin}, "username"},
		{auth.NewUser{Username: "名字", Role: auth.RoleOfficeAdmin}, "username"},
		{auth.NewUser{Username: "x.admin", Role: "root"}, "role"},
		{auth.NewUser{Username: "x.op", Role: auth.RoleSchoolOperator}, "school"},
		{auth.NewUser{Username: "x.op", Role: auth.RoleSchoolOperator, SchoolCode: "NOPE"}, "school"},
		{auth.NewUser{Username: "x.op", Role: auth.RoleSchoolOperator, SchoolCode: "INST1"}, "school"},
		{auth.NewUser{Username: "x.admin", Role: auth.RoleOfficeAdmin, CityCode: "510100"}, "city"},
		{auth.NewUser{Username: "x.city", Role: auth.RoleCityCoordinator, CityCode: "510104"}, "city"},
		{auth.NewUser{Username: "x.city", Role: auth.RoleCityCoordinator, CityCode: "510100", SchoolCode: "BS01"}, "school"},
		{auth.NewUser{Username: "x.mentor", Role: auth.RoleMentor, MentorID: 999}, "mentor"},
	}
	for _, c := range cases {
		_, _, err := b.svc.CreateUser(b.ctx, cli, c.u)
		var fe *store.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: %v, want a field error on %s", c.u, err, c.field)
		}
	}
	var pe *auth.PolicyError
	if _, _, err := b.svc.CreateUser(b.ctx, cli, auth.NewUser{Username: "x.admin", Role: auth.RoleOfficeAdmin, Password: "88888888"}); !errors.As(err, &pe) {
		t.Fatalf("common password accepted: %v", err)
	}
	op, pw, err := b.svc.CreateUser(b.ctx, cli, auth.NewUser{Username: "bs01.op", Role: auth.RoleSchoolOperator, SchoolCode: "BS01", DisplayName: "张老师"})
	if err != nil || pw == "" || op.SchoolCode == nil || *op.SchoolCode != "BS01" {
		t.Fatalf("school operator: %+v %q %v", op, pw, err)
	}
	r, err := b.login("bs01.op", pw)
	if err != nil || r.Principal.SchoolID != *op.SchoolID || r.Principal.Role != auth.RoleSchoolOperator {
		t.Fatalf("generated password does not sign in: %+v %v", r.Principal, err)
	}
	city, _, err := b.svc.CreateUser(b.ctx, cli, auth.NewUser{Username: "cd.coord", Role: auth.RoleCityCoordinator, CityCode: "510100", Password: "成都市青少年科技教育"})
	if err != nil || *city.CityCode != "510100" {
		t.Fatalf("city coordinator: %v", err)
	}
	if _, _, err := b.svc.CreateUser(b.ctx, cli, auth.NewUser{Username: "cd.coord", Role: auth.RoleAuditor}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate username: %v", err)
	}
	var hash string
	_ = b.st.Pool.QueryRow(b.ctx, `SELECT password_hash FROM users WHERE username = 'cd.coord'`).Scan(&hash)
	if ok, _ := auth.VerifyPassword("成都市青少年科技教育", hash); !ok {
		t.Fatal("stored hash does not verify")
	}
	var leaked int
	_ = b.st.Pool.QueryRow(b.ctx, `SELECT count(*) FROM audit_log WHERE coalesce(after::text, '') || coalesce(before::text, '') ~ 'argon2|成都市青少年科技教育'`).Scan(&leaked)
	if leaked != 0 {
		t.Fatal("a password or hash reached the audit log")
	}
	// a reset ends sessions and clears a lock
	for range 5 {
		_, _ = b.login("cd.coord", "wrong guess!")
	}
	if gen, err := b.svc.ResetPassword(b.ctx, cli, "bs01.op", "新的密码很长很长"); err != nil || gen != "" {
		t.Fatalf("reset: %q %v", gen, err)
	}
	if _, err := b.svc.AuthenticateSession(b.ctx, r.Token); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatal("a session survived a password reset")
	}
	if _, err := b.svc.ResetPassword(b.ctx, cli, "cd.coord", "另一个新的长密码"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.login("cd.coord", "另一个新的长密码"); err != nil {
		t.Fatalf("reset did not unlock: %v", err)
	}
}

// A sign-in with weaker stored parameters upgrades the hash.
func TestRehashOnLogin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.user(t, "old.hash", auth.RoleAuditor, "kept for years")
	stronger := auth.New(b.st, auth.Config{Argon2: auth.Argon2Params{Memory: 128, Time: 2, Threads: 1}, Now: b.clk.Now})
	if _, err := stronger.Login(b.ctx, auth.LoginRequest{Username: "old.hash", Password: "kept for years"}); err != nil {
		t.Fatal(err)
	}
	u, _ := b.st.UserGetByUsername(b.ctx, "old.hash")
	if auth.NeedsRehash(u.PasswordHash, auth.Argon2Params{Memory: 128, Time: 2, Threads: 1}) {
		t.Fatalf("hash not upgraded: %s", u.PasswordHash)
	}
	if _, err := b.login("old.hash", "kept for years"); err != nil {
		t.Fatalf("upgraded hash does not verify: %v", err)
	}
}

// TestResetEndsTokens: a password reset ends the account's API tokens as well as its
// sessions — a token made by whoever knew the old password must not outlive it.
func TestResetEndsTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, tok := b.withToken(t, "qian.li", auth.RoleOfficeAnalyst, "longitudinal study")
	if _, err := b.svc.AuthenticateToken(b.ctx, tok.Secret); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.ResetPassword(b.ctx, access.Caller{Username: "cli:root", Role: access.RoleOfficeAdmin}, "qian.li", "一个全新的长密码"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.AuthenticateToken(b.ctx, tok.Secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("a token survived a password reset: %v", err)
	}
	var live int
	if err := b.st.Pool.QueryRow(b.ctx, `SELECT count(*) FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE u.username = 'qian.li' AND t.revoked_at IS NULL`).Scan(&live); err != nil || live != 0 {
		t.Fatalf("%d tokens not revoked (%v)", live, err)
	}
}

// TestAccountsAreTheOffices: creating, listing, disabling, enabling and resetting accounts
// is refused to every role but the office's administrator, before anything is read.
func TestAccountsAreTheOffices(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.user(t, "zhou.min", auth.RoleOfficeAnalyst, "一个足够长的好密码")
	for _, role := range access.Roles {
		if access.Allowed(role, access.AccountAdmin) {
			continue
		}
		c := access.Caller{Username: "t_" + role, Role: role}
		calls := map[string]error{}
		_, _, calls["create"] = b.svc.CreateUser(b.ctx, c, auth.NewUser{Username: "new." + role, Role: auth.RoleAuditor})
		_, calls["list"] = b.svc.ListUsers(b.ctx, c)
		_, calls["disable"] = b.svc.DisableUser(b.ctx, c, "zhou.min")
		_, calls["enable"] = b.svc.EnableUser(b.ctx, c, "zhou.min")
		_, calls["reset"] = b.svc.ResetPassword(b.ctx, c, "zhou.min", "")
		for what, err := range calls {
			if !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s as %s: %v, want ErrForbidden", what, role, err)
			}
		}
	}
	if n := b.auditCount(t, "update", "user", ""); n != 0 {
		t.Errorf("%d account updates audited after refusals only", n)
	}
}
