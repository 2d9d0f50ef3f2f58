// Package dbtest gives each test a PostgreSQL database of its own, migrated with the
// embedded migrations: pgtestdb migrates a template database once per schema version and
// clones it per test in milliseconds. It is imported by tests only and never by the
// product. TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names
// the server; the databases it creates are dropped when their test passes.
package dbtest

import (
	"context"
	"io"
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
		TestRole:                  &testRole,
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

// testRole owns the test databases and runs their migrations. Like a production owner it
// is not a superuser, so row-level security applies to it (the tables FORCE it); it may
// create roles because the migrations create the cluster-wide role store.AppRole (once) and
// make the migrating user a member of it. pgtestdb creates it on first use; its own
// default role cannot create roles.
var testRole = pgtestdb.Role{Username: "talentdb_test", Password: "talentdb_test",
	Capabilities: "NOSUPERUSER NOCREATEDB CREATEROLE"}

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
// closed when the test ends. Like the CLI's, the Store acts for the office unless a call's
// context carries another scope (store.WithScope), and its raw Pool does too, so
// fixtures written with st.Pool see and write every row.
func New(t testing.TB, opts ...store.Option) *store.Store {
	t.Helper()
	return Open(t, URL(t), opts...)
}

// Open returns a Store on url with the office as default scope (see New), closed at the
// end of the test. opts come after the default, so they may replace it.
func Open(t testing.TB, url string, opts ...store.Option) *store.Store {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatalf("dbtest: parse url: %v", err)
	}
	store.ConfigureOwnerScope(cfg, store.OfficeScope)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	t.Cleanup(pool.Close)
	return store.New(pool, append([]store.Option{store.WithDefaultScope(store.OfficeScope)}, opts...)...)
}

// OpenMigrated opens a Store on url as the service does (store.Open, opts), migrates that
// database with the binary's migrations and closes the Store when the test ends: for a
// server of the test's own (pgcluster), which the template databases of New do not reach.
func OpenMigrated(t testing.TB, url string, opts ...store.Option) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	m, err := st.NewMigrator()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Up(ctx, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

// AdminURL is the URL of st's database for the server's admin user (TEST_DATABASE_URL's,
// a superuser on a developer machine) instead of the test role: for tests that must act
// beside the tables' owner (a superuser is not held by row-level security).
func AdminURL(t testing.TB, st *store.Store) string {
	t.Helper()
	c := Config(t)
	u := url.URL{Scheme: "postgres", Host: c.Host + ":" + c.Port, Path: "/" + st.Pool.Config().ConnConfig.Database,
		RawQuery: c.Options}
	if c.Password != "" {
		u.User = url.UserPassword(c.User, c.Password)
	} else {
		u.User = url.User(c.User)
	}
	return u.String()
}
