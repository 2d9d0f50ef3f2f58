package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/store"
)

// Authorisation: who may see and change what (docs/security.md). It is enforced twice:
// here, in the HTTP layer — by role for each route, and by the principal's school, city or
// mentor for each person or record a route names (404 outside the scope, never 403, so
// that nobody learns what exists elsewhere) — and in PostgreSQL, where every statement of
// a request runs in the principal's scope under row-level security (internal/store/scope.go,
// migrations/00070_row_security.sql). Either fence alone keeps a principal in its scope.

// ProblemConsent is the type of a 409 for a write to the records of a person whose
// guardian's consent is pending or withdrawn.
const ProblemConsent = problemBase + "consent-required"

// scopeOf maps a principal to the database scope its requests run in (store.ScopeFor).
func scopeOf(p auth.Principal) store.Scope { return store.ScopeFor(p.Caller("", nil)) }

type actorKey struct{}

// withPrincipal returns ctx carrying the principal, the database scope of its requests and
// the audit actor of its writes and reads (username, role, request id, client address).
func withPrincipal(ctx context.Context, p auth.Principal, a store.Actor) context.Context {
	c := p.Caller(a.RequestID, a.IP)
	ctx = access.WithCaller(context.WithValue(auth.WithPrincipal(ctx, p), actorKey{}, a), c)
	return store.WithScope(ctx, store.ScopeFor(c))
}

// officeCaller is who a request acts as while authentication is switched off.
var noAuthCaller = access.Caller{Username: "api", Role: access.RoleOfficeAdmin}

// callerFrom is the caller of a request: the signed-in principal, or the office while
// authentication is switched off.
func callerFrom(r *http.Request) access.Caller {
	if c, ok := access.CallerFrom(r.Context()); ok {
		return c
	}
	c := noAuthCaller
	a := actorFrom(r)
	c.RequestID, c.Addr = a.RequestID, a.IP
	return c
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
		// no caller in the context: callerFrom answers the office
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

// authorize is the first fence: the principal's role must be allowed on the route, and a
// person or record the route names must lie within the principal's scope (404 otherwise).
// Writes to the records of a person whose consent is pending or withdrawn are refused.
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
		if err := s.checkRecord(r.Context(), scopeOf(p), pattern, chi.URLParam(r, "id"), rule.Consent); err != nil {
			fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// recordEntity maps the route prefix of a tracking record to its entity.
var recordEntity = map[string]string{"/api/v1/awards/{id}": "award", "/api/v1/destinations/{id}": "destination",
	"/api/v1/career-moves/{id}": "career_move", "/api/v1/follow-ups/{id}": "follow_up"}

// checkRecord checks the person or record named by a route's {id} against the scope with
// the store's explicit predicates: out of scope is 404, as is a row that does not exist.
func (s *server) checkRecord(ctx context.Context, sc store.Scope, pattern, rawID string, consent access.Consent) error {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil // not a numeric id: the handler answers
	}
	var (
		acc    store.Access
		entity string
	)
	switch {
	case strings.HasPrefix(pattern, "/api/v1/persons/{id}"):
		entity = "person"
		acc, err = s.store.PersonAccess(ctx, id, sc)
	case strings.HasPrefix(pattern, "/api/v1/participations/{id}"):
		entity = "participation"
		acc, err = s.store.ParticipationAccess(ctx, id, sc)
	default:
		for prefix, e := range recordEntity {
			if strings.HasPrefix(pattern, prefix) {
				entity = e
			}
		}
		if entity == "" {
			return nil
		}
		var personID int64
		if personID, err = s.store.RecordPerson(ctx, entity, id); err == nil {
			acc, err = s.store.PersonAccess(ctx, personID, sc)
		}
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFoundProblem(entity)
	case err != nil:
		return err
	case !acc.InScope:
		return notFoundProblem(entity)
	case !consent.Allows(acc.ConsentState):
		return consentProblem(acc.ConsentState)
	}
	return nil
}

// ownSchool refuses (403) a school operator who names a school other than their own; for
// every other role it does nothing. code is the school_code of a write.
func (s *server) ownSchool(r *http.Request, code *string) error {
	p, ok := auth.FromContext(r.Context())
	if !ok || p.Role != auth.RoleSchoolOperator {
		return nil
	}
	own, err := s.store.OrganizationGet(r.Context(), p.SchoolID)
	if err != nil {
		return err
	}
	if code == nil || *code != own.Code {
		return newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden",
			"学校账号只能登记本校（"+own.Code+"）的记录 / A school account records its own school's ("+own.Code+") records only.")
	}
	return nil
}

// principalSchoolCode returns the school code of a school operator ("" for other roles).
func (s *server) principalSchoolCode(r *http.Request) (string, error) {
	p, ok := auth.FromContext(r.Context())
	if !ok || p.Role != auth.RoleSchoolOperator {
		return "", nil
	}
	o, err := s.store.OrganizationGet(r.Context(), p.SchoolID)
	if err != nil {
		return "", err
	}
	return o.Code, nil
}
