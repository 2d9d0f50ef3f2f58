package httpapi

import (
	"context"
	"net/http"

	"talentdb/internal/auth"
	"talentdb/internal/store"
)

// Authorisation: who may see and change what (docs/security.md). It is enforced twice:
// here, in the HTTP layer, by role and by the principal's school, city or mentor; and in
// PostgreSQL, where every statement of a request runs in the principal's scope under
// row-level security (internal/store/scope.go, migrations/00070_row_security.sql).

// scopeOf maps a principal to the database scope its requests run in. A role without
// its scope column yields an invalid scope, which sees nothing.
func scopeOf(p auth.Principal) store.Scope {
	switch p.Role {
	case auth.RoleOfficeAdmin:
		return store.OfficeScope
	case auth.RoleOfficeAnalyst:
		return store.Scope{Kind: store.ScopeAnalyst}
	case auth.RoleCityCoordinator:
		return store.Scope{Kind: store.ScopeCity, CityCode: p.CityCode}
	case auth.RoleSchoolOperator:
		return store.Scope{Kind: store.ScopeSchool, SchoolID: p.SchoolID}
	case auth.RoleMentor:
		return store.Scope{Kind: store.ScopeMentor, MentorID: p.MentorID}
	case auth.RoleAuditor:
		return store.Scope{Kind: store.ScopeAuditor}
	}
	return store.Scope{}
}

type actorKey struct{}

// withPrincipal returns ctx carrying the principal, the database scope of its requests and
// the audit actor of its writes and reads (username, role, request id, client address).
func withPrincipal(ctx context.Context, p auth.Principal, a store.Actor) context.Context {
	ctx = context.WithValue(auth.WithPrincipal(ctx, p), actorKey{}, a)
	return store.WithScope(ctx, scopeOf(p))
}

// principalActorFrom returns the audit actor the authentication middleware put in ctx.
func principalActorFrom(ctx context.Context) (store.Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(store.Actor)
	return a, ok
}

// unauthenticated is the middleware used while authentication is switched off (Deps.Auth
// nil, tests and development only): every request acts for the office.
func unauthenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(store.WithScope(r.Context(), store.OfficeScope)))
	})
}
