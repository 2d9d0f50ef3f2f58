package httpapi

import (
	"io"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/config"
	"talentdb/internal/doors"
)

// Deps is what the API needs from outside. Doors is required.
type Deps struct {
	// Doors are the domain services every handler calls (internal/doors, built by
	// internal/cli over the store): the API holds nothing else of the data.
	Doors *doors.Doors
	// Log receives one line per request and every server-side error; nil discards.
	Log *slog.Logger
	// Registry receives the API's metrics and is what /metrics serves; nil makes a new one.
	Registry *prometheus.Registry
	// Cfg supplies MaxBodyBytes (1 MiB when zero); the import's limit is the import door's.
	Cfg config.Config
	// Auth authenticates every /api/v1 request (docs/security.md). Nil switches
	// authentication off: no credentials are asked for and /api/v1/auth/* answers 404.
	Auth *auth.Service
	// Fallback answers every path that is not the API's (the web app, mounted by
	// internal/cli), behind the same request id, metrics and outage middleware; nil answers
	// them with a 404 problem.
	Fallback http.Handler
}

// server holds the dependencies of the handlers; every handler is a method on it.
type server struct {
	log      *slog.Logger
	registry *prometheus.Registry
	metrics  *metrics
	maxBody  int64
	mux      *chi.Mux
	auth     *auth.Service
	// actions is the action of every route, "METHOD /api/v1/pattern" → action, filled as
	// routes declares them (api.handle) and read by authorize
	actions  map[string]access.Action
	doors    *doors.Doors // the domain services: every rule lives behind them
	fallback http.Handler
}

// New builds the whole HTTP handler: middleware, every route, metrics registered on
// d.Registry. It panics on a programming error (missing Doors, a metric name
// registered with another shape, an OpenAPI fragment that does not parse).
func New(d Deps) http.Handler { return newServer(d).mux }

// newServer builds the server behind New.
func newServer(d Deps) *server {
	if d.Doors == nil {
		panic("httpapi: Deps.Doors is required")
	}
	s := &server{log: d.Log, registry: d.Registry, maxBody: d.Cfg.MaxBodyBytes, auth: d.Auth,
		actions: map[string]access.Action{}, doors: d.Doors, fallback: d.Fallback}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
	}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	m, err := newMetrics(s.registry, s.doors.System)
	if err != nil {
		panic("httpapi: metrics: " + err.Error())
	}
	s.metrics = m
	if _, err := openAPIDocument(); err != nil {
		panic("httpapi: " + err.Error())
	}
	s.mux = s.routes()
	return s
}

// decode is decodeJSON with the server's body limit.
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeJSON(w, r, s.maxBody, v)
}
