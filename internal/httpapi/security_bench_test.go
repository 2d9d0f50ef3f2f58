package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/store"
)

// What row-level security costs. Each benchmark serves the same requests, signed in, through
// two servers on the same data (benchData): "rls" runs every statement as the app role in
// the caller's scope, as the service does; "norls" runs them on a superuser connection
// without switching role (store.AsOwner), which row-level security never applies to. The
// HTTP layer's own checks, the authentication and the read audit are the same in both, so
// the difference is the policies and the role switch.
//
//	go test ./internal/httpapi -run '^$' -bench 'RLS$' -benchtime 2s

type rlsBench struct {
	on, off http.Handler
	pid     int64
	tokens  map[string]string // role → Authorization header
}

func newRLSBench(b *testing.B) *rlsBench {
	b.Helper()
	st, pid := benchData(b)
	svc := authtest.NewService(st)
	mk := func(s *store.Store) http.Handler { return New(Deps{Doors: testDoors(s), Auth: svc}) }
	return &rlsBench{on: mk(st), off: mk(ownerStore(b, st)), pid: pid, tokens: map[string]string{
		auth.RoleOfficeAdmin:     authtest.Bearer(b, st, auth.RoleOfficeAdmin),
		auth.RoleSchoolOperator:  authtest.Bearer(b, st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "S2"}),
		auth.RoleCityCoordinator: authtest.Bearer(b, st, auth.RoleCityCoordinator, authtest.Scope{CityCode: "510100"}),
	}}
}

func (rb *rlsBench) run(b *testing.B, path string) {
	for _, role := range []string{auth.RoleOfficeAdmin, auth.RoleCityCoordinator, auth.RoleSchoolOperator} {
		for _, mode := range []struct {
			name string
			h    http.Handler
		}{{"norls", rb.off}, {"rls", rb.on}} {
			b.Run(role+"/"+mode.name, func(b *testing.B) {
				for b.Loop() {
					req := httptest.NewRequest("GET", path, nil)
					req.Header.Set("Authorization", rb.tokens[role])
					rec := httptest.NewRecorder()
					mode.h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("GET %s as %s: %d %s", path, role, rec.Code, rec.Body.String())
					}
				}
			})
		}
	}
}

// BenchmarkTimelineRLS is GET /persons/{id}/timeline of a person of school S2 with 3
// awards, a destination, follow-ups and 3 edits, among benchPersons.
func BenchmarkTimelineRLS(b *testing.B) {
	rb := newRLSBench(b)
	rb.run(b, fmt.Sprintf("/api/v1/persons/%d/timeline", rb.pid))
}

// BenchmarkPersonListRLS is the first page (50) of GET /persons among benchPersons: all
// of them for the office, a city's half, one school's twentieth.
func BenchmarkPersonListRLS(b *testing.B) {
	rb := newRLSBench(b)
	rb.run(b, "/api/v1/persons?limit=50")
}
