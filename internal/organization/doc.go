// Package organization is the door to organizations (单位): schools, training
// institutions and the office, reference data every other record points at. Each method
// takes the caller, authorizes the action against the policy table (internal/access:
// reference.read, reference.write), validates the input with vocab's kinds and types and
// the code formats, and runs one unit of work in the store in the caller's scope; the
// store audits every write inside its transaction.
//
// It must never import an HTTP package, the web app or the generated db package.
package organization
