package auth

import (
	"context"
	"crypto/subtle"
	"slices"
)

// The roles of an account (users.role).
const (
	// RoleOfficeAdmin runs the office's data and the accounts, province-wide.
	RoleOfficeAdmin = "office_admin"
	// RoleOfficeAnalyst reads province-wide, for long-term outcomes and annual reports.
	RoleOfficeAnalyst = "office_analyst"
	// RoleCityCoordinator sees the schools of one city or prefecture (Principal.CityCode).
	RoleCityCoordinator = "city_coordinator"
	// RoleSchoolOperator keeps their own school's records (Principal.SchoolID).
	RoleSchoolOperator = "school_operator"
	// RoleMentor sees the participants assigned to them (Principal.MentorID).
	RoleMentor = "mentor"
	// RoleAuditor reads the audit log only.
	RoleAuditor = "auditor"
)

// Roles lists every role, in the order of the table in docs/security.md.
var Roles = []string{RoleOfficeAdmin, RoleOfficeAnalyst, RoleCityCoordinator, RoleSchoolOperator, RoleMentor, RoleAuditor}

// ValidRole reports whether r is one of Roles.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }

// Method is how a request proved who it is.
type Method string

// The two ways in.
const (
	ViaSession Method = "session" // a browser's session cookie
	ViaToken   Method = "token"   // an API token in Authorization: Bearer
)

// Principal is the signed-in account a request acts as. The scope fields are zero when
// the role has none: SchoolID for school_operator, CityCode for city_coordinator,
// MentorID for mentor. It is read from the account at most Config.CallerTTL before the
// request, and the auth door's own changes (a disable, a password reset, a revocation)
// take effect at once.
type Principal struct {
	UserID   int64
	Username string
	Role     string
	SchoolID int64
	CityCode string
	MentorID int64
	// Via says whether a session cookie or an API token authenticated the request.
	Via Method
	// SessionID or TokenID is the credential used (the other is zero).
	SessionID int64
	TokenID   int64

	csrf string // the session's synchroniser token; empty for tokens
}

// CSRFToken returns the synchroniser token of the principal's session ("" for tokens).
func (p Principal) CSRFToken() string { return p.csrf }

// CSRFMatches reports, in constant time, whether got is the session's CSRF token. It is
// false for an empty got and for token principals (who need none: check Via first).
func (p Principal) CSRFMatches(got string) bool {
	if p.csrf == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(p.csrf), []byte(got)) == 1
}

// ProvinceWide reports whether the role reads across the whole province.
func (p Principal) ProvinceWide() bool {
	return p.Role == RoleOfficeAdmin || p.Role == RoleOfficeAnalyst
}

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal of the request, and false when no one is signed in
// (authentication switched off, or a path that needs none).
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}
