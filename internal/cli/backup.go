package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"talentdb/internal/store"
)

// Backups are pg_dump archives in the custom format: compressed, restorable table by
// table, and readable by pg_restore of the same or a later PostgreSQL. The identity-number
// key is not in the database and so not in a backup: it must be kept with it
// (docs/operations.md).

// runBackup is `talentdb backup --out FILE [--pg-bin DIR]`: a consistent snapshot of the
// whole database (schema, data, the migration table) in pg_dump's custom format. It must
// connect as a role that sees every row despite row-level security — a superuser or a
// role with BYPASSRLS; the tables FORCE row-level security, so their owner alone is not
// enough — and it fails rather than write a partial dump. The file appears only when
// complete.
func runBackup(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	out := fs.String("out", "", "file to write (pg_dump custom format)")
	pgBin := fs.String("pg-bin", os.Getenv("PG_BINDIR"), "directory of pg_dump (default: PATH)")
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *out == "" {
		return fmt.Errorf("%w: want backup --out FILE", ErrUsage)
	}
	began := time.Now()
	conn, err := connectAdmin(ctx, env.Cfg.DatabaseURL)
	if err != nil {
		return err
	}
	var (
		user, dbName, version string
		bypass                bool
	)
	err = conn.QueryRow(ctx, `SELECT current_user, current_database(), current_setting('server_version'),
		(SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)`).Scan(&user, &dbName, &version, &bypass)
	conn.Close(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if !bypass {
		return fmt.Errorf("backup: role %s is subject to row-level security and would not see every row; connect as a superuser or a role with BYPASSRLS", user)
	}
	tmp := *out + ".partial"
	args := []string{"--format=custom", "--file=" + tmp, "--no-password"}
	if err := runPG(ctx, env, *pgBin, "pg_dump", env.Cfg.DatabaseURL, args); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	st, err := os.Stat(*out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	env.Log.Warn("the identity-number key is not in the backup; keep a copy of it with the file",
		"key_file", env.Cfg.KeyFile)
	return json.NewEncoder(env.Stdout).Encode(map[string]any{"file": *out, "bytes": st.Size(), "database": dbName,
		"server_version": version, "seconds": time.Since(began).Seconds()})
}

// runRestore is `talentdb restore --in FILE [--database-url TARGET] [--no-owner]`: restore
// a backup into TARGET (DATABASE_URL unless given), created when it does not exist and
// refused when it already holds tables. It runs in one transaction and stops at the first
// error, so a failed restore leaves the target empty. The role talentdb_app, which the
// schema's privileges and row-level security name, is created when the target cluster
// lacks it, and the owner of the tables is made a member. Without --no-owner the objects
// keep their owners (who must exist); with it the connecting user owns them.
func runRestore(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	in := fs.String("in", "", "backup file written by talentdb backup")
	noOwner := fs.Bool("no-owner", false, "let the connecting user own the restored objects")
	pgBin := fs.String("pg-bin", os.Getenv("PG_BINDIR"), "directory of pg_restore (default: PATH)")
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *in == "" {
		return fmt.Errorf("%w: want restore --in FILE", ErrUsage)
	}
	if _, err := os.Stat(*in); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	began := time.Now()
	target := env.Cfg.DatabaseURL
	conn, err := connectAdmin(ctx, target)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "3D000" { // invalid_catalog_name: no such database
		if err := createDatabase(ctx, env, target); err != nil {
			return err
		}
		conn, err = connectAdmin(ctx, target)
	}
	if err != nil {
		return err
	}
	defer func() { conn.Close(context.Background()) }()
	var tables int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`).Scan(&tables); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if tables > 0 {
		return fmt.Errorf("restore: the target database already has %d tables, views or sequences; restore into a new database", tables)
	}
	if _, err := conn.Exec(ctx, ensureAppRoleSQL); err != nil {
		return fmt.Errorf("restore: create role %s: %w", store.AppRole, err)
	}
	args := []string{"--exit-on-error", "--single-transaction", "--no-password"}
	if *noOwner {
		args = append(args, "--no-owner")
	}
	if err := runPG(ctx, env, *pgBin, "pg_restore", target, append(args, *in)); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// the service's role (the owner of the tables) switches to talentdb_app; membership is
	// cluster-wide and not in the dump
	if _, err := conn.Exec(ctx, grantAppRoleSQL); err != nil {
		return fmt.Errorf("restore: grant role %s: %w", store.AppRole, err)
	}
	if _, err := conn.Exec(ctx, "ANALYZE"); err != nil { // pg_restore leaves no planner statistics
		return fmt.Errorf("restore: analyze: %w", err)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return json.NewEncoder(env.Stdout).Encode(map[string]any{"file": *in, "database": conn.Config().Database,
		"tables": tables, "seconds": time.Since(began).Seconds()})
}

// ensureAppRoleSQL creates the application role when the cluster has none (a restore
// into a new cluster), as migrations/00070_row_security.sql does.
var ensureAppRoleSQL = `DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '` + store.AppRole + `') THEN
        CREATE ROLE ` + store.AppRole + ` NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END $$`

// grantAppRoleSQL makes the owner of the migration table (the service's role) a member of
// the application role, when the restored database has that table.
var grantAppRoleSQL = `DO $$
DECLARE owner name;
BEGIN
    SELECT tableowner INTO owner FROM pg_tables WHERE schemaname = 'public' AND tablename = '` + store.MigrationTable + `';
    IF owner IS NOT NULL AND NOT pg_has_role(owner, '` + store.AppRole + `', 'MEMBER') THEN
        EXECUTE format('GRANT ` + store.AppRole + ` TO %I', owner);
    END IF;
END $$`

// connectAdmin opens one plain connection (no pool, no scope) for the checks around
// pg_dump and pg_restore.
func connectAdmin(ctx context.Context, dbURL string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = store.DefaultConnectTimeout
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	return conn, nil
}

// createDatabase creates the database dbURL names, connecting to the server's postgres
// database with the same credentials.
func createDatabase(ctx context.Context, env *Env, dbURL string) error {
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		return fmt.Errorf("parse database url: %w", err)
	}
	name := cfg.Database
	cfg.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	env.Log.Info("created the target database", "database", name)
	return nil
}

// runPG runs a PostgreSQL client program (pg_dump, pg_restore) on the database dbURL
// names. The connection goes through libpq's environment (PGHOST, PGPORT, PGUSER,
// PGPASSWORD, PGSSLMODE …) so that no password shows in the process list; the database
// is named by a --dbname conninfo argument added here.
func runPG(ctx context.Context, env *Env, binDir, program, dbURL string, args []string) error {
	path := program
	if binDir != "" {
		path = filepath.Join(binDir, program)
	} else if p, err := exec.LookPath(program); err == nil {
		path = p
	} else {
		return fmt.Errorf("%s not found on PATH (apt-get install postgresql-client, or --pg-bin DIR)", program)
	}
	pgEnv, dbName, err := libpqEnv(dbURL)
	if err != nil {
		return err
	}
	// a conninfo string, so that any database name passes through unchanged
	args = append([]string{"--dbname=dbname='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(dbName) + "'"}, args...)
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), pgEnv...)
	var stderr bytes.Buffer
	cmd.Stdout = env.Stderr
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("%s: %s", program, msg)
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		env.Log.Warn(program, "output", s)
	}
	return nil
}

// libpqEnv turns a postgres:// URL into libpq environment variables and the database
// name; query parameters become PG* variables where libpq has one (sslmode, …).
func libpqEnv(dbURL string) ([]string, string, error) {
	u, err := url.Parse(dbURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, "", fmt.Errorf("database url: want postgres://user@host:port/database")
	}
	dbName := strings.TrimPrefix(u.Path, "/")
	var env []string
	set := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	set("PGHOST", u.Hostname())
	set("PGPORT", u.Port())
	set("PGUSER", u.User.Username())
	if pw, ok := u.User.Password(); ok {
		set("PGPASSWORD", pw)
	}
	params := map[string]string{"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
		"sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT", "application_name": "PGAPPNAME",
		"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
	for k, vs := range u.Query() {
		if name, ok := params[k]; ok && len(vs) > 0 {
			set(name, vs[0])
		}
		if k == "dbname" && len(vs) > 0 {
			dbName = vs[0]
		}
	}
	if dbName == "" {
		dbName = u.User.Username()
	}
	return env, dbName, nil
}
