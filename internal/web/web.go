package web

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/doors"
)

// Deps is what the web app needs from the server that mounts it. Everything but Log and
// Now is required.
type Deps struct {
	// Auth signs people in and resolves session cookies; it is the API's own service, so
	// both share the rate limiters.
	Auth *auth.Service
	// Doors are the domain services, the API's own: pages call them for every read and write.
	Doors *doors.Doors
	// Log receives server-side errors; nil discards.
	Log *slog.Logger
	// Now is the clock (nil: time.Now), for tests that pin "today".
	Now func() time.Time
}

// app holds the dependencies of the page handlers; every handler is a method on it.
type app struct {
	doors  *doors.Doors
	auth   *auth.Service
	log    *slog.Logger
	now    func() time.Time
	pages  map[string]*pageTemplate
	assets *assetSet
}

// New builds the web app's handler. It panics on a programming error: a missing
// dependency or a template that does not parse.
func New(d Deps) http.Handler {
	if d.Auth == nil || d.Doors == nil {
		panic("web: Deps.Auth and Deps.Doors are required")
	}
	a := &app{doors: d.Doors, auth: d.Auth, log: d.Log, now: d.Now}
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if a.now == nil {
		a.now = time.Now
	}
	a.assets = loadAssets()
	a.pages = mustParsePages(a.assets)
	return a.routes()
}

// routes declares every page of the app in one block.
func (a *app) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(securityHeaders, a.language)
	r.NotFound(a.notFound)
	r.MethodNotAllowed(a.methodNotAllowed)

	r.Get("/static/*", a.static)
	r.Get("/login", a.loginPage)
	r.Post("/login", a.login)
	// a self-report link's page: no account, the token is the caller (selfreport.go)
	r.Get("/r/{token}", a.linkPage)
	r.Post("/r/{token}", a.linkAnswer)

	r.Group(func(r chi.Router) {
		r.Use(a.session)
		r.Post("/logout", a.logout)
		r.Get("/", a.home)

		r.With(a.allow(access.StatsOverview)).Group(func(r chi.Router) {
			r.Get("/dashboard", a.dashboard)
			r.Get("/cohorts", a.cohorts)
			r.Get("/cohorts/export", a.cohortExport)
			r.Get("/reports", a.reports)
			r.Get("/reports/annual/export", a.annualExport)
			// analysts: the teachers' trajectories, office workbooks, the print view
			r.Get("/cohorts/teachers", a.teachers)
			r.Get("/cohorts/workbook", a.cohortWorkbook)
			r.Get("/reports/annual/workbook", a.annualWorkbook)
			r.Get("/reports/print", a.reportsPrint)
		})

		r.With(a.allow(access.StatsRead)).Get("/school", a.school)
		r.With(a.allow(access.SelfReportLink)).Group(func(r chi.Router) {
			r.Post("/school/self-report-links", a.makeLinks)
			r.Post("/school/self-report-links/{id}/revoke", a.revokeLink)
		})
		r.With(a.allow(access.SelfReportReview)).Group(func(r chi.Router) {
			r.Get("/school/self-reports", a.selfReports)
			r.Post("/school/self-reports/{id}/accept", a.acceptAnswer)
			r.Post("/school/self-reports/{id}/reject", a.rejectAnswer)
		})
		r.With(a.allow(access.StatsRead)).Get("/school/due/export", a.dueExport) // lists
		r.With(a.allow(access.ImportWrite)).Group(func(r chi.Router) {
			r.Get("/imports", a.importPage)
			r.Post("/imports", a.importUpload)
			r.Get("/imports/templates/{kind}", a.importTemplate)
			r.Get("/imports/history/export", a.historyExport) // lists
		})
		r.With(a.allow(access.TrackingWrite)).Group(func(r chi.Router) {
			r.Post("/persons/{id}/follow-ups", a.addFollowUp)
			r.Post("/persons/{id}/awards", a.addAward)
			r.Post("/persons/{id}/destinations", a.addDestination)
			// corrections
			r.Post("/persons/{id}/records/{kind}/{rid}", a.updateRecord)
			r.Post("/persons/{id}/records/{kind}/{rid}/delete", a.deleteRecord)
			r.Post("/persons/{id}/records/{kind}/{rid}/restore", a.restoreRecord)
		})
		r.With(a.allow(access.PersonWrite)).Post("/persons/{id}", a.updatePerson)

		r.With(a.allow(access.PersonRead)).Group(func(r chi.Router) {
			r.Get("/persons", a.persons)
			r.Get("/persons/export", a.personsExport) // lists
			r.Get("/persons/{id}", a.person)
		})

		r.With(a.allow(access.AccountAdmin)).Group(func(r chi.Router) {
			r.Get("/admin/users", a.users)
			r.Post("/admin/users", a.createUser)
			r.Post("/admin/users/{username}/disable", a.disableUser)
			r.Post("/admin/users/{username}/enable", a.enableUser)
		})
		r.With(a.allow(access.AuditRead)).Group(func(r chi.Router) {
			r.Get("/admin/audit", a.audit)
			r.Get("/admin/audit/export", a.auditExport) // lists
		})

		// the mentor's workspace
		r.With(a.allow(access.MentorWrite)).Group(func(r chi.Router) {
			r.Get("/mentor", a.mentorHome)
			r.Get("/mentor/participants/{id}", shown(a.showParticipant))
			r.Post("/mentor/participants/{id}/growth-logs/{log}/feedback", a.mentorFeedback)
			r.Post("/mentor/participants/{id}/tasks", a.mentorAddTask)
			r.Post("/mentor/participants/{id}/tasks/{task}/complete", a.mentorTaskDone)
			r.Post("/mentor/participants/{id}/evaluation", a.mentorAssess)
		})
		// the office's workflows
		r.With(a.allow(access.CycleReview)).Group(func(r chi.Router) {
			r.Get("/office/applications", shown(a.showApplications))
			r.Get("/office/applications/export", a.applicationsExport) // lists
			r.Post("/office/applications/{id}/review", a.officeReview)
			r.Get("/office/selection", shown(a.showSelection))
			r.Post("/office/notices", a.postNotice("/office/selection", a.showSelection))
			r.Post("/office/nominees/{id}/objections", a.lodgeObjection("/office/selection", a.showSelection))
			r.Post("/office/objections/{id}/resolve", a.resolveObjection("/office/selection", a.showSelection))
			r.Post("/office/nominees/{id}/admit", a.officeAdmit)
		})
		r.With(a.allow(access.AwardVerify)).Group(func(r chi.Router) {
			r.Get("/office/awards", shown(a.showAwards))
			r.Get("/office/awards/export", a.awardsExport) // lists
			r.Post("/office/awards/{id}/verify", a.officeVerify)
		})
		r.With(a.allow(access.ReportFreeze)).Group(func(r chi.Router) {
			r.Get("/office/reports", shown(a.showPublish))
			r.Post("/office/reports", a.officeFreeze)
			r.Get("/office/reports/{id}", a.officeFrozen)
		})
		r.With(a.allow(access.AccountAdmin)).Group(func(r chi.Router) {
			r.Get("/admin/users/{username}/password", a.passwordPage)
			r.Post("/admin/users/{username}/password", a.passwordReset)
		})
		// the school's cycle
		r.With(a.allow(access.CycleWrite)).Group(func(r chi.Router) {
			r.Get("/school/cycle", shown(a.showSchoolCycle))
			r.Post("/school/cycle/application", a.cycleSaveApplication)
			r.Post("/school/cycle/nominations", a.cycleNominate)
			r.Post("/school/cycle/trainings", a.cycleAddTraining)
			r.Post("/school/cycle/trainings/{id}/attendance", a.cycleAttendance)
			r.Post("/school/cycle/participants/{id}/evaluation", a.cycleAssess)
			r.Post("/school/cycle/summary", a.cycleSummary)
			// the school's own steps of the selection
			r.Post("/school/cycle/notices", a.postNotice("/school/cycle", a.showSchoolCycle))
			r.Post("/school/cycle/participants/{id}/step", a.cycleStep)
			r.Post("/school/cycle/participants/{id}/objections", a.lodgeObjection("/school/cycle", a.showSchoolCycle))
			r.Post("/school/cycle/objections/{id}/resolve", a.resolveObjection("/school/cycle", a.showSchoolCycle))
		})
		r.With(a.allow(access.TrackingWrite)).Post("/persons/{id}/career-moves", a.addCareerMove)
		// the reminders: a school's own settings, the office's for any school and the province
		r.With(a.allow(access.RemindRead)).Get("/settings/reminders", a.reminders)
		r.With(a.allow(access.RemindWrite)).Post("/settings/reminders", a.saveReminders)

		r.Get("/account/tokens", a.tokens)
		r.Post("/account/tokens", a.createToken)
		r.Post("/account/tokens/{id}/revoke", a.revokeToken)
	})
	return r
}

// home sends each role to the page it works on most.
func (a *app) home(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	to := "/persons"
	switch p.Role {
	case auth.RoleOfficeAdmin, auth.RoleOfficeAnalyst, auth.RoleCityCoordinator:
		to = "/dashboard"
	case auth.RoleSchoolOperator:
		to = "/school"
	case auth.RoleAuditor:
		to = "/admin/audit"
	case auth.RoleMentor:
		to = "/mentor"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
