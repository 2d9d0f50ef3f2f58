package access

import (
	"fmt"
	"slices"
)

// Action is what a caller asks to do. Every route of the API names one (routes.go) and
// every service method authorizes one; the policy below says which roles may.
type Action string

// The actions, by capability.
const (
	APIDocument Action = "api.document" // the OpenAPI document
	SignIn      Action = "auth.sign_in" // sign in and out
	AccountSelf Action = "auth.self"    // who am I, my API tokens

	ReferenceRead  Action = "reference.read"  // organizations, editions, categories
	ReferenceWrite Action = "reference.write" // create, change, delete them

	PersonRead   Action = "person.read"   // persons, their timeline and career
	PersonWrite  Action = "person.write"  // create, correct, delete a person
	PersonReveal Action = "person.reveal" // an identity number or phone in clear, audited
	ConsentRead  Action = "consent.read"  // a person's guardian consents
	ConsentWrite Action = "consent.write" // record or withdraw one

	TrackingRead  Action = "tracking.read"  // awards, destinations, career moves, follow-ups
	TrackingWrite Action = "tracking.write" // record, correct, delete, restore them
	AwardVerify   Action = "award.verify"   // verify or reject an award

	ParticipationRead  Action = "participation.read"
	ParticipationWrite Action = "participation.write"

	StatsRead    Action = "stats.read"    // reports, the follow-up schedule, analytics
	ReportFreeze Action = "report.freeze" // publish a report as frozen
	AuditRead    Action = "audit.read"    // the audit log

	CycleRead       Action = "cycle.read"        // a school's applications, notices, objections, training, summaries, cases
	CycleWrite      Action = "cycle.write"       // the school's own cycle records, nominations, transitions
	CycleReview     Action = "cycle.review"      // the office's review of applications, exchange recommendations
	ParticipantRead Action = "cycle.participant" // one participant's growth log, tasks, evaluation; who is behind
	MentorWrite     Action = "cycle.mentor"      // tasks and growth-log feedback
	StaffWrite      Action = "cycle.staff"       // a task done, an evaluation: the school, the mentor or the office

	ImportRead      Action = "import.read"
	ImportWrite     Action = "import.write"
	IdentityRead    Action = "identity.read"    // the identity review queue, a person's merges
	IdentityResolve Action = "identity.resolve" // merge, undo, dismiss

	RemindRead  Action = "remind.read"  // a school's reminder settings and its sends (docs/reminders.md)
	RemindWrite Action = "remind.write" // set them: the office any school's, a school its own
	RemindSend  Action = "remind.send"  // send the day's digests: the office (the CLI, serve's daily job)

	SelfReportLink   Action = "selfreport.link"   // make, list and revoke a school's self-report links (docs/self-report.md)
	SelfReportReview Action = "selfreport.review" // the queue of answers: read, accept, correct, reject
	SelfReportAnswer Action = "selfreport.answer" // answer through a link: its holder, no account

	// the pages of the web app that no API route serves
	AccountAdmin  Action = "auth.accounts"  // the accounts: list, create, disable, enable them
	StatsOverview Action = "stats.overview" // the overview across schools: dashboard, cohorts, reports
)

// Consent says what an action that names a person needs of the person's consent.
type Consent int

const (
	ConsentAny          Consent = iota // no condition
	ConsentActive                      // not_required or granted: pending and withdrawn refused
	ConsentNotWithdrawn                // anything but withdrawn (a pending person's own data may be corrected)
)

// Rule is one row of the policy: the roles that may take the action and, when it names a
// person, what it needs of their consent. Public actions need no signed-in caller.
type Rule struct {
	Roles   []string
	Consent Consent
	Public  bool
}

var (
	everyone      = Roles
	personReaders = []string{RoleOfficeAdmin, RoleOfficeAnalyst, RoleCityCoordinator, RoleSchoolOperator, RoleMentor}
	statReaders   = []string{RoleOfficeAdmin, RoleOfficeAnalyst, RoleCityCoordinator, RoleSchoolOperator}
	schoolWriters = []string{RoleOfficeAdmin, RoleSchoolOperator}
	officeOnly    = []string{RoleOfficeAdmin}
	officeReaders = []string{RoleOfficeAdmin, RoleOfficeAnalyst}
)

// Policy is the table role × action. An action missing from it is refused to everyone.
var Policy = map[Action]Rule{
	APIDocument: {Roles: everyone, Public: true},
	SignIn:      {Roles: everyone, Public: true},
	AccountSelf: {Roles: everyone},

	ReferenceRead:  {Roles: personReaders},
	ReferenceWrite: {Roles: officeOnly},

	PersonRead:   {Roles: personReaders},
	PersonWrite:  {Roles: schoolWriters, Consent: ConsentNotWithdrawn},
	PersonReveal: {Roles: officeOnly},
	ConsentRead:  {Roles: statReaders},
	ConsentWrite: {Roles: schoolWriters},

	TrackingRead:  {Roles: personReaders},
	TrackingWrite: {Roles: schoolWriters, Consent: ConsentActive},
	AwardVerify:   {Roles: officeOnly, Consent: ConsentActive},

	ParticipationRead:  {Roles: personReaders},
	ParticipationWrite: {Roles: schoolWriters},

	StatsRead:    {Roles: statReaders},
	ReportFreeze: {Roles: officeOnly},
	AuditRead:    {Roles: []string{RoleOfficeAdmin, RoleAuditor}},

	CycleRead:       {Roles: statReaders},
	CycleWrite:      {Roles: schoolWriters},
	CycleReview:     {Roles: officeOnly},
	ParticipantRead: {Roles: personReaders},
	MentorWrite:     {Roles: []string{RoleOfficeAdmin, RoleMentor}},
	StaffWrite:      {Roles: []string{RoleOfficeAdmin, RoleSchoolOperator, RoleMentor}},

	ImportRead:      {Roles: []string{RoleOfficeAdmin, RoleOfficeAnalyst, RoleSchoolOperator}},
	ImportWrite:     {Roles: schoolWriters},
	IdentityRead:    {Roles: officeReaders},
	IdentityResolve: {Roles: officeOnly},

	RemindRead:  {Roles: schoolWriters},
	RemindWrite: {Roles: schoolWriters},
	RemindSend:  {Roles: officeOnly},

	SelfReportLink:   {Roles: schoolWriters, Consent: ConsentActive},
	SelfReportReview: {Roles: schoolWriters, Consent: ConsentActive},
	SelfReportAnswer: {Roles: []string{RoleRespondent}, Public: true},

	AccountAdmin:  {Roles: officeOnly},
	StatsOverview: {Roles: []string{RoleOfficeAdmin, RoleOfficeAnalyst, RoleCityCoordinator}},
}

// Allowed reports whether role may take action a. Deny by default: an action without a
// policy row, or an unknown role, is refused.
func Allowed(role string, a Action) bool {
	r, ok := Policy[a]
	return ok && slices.Contains(r.Roles, role)
}

// Authorize refuses (ErrForbidden) a caller whose role may not take action a.
func Authorize(c Caller, a Action) error {
	if !Allowed(c.Role, a) {
		return fmt.Errorf("%s may not %s: %w", c.Role, a, ErrForbidden)
	}
	return nil
}
