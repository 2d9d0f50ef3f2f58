package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"talentdb/internal/bench"
	"talentdb/internal/identity"
	"talentdb/internal/seed"
	"talentdb/internal/store"
)

// runBench is `talentdb bench [--scale S] [--seed N] [--database NAME] [--out DIR]`: load
// (or reuse) the demo data set in a database of its own on the server DATABASE_URL names,
// measure the service on it and print one table; the raw numbers and the machine go to
// DIR/DATE-HOST.json and .txt. See internal/bench.
func runBench(ctx context.Context, env *Env) error {
	tuneGC() // the handler it measures runs with serve's collector settings
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	scale := fs.String("scale", "province", "data set: small, province or national")
	seedN := fs.Uint64("seed", 1, "data set seed")
	dbName := fs.String("database", "talentdb_bench", "database to load and measure, on the server of --database-url")
	out := fs.String("out", "bench/results", "directory for the JSON and text results (empty: do not write)")
	clients := fs.String("clients", "1,16,64", "concurrent clients, comma-separated")
	cellRequests := fs.Int("requests", 2000, "most requests measured per cell")
	cellTime := fs.Duration("cell-time", 4*time.Second, "most time per cell")
	importRows := fs.Int("import-rows", 50_000, "rows of the generated persons import")
	importRounds := fs.Int("import-rounds", 3, "rounds of the import and its COPY yardsticks (the median is reported)")
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: unexpected argument %q", ErrUsage, pos[0])
	}
	sc, err := seed.ScaleByName(*scale)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	var cs []int
	for _, f := range strings.Split(*clients, ",") {
		var c int
		if _, err := fmt.Sscan(strings.TrimSpace(f), &c); err != nil || c < 1 {
			return fmt.Errorf("%w: --clients %q", ErrUsage, *clients)
		}
		cs = append(cs, c)
	}
	u, err := url.Parse(env.Cfg.DatabaseURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return fmt.Errorf("%w: --database-url must be a postgres:// URL", ErrUsage)
	}
	u.Path = "/" + *dbName
	keys, err := benchKeys(ctx, env, u.String())
	if err != nil {
		return err
	}
	res, err := bench.Run(ctx, bench.Config{
		DatabaseURL: u.String(), Scale: sc, Seed: *seedN, Keys: keys,
		OpenStore: func(ctx context.Context, dbURL string) (*store.Store, error) {
			cfg := env.Cfg
			cfg.DatabaseURL = dbURL
			return openStore(ctx, cfg)
		},
		Clients: cs, CellRequests: *cellRequests, CellTime: *cellTime, ImportRows: *importRows, ImportRounds: *importRounds,
		Progress: env.Stderr,
	})
	if err != nil {
		return err
	}
	if err := res.Table(env.Stdout); err != nil {
		return err
	}
	if *out != "" {
		js, txt, err := res.Save(*out)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "bench: wrote %s and %s\n", js, txt)
	}
	return nil
}

// benchKeys loads the keys for the bench database: checked against it like any database
// when it exists and is migrated (a data set loaded with another key is refused), and as
// for a fresh database when the run is about to create it.
func benchKeys(ctx context.Context, env *Env, dbURL string) (*identity.Keys, error) {
	cfg := env.Cfg
	cfg.DatabaseURL = dbURL
	st, err := openStore(ctx, cfg)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "3D000" { // invalid_catalog_name: not created yet
		return checkKeys(ctx, env, store.KeyState{}, nil)
	}
	if err != nil {
		return nil, err
	}
	defer st.Close()
	state, err := st.KeyState(ctx)
	if errors.Is(err, store.ErrNotMigrated) { // the run migrates it and loads the data set
		return checkKeys(ctx, env, store.KeyState{}, nil)
	}
	if err != nil {
		return nil, err
	}
	return checkKeys(ctx, env, state, st.KeyCheckRecord)
}
