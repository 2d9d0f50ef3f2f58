package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/person"
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
		if err := s.checkRecord(r.Context(), callerFrom(r), pattern, chi.URLParam(r, "id"), act); err != nil {
			fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// recordEntity maps the route prefix of a person or record the fence checks to its entity.
var recordEntity = map[string]string{
	"/api/v1/persons/{id}": person.RecordPerson, "/api/v1/participations/{id}": person.RecordParticipation,
	"/api/v1/awards/{id}": person.RecordAward, "/api/v1/destinations/{id}": person.RecordDestination,
	"/api/v1/career-moves/{id}": person.RecordCareerMove, "/api/v1/follow-ups/{id}": person.RecordFollowUp,
}

// checkRecord checks the person or record named by a route's {id} through the person
// door's fence (person.Service.Reach): out of scope is 404, as is a row that does not
// exist; a person whose consent the action needs and lacks is the consent conflict.
func (s *server) checkRecord(ctx context.Context, c access.Caller, pattern, rawID string, act access.Action) error {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil // not a numeric id: the handler answers
	}
	entity := ""
	for prefix, e := range recordEntity {
		if strings.HasPrefix(pattern, prefix) {
			entity = e
		}
	}
	if entity == "" {
		return nil
	}
	err = s.doors.Persons.Reach(ctx, c, entity, id, act)
	if errors.Is(err, access.ErrNotFound) {
		return notFoundProblem(entity)
	}
	return err
}

// ownSchool refuses (403) a school operator who names a school other than their own; for
// every other role it does nothing. code is the school_code of a write.
func (s *server) ownSchool(r *http.Request, code *string) error {
	own, err := s.principalSchoolCode(r)
	if err != nil || own == "" {
		return err
	}
	if code == nil || *code != own {
		return newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden",
			"学校账号只能登记本校（"+own+"）的记录 / A school account records its own school's ("+own+") records only.")
	}
	return nil
}

// principalSchoolCode returns the school code of a school operator ("" for other roles).
func (s *server) principalSchoolCode(r *http.Request) (string, error) {
	p, ok := auth.FromContext(r.Context())
	if !ok || p.Role != auth.RoleSchoolOperator {
		return "", nil
	}
	o, err := s.doors.Organizations.Get(r.Context(), callerFrom(r), p.SchoolID)
	if err != nil {
		return "", err
	}
	return o.Code, nil
}
