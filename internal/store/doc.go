// Package store is the only importer of the generated db package. It owns the pgx pool,
// runs transactions, maps generated rows to the domain's types and PostgreSQL errors to
// ErrNotFound, ErrConflict and ErrStale. It holds no business rules beyond what the SQL
// enforces, and it never imports anything above it (httpapi, cli).
package store
