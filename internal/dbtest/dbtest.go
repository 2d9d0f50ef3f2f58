// Package dbtest gives each test a PostgreSQL database of its own, migrated with the
// embedded migrations: pgtestdb migrates a template database once per schema version and
// clones it per test in milliseconds. It is imported by tests only and never by the
// product. TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names
// the server; the databases it creates are dropped when their test passes.
package dbtest

import (
	"context"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" used by pgtestdb
	"github.com/peterldowns/pgtestdb"
	"github.com/peterldowns/pgtestdb/migrators/goosemigrator"

	"talentdb/internal/store"
	"talentdb/migrations"
)

// Config returns the pgtestdb configuration for the local server.
func Config(t testing.TB) pgtestdb.Config {
	t.Helper()
	raw := os.Getenv("TEST_DATABASE_URL")
	if raw == "" {
		raw = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("dbtest: TEST_DATABASE_URL: %v", err)
	}
	pw, _ := u.User.Password()
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	opts := u.RawQuery
	if opts == "" {
		opts = "sslmode=disable"
	}
	return pgtestdb.Config{
		DriverName:                "pgx",
		Host:                      u.Hostname(),
		Port:                      port,
		User:                      u.User.Username(),
		Password:                  pw,
		Database:                  trimSlash(u.Path),
		Options:                   opts,
		ForceTerminateConnections: true,
	}
}

func trimSlash(p string) string {
	if len(p) > 0 && p[0] == '/' {
		return p[1:]
	}
	if p == "" {
		return "postgres"
	}
	return p
}

// Migrator is the goose migrator over the embedded migrations.
func Migrator() pgtestdb.Migrator {
	return goosemigrator.New(".", goosemigrator.WithFS(migrations.FS),
		goosemigrator.WithTableName(store.MigrationTable))
}

// URL creates a fresh migrated database for t and returns its connection URL.
func URL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, Config(t), Migrator()).URL()
}

// EmptyURL creates a fresh database with no schema at all, for migration tests.
func EmptyURL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, Config(t), pgtestdb.NoopMigrator{}).URL()
}

// New creates a fresh migrated database for t and returns a Store on it; the pool is
// closed when the test ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	return Open(t, URL(t))
}

// Open returns a Store on url, closed at the end of the test.
func Open(t testing.TB, url string) *store.Store {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	t.Cleanup(pool.Close)
	return store.New(pool)
}
