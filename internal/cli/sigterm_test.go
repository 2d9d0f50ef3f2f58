package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/bench"
	"talentdb/internal/dbtest"
)

// buildBinary builds cmd/talentdb into dir and returns its path; it skips t when the go
// command is not available.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; cannot build the binary")
	}
	bin := filepath.Join(dir, "talentdb")
	out, err := exec.Command(goCmd, "build", "-o", bin, "talentdb/cmd/talentdb").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestImportSIGTERM runs the built binary's `talentdb import persons` on a large file,
// sends SIGTERM while its transaction is open, and checks that the file is applied
// entirely or not at all; then imports the same file to the end to show that "all" was
// reachable.
func TestImportSIGTERM(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	const rows = 60_000
	file := filepath.Join(dir, "persons.csv")
	if err := os.WriteFile(file, bench.PersonsCSV(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	dbURL := asSuperuser(t, dbtest.URL(t))
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var dbName string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&dbName); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM persons").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	importCmd := func() (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
		cmd := exec.Command(bin, "import", "persons", file, "--database-url", dbURL,
			"--key-file", filepath.Join(dir, "secret.key"))
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		return cmd, &out, &errb
	}

	cmd, _, stderr := importCmd()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// wait until the import's transaction is open (staging or applying), then SIGTERM it
	inTx := false
	deadline := time.Now().Add(60 * time.Second)
	for !inTx && time.Now().Before(deadline) {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = $1 AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
			  AND backend_type = 'client backend'`, dbName).Scan(&n); err != nil {
			t.Fatal(err)
		}
		inTx = n > 0
		if !inTx {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if !inTx {
		_ = cmd.Process.Kill()
		t.Fatalf("the import never opened its transaction; stderr: %s", stderr)
	}
	time.Sleep(300 * time.Millisecond) // well inside the transaction
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err = <-waited:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the import did not exit within 30 s of SIGTERM")
	}
	n := count()
	switch {
	case n == 0:
		if err == nil {
			t.Errorf("the import wrote nothing but exited 0; stderr: %s", stderr)
		}
	case n == rows:
		t.Logf("SIGTERM arrived after the commit: all %d rows applied", rows)
	default:
		t.Fatalf("after SIGTERM the database holds %d of %d rows: a partial import", n, rows)
	}
	// the server rolls the import's transaction back once it sees the cancel or the
	// closed connection; no session of it may linger holding locks
	var left int
	for range 100 {
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = $1
			AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL`, dbName).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if left != 0 {
		t.Errorf("%d transactions still open 5 s after the import exited", left)
	}

	cmd, out, stderr := importCmd()
	if err := cmd.Run(); err != nil {
		t.Fatalf("the import run to the end failed: %v\n%s\n%s", err, stderr, out)
	}
	if got := count(); got != rows {
		t.Fatalf("after a complete import the database holds %d of %d rows", got, rows)
	}
	if n == 0 && !strings.Contains(out.String(), `"inserted":60000`) {
		t.Errorf("summary of the complete import: %s", out)
	}
}
