package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/config"
	"talentdb/internal/cycle"
	"talentdb/internal/dbtest"
	"talentdb/internal/doors"
	"talentdb/internal/identity"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// fixture is what an API test needs: the handler on a database of its own, with
// authentication switched on.
type fixture struct {
	t   *testing.T
	h   http.Handler
	st  *store.Store // the test's own access: acts for the office (dbtest.New)
	reg *prometheus.Registry
	// bearer is the Authorization header do sends when the request names none: an
	// office administrator's token. Empty: requests go without credentials.
	bearer string
	// admin is that office administrator's username, the audit actor of f.do's writes.
	admin string
	// svc and clk are the auth service and its clock when the test built its own
	// (withAuth); nil otherwise.
	svc *auth.Service
	clk *authtest.Clock
}

// testMaxBody is small so the 413 test need not send a megabyte.
const testMaxBody = 8 << 10

// options are what a test changes of the API setup builds.
type options struct {
	cfg     config.Config
	noAuth  bool
	authCfg *auth.Config
	clock   func() time.Time
	owner   bool
	serve   []store.Option
}

// option changes what setup builds.
type option func(*options)

// withConfig serves with cfg (MaxBodyBytes testMaxBody unless set; ImportMaxBytes also
// bounds the importer).
func withConfig(cfg config.Config) option { return func(o *options) { o.cfg = cfg } }

// withoutAuth switches authentication off (Deps.Auth nil): every request acts for the
// office, and f.do sends no credentials.
func withoutAuth() option { return func(o *options) { o.noAuth = true } }

// withAuth serves with an auth service of the test's own built from cfg (cheap argon2 and
// f.clk filled in); no account exists and f.do sends no credentials.
func withAuth(cfg auth.Config) option { return func(o *options) { o.authCfg = &cfg } }

// withCycleClock runs the cycle's rules on now instead of the wall clock.
func withCycleClock(now func() time.Time) option { return func(o *options) { o.clock = now } }

// withStore serves — the doors and the authentication — from a second store on the test's
// database, opened as the service opens one (store.Open) with opts: a round-trip counter …
func withStore(opts ...store.Option) option { return func(o *options) { o.serve = opts } }

// withoutRLS runs the doors' statements as the database's owner (ownerStore), whom
// row-level security never applies to; authentication still reads f.st.
func withoutRLS() option { return func(o *options) { o.owner = true } }

// setup builds the API on a database of its own with authentication on (cheap hashing,
// no rate limits); requests sent with f.do act as an office administrator unless they
// carry their own Authorization or Cookie header (f.as builds one for any role). opts
// change that.
func setup(t *testing.T, opts ...option) *fixture {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.cfg.MaxBodyBytes == 0 {
		o.cfg.MaxBodyBytes = testMaxBody
	}
	f := &fixture{t: t, st: dbtest.New(t), reg: prometheus.NewRegistry()}
	serveOn := f.st
	if o.serve != nil {
		var err error
		serveOn, err = store.Open(context.Background(), f.st.Pool.Config().ConnString(),
			append([]store.Option{store.WithDefaultScope(store.OfficeScope)}, o.serve...)...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(serveOn.Close)
	}
	doorsOn := serveOn
	if o.owner {
		doorsOn = ownerStore(t, f.st)
	}
	d := Deps{Doors: doors.New(doorsOn, identity.TestKeys(), doors.Options{ImportMaxBytes: o.cfg.ImportMaxBytes}),
		Registry: f.reg, Cfg: o.cfg}
	switch {
	case o.noAuth:
	case o.authCfg != nil:
		f.clk = authtest.NewClock()
		o.authCfg.Argon2, o.authCfg.Now = auth.TestArgon2, f.clk.Now
		f.svc = auth.New(serveOn, *o.authCfg)
		d.Auth = f.svc
	default:
		d.Auth = authtest.NewService(serveOn)
		admin := authtest.User(t, f.st, auth.RoleOfficeAdmin)
		f.bearer, f.admin = "Bearer "+authtest.TokenFor(t, f.st, admin), admin.Username
	}
	f.h = New(d)
	if o.clock != nil {
		h := f.h
		f.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r.WithContext(cycle.WithClock(r.Context(), o.clock)))
		})
	}
	return f
}

// testDoors is the doors over st with the test keys.
func testDoors(st *store.Store) *doors.Doors {
	return doors.New(st, identity.TestKeys(), doors.Options{})
}

// ownerStore opens st's database as its owner, whose statements row-level security never
// applies to; it skips the test when TEST_DATABASE_URL's user is not a superuser.
func ownerStore(tb testing.TB, st *store.Store) *store.Store {
	tb.Helper()
	owner := dbtest.Open(tb, dbtest.AdminURL(tb, st), store.AsOwner())
	var super string
	if err := owner.Pool.QueryRow(context.Background(), "SELECT current_setting('is_superuser')").Scan(&super); err != nil || super != "on" {
		tb.Skip("TEST_DATABASE_URL's user is not a superuser: cannot bypass row-level security")
	}
	return owner
}

// as returns the Authorization header value of a new account of role (and scope).
func (f *fixture) as(role string, scope ...authtest.Scope) string {
	f.t.Helper()
	return authtest.Bearer(f.t, f.st, role, scope...)
}

// resp is a recorded response.
type resp struct {
	*httptest.ResponseRecorder
	t *testing.T
}

// do sends a request; body is JSON-encoded unless it is a string (sent as is). headers
// are name, value pairs; Content-Type defaults to application/json when there is a body.
// The response is checked against the served OpenAPI document (openapi_check_test.go): a
// status, header or body the document does not allow fails the test.
func (f *fixture) do(method, path string, body any, headers ...string) resp {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if f.bearer != "" && req.Header.Get("Authorization") == "" && req.Header.Get("Cookie") == "" {
		req.Header.Set("Authorization", f.bearer)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if err := checkResponse(req, rec); err != nil { // the document says what this answer may be
		f.t.Error(err)
	}
	return resp{rec, f.t}
}

// want fails the test unless the status is code.
func (r resp) want(code int) resp {
	r.t.Helper()
	if r.Code != code {
		r.t.Fatalf("status %d, want %d; body: %s", r.Code, code, r.Body.String())
	}
	return r
}

// json decodes the body into a map.
func (r resp) json() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &m); err != nil {
		r.t.Fatalf("body is not a JSON object: %v: %s", err, r.Body.String())
	}
	return m
}

// problem checks a problem+json response: status, type suffix, and (when field is not
// empty) that errors names field.
func (r resp) problem(code int, typ, field string) map[string]any {
	r.t.Helper()
	r.want(code)
	if ct := r.Header().Get("Content-Type"); ct != "application/problem+json" {
		r.t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	m := r.json()
	if m["type"] != problemBase+typ || int(m["status"].(float64)) != code || m["title"] == "" || m["detail"] == "" {
		r.t.Fatalf("problem %v, want type %s status %d", m, typ, code)
	}
	if field != "" {
		errs, _ := m["errors"].([]any)
		found := false
		for _, e := range errs {
			if e.(map[string]any)["field"] == field {
				found = true
			}
		}
		if !found {
			r.t.Fatalf("problem does not name field %s: %s", field, r.Body.String())
		}
	}
	return m
}

// items decodes a list response.
func (r resp) items() ([]map[string]any, *string) {
	r.t.Helper()
	var p struct {
		Items []map[string]any `json:"items"`
		Next  *string          `json:"next"`
	}
	r.want(http.StatusOK)
	if err := json.Unmarshal(r.Body.Bytes(), &p); err != nil {
		r.t.Fatal(err)
	}
	if p.Items == nil {
		r.t.Fatalf("items missing or null: %s", r.Body.String())
	}
	return p.Items, p.Next
}

// lists checks a list endpoint under each of its queries: the whole list (every page),
// each item as label names it (sorted first when sorted is set), printed with fmt.Sprint,
// is what want says for that path.
func (f *fixture) lists(label func(item map[string]any) string, sorted bool, want map[string]string) {
	f.t.Helper()
	for path, w := range want {
		var out []string
		for _, it := range f.all(path, "id") {
			out = append(out, label(it))
		}
		if sorted {
			sort.Strings(out)
		}
		if got := fmt.Sprint(out); got != w {
			f.t.Errorf("%s: %s, want %s", path, got, w)
		}
	}
}

// all follows next cursors from path and returns every item, failing on a repeated id.
func (f *fixture) all(path string, key string) []map[string]any {
	f.t.Helper()
	var out []map[string]any
	seen := map[any]bool{}
	next := path
	for pages := 0; ; pages++ {
		if pages > 100 {
			f.t.Fatal("too many pages")
		}
		items, cur := f.do("GET", next, nil).items()
		for _, it := range items {
			if seen[it[key]] {
				f.t.Fatalf("item %v returned twice", it[key])
			}
			seen[it[key]] = true
		}
		out = append(out, items...)
		if cur == nil {
			return out
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		next = path + sep + "after=" + *cur
	}
}

// idNumber makes a valid identity number: region 510104, birth YYYYMMDD, sequence seq.
func idNumber(t *testing.T, birth, seq string) string {
	t.Helper()
	first := "510104" + birth + seq
	c, err := identity.CheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

// idBornYearsAgo makes a valid identity number (sequence seq) of a person who turns years
// old today, and returns it with that birth date (YYYY-MM-DD).
func idBornYearsAgo(t *testing.T, years int, seq string) (id, birthDate string) {
	t.Helper()
	birthDate = vocab.Today(nil).AddDate(-years, 0, 0).Format(time.DateOnly)
	return idNumber(t, strings.ReplaceAll(birthDate, "-", ""), seq), birthDate
}

func num(v any) int64 { return int64(v.(float64)) }

// mkOrg creates an organization and returns its JSON.
func (f *fixture) mkOrg(code, kind, region string) map[string]any {
	f.t.Helper()
	return f.do("POST", "/api/v1/organizations", map[string]any{"code": code, "name": "单位" + code,
		"kind": kind, "region_code": region}).want(http.StatusCreated).json()
}

// mkEdition creates an edition.
func (f *fixture) mkEdition(id string) map[string]any {
	f.t.Helper()
	return f.do("POST", "/api/v1/editions", map[string]any{"id": id}).want(http.StatusCreated).json()
}

// mkPerson creates a person born on birth (YYYYMMDD) with sequence seq.
func (f *fixture) mkPerson(name, birth, seq string) map[string]any {
	f.t.Helper()
	return f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(f.t, birth, seq),
		"name": name}).want(http.StatusCreated).json()
}

// ifMatch is the If-Match header pair for a version.
func ifMatch(v any) []string { return []string{"If-Match", fmt.Sprintf(`"%d"`, num(v))} }
