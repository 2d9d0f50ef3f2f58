// Package httpapi is talentdb's JSON REST API under /api/v1, plus /healthz, /readyz and
// /metrics. All routes are declared in routes.go; each resource has its own file of thin
// handlers (parse → validate → one store call → one respond helper); errors go out as
// RFC 9457 problem+json through fail. The OpenAPI document served at
// /api/v1/openapi.json is embedded from openapi*.json files and a test keeps it equal to
// the router.
//
// It must never put an identity number or a phone number in clear into a response or a
// log line, never let a generated db type reach a response, and never send SQL, stack
// traces or internal error text to a client: those go to the log, tagged with the
// request id.
package httpapi
