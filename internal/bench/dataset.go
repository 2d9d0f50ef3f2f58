package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"talentdb/internal/seed"
	"talentdb/internal/store"
)

// Dataset says what the measurements ran on.
type Dataset struct {
	Database string `json:"database"`
	Scale    string `json:"scale"`
	Seed     uint64 `json:"seed"`
	Persons  int64  `json:"persons"`
	// Rows is the number of rows in all tables (planner estimate after ANALYZE).
	Rows int64 `json:"rows"`
	// Reused: the data set was already loaded by an earlier run.
	Reused bool `json:"reused"`
	// LoadSeconds is the time seed demo took in this run (0 when reused).
	LoadSeconds float64 `json:"load_seconds"`
}

// markerTable records, in the bench database only, which data set it holds. It is not
// part of the schema: it exists only in databases this package loaded.
const markerTable = "talentdb_bench_dataset"

// prepareDataset makes sure the bench database exists, is migrated and holds the data
// set of cfg.Scale and cfg.Seed: it is reused when the marker says so and the persons
// count agrees, and otherwise the database is dropped, created and loaded again.
func prepareDataset(ctx context.Context, cfg Config, progress func(string, ...any)) (Dataset, error) {
	ds := Dataset{Scale: cfg.Scale.Name, Seed: cfg.Seed}
	pc, err := pgx.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return ds, fmt.Errorf("bench: database url: %w", err)
	}
	ds.Database = pc.Database
	if err := createDatabase(ctx, cfg.DatabaseURL, false); err != nil {
		return ds, err
	}
	reuse, err := markerMatches(ctx, cfg)
	if err != nil {
		return ds, err
	}
	if reuse { // a newer binary may have migrations to apply
		st, err := cfg.OpenStore(ctx, cfg.DatabaseURL)
		if err != nil {
			return ds, err
		}
		err = migrate(ctx, st)
		st.Close()
		if err != nil {
			progress("the loaded data set cannot be migrated (%v); loading it again", err)
			reuse = false
		}
	}
	if !reuse {
		progress("loading the %s data set (seed %d) into %s; later runs reuse it", cfg.Scale.Name, cfg.Seed, pc.Database)
		if err := createDatabase(ctx, cfg.DatabaseURL, true); err != nil {
			return ds, err
		}
		st, err := cfg.OpenStore(ctx, cfg.DatabaseURL)
		if err != nil {
			return ds, err
		}
		began := time.Now()
		err = migrate(ctx, st)
		if err == nil {
			_, err = seed.Run(ctx, st, cfg.Keys, seed.Options{Scale: cfg.Scale, Seed: cfg.Seed, FastLoad: true,
				Progress: progressWriter{progress}})
		}
		if err == nil {
			_, err = st.Pool.Exec(ctx, `CREATE TABLE `+markerTable+` (scale text NOT NULL, seed bigint NOT NULL,
				persons bigint NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())`)
		}
		if err == nil {
			_, err = st.Pool.Exec(ctx, `INSERT INTO `+markerTable+` (scale, seed, persons) SELECT $1, $2, count(*) FROM persons`,
				cfg.Scale.Name, int64(cfg.Seed))
		}
		st.Close()
		if err != nil {
			return ds, fmt.Errorf("bench: load: %w", err)
		}
		ds.LoadSeconds = time.Since(began).Seconds()
	} else {
		ds.Reused = true
		progress("reusing the %s data set (seed %d) in %s", cfg.Scale.Name, cfg.Seed, pc.Database)
	}
	conn, err := pgx.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return ds, fmt.Errorf("bench: %w", err)
	}
	defer conn.Close(context.Background())
	err = conn.QueryRow(ctx, `SELECT (SELECT persons FROM `+markerTable+`),
		(SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = 'public' AND c.relkind = 'r')`).Scan(&ds.Persons, &ds.Rows)
	if err != nil {
		return ds, fmt.Errorf("bench: count rows: %w", err)
	}
	return ds, nil
}

// markerMatches reports whether the bench database holds the data set asked for.
func markerMatches(ctx context.Context, cfg Config) (bool, error) {
	conn, err := pgx.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return false, fmt.Errorf("bench: %w", err)
	}
	defer conn.Close(context.Background())
	var scale string
	var seedN, marked, persons int64
	err = conn.QueryRow(ctx, `SELECT scale, seed, persons, (SELECT count(*) FROM persons) FROM `+markerTable).
		Scan(&scale, &seedN, &marked, &persons)
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe) && pe.Code == "42P01": // undefined_table: never loaded by bench
		return false, nil
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("bench: read marker: %w", err)
	}
	if persons == 0 && marked > 0 {
		return false, errors.New("bench: the marker says the data is loaded but no person is visible; connect as a superuser (row-level security hides rows from other roles)")
	}
	return scale == cfg.Scale.Name && uint64(seedN) == cfg.Seed && persons == marked, nil
}

// createDatabase creates the database dbURL names, dropping it first when fresh is set.
func createDatabase(ctx context.Context, dbURL string, fresh bool) error {
	pc, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return fmt.Errorf("bench: database url: %w", err)
	}
	name := pc.Database
	if name == "" || name == "postgres" || name == "template0" || name == "template1" {
		return fmt.Errorf("bench: refusing to use database %q; name a dedicated one (talentdb_bench)", name)
	}
	pc.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, pc)
	if err != nil {
		return fmt.Errorf("bench: connect to the server: %w", err)
	}
	defer conn.Close(context.Background())
	ident := pgx.Identifier{name}.Sanitize()
	if fresh {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("bench: drop %s: %w", name, err)
		}
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
			return fmt.Errorf("bench: create %s: %w", name, err)
		}
	}
	return nil
}

// dropDatabase drops the database dbURL names, if it exists.
func dropDatabase(ctx context.Context, dbURL string) error {
	pc, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return err
	}
	name := pc.Database
	pc.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, pc)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// migrate applies the embedded migrations.
func migrate(ctx context.Context, st *store.Store) error {
	m, err := st.NewMigrator()
	if err != nil {
		return err
	}
	defer m.Close()
	return m.Up(ctx, io.Discard)
}

// progressWriter passes the seed's progress lines on as bench progress.
type progressWriter struct{ progress func(string, ...any) }

func (p progressWriter) Write(b []byte) (int, error) {
	line := string(b)
	if len(line) > 0 && line[len(line)-1] == '\n' {
		line = line[:len(line)-1]
	}
	p.progress("%s", line)
	return len(b), nil
}
