// Package store is the only importer of the generated db package. It owns the pgx pool,
// runs transactions, maps generated rows to the domain's types and PostgreSQL errors to
// ErrNotFound, ErrConflict and ErrStale. It holds no business rules beyond what the SQL
// enforces, and it never imports anything above it (httpapi, cli).
//
// Locks have one verb: a query that takes a lock is named <Noun>Lock (queries/), and no
// SQL in Go takes one. A row lock for a versioned write returns just the row's version;
// the row itself is then read with <Noun>Get, in the same transaction.
package store
