package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"talentdb/internal/access"
)

// routes declares every route of the service in one block, each with the action it needs
// (internal/access: the policy table says which roles may take it; a route without an
// action cannot be declared, and a request the table has no action for is refused to every
// role). A new resource adds its lines here (or, for the tracking, report, auth, cycle and
// import endpoints, in the functions below it names), its action's policy row, its
// handlers in a file of its own, and its paths to an openapi*.json file.
func (s *server) routes() *chi.Mux {
	r := chi.NewRouter()
	// set before any route so that every sub-router inherits them
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)
	r.Use(s.withRequest, s.observe, recoverPanics)
	r.Use(s.outage()) // Retry-After on 503s; replica metrics (outage.go)

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{Registry: s.registry}))

	r.Route("/api/v1", func(r chi.Router) {
		r.Use(securityHeaders)
		r.Use(s.authenticate) // every request acts for the office while Deps.Auth is nil; see auth.go
		// Every route is declared inside this group, through api, so the role fence runs after
		// routing, on the pattern the router matched and the action declared with it
		// (authz.go). Declare no route outside it.
		r.Group(func(r chi.Router) {
			r.Use(s.authorize) // the route's action per role (access.Policy), scope per named record (authz.go)
			api := api{r: r, actions: s.actions}
			api.get("/openapi.json", access.APIDocument, s.openAPI)

			api.get("/organizations", access.ReferenceRead, s.listOrganizations)
			api.post("/organizations", access.ReferenceWrite, s.createOrganization)
			api.get("/organizations/{id}", access.ReferenceRead, s.getOrganization)
			api.patch("/organizations/{id}", access.ReferenceWrite, s.updateOrganization)
			api.delete("/organizations/{id}", access.ReferenceWrite, s.deleteOrganization)

			api.get("/editions", access.ReferenceRead, s.listEditions)
			api.post("/editions", access.ReferenceWrite, s.createEdition)
			api.get("/editions/{id}", access.ReferenceRead, s.getEdition)
			api.patch("/editions/{id}", access.ReferenceWrite, s.updateEdition)
			api.delete("/editions/{id}", access.ReferenceWrite, s.deleteEdition)

			api.get("/categories", access.ReferenceRead, s.listCategories)
			api.get("/categories/{code}", access.ReferenceRead, s.getCategory)

			api.get("/persons", access.PersonRead, s.listPersons)
			api.post("/persons", access.PersonWrite, s.createPerson)
			api.post("/persons/search", access.PersonRead, s.searchPersons) // the list's filters in a body, not the URL
			api.get("/persons/{id}", access.PersonRead, s.getPerson)
			api.patch("/persons/{id}", access.PersonWrite, s.updatePerson)
			api.delete("/persons/{id}", access.PersonWrite, s.deletePerson)
			api.post("/persons/{id}/reveal", access.PersonReveal, s.revealPerson)
			api.get("/persons/{id}/consents", access.ConsentRead, s.listConsents)
			api.post("/persons/{id}/consents", access.ConsentWrite, s.createConsent)
			api.post("/persons/{id}/consents/{cid}/withdraw", access.ConsentWrite, s.withdrawConsent)

			api.get("/audit", access.AuditRead, s.listAudit)

			api.get("/participations", access.ParticipationRead, s.listParticipations)
			api.post("/participations", access.ParticipationWrite, s.createParticipation)
			api.get("/participations/{id}", access.ParticipationRead, s.getParticipation)
			api.patch("/participations/{id}", access.ParticipationWrite, s.updateParticipation)
			api.delete("/participations/{id}", access.ParticipationWrite, s.deleteParticipation)

			s.trackingRoutes(api) // awards, destinations, career moves, follow-ups, timeline
			s.reportRoutes(api)   // cohort and annual reports, follow-ups due
			s.authRoutes(api)     // sign-in, sign-out, me, API tokens
			s.cycleRoutes(api)    // applications, selection, daily management, summary evaluation (cycle.go)
			s.importRoutes(api)   // bulk import, templates, identity review, person merges (imports.go, identity.go)
		})
	})
	if s.fallback != nil { // the web app (internal/web), mounted by internal/cli
		r.NotFound(s.fallback.ServeHTTP)
	}
	return r
}

// notFound answers an unknown path with a 404 problem.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, r, newProblem(http.StatusNotFound, ProblemNotFound, "Not found",
		"没有这个地址 / No such path; see /api/v1/openapi.json."))
}

// methodNotAllowed answers a known path with the wrong method: 405 and the Allow header.
func (s *server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if s.mux.Match(chi.NewRouteContext(), m, r.URL.Path) {
			w.Header().Add("Allow", m)
		}
	}
	writeProblem(w, r, newProblem(http.StatusMethodNotAllowed, ProblemMethodNotAllowed, "Method not allowed",
		"该地址不支持此方法 / This path does not support the method "+r.Method+"."))
}

// api declares the routes under /api/v1, each with the action it needs.
type api struct {
	r       chi.Router
	actions map[string]access.Action // "METHOD /api/v1/pattern" → action
}

// apiPrefix is where api's patterns are mounted.
const apiPrefix = "/api/v1"

func (a api) handle(method, pattern string, act access.Action, h http.HandlerFunc) {
	if _, ok := access.Policy[act]; !ok {
		panic("httpapi: route " + method + " " + pattern + " names action " + string(act) + ", which has no policy row")
	}
	a.actions[method+" "+apiPrefix+pattern] = act
	a.r.Method(method, pattern, h)
}

func (a api) get(p string, act access.Action, h http.HandlerFunc) {
	a.handle(http.MethodGet, p, act, h)
}
func (a api) post(p string, act access.Action, h http.HandlerFunc) {
	a.handle(http.MethodPost, p, act, h)
}
func (a api) put(p string, act access.Action, h http.HandlerFunc) {
	a.handle(http.MethodPut, p, act, h)
}
func (a api) patch(p string, act access.Action, h http.HandlerFunc) {
	a.handle(http.MethodPatch, p, act, h)
}
func (a api) delete(p string, act access.Action, h http.HandlerFunc) {
	a.handle(http.MethodDelete, p, act, h)
}

// actionOf is the action of the route r matched, and false when it has none.
func (s *server) actionOf(r *http.Request) (access.Action, string, bool) {
	pattern := chi.RouteContext(r.Context()).RoutePattern() // "" without a routing context
	act, ok := s.actions[r.Method+" "+pattern]
	return act, pattern, ok
}
