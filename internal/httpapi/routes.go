package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"talentdb/internal/web"
)

// routes declares every route of the service in one block. A new resource adds its lines
// here (or, for the tracking and report endpoints, in trackingRoutes and reportRoutes),
// the roles that may use them in routeRules (authz.go; without it every role gets 403),
// its handlers in a file of its own, and its paths to an openapi*.json file.
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
		// Every route is declared inside this group, so the role fence runs after routing, on
		// the pattern the router matched: a route without its line in routeRules answers 403
		// to every role (authz.go). Declare no route outside it.
		r.Group(func(r chi.Router) {
			r.Use(s.authorize) // role per route, scope per named record (authz.go)
			r.Get("/openapi.json", s.openAPI)

			r.Get("/organizations", s.listOrganizations)
			r.Post("/organizations", s.createOrganization)
			r.Get("/organizations/{id}", s.getOrganization)
			r.Patch("/organizations/{id}", s.updateOrganization)
			r.Delete("/organizations/{id}", s.deleteOrganization)

			r.Get("/editions", s.listEditions)
			r.Post("/editions", s.createEdition)
			r.Get("/editions/{id}", s.getEdition)
			r.Patch("/editions/{id}", s.updateEdition)
			r.Delete("/editions/{id}", s.deleteEdition)

			r.Get("/categories", s.listCategories)
			r.Get("/categories/{code}", s.getCategory)

			r.Get("/persons", s.listPersons)
			r.Post("/persons", s.createPerson)
			r.Post("/persons/search", s.searchPersons) // the list's filters in a body, not the URL
			r.Get("/persons/{id}", s.getPerson)
			r.Patch("/persons/{id}", s.updatePerson)
			r.Delete("/persons/{id}", s.deletePerson)
			r.Post("/persons/{id}/reveal", s.revealPerson)
			r.Get("/persons/{id}/consents", s.listConsents)
			r.Post("/persons/{id}/consents", s.createConsent)
			r.Post("/persons/{id}/consents/{cid}/withdraw", s.withdrawConsent)

			r.Get("/audit", s.listAudit)

			r.Get("/participations", s.listParticipations)
			r.Post("/participations", s.createParticipation)
			r.Get("/participations/{id}", s.getParticipation)
			r.Patch("/participations/{id}", s.updateParticipation)
			r.Delete("/participations/{id}", s.deleteParticipation)

			s.trackingRoutes(r) // awards, destinations, career moves, follow-ups, timeline
			s.reportRoutes(r)   // cohort and annual reports, follow-ups due
			s.authRoutes(r)     // sign-in, sign-out, me, API tokens
			s.cycleRoutes(r)    // applications, selection, daily management, summary evaluation (cycle.go)
			s.importRoutes(r)   // bulk import, templates, identity review, person merges (imports.go, identity.go)
		})
	})
	if s.auth != nil { // the web app (internal/web) answers every other path; its pages write through the API above
		r.NotFound(web.New(web.Deps{Store: s.store, Keys: s.keys, Auth: s.auth, Scope: scopeOf, API: r, Log: s.log}).ServeHTTP)
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
