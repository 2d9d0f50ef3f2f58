package httpapi

import "talentdb/internal/access"

// reportRoutes declares the report endpoints under /api/v1: the contract's cohort and
// annual reports, reports frozen as published and their diffs, and the longitudinal
// analytics. The follow-up schedule (GET /follow-ups/due) is in trackingRoutes. Handlers:
// reports.go, reports_analytics.go.
func (s *server) reportRoutes(api api) {
	api.get("/reports/cohort", access.StatsRead, s.cohortReport)
	api.get("/reports/annual", access.StatsRead, s.annualReport)
	api.get("/reports/frozen", access.StatsRead, s.listFrozenReports)
	api.post("/reports/frozen", access.ReportFreeze, s.freezeReport)
	api.get("/reports/frozen/{id}", access.StatsRead, s.getFrozenReport)
	api.get("/reports/frozen/{id}/diff", access.StatsRead, s.diffFrozenReport)

	api.get("/analytics/cohort-comparison", access.StatsRead, s.cohortComparison)
	api.get("/analytics/yingcai-pipeline", access.StatsRead, s.yingcaiPipeline)
	api.get("/analytics/school-league", access.StatsRead, s.schoolLeague)
	api.get("/analytics/teacher-trajectories", access.StatsRead, s.teacherTrajectories)
	api.get("/analytics/awards-over-time", access.StatsRead, s.awardsOverTime)
}
