package httpapi

import (
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/store"
)

func (f *fixture) user(name, role, pw string) store.User {
	f.t.Helper()
	u, _, err := f.svc.CreateUser(context.Background(), access.Caller{Username: "test", Role: access.RoleOfficeAdmin}, auth.NewUser{Username: name, Role: role, Password: pw})
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// login signs in and returns the session cookie's value and the CSRF token.
func (f *fixture) login(name, pw string, headers ...string) (string, string) {
	f.t.Helper()
	r := f.do("POST", "/api/v1/auth/login", map[string]any{"username": name, "password": pw}, headers...).want(http.StatusOK)
	c := sessionCookieOf(f.t, r)
	if c == nil || c.Value == "" {
		f.t.Fatalf("no session cookie in %v", r.Header()["Set-Cookie"])
	}
	return c.Value, r.json()["csrf_token"].(string)
}

func sessionCookieOf(t *testing.T, r resp) *http.Cookie {
	t.Helper()
	for _, c := range r.Result().Cookies() {
		if c.Name == auth.SessionCookie {
			return c
		}
	}
	return nil
}

func cookie(token string) []string { return []string{"Cookie", auth.SessionCookie + "=" + token} }

func headersOf(h ...[]string) []string {
	var out []string
	for _, x := range h {
		out = append(out, x...)
	}
	return out
}

// With authentication off (Deps.Auth nil) the API answers without credentials, and the
// auth endpoints say it is off.
func TestAuthSwitchedOff(t *testing.T) {
	t.Parallel()
	f := setup(t, withoutAuth())
	f.do("GET", "/api/v1/organizations", nil).want(http.StatusOK)
	f.do("POST", "/api/v1/auth/login", map[string]any{"username": "x", "password": "y"}).problem(http.StatusNotFound, "not-found", "")
	f.do("GET", "/api/v1/auth/me", nil).problem(http.StatusNotFound, "not-found", "")
}

func TestLoginSessionCookieRotationLogout(t *testing.T) {
	t.Parallel()
	f := setup(t, withAuth(auth.Config{}))
	f.user("li.hua", auth.RoleOfficeAdmin, "四川青少年科技教育")

	r := f.do("POST", "/api/v1/auth/login", map[string]any{"username": "li.hua", "password": "wrong-password"})
	m := r.problem(http.StatusUnauthorized, "login-failed", "")
	if sessionCookieOf(t, r) != nil || !strings.Contains(m["detail"].(string), " / ") {
		t.Fatalf("failed login: cookie set or detail not bilingual: %v", m)
	}
	f.do("POST", "/api/v1/auth/login", map[string]any{"username": "nobody", "password": "wrong-password"}).
		problem(http.StatusUnauthorized, "login-failed", "")
	f.do("POST", "/api/v1/auth/login", map[string]any{"username": "li.hua"}).problem(http.StatusBadRequest, "validation", "password")
	f.do("POST", "/api/v1/auth/login", "username=li.hua&password=四川青少年科技教育", "Content-Type", "application/x-www-form-urlencoded").
		problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "")

	r = f.do("POST", "/api/v1/auth/login", map[string]any{"username": "li.hua", "password": "四川青少年科技教育"}).want(http.StatusOK)
	c := sessionCookieOf(t, r)
	raw := strings.Join(r.Header()["Set-Cookie"], "; ")
	if c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" ||
		c.MaxAge != 0 || !c.Expires.IsZero() || len(c.Value) != 43 || !strings.HasPrefix(raw, "__Host-talentdb_session=") {
		t.Fatalf("session cookie %q", raw)
	}
	body := r.json()
	u := body["user"].(map[string]any)
	csrf1 := body["csrf_token"].(string)
	if u["username"] != "li.hua" || u["role"] != "office_admin" || csrf1 == "" || body["expires_at"] == nil ||
		strings.Contains(r.Body.String(), "argon2") || strings.Contains(r.Body.String(), c.Value) {
		t.Fatalf("login answer %s", r.Body.String())
	}
	tok1 := c.Value
	me := f.do("GET", "/api/v1/auth/me", nil, cookie(tok1)...).want(http.StatusOK).json()
	if me["via"] != "session" || me["csrf_token"] != csrf1 || me["user"].(map[string]any)["username"] != "li.hua" {
		t.Fatalf("me %v", me)
	}

	// signing in again from the same browser gives a new token and ends the old session
	tok2, csrf2 := f.login("li.hua", "四川青少年科技教育", cookie(tok1)...)
	if tok2 == tok1 || csrf2 == csrf1 {
		t.Fatal("a second sign-in reused the token")
	}
	r = f.do("GET", "/api/v1/auth/me", nil, cookie(tok1)...)
	r.problem(http.StatusUnauthorized, "unauthorized", "")
	if c := sessionCookieOf(t, r); c == nil || c.MaxAge >= 0 {
		t.Fatal("a dead session cookie is not cleared")
	}
	if h := r.Header().Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer ") {
		t.Errorf("the 401 of a dead session has WWW-Authenticate %q, want a scheme (RFC 9110)", h)
	}
	// another browser has its own session
	tok3, csrf3 := f.login("li.hua", "四川青少年科技教育")
	f.do("GET", "/api/v1/auth/me", nil, cookie(tok2)...).want(http.StatusOK)

	// logout needs the CSRF token, then ends just that session
	f.do("POST", "/api/v1/auth/logout", nil, cookie(tok2)...).problem(http.StatusForbidden, "csrf", "")
	f.do("POST", "/api/v1/auth/logout", nil, headersOf(cookie(tok2), []string{"X-CSRF-Token", csrf3})...).problem(http.StatusForbidden, "csrf", "")
	r = f.do("POST", "/api/v1/auth/logout", nil, headersOf(cookie(tok2), []string{"X-CSRF-Token", csrf2})...).want(http.StatusNoContent)
	if c := sessionCookieOf(t, r); c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Fatal("logout does not clear the cookie")
	}
	f.do("GET", "/api/v1/auth/me", nil, cookie(tok2)...).problem(http.StatusUnauthorized, "unauthorized", "")
	f.do("GET", "/api/v1/auth/me", nil, cookie(tok3)...).want(http.StatusOK)

	// idle for 30 minutes: gone
	f.clk.Advance(29 * time.Minute)
	f.do("GET", "/api/v1/organizations", nil, cookie(tok3)...).want(http.StatusOK)
	f.clk.Advance(30 * time.Minute)
	f.do("GET", "/api/v1/organizations", nil, cookie(tok3)...).problem(http.StatusUnauthorized, "unauthorized", "")

	var logins, logouts, failures int
	_ = f.st.Pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE action = 'login' AND entity = 'session'),
		count(*) FILTER (WHERE action = 'logout' AND entity = 'session' AND actor = 'li.hua' AND ip IS NOT NULL),
		count(*) FILTER (WHERE action = 'login' AND entity = 'user') FROM audit_log`).Scan(&logins, &logouts, &failures)
	if logins != 3 || logouts != 1 || failures != 2 {
		t.Fatalf("audit: %d logins, %d logouts, %d failures; want 3, 1, 2", logins, logouts, failures)
	}
}

func TestCSRFForCookiesNotForTokens(t *testing.T) {
	t.Parallel()
	f := setup(t, withAuth(auth.Config{}))
	f.user("zhou.min", auth.RoleOfficeAdmin, "教育数据非常非常重要")
	tok, csrf := f.login("zhou.min", "教育数据非常非常重要")
	org := func(code string) map[string]any {
		return map[string]any{"code": code, "name": "学校" + code, "kind": "school", "region_code": "510104"}
	}
	f.do("POST", "/api/v1/organizations", org("BS01"), cookie(tok)...).problem(http.StatusForbidden, "csrf", "")
	wrong := "x" + csrf[1:] // one character off
	if csrf[0] == 'x' {
		wrong = "y" + csrf[1:]
	}
	f.do("POST", "/api/v1/organizations", org("BS01"), headersOf(cookie(tok), []string{"X-CSRF-Token", wrong})...).
		problem(http.StatusForbidden, "csrf", "")
	f.do("POST", "/api/v1/organizations", org("BS01"), headersOf(cookie(tok), []string{"X-CSRF-Token", csrf})...).want(http.StatusCreated)
	f.do("GET", "/api/v1/organizations", nil, cookie(tok)...).want(http.StatusOK) // safe methods need none

	bearer := authtest.Bearer(t, f.st, auth.RoleOfficeAdmin)
	f.do("POST", "/api/v1/organizations", org("BS02"), "Authorization", bearer).want(http.StatusCreated)

	// the form field works for urlencoded bodies
	f.do("POST", "/api/v1/auth/logout", "csrf_token="+csrf, headersOf(cookie(tok), []string{"Content-Type", "application/x-www-form-urlencoded"})...).
		want(http.StatusNoContent)
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	f := setup(t, withAuth(auth.Config{}))
	f.user("sun.li", auth.RoleOfficeAnalyst, "cohort outcomes")
	tok, csrf := f.login("sun.li", "cohort outcomes")
	sess := headersOf(cookie(tok), []string{"X-CSRF-Token", csrf})

	f.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "nightly", "expires_in_days": 366}, sess...).
		problem(http.StatusBadRequest, "validation", "expires_in_days")
	f.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "nightly", "expires_in_days": 0}, sess...).
		problem(http.StatusBadRequest, "validation", "expires_in_days")
	f.do("POST", "/api/v1/auth/tokens", map[string]any{"name": ""}, sess...).problem(http.StatusBadRequest, "validation", "name")
	created := f.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "nightly export", "expires_in_days": 1}, sess...).
		want(http.StatusCreated).json()
	secret := created["token"].(string)
	if !strings.HasPrefix(secret, "tdb_") || len(secret) != 47 || created["expires_at"] == nil {
		t.Fatalf("created %v", created)
	}
	bearer := []string{"Authorization", "Bearer " + secret}
	f.do("GET", "/api/v1/organizations", nil, bearer...).want(http.StatusOK)
	me := f.do("GET", "/api/v1/auth/me", nil, bearer...).want(http.StatusOK).json()
	if me["via"] != "token" || me["csrf_token"] != nil || me["user"].(map[string]any)["role"] != "office_analyst" {
		t.Fatalf("me by token %v", me)
	}
	// a token cannot mint tokens
	f.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "child"}, bearer...).problem(http.StatusForbidden, "forbidden", "")

	items, next := f.do("GET", "/api/v1/auth/tokens", nil, cookie(tok)...).items()
	if len(items) != 1 || next != nil || items[0]["name"] != "nightly export" || items[0]["active"] != true ||
		items[0]["last_used_at"] == nil || items[0]["token"] != nil || strings.Contains(f.do("GET", "/api/v1/auth/tokens", nil, cookie(tok)...).Body.String(), secret[4:]) {
		t.Fatalf("token list %v", items)
	}

	// expiry
	f.clk.Advance(24*time.Hour + time.Second)
	r := f.do("GET", "/api/v1/organizations", nil, bearer...)
	r.problem(http.StatusUnauthorized, "unauthorized", "")
	if !strings.Contains(r.Header().Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Fatalf("WWW-Authenticate %q", r.Header().Get("WWW-Authenticate"))
	}

	// revocation (a bearer DELETE needs no CSRF token)
	tok, csrf = f.login("sun.li", "cohort outcomes")
	sess = headersOf(cookie(tok), []string{"X-CSRF-Token", csrf})
	second := f.do("POST", "/api/v1/auth/tokens", map[string]any{"name": "second"}, sess...).want(http.StatusCreated).json()
	bearer = []string{"Authorization", "Bearer " + second["token"].(string)}
	f.do("GET", "/api/v1/persons", nil, bearer...).want(http.StatusOK)
	other := authtest.Bearer(t, f.st, auth.RoleOfficeAdmin)
	path := "/api/v1/auth/tokens/" + jsonID(second["id"])
	f.do("DELETE", path, nil, "Authorization", other).problem(http.StatusNotFound, "not-found", "")
	f.do("DELETE", path, nil, bearer...).want(http.StatusNoContent)
	f.do("GET", "/api/v1/persons", nil, bearer...).problem(http.StatusUnauthorized, "unauthorized", "")
	f.do("DELETE", path, nil, sess...).want(http.StatusNoContent) // again: nothing changes
	f.do("DELETE", "/api/v1/auth/tokens/x", nil, sess...).problem(http.StatusNotFound, "not-found", "")

	var creates, deletes int
	_ = f.st.Pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE action = 'create'),
		count(*) FILTER (WHERE action = 'delete') FROM audit_log WHERE entity = 'api_token' AND actor = 'sun.li'`).Scan(&creates, &deletes)
	if creates != 2 || deletes != 1 {
		t.Fatalf("audit: %d token creations, %d revocations by sun.li; want 2, 1", creates, deletes)
	}
}

// jsonID formats a JSON number id for a path.
func jsonID(v any) string { return strconv.FormatInt(int64(v.(float64)), 10) }

func TestDisabledUserRefused(t *testing.T) {
	t.Parallel()
	f := setup(t, withAuth(auth.Config{}))
	u := f.user("he.jun", auth.RoleOfficeAdmin, "mentor program")
	tok, _ := f.login("he.jun", "mentor program")
	bearer := authtest.TokenFor(t, f.st, u)
	f.do("GET", "/api/v1/persons", nil, cookie(tok)...).want(http.StatusOK)
	f.do("GET", "/api/v1/persons", nil, "Authorization", "Bearer "+bearer).want(http.StatusOK)
	if _, err := f.svc.DisableUser(context.Background(), access.Caller{Username: "cli:test", Role: access.RoleOfficeAdmin}, "he.jun"); err != nil {
		t.Fatal(err)
	}
	f.do("GET", "/api/v1/persons", nil, cookie(tok)...).problem(http.StatusUnauthorized, "unauthorized", "")
	f.do("GET", "/api/v1/persons", nil, "Authorization", "Bearer "+bearer).problem(http.StatusUnauthorized, "unauthorized", "")
	f.do("POST", "/api/v1/auth/login", map[string]any{"username": "he.jun", "password": "mentor program"}).
		problem(http.StatusUnauthorized, "login-failed", "")
}

func TestUnauthenticatedAndHeaders(t *testing.T) {
	t.Parallel()
	f := setup(t, withAuth(auth.Config{}))
	for _, c := range []struct {
		method, path string
		headers      []string
	}{
		{"GET", "/api/v1/persons", nil},
		{"POST", "/api/v1/organizations", nil},
		{"GET", "/api/v1/auth/me", nil},
		{"GET", "/api/v1/nowhere", nil},
		{"GET", "/api/v1/persons", []string{"Authorization", "Bearer tdb_nonsense"}},
		{"GET", "/api/v1/persons", []string{"Authorization", "Basic YWRtaW46YWRtaW4="}},
		{"GET", "/api/v1/persons", cookie("forged-session")},
	} {
		r := f.do(c.method, c.path, nil, c.headers...)
		r.problem(http.StatusUnauthorized, "unauthorized", "")
		if r.Header().Get("WWW-Authenticate") == "" && c.headers == nil {
			t.Errorf("%s %s: no WWW-Authenticate", c.method, c.path)
		}
	}
	f.do("GET", "/api/v1/openapi.json", nil).want(http.StatusOK)
	f.do("GET", "/healthz", nil).want(http.StatusOK)

	r := f.do("GET", "/api/v1/persons", nil)
	want := map[string]string{
		"Content-Security-Policy":   "default-src 'none'; frame-ancestors 'none'",
		"Strict-Transport-Security": "max-age=31536000",
		"X-Content-Type-Options":    "nosniff",
		"Referrer-Policy":           "no-referrer",
		"Cache-Control":             "no-store",
		"X-Frame-Options":           "DENY",
	}
	for h, v := range want {
		if !strings.Contains(r.Header().Get(h), v) {
			t.Errorf("%s: %q, want it to contain %q", h, r.Header().Get(h), v)
		}
	}
	r = f.do("GET", "/api/v1/organizations", nil, "Authorization", authtest.Bearer(t, f.st, auth.RoleOfficeAnalyst)).want(http.StatusOK)
	if r.Header().Get("Cache-Control") != "no-store" || r.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("authenticated answer headers %v", r.Header())
	}
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	f := setup(t, withAuth(auth.Config{APIRate: auth.Rate{Burst: 3, Per: time.Minute},
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}}))
	f.user("ma.lin", auth.RoleOfficeAdmin, "correct horse battery")

	// per IP: ten attempts a minute whatever the username
	for i := range 10 {
		f.do("POST", "/api/v1/auth/login", map[string]any{"username": "guess" + strconv.Itoa(i), "password": "x"},
			"X-Forwarded-For", "203.0.113.7").problem(http.StatusUnauthorized, "login-failed", "")
	}
	r := f.do("POST", "/api/v1/auth/login", map[string]any{"username": "ma.lin", "password": "correct horse battery"},
		"X-Forwarded-For", "203.0.113.7")
	r.problem(http.StatusTooManyRequests, "rate-limited", "")
	if r.Header().Get("Retry-After") != "6" {
		t.Fatalf("Retry-After %q, want 6", r.Header().Get("Retry-After"))
	}
	// another IP is not affected, and successes do not count
	for range 12 {
		f.login("ma.lin", "correct horse battery", "X-Forwarded-For", "203.0.113.8")
	}

	// per username: ten failures a minute from however many addresses (the success above
	// does not count)
	for i := range 10 {
		f.do("POST", "/api/v1/auth/login", map[string]any{"username": "ma.lin", "password": "wrong" + strconv.Itoa(i)},
			"X-Forwarded-For", "198.51.100."+strconv.Itoa(i+1)).problem(http.StatusUnauthorized, "login-failed", "")
	}
	f.do("POST", "/api/v1/auth/login", map[string]any{"username": "MA.LIN", "password": "x"},
		"X-Forwarded-For", "198.51.100.99").problem(http.StatusTooManyRequests, "rate-limited", "")
	f.clk.Advance(6 * time.Second)
	f.do("POST", "/api/v1/auth/login", map[string]any{"username": "ma.lin", "password": "x"},
		"X-Forwarded-For", "198.51.100.100").problem(http.StatusUnauthorized, "login-failed", "")

	// per principal on the API
	bearer := authtest.Bearer(t, f.st, auth.RoleOfficeAnalyst)
	for range 3 {
		f.do("GET", "/api/v1/categories", nil, "Authorization", bearer).want(http.StatusOK)
	}
	r = f.do("GET", "/api/v1/categories", nil, "Authorization", bearer)
	r.problem(http.StatusTooManyRequests, "rate-limited", "")
	if r.Header().Get("Retry-After") != "20" {
		t.Fatalf("API Retry-After %q, want 20", r.Header().Get("Retry-After"))
	}
	f.do("GET", "/api/v1/categories", nil, "Authorization", authtest.Bearer(t, f.st, auth.RoleOfficeAnalyst)).want(http.StatusOK)
}
