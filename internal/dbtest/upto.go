package dbtest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"

	"talentdb/internal/store"
	"talentdb/migrations"
)

// MigrateUpTo applies the embedded migrations to the database at url (EmptyURL's, say) up
// to and including version, for a test of a data migration: migrate up to the one before
// it, write rows in the old shape, then migrate on (store.Migrator.Up) and look at them.
// The connection carries no scope, as `talentdb serve`'s does not: a migration that needs
// one must set it itself.
func MigrateUpTo(t testing.TB, url string, version int64) {
	t.Helper()
	sqldb, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	defer sqldb.Close()
	st, err := database.NewStore(database.DialectPostgres, store.MigrationTable)
	if err != nil {
		t.Fatalf("dbtest: goose store: %v", err)
	}
	p, err := goose.NewProvider("", sqldb, migrations.FS, goose.WithStore(st), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatalf("dbtest: goose provider: %v", err)
	}
	if _, err := p.UpTo(context.Background(), version); err != nil {
		t.Fatalf("dbtest: migrate up to %d: %v", version, err)
	}
}
