package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/cli"
	"talentdb/internal/config"
	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/seed"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// fixture is the whole service (API and web app, as `talentdb serve` mounts them) on a
// database of its own with the small demo data.
type fixture struct {
	t    *testing.T
	st   *store.Store
	auth *auth.Service
	h    http.Handler
}

// testPassword passes the password policy.
const testPassword = "Kexue-Chuangxin-2026"

func setup(t *testing.T) *fixture {
	t.Helper()
	st := dbtest.New(t)
	keys := identity.TestKeys()
	if _, err := seed.Run(context.Background(), st, keys, seed.Options{Scale: seed.Scales[0], Seed: 1}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	svc := authtest.NewService(st)
	log := slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := cli.Mount(st, keys, svc, log, prometheus.NewRegistry(), config.Config{})
	return &fixture{t: t, st: st, auth: svc, h: h}
}

// tlog writes the server's warnings and errors into the test's log.
type tlog struct{ t *testing.T }

func (w tlog) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

var userSeq struct {
	sync.Mutex
	n int
}

// user creates an account of role (scope as auth.NewUser takes it) and returns its name.
func (f *fixture) user(role string, nu auth.NewUser) string {
	f.t.Helper()
	userSeq.Lock()
	userSeq.n++
	n := userSeq.n
	userSeq.Unlock()
	nu.Username = fmt.Sprintf("%s_%d", role, n)
	nu.Role, nu.Password = role, testPassword
	if _, _, err := f.auth.CreateUser(context.Background(), access.Caller{Username: "test", Role: access.RoleOfficeAdmin}, nu); err != nil {
		f.t.Fatalf("create %s: %v", role, err)
	}
	return nu.Username
}

// client is a signed-in browser: its session cookie and CSRF token.
type client struct {
	f       *fixture
	cookie  string
	csrf    string
	lang    string
	headers map[string]string
}

// login signs in through the login form, as a browser does.
func (f *fixture) login(username string) *client {
	f.t.Helper()
	get := f.raw("GET", "/login", nil, nil)
	if get.Code != http.StatusOK {
		f.t.Fatalf("GET /login: %d", get.Code)
	}
	var loginTok string
	for _, c := range get.Result().Cookies() {
		if c.Name == "__Host-talentdb_login" {
			loginTok = c.Value
		}
	}
	if loginTok == "" || !strings.Contains(get.Body.String(), `value="`+loginTok+`"`) {
		f.t.Fatalf("login page has no anti-forgery token")
	}
	form := url.Values{"username": {username}, "password": {testPassword}, "login_token": {loginTok}}
	res := f.raw("POST", "/login", form, map[string]string{"Cookie": "__Host-talentdb_login=" + loginTok})
	if res.Code != http.StatusSeeOther {
		f.t.Fatalf("POST /login: %d %s", res.Code, res.Body.String())
	}
	c := &client{f: f}
	for _, ck := range res.Result().Cookies() {
		if ck.Name == auth.SessionCookie {
			c.cookie = ck.Value
		}
	}
	if c.cookie == "" {
		f.t.Fatal("no session cookie after sign-in")
	}
	// the CSRF token is on every page, in the sign-out form
	page := c.get("/account/tokens", http.StatusOK)
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		f.t.Fatal("no CSRF token on the page")
	}
	c.csrf = m[1]
	return c
}

// raw sends a request with a urlencoded form (nil: none) and headers.
func (f *fixture) raw(method, path string, form url.Values, headers map[string]string) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func (c *client) hdr() map[string]string {
	h := map[string]string{"Cookie": auth.SessionCookie + "=" + c.cookie}
	if c.lang != "" {
		h["Cookie"] += "; talentdb_lang=" + c.lang
	}
	for k, v := range c.headers {
		h[k] = v
	}
	return h
}

// do sends a request as the signed-in user.
func (c *client) do(method, path string, form url.Values) *httptest.ResponseRecorder {
	if form != nil && form.Get("csrf_token") == "" {
		form.Set("csrf_token", c.csrf)
	}
	return c.f.raw(method, path, form, c.hdr())
}

// get fetches a page, wants the status and returns the body.
func (c *client) get(path string, want int) string {
	c.f.t.Helper()
	res := c.do("GET", path, nil)
	if res.Code != want {
		c.f.t.Fatalf("GET %s: status %d, want %d; body: %.2000s", path, res.Code, want, res.Body.String())
	}
	return res.Body.String()
}

// post sends a form, wants the status and returns the response.
func (c *client) post(path string, form url.Values, want int) *httptest.ResponseRecorder {
	c.f.t.Helper()
	res := c.do("POST", path, form)
	if res.Code != want {
		c.f.t.Fatalf("POST %s: status %d, want %d; body: %.3000s", path, res.Code, want, res.Body.String())
	}
	return res
}

// contains fails unless body has every one of wants.
func contains(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

// operatorOnDuePerson sets up the service with a school operator signed in, one of their
// school's persons due for a follow-up, and a date a month ago (YYYY-MM-DD) to record on.
func operatorOnDuePerson(t *testing.T) (f *fixture, c *client, personID int64, day string) {
	t.Helper()
	f = setup(t)
	c, _, due := f.dueOperator()
	return f, c, due.Persons[0].PersonID, vocab.DateOf(time.Now()).AddDate(0, -1, 0).Format(time.DateOnly)
}
