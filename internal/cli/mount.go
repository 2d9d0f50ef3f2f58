package cli

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/auth"
	"talentdb/internal/config"
	"talentdb/internal/doors"
	"talentdb/internal/httpapi"
	"talentdb/internal/identity"
	"talentdb/internal/store"
	"talentdb/internal/web"
)

// Mount wires the service: the doors over st, the JSON API at /api/v1 and the web app at /
// (behind the API's request ids, metrics and outage middleware), both calling the same
// doors. A nil authn switches authentication off and with it the web app.
func Mount(st *store.Store, keys *identity.Keys, authn *auth.Service, log *slog.Logger, reg *prometheus.Registry,
	cfg config.Config) http.Handler {
	h, _ := mount(st, keys, authn, log, reg, cfg)
	return h
}

// mount is Mount returning the doors too, for the server's background jobs (the daily
// reminders) to use the same ones.
func mount(st *store.Store, keys *identity.Keys, authn *auth.Service, log *slog.Logger, reg *prometheus.Registry,
	cfg config.Config) (http.Handler, *doors.Doors) {
	d := doors.New(st, keys, doors.Options{ImportMaxBytes: cfg.ImportMaxBytes, Remind: remindConfig(cfg)})
	deps := httpapi.Deps{Doors: d, Log: log, Registry: reg, Cfg: cfg, Auth: authn}
	if authn != nil {
		deps.Fallback = web.New(web.Deps{Doors: d, Auth: authn, Log: log})
	}
	return httpapi.New(deps), d
}
