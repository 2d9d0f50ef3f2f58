package httpapi

import (
	"context"
	"net/http"
	"net/netip"

	"talentdb/internal/access"
	"talentdb/internal/auth"
)

// Authorisation: who may see and change what (docs/security.md). Here, in the HTTP layer,
// by role for each route (the policy table); in the doors, by the caller's school, city or
// mentor for each person or record a request names (404 outside the scope, never 403, so
// that nobody learns what exists elsewhere) and by the person's consent; and in
// PostgreSQL, where every statement runs in the caller's scope under row-level security
// (internal/store/scope.go, migrations/00070_row_security.sql).

// ProblemConsent is the type of a 409 for a write to the records of a person whose
// guardian's consent is pending or withdrawn.
const ProblemConsent = problemBase + "consent-required"

// withCaller returns ctx carrying the signed-in principal (for the auth endpoints) and the
// caller every door is called with: its role, its school, city or mentor, and what the audit
// log records of the request. The store derives the database scope from the caller.
func withCaller(ctx context.Context, p auth.Principal, c access.Caller) context.Context {
	return access.WithCaller(auth.WithPrincipal(ctx, p), c)
}

// noAuthCaller is who a request acts as while authentication is switched off.
var noAuthCaller = access.Caller{Username: "api", Role: access.RoleOfficeAdmin}

// callerFrom is the caller of a request: the signed-in principal, or the office while
// authentication is switched off.
func callerFrom(r *http.Request) access.Caller {
	if c, ok := access.CallerFrom(r.Context()); ok {
		return c
	}
	c := noAuthCaller
	c.RequestID, c.Addr = requestIDFrom(r.Context()), remoteAddr(r)
	return c
}

// remoteAddr is the address of the connection a request came on (nil if unparsable).
func remoteAddr(r *http.Request) *netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return nil
	}
	ip := ap.Addr().Unmap()
	return &ip
}

// unauthenticated is the middleware used while authentication is switched off (Deps.Auth
// nil, tests and development only): every request acts for the office.
func unauthenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(access.WithCaller(r.Context(), callerFrom(r))))
	})
}

// forbidRole answers a role that may not use a route at all.
func forbidRole(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, r, newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden",
		"您的角色无权进行此操作 / Your role may not do this."))
}

// consentProblem is the 409 of a write to the records of a person without consent.
func consentProblem(state string) *Problem {
	if state == "withdrawn" {
		return newProblem(http.StatusConflict, ProblemConsent, "Consent withdrawn",
			"监护人已撤回同意，该人员的数据不再处理 / The guardian withdrew consent: this person's data is no longer processed.")
	}
	return newProblem(http.StatusConflict, ProblemConsent, "Consent required",
		"未满 14 周岁，需先登记监护人同意（POST /api/v1/persons/{id}/consents） / Under 14: record the guardian's consent first.")
}

// authorize is the first fence: the principal's role must be allowed on the route's action
// (access.Policy, in memory). Whether the person or record a route names lies within the
// caller's scope, and whether its consent allows the action, is the door's to judge, in its
// own unit of work (a record outside the scope is 404 there, a refused consent 409); the
// database's row-level security holds behind the doors.
//
// It runs after routing (routes mounts it on the group of every /api/v1 route), so it
// judges the pattern the router matched, never a guess from the path. It fails closed: a
// pattern without a rule — or no pattern at all, if it were mounted before routing — is
// refused to every role and logged as the server's bug. Without a principal it lets the
// request through only while authentication is switched off, or on a public path.
func (s *server) authorize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		act, pattern, declared := s.actionOf(r)
		if !declared {
			loggerFrom(r.Context()).ErrorContext(r.Context(),
				"httpapi: bug: route without an action, refused to every role; declare it through api in routes.go",
				"method", r.Method, "route", pattern)
			forbidRole(w, r)
			return
		}
		rule := access.Policy[act]
		p, ok := auth.FromContext(r.Context())
		if !ok {
			if s.auth == nil || rule.Public {
				next.ServeHTTP(w, r)
				return
			}
			forbidRole(w, r) // authenticate lets only public paths through without a principal
			return
		}
		if !access.Allowed(p.Role, act) {
			forbidRole(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
