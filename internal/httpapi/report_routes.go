package httpapi

import "github.com/go-chi/chi/v5"

// reportRoutes declares the report endpoints under /api/v1: the contract's cohort and
// annual reports, reports frozen as published and their diffs, and the longitudinal
// analytics. The follow-up schedule (GET /follow-ups/due) is in trackingRoutes. Handlers:
// reports.go, reports_analytics.go.
func (s *server) reportRoutes(r chi.Router) {
	r.Get("/reports/cohort", s.cohortReport)
	r.Get("/reports/annual", s.annualReport)
	r.Get("/reports/frozen", s.listFrozenReports)
	r.Post("/reports/frozen", s.freezeReport)
	r.Get("/reports/frozen/{id}", s.getFrozenReport)
	r.Get("/reports/frozen/{id}/diff", s.diffFrozenReport)

	r.Get("/analytics/cohort-comparison", s.cohortComparison)
	r.Get("/analytics/yingcai-pipeline", s.yingcaiPipeline)
	r.Get("/analytics/school-league", s.schoolLeague)
	r.Get("/analytics/teacher-trajectories", s.teacherTrajectories)
	r.Get("/analytics/awards-over-time", s.awardsOverTime)
}
