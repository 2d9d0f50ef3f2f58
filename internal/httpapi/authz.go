package httpapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/auth"
	"talentdb/internal/report"
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

// Short names of the roles for the table below.
const (
	rAdmin   = auth.RoleOfficeAdmin
	rAnalyst = auth.RoleOfficeAnalyst
	rCity    = auth.RoleCityCoordinator
	rSchool  = auth.RoleSchoolOperator
	rMentor  = auth.RoleMentor
	rAuditor = auth.RoleAuditor
)

var (
	// readers of personal data, each within its scope
	personReaders = []string{rAdmin, rAnalyst, rCity, rSchool, rMentor}
	// writers of persons and their records: the office, and a school for its own
	personWriters = []string{rAdmin, rSchool}
	// readers of statistics and schedules: not mentors, who see participants one by one
	statReaders = []string{rAdmin, rAnalyst, rCity, rSchool}
	// readers of a school's cycle records (applications, notices, objections, training,
	// year summaries, typical cases): the office, the analyst, the school's city and the
	// school itself; a mentor sees their own participants' records only
	schoolReaders = []string{rAdmin, rAnalyst, rCity, rSchool}
	// writers of a school's cycle records: the office, and the school for its own
	schoolWriters = []string{rAdmin, rSchool}
	// writers of a participant's tasks and the feedback on their growth log: the office,
	// and the participant's mentor
	mentorWriters = []string{rAdmin, rMentor}
	// the office, a participant's school and mentor: who assesses them and records a task done
	participantStaff = []string{rAdmin, rSchool, rMentor}
	// uploaders of bulk imports: the office, and a school for its own persons
	importers = []string{rAdmin, rSchool}
	// readers of the identity review queue and merges: the office and its analyst
	officeReaders = []string{rAdmin, rAnalyst}
	officeOnly    = []string{rAdmin}
	anyone        = []string{rAdmin, rAnalyst, rCity, rSchool, rMentor, rAuditor}
)

// consentRule says which consent states a write to a person's records needs.
type consentRule int

const (
	consentAny       consentRule = iota // no condition
	consentActive                       // not_required or granted: pending and withdrawn refused
	consentNotWithdr                    // anything but withdrawn (a pending person's own data may be corrected)
)

// rule is the access rule of one route: the roles that may use it with a safe method
// (read) and with an unsafe one (write), and what a write needs of the person's consent.
type rule struct {
	read, write []string
	postReads   bool // POST that only reads (a search with the criteria in the body)
	consent     consentRule
}

// routeRules gives the rule of each route pattern: the roles named are the only ones that
// may use it. A route that is not listed here is refused to every role (403) and logged
// as a bug of the server, so a new route starts closed; TestEveryRouteHasARule fails
// until it has its line. The handlers of the cycle, import and identity routes check
// roles again for each record (the school's own, the participant's mentor). Which person
// or record a route names is checked by checkRecord.
var routeRules = map[string]rule{
	"/api/v1/organizations":      {read: personReaders, write: officeOnly},
	"/api/v1/organizations/{id}": {read: personReaders, write: officeOnly},
	"/api/v1/editions":           {read: personReaders, write: officeOnly},
	"/api/v1/editions/{id}":      {read: personReaders, write: officeOnly},
	"/api/v1/categories":         {read: personReaders},
	"/api/v1/categories/{code}":  {read: personReaders},

	"/api/v1/persons":                              {read: personReaders, write: personWriters},
	"/api/v1/persons/search":                       {read: personReaders, postReads: true},
	"/api/v1/persons/{id}":                         {read: personReaders, write: personWriters, consent: consentNotWithdr},
	"/api/v1/persons/{id}/reveal":                  {write: officeOnly},
	"/api/v1/persons/{id}/consents":                {read: statReaders, write: personWriters},
	"/api/v1/persons/{id}/consents/{cid}/withdraw": {write: personWriters},
	"/api/v1/persons/{id}/timeline":                {read: personReaders},
	"/api/v1/persons/{id}/career":                  {read: personReaders},
	"/api/v1/persons/{id}/awards":                  {read: personReaders, write: personWriters, consent: consentActive},
	"/api/v1/persons/{id}/destinations":            {read: personReaders, write: personWriters, consent: consentActive},
	"/api/v1/persons/{id}/career-moves":            {read: personReaders, write: personWriters, consent: consentActive},
	"/api/v1/persons/{id}/follow-ups":              {read: personReaders, write: personWriters, consent: consentActive},
	"/api/v1/awards/{id}":                          {read: personReaders, write: personWriters, consent: consentActive},
	"/api/v1/awards/{id}/restore":                  {write: personWriters, consent: consentActive},
	"/api/v1/awards/{id}/verify":                   {write: officeOnly, consent: consentActive},
	"/api/v1/destinations/{id}":                    {read: personReaders, write: personWriters, consent: consentActive},
	"/api/v1/destinations/{id}/restore":            {write: personWriters, consent: consentActive},
	"/api/v1/career-moves/{id}":                    {read: personReaders, write: personWriters, consent: consentActive},
	"/api/v1/career-moves/{id}/restore":            {write: personWriters, consent: consentActive},
	"/api/v1/follow-ups/{id}":                      {read: personReaders, write: personWriters, consent: consentActive},
	"/api/v1/follow-ups/{id}/restore":              {write: personWriters, consent: consentActive},
	"/api/v1/participations":                       {read: personReaders, write: personWriters},
	"/api/v1/participations/{id}":                  {read: personReaders, write: personWriters},
	"/api/v1/follow-ups/due":                       {read: statReaders},
	"/api/v1/follow-ups/coverage":                  {read: statReaders},
	"/api/v1/stats/teachers-in-education":          {read: statReaders},
	"/api/v1/reports/cohort":                       {read: statReaders},
	"/api/v1/reports/annual":                       {read: statReaders},
	"/api/v1/reports/frozen":                       {read: statReaders, write: officeOnly},
	"/api/v1/reports/frozen/{id}":                  {read: statReaders},
	"/api/v1/reports/frozen/{id}/diff":             {read: statReaders},
	"/api/v1/analytics/cohort-comparison":          {read: statReaders},
	"/api/v1/analytics/yingcai-pipeline":           {read: statReaders},
	"/api/v1/analytics/school-league":              {read: statReaders},
	"/api/v1/analytics/teacher-trajectories":       {read: statReaders},
	"/api/v1/analytics/awards-over-time":           {read: statReaders},
	"/api/v1/audit":                                {read: []string{rAdmin, rAuditor}},
	"/api/v1/auth/login":                           {write: anyone},
	"/api/v1/auth/logout":                          {write: anyone},
	"/api/v1/auth/me":                              {read: anyone},
	"/api/v1/auth/tokens":                          {read: anyone, write: anyone},
	"/api/v1/auth/tokens/{id}":                     {write: anyone},
	"/api/v1/openapi.json":                         {read: anyone},

	// the yearly cycle (cycle*.go): selection
	"/api/v1/applications":                    {read: schoolReaders, write: schoolWriters},
	"/api/v1/applications/{id}":               {read: schoolReaders, write: schoolWriters},
	"/api/v1/applications/{id}.xlsx":          {read: schoolReaders},
	"/api/v1/applications/{id}/submit":        {write: schoolWriters},
	"/api/v1/applications/{id}/review":        {write: officeOnly},
	"/api/v1/nominations":                     {write: schoolWriters},
	"/api/v1/participations/{id}/transitions": {write: schoolWriters}, // admission: the office only (cycle.Step)
	"/api/v1/public-notices":                  {read: schoolReaders, write: schoolWriters},
	"/api/v1/public-notices/{id}":             {read: schoolReaders},
	"/api/v1/objections":                      {read: schoolReaders},
	"/api/v1/participations/{id}/objections":  {write: schoolWriters},
	"/api/v1/objections/{id}":                 {read: schoolReaders},
	"/api/v1/objections/{id}/resolve":         {write: schoolWriters},
	// daily management: the school keeps the growth log, the mentor sets tasks and answers
	"/api/v1/participations/{id}/growth-logs":   {read: personReaders, write: schoolWriters},
	"/api/v1/growth-logs/{id}":                  {write: schoolWriters},
	"/api/v1/growth-logs/{id}/feedback":         {write: mentorWriters},
	"/api/v1/participations/{id}/tasks":         {read: personReaders, write: mentorWriters},
	"/api/v1/tasks/{id}":                        {write: mentorWriters},
	"/api/v1/tasks/{id}/complete":               {write: participantStaff},
	"/api/v1/training-sessions":                 {read: schoolReaders, write: schoolWriters},
	"/api/v1/training-sessions/{id}":            {read: schoolReaders},
	"/api/v1/training-sessions/{id}/attendance": {write: schoolWriters},
	"/api/v1/cycle/behind":                      {read: personReaders},
	// summary evaluation
	"/api/v1/participations/{id}/evaluation": {read: personReaders, write: participantStaff},
	"/api/v1/year-summaries":                 {read: schoolReaders, write: schoolWriters},
	"/api/v1/year-summaries/{id}":            {read: schoolReaders, write: schoolWriters},
	"/api/v1/year-summaries/{id}/submit":     {write: schoolWriters},
	"/api/v1/exchange-recommendations":       {read: personReaders, write: officeOnly},
	"/api/v1/typical-cases":                  {read: schoolReaders, write: schoolWriters},
	"/api/v1/typical-cases/{id}":             {read: schoolReaders},

	// bulk import (imports.go): a school operator lists and uploads their own files only
	"/api/v1/imports":                      {read: []string{rAdmin, rAnalyst, rSchool}},
	"/api/v1/imports/{kind}":               {write: importers}, // organizations: the office only (uploadImport)
	"/api/v1/imports/{kind}/template.xlsx": {read: importers},
	// the identity review queue and person merges (identity.go): the office
	"/api/v1/identity/candidates":                 {read: officeReaders},
	"/api/v1/identity/candidates/{id}/dismiss":    {write: officeOnly},
	"/api/v1/persons/{id}/merge":                  {write: officeOnly},
	"/api/v1/persons/{id}/merges":                 {read: officeReaders},
	"/api/v1/persons/{id}/merges/{merge_id}/undo": {write: officeOnly},
}

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
		pattern := chi.RouteContext(r.Context()).RoutePattern() // "" without a routing context
		ru, listed := routeRules[pattern]
		if !listed {
			loggerFrom(r.Context()).ErrorContext(r.Context(),
				"httpapi: bug: route without an authorisation rule, refused to every role; add it to routeRules",
				"method", r.Method, "route", pattern)
			forbidRole(w, r)
			return
		}
		p, ok := auth.FromContext(r.Context())
		if !ok {
			if s.auth == nil || publicPaths[pattern] {
				next.ServeHTTP(w, r)
				return
			}
			forbidRole(w, r) // authenticate lets only public paths through without a principal
			return
		}
		write := unsafeMethod(r.Method) && !ru.postReads
		allowed := ru.read
		if write {
			allowed = ru.write
		}
		if !slices.Contains(allowed, p.Role) {
			forbidRole(w, r)
			return
		}
		consent := consentAny
		if write {
			consent = ru.consent
		}
		if err := s.checkRecord(r.Context(), scopeOf(p), pattern, chi.URLParam(r, "id"), consent); err != nil {
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
func (s *server) checkRecord(ctx context.Context, sc store.Scope, pattern, rawID string, consent consentRule) error {
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
	case consent == consentActive && !acc.Active(),
		consent == consentNotWithdr && acc.ConsentState == "withdrawn":
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

// scopeDueFilter narrows the follow-up schedule to the caller's scope: a school operator
// sees their school's (asking for another school is 404), a city coordinator their city's
// (another city is 404). Row-level security narrows it again in the database.
func (s *server) scopeDueFilter(r *http.Request, f *report.DueFilter) error {
	p, ok := auth.FromContext(r.Context())
	if !ok {
		return nil
	}
	switch p.Role {
	case auth.RoleSchoolOperator:
		own, err := s.principalSchoolCode(r)
		if err != nil {
			return err
		}
		if f.SchoolCode != "" && f.SchoolCode != own {
			return notFoundProblem("school")
		}
		f.SchoolCode = own
	case auth.RoleCityCoordinator:
		if f.RegionCode != "" && f.RegionCode[:4]+"00" != p.CityCode {
			return notFoundProblem("region")
		}
		if f.RegionCode == "" {
			f.RegionCode = p.CityCode
		}
	}
	return nil
}
