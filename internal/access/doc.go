// Package access is who may do what: the one type for whoever calls a door (a signed-in
// person, an API token, the CLI), the policy table role × action that the HTTP routes and
// the services both read, Authorize, and the errors every door returns.
//
// It decides nothing about data: which rows a caller sees is its scope, applied by the
// store (and by PostgreSQL's row-level security) from the caller this package describes.
// It must never import the store, a service, an HTTP package or the database driver:
// everything above reads it.
package access
