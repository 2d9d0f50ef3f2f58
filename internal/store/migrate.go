package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"

	"talentdb/migrations"
)

// MigrationTable is goose's version table; the test-database template uses the same.
const MigrationTable = "goose_db_version"

// Migrator applies the embedded migrations with goose's Provider.
type Migrator struct {
	db       *sql.DB
	provider *goose.Provider
}

// NewMigrator opens a database/sql handle on the pool's config for goose.
func (s *Store) NewMigrator() (*Migrator, error) {
	sqldb := stdlib.OpenDBFromPool(s.Pool)
	store, err := database.NewStore(database.DialectPostgres, MigrationTable)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	p, err := goose.NewProvider("", sqldb, migrations.FS,
		goose.WithStore(store), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return &Migrator{db: sqldb, provider: p}, nil
}

// Close releases the database/sql handle (the pool stays open).
func (m *Migrator) Close() error { return m.db.Close() }

// Up applies every pending migration.
func (m *Migrator) Up(ctx context.Context, w io.Writer) error {
	res, err := m.provider.Up(ctx)
	for _, r := range res {
		fmt.Fprintf(w, "migrate: up %s (%s)\n", r.Source.Path, r.Duration.Round(1e6))
	}
	if err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}

// Down rolls back the most recent migration.
func (m *Migrator) Down(ctx context.Context, w io.Writer) error {
	r, err := m.provider.Down(ctx)
	if r != nil {
		fmt.Fprintf(w, "migrate: down %s\n", r.Source.Path)
	}
	if err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	return nil
}

// DownTo rolls back the migrations after version (a test re-applies one over loaded data).
func (m *Migrator) DownTo(ctx context.Context, version int64, w io.Writer) error {
	res, err := m.provider.DownTo(ctx, version)
	for _, r := range res {
		fmt.Fprintf(w, "migrate: down %s\n", r.Source.Path)
	}
	if err != nil {
		return fmt.Errorf("migrate down to %d: %w", version, err)
	}
	return nil
}

// Reset rolls back every migration, to an empty schema.
func (m *Migrator) Reset(ctx context.Context, w io.Writer) error {
	res, err := m.provider.DownTo(ctx, 0)
	for _, r := range res {
		fmt.Fprintf(w, "migrate: down %s\n", r.Source.Path)
	}
	if err != nil {
		return fmt.Errorf("migrate reset: %w", err)
	}
	return nil
}

// Status prints each migration and whether it is applied.
func (m *Migrator) Status(ctx context.Context, w io.Writer) error {
	st, err := m.provider.Status(ctx)
	if err != nil {
		return fmt.Errorf("migrate status: %w", err)
	}
	for _, s := range st {
		applied := "pending"
		if s.State == goose.StateApplied {
			applied = "applied " + s.AppliedAt.Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(w, "%05d  %-40s %s\n", s.Source.Version, s.Source.Path, applied)
	}
	return nil
}

// HasPending reports whether migrations remain to apply.
func (m *Migrator) HasPending(ctx context.Context) (bool, error) {
	return m.provider.HasPending(ctx)
}
