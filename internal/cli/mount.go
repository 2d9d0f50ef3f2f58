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
	d := doors.New(st, keys, doors.Options{ImportMaxBytes: cfg.ImportMaxBytes})
	deps := httpapi.Deps{Store: st, Keys: keys, Log: log, Registry: reg, Cfg: cfg, Auth: authn, Doors: d}
	if authn == nil {
		return httpapi.New(deps)
	}
	// the pages still write through the API in-process (internal/web/api.go), so the web app
	// holds the API's handler, which is only known once it is built
	var api http.Handler
	deps.Fallback = web.New(web.Deps{Store: st, Keys: keys, Auth: authn, Doors: d, Log: log,
		Scope: func(p auth.Principal) store.Scope { return store.ScopeFor(p.Caller("", nil)) },
		API:   http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { api.ServeHTTP(w, r) })})
	api = httpapi.New(deps)
	return api
}
