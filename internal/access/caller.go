package access

import (
	"context"
	"net/netip"
)

// The roles of an account (users.role), as docs/security.md lists them.
const (
	RoleOfficeAdmin     = "office_admin"     // the office's data and the accounts, province-wide
	RoleOfficeAnalyst   = "office_analyst"   // reads province-wide
	RoleCityCoordinator = "city_coordinator" // the schools of one city or prefecture (Caller.CityCode)
	RoleSchoolOperator  = "school_operator"  // their own school (Caller.SchoolID)
	RoleMentor          = "mentor"           // the participants assigned to them (Caller.MentorID)
	RoleAuditor         = "auditor"          // the audit log only
)

// RoleRespondent is the holder of a self-report link (docs/self-report.md): no account has
// it, a link's token is its only credential, and its one action is answering for the
// link's person (SelfReportAnswer). It is not among Roles, the roles of accounts.
const RoleRespondent = "respondent"

// Roles lists every role of an account, in the order of docs/security.md.
var Roles = []string{RoleOfficeAdmin, RoleOfficeAnalyst, RoleCityCoordinator, RoleSchoolOperator, RoleMentor, RoleAuditor}

// Via is how a caller proved who it is.
type Via string

// The ways in.
const (
	ViaSession Via = "session" // a browser's session cookie
	ViaToken   Via = "token"   // an API token (Authorization: Bearer)
	ViaCLI     Via = "cli"     // a command on the server: acts for the office
	ViaLink    Via = "link"    // a self-report link's token: the respondent of one person
)

// Caller is whoever calls a door: the account and its scope (SchoolID for a school
// operator, CityCode for a city coordinator, MentorID for a mentor; zero otherwise), how it
// came in, and what the audit log records of the request.
type Caller struct {
	UserID   int64
	Username string // the audit actor: the account, or "cli:<os user>"
	Role     string
	SchoolID int64
	CityCode string
	MentorID int64
	Via      Via
	// RequestID and Addr identify the request in the audit log (empty for the CLI).
	RequestID string
	Addr      *netip.Addr
}

// CLI is the caller of a command run on the server: the office, named after the OS user.
func CLI(osUser string) Caller {
	return Caller{Username: "cli:" + osUser, Role: RoleOfficeAdmin, Via: ViaCLI}
}

// Respondent is the caller of a self-report link's page: the link's holder, named in the
// audit log by the link, never by a person.
func Respondent(requestID string, addr *netip.Addr) Caller {
	return Caller{Username: "self-report link", Role: RoleRespondent, Via: ViaLink, RequestID: requestID, Addr: addr}
}

// Office reports whether the caller acts for the office (its administrators and the CLI).
func (c Caller) Office() bool { return c.Role == RoleOfficeAdmin }

// ProvinceWide reports whether the caller reads across the whole province.
func (c Caller) ProvinceWide() bool { return c.Role == RoleOfficeAdmin || c.Role == RoleOfficeAnalyst }

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller ctx carries, if any.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}
