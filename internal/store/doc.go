// Package store is the only importer of the generated db package. It owns the pgx pool,
// runs transactions, maps generated rows to the domain's types and PostgreSQL errors to
// ErrNotFound, ErrConflict and ErrStale. It holds no business rules beyond what the SQL
// enforces, and it never imports anything above it (httpapi, cli).
//
// Locks have one verb: a statement that only takes a lock is a query named <Noun>Lock in
// queries/ (TestOneLockVerb), never SQL written in Go. A row lock for a versioned write
// returns just the row's version, and the row is read with <Noun>Get after it; the
// writes of such rows go through updateLocked (locked.go), one transaction each.
package store
