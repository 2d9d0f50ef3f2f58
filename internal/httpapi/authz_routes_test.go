package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/store"
)

// unfenced are the only routes outside /api/v1, and so outside the role fence: probes and
// metrics, which carry no personal data.
var unfenced = []string{"/healthz", "/metrics", "/readyz"}

// walkedRoute is one method of one route as chi.Walk reports it.
type walkedRoute struct {
	method, pattern string
	fenced          bool // authorize is among its middlewares
}

// walkRoutes lists every route of the API's handler, sorted by pattern and method.
func walkRoutes(t *testing.T, h http.Handler) []walkedRoute {
	t.Helper()
	routes, ok := h.(chi.Routes)
	if !ok {
		t.Fatalf("the API handler is a %T, not a chi router", h)
	}
	fence := reflect.ValueOf((&server{}).authorize).Pointer()
	var out []walkedRoute
	err := chi.Walk(routes, func(method, pattern string, _ http.Handler, mws ...func(http.Handler) http.Handler) error {
		wr := walkedRoute{method: method, pattern: pattern}
		for _, mw := range mws {
			wr.fenced = wr.fenced || reflect.ValueOf(mw).Pointer() == fence
		}
		out = append(out, wr)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].pattern < out[j].pattern || out[i].pattern == out[j].pattern && out[i].method < out[j].method
	})
	return out
}

// actionServer is the server of f's database with its table of route actions.
func actionServer(f *fixture) *server {
	return newServer(Deps{Doors: testDoors(f.st), Auth: authtest.NewService(f.st)})
}

// TestEveryRouteHasARule walks the router: every /api/v1 route goes through the role
// fence and was declared with an action that has a policy row naming at least one known
// role; every declared action is a route's; nothing else is served outside /api/v1 but the
// probes and /metrics.
func TestEveryRouteHasARule(t *testing.T) {
	t.Parallel()
	f := setup(t)
	s := actionServer(f)
	routes := walkRoutes(t, s.mux)
	walked := map[string]bool{}
	var outside []string
	for _, wr := range routes {
		if !strings.HasPrefix(wr.pattern, "/api/v1/") {
			outside = append(outside, wr.pattern)
			continue
		}
		walked[wr.method+" "+wr.pattern] = true
		if !wr.fenced {
			t.Errorf("%s %s does not go through authorize: declare it inside the group of routes()", wr.method, wr.pattern)
		}
		act, ok := s.actions[wr.method+" "+wr.pattern]
		if !ok {
			t.Errorf("%s %s was declared without an action: every role gets 403 until it has one", wr.method, wr.pattern)
			continue
		}
		rule, ok := access.Policy[act]
		if !ok || len(rule.Roles) == 0 {
			t.Errorf("%s %s: action %s has no policy row naming a role", wr.method, wr.pattern, act)
		}
		for _, role := range rule.Roles {
			if !slices.Contains(access.Roles, role) {
				t.Errorf("%s %s: unknown role %q in the policy of %s", wr.method, wr.pattern, role, act)
			}
		}
	}
	if !slices.Equal(outside, unfenced) {
		t.Errorf("routes outside /api/v1 (no role fence): %v, want only %v", outside, unfenced)
	}
	for key := range s.actions {
		if !walked[key] {
			t.Errorf("an action is declared for %q, which is no route", key)
		}
	}
	t.Logf("%d routes under /api/v1, each with its action", len(routes)-len(outside))
}

// TestRouteWithoutRuleIsRefused: a route the table does not know answers 403 to every
// role, the office administrator included, and even with authentication switched off; the
// handler never runs and the refusal is logged at error level as the server's bug. So is
// a request whose route the fence cannot tell (mounted before routing, or no routing at
// all): it never gets through.
func TestRouteWithoutRuleIsRefused(t *testing.T) {
	t.Parallel()
	const unruled = "/api/v1/test-only/unruled/{id}"
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	reached := 0
	handler := func(w http.ResponseWriter, _ *http.Request) { reached++; w.WriteHeader(http.StatusNoContent) }

	s := &server{log: logger, actions: map[string]access.Action{}} // routes declared without api: no action
	mux := chi.NewRouter()
	mux.Route("/api/v1", func(r chi.Router) {
		r.Group(func(r chi.Router) { // the fence as routes() mounts it
			r.Use(s.authorize)
			r.Get(strings.TrimPrefix(unruled, "/api/v1"), handler)
			r.Post(strings.TrimPrefix(unruled, "/api/v1"), handler)
		})
		r.Route("/before-routing", func(r chi.Router) { // the fence mounted before routing
			r.Use(s.authorize)
			r.Get("/persons", handler)
		})
	})
	s.mux = mux

	// send serves method path as principal p (nil: no principal, authentication off).
	send := func(h http.Handler, method, path string, p *auth.Principal) *httptest.ResponseRecorder {
		ctx := context.WithValue(context.Background(), loggerKey, logger)
		if p != nil {
			ctx = withPrincipal(ctx, *p, store.Actor{Name: p.Username, Role: p.Role})
		}
		req := httptest.NewRequest(method, path, nil).WithContext(ctx)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	principals := []*auth.Principal{nil}
	for _, role := range access.Roles {
		principals = append(principals, &auth.Principal{Username: "t_" + role, Role: role, SchoolID: 1,
			CityCode: "510100", MentorID: 1})
	}
	refused := func(what string, rec *httptest.ResponseRecorder) {
		t.Helper()
		var pb struct{ Type string }
		_ = json.Unmarshal(rec.Body.Bytes(), &pb)
		if rec.Code != http.StatusForbidden || pb.Type != ProblemForbidden {
			t.Errorf("%s → %d %s, want 403 %s", what, rec.Code, strings.TrimSpace(rec.Body.String()), ProblemForbidden)
		}
	}
	for _, p := range principals {
		who := "no principal"
		if p != nil {
			who = p.Role
		}
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			refused(fmt.Sprintf("%s %s as %s", m, unruled, who), send(mux, m, "/api/v1/test-only/unruled/1", p))
		}
		refused("GET before routing as "+who, send(mux, http.MethodGet, "/api/v1/before-routing/persons", p))
		refused("no routing context as "+who, send(s.authorize(http.HandlerFunc(handler)), http.MethodGet, "/api/v1/persons", p))
	}
	if reached != 0 {
		t.Errorf("the handler ran %d times behind the fence", reached)
	}
	var line struct{ Level, Route string }
	if err := json.NewDecoder(&logs).Decode(&line); err != nil || line.Level != "ERROR" || line.Route != unruled {
		t.Errorf("first log line %+v (%v), want level ERROR naming route %s", line, err, unruled)
	}
}

// rolesOfMatrix are the accounts of TestRoleRouteMatrix, one per role.
var rolesOfMatrix = []string{auth.RoleOfficeAdmin, auth.RoleOfficeAnalyst, auth.RoleCityCoordinator,
	auth.RoleSchoolOperator, auth.RoleMentor, auth.RoleAuditor}

// reParam matches a path parameter of a chi pattern.
var reParam = regexp.MustCompile(`\{[^}]+\}`)

// TestRoleRouteMatrix sends every method of every /api/v1 route as every role its
// action's policy does not name, on one server: each gets 403 forbidden from the role fence, whatever the
// route's handler would have said (the handlers' own checks are not relied on). Who the
// rules do let in is tested route by route elsewhere.
func TestRoleRouteMatrix(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("SA", "school", "510104")
	f.mkOrg("INST", "institution", "510104")
	var mentorID int64
	if err := f.st.Pool.QueryRow(context.Background(), `INSERT INTO mentors (name, institution_id)
		SELECT '王导师', id FROM organizations WHERE code = 'INST' RETURNING id`).Scan(&mentorID); err != nil {
		t.Fatal(err)
	}
	cred := map[string]string{
		auth.RoleOfficeAdmin:     f.as(auth.RoleOfficeAdmin),
		auth.RoleOfficeAnalyst:   f.as(auth.RoleOfficeAnalyst),
		auth.RoleCityCoordinator: f.as(auth.RoleCityCoordinator, authtest.Scope{CityCode: "510100"}),
		auth.RoleSchoolOperator:  f.as(auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "SA"}),
		auth.RoleMentor:          f.as(auth.RoleMentor, authtest.Scope{MentorID: mentorID}),
		auth.RoleAuditor:         f.as(auth.RoleAuditor),
	}
	s := actionServer(f)
	mux := f.h.(*chi.Mux)
	requests := 0
	for _, wr := range walkRoutes(t, f.h) {
		act, ok := s.actions[wr.method+" "+wr.pattern]
		if !ok {
			continue // TestEveryRouteHasARule names it
		}
		path := reParam.ReplaceAllString(wr.pattern, "1")
		if got := mux.Find(chi.NewRouteContext(), wr.method, path); got != wr.pattern {
			t.Errorf("%s %s routes to %q, not %s", wr.method, path, got, wr.pattern)
			continue
		}
		allowed := access.Policy[act].Roles
		for _, role := range rolesOfMatrix {
			if slices.Contains(allowed, role) {
				continue
			}
			requests++
			r := f.do(wr.method, path, nil, "Authorization", cred[role])
			var pb struct{ Type string }
			_ = json.Unmarshal(r.Body.Bytes(), &pb)
			if r.Code != http.StatusForbidden || pb.Type != ProblemForbidden {
				t.Errorf("%s %s as %s → %d, want 403 forbidden: %s", wr.method, wr.pattern, role, r.Code,
					strings.TrimSpace(r.Body.String()))
			}
		}
	}
	t.Logf("%d refusals checked", requests)
}
