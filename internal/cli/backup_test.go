package cli

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/dbtest"
)

// asSuperuser returns dbURL with the credentials of TEST_DATABASE_URL (the server's
// superuser), which a backup needs to see every row despite row-level security.
func asSuperuser(t *testing.T, dbURL string) string {
	t.Helper()
	admin := os.Getenv("TEST_DATABASE_URL")
	if admin == "" {
		admin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	a, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = a.User
	return u.String()
}

// tableDigest is, for every table of the public schema, its row count and the md5 of
// its rows as text in order, and for every sequence its state: equal digests mean equal
// contents.
func tableDigest(t *testing.T, dbURL string) map[string]string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var tables, seqs []string
	rows, _ := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if tables, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		t.Fatal(err)
	}
	rows, _ = conn.Query(ctx, `SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`)
	if seqs, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tb := range tables {
		var n int64
		var sum string
		q := fmt.Sprintf(`SELECT count(*), coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text)), '') FROM %s t`,
			pgx.Identifier{tb}.Sanitize())
		if err := conn.QueryRow(ctx, q).Scan(&n, &sum); err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		out[tb] = fmt.Sprintf("%d rows md5 %s", n, sum)
	}
	for _, s := range seqs {
		var last int64
		var called bool
		if err := conn.QueryRow(ctx, fmt.Sprintf(`SELECT last_value, is_called FROM %s`, pgx.Identifier{s}.Sanitize())).
			Scan(&last, &called); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		out["sequence "+s] = fmt.Sprintf("%d %v", last, called)
	}
	return out
}

// TestBackupRestore seeds demo data, backs it up with `talentdb backup`, restores it into
// a new database with `talentdb restore` and compares every table's row count and
// checksum and every sequence with the original.
func TestBackupRestore(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pg_dump"); err != nil && os.Getenv("PG_BINDIR") == "" {
		t.Skip("pg_dump and pg_restore are not installed (apt-get install postgresql-client)")
	}
	dir := t.TempDir()
	key := filepath.Join(dir, "secret.key")
	srcOwner := dbtest.URL(t)
	src := asSuperuser(t, srcOwner)
	if code, _, errs := runArgs("", "seed", "demo", "--scale", "small", "--database-url", src, "--key-file", key); code != 0 {
		t.Fatalf("seed: %s", errs)
	}
	file := filepath.Join(dir, "talentdb.dump")

	// the owner alone is held to row-level security: a backup as the owner is refused
	if code, _, errs := runArgs("", "backup", "--out", file, "--database-url", srcOwner); code == 0 ||
		!strings.Contains(errs, "row-level security") {
		t.Errorf("backup as a role under row-level security: exit %d, stderr %q; want a refusal", code, errs)
	}
	if _, err := os.Stat(file); err == nil {
		t.Fatal("a refused backup left a file behind")
	}

	code, out, errs := runArgs("", "backup", "--out", file, "--database-url", src)
	if code != 0 {
		t.Fatalf("backup: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"bytes":`) {
		t.Errorf("backup summary: %s", out)
	}
	target := asSuperuser(t, dbtest.EmptyURL(t))
	if code, _, errs := runArgs("", "restore", "--in", file, "--database-url", target); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, errs)
	}
	want, got := tableDigest(t, src), tableDigest(t, target)
	if !strings.HasPrefix(want["persons"], "5000 rows") {
		t.Fatalf("the source has %s persons; the comparison would prove little", want["persons"])
	}
	if !reflect.DeepEqual(got, want) {
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: restored %q, original %q", k, got[k], v)
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("%s: restored but not in the original", k)
			}
		}
	}

	// a second restore into the same, now full, database is refused and changes nothing
	if code, _, errs := runArgs("", "restore", "--in", file, "--database-url", target); code == 0 ||
		!strings.Contains(errs, "already has") {
		t.Errorf("restore into a non-empty database: exit %d, stderr %q; want a refusal", code, errs)
	}
}
