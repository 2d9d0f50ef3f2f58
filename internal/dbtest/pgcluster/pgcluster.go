// Package pgcluster starts private PostgreSQL clusters for tests that must stop, start or
// replicate a server — outages, streaming replicas — which they cannot do to the shared
// server of dbtest. Each cluster lives in a temporary directory, listens on 127.0.0.1 on
// a port of its own (from 55432 up) and is stopped and removed when the test ends. When
// the process runs as root, the server programs run as the postgres OS user.
//
// It is imported by tests only and never by the product. A test calling New is skipped,
// with a message saying so, when the PostgreSQL server programs are not installed.
package pgcluster

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BinDir returns the directory of the PostgreSQL server programs (initdb, pg_ctl,
// pg_basebackup): $PG_BINDIR, else the newest /usr/lib/postgresql/*/bin, else the
// directory of an initdb on PATH.
func BinDir() (string, error) {
	if d := os.Getenv("PG_BINDIR"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) < versionOf(dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("the PostgreSQL server programs (initdb, pg_ctl) are not installed; apt-get install postgresql")
}

func versionOf(dir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return v
}

// Cluster is one private PostgreSQL server.
type Cluster struct {
	// Port is the TCP port on 127.0.0.1.
	Port int
	// Data is the data directory.
	Data string

	root  string   // temporary directory holding Data, the log and the socket
	bin   string   // server programs
	runas []string // runuser prefix when running as root
	opts  []string // -c settings given to the server
}

// Options shape a new cluster.
type Options struct {
	// Settings are extra server settings, name=value, given with -c.
	Settings []string
}

// New initialises and starts a cluster for t, stopped and removed when t ends. It skips
// t when the server programs are missing.
func New(t testing.TB, opt Options) *Cluster {
	t.Helper()
	bin, err := BinDir()
	if err != nil {
		t.Skipf("pgcluster: %v", err)
	}
	c := newCluster(t, bin, opt)
	if out, err := c.run(filepath.Join(bin, "initdb"), "-D", c.Data, "-A", "trust", "-U", "postgres",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		t.Fatalf("pgcluster: initdb: %v\n%s", err, out)
	}
	c.startOnFreePort(t)
	return c
}

// newCluster makes the temporary directory (owned by postgres when root) and registers
// the clean-up.
func newCluster(t testing.TB, bin string, opt Options) *Cluster {
	t.Helper()
	root, err := os.MkdirTemp("", "tdbpg-")
	if err != nil {
		t.Fatalf("pgcluster: %v", err)
	}
	c := &Cluster{root: root, Data: filepath.Join(root, "data"), bin: bin,
		opts: append([]string{"fsync=off", "full_page_writes=off", "synchronous_commit=off",
			"shared_buffers=32MB", "max_connections=50", "listen_addresses=127.0.0.1",
			"unix_socket_directories=" + root}, opt.Settings...)}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(root)
			t.Skipf("pgcluster: running as root and there is no postgres user to run the server as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(root, uid, gid); err != nil {
			t.Fatalf("pgcluster: %v", err)
		}
		c.runas = []string{"runuser", "-u", "postgres", "--"}
	}
	t.Cleanup(func() {
		c.stop("immediate")
		os.RemoveAll(root)
	})
	return c
}

// run runs a server program (as postgres when root) and returns its output.
func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	argv := append(append(append([]string{}, c.runas...), name), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = c.root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// URL is the connection URL of database db (postgres when empty) as the superuser.
func (c *Cluster) URL(db string) string {
	if db == "" {
		db = "postgres"
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, db)
}

// portBase is the first port tried; tests of several packages run at once, so each
// start begins at a random offset above it and moves on when a port is taken.
const portBase = 55432

// startOnFreePort starts the server on the first port that is free, trying a few.
func (c *Cluster) startOnFreePort(t testing.TB) {
	t.Helper()
	port := portBase + rand.IntN(2000)
	var lastErr error
	for range 10 {
		port++
		if !free(port) {
			continue
		}
		c.Port = port
		if lastErr = c.start(); lastErr == nil {
			return
		}
	}
	t.Fatalf("pgcluster: start: %v", lastErr)
}

func free(port int) bool {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// start starts the server on c.Port and waits until it accepts connections.
func (c *Cluster) start() error {
	opts := []string{"-p", strconv.Itoa(c.Port)}
	for _, s := range c.opts {
		opts = append(opts, "-c", s)
	}
	logFile := filepath.Join(c.root, "server.log")
	out, err := c.run(filepath.Join(c.bin, "pg_ctl"), "-D", c.Data, "-l", logFile, "-w", "-t", "60",
		"-o", strings.Join(opts, " "), "start")
	if err != nil {
		return fmt.Errorf("%v\n%s\n%s", err, out, c.LogTail())
	}
	return nil
}

// Start starts a stopped cluster on its port again.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	if err := c.start(); err != nil {
		t.Fatalf("pgcluster: start: %v", err)
	}
}

// Stop stops the cluster, disconnecting every client at once (fast shutdown).
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	if out, err := c.stop("fast"); err != nil {
		t.Fatalf("pgcluster: stop: %v\n%s", err, out)
	}
}

func (c *Cluster) stop(mode string) ([]byte, error) {
	if _, err := os.Stat(filepath.Join(c.Data, "postmaster.pid")); err != nil {
		return nil, nil // not running
	}
	return c.run(filepath.Join(c.bin, "pg_ctl"), "-D", c.Data, "-m", mode, "-w", "-t", "60", "stop")
}

// LogTail returns the end of the server log, for failure messages.
func (c *Cluster) LogTail() string {
	b, _ := os.ReadFile(filepath.Join(c.root, "server.log"))
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// Standby makes a streaming standby of c (pg_basebackup -R over the replication
// protocol) and starts it on a port of its own; it is removed when t ends. c must be
// running; the default wal_level (replica) and max_wal_senders of PostgreSQL 10 and
// later allow it, and initdb's pg_hba.conf trusts replication from 127.0.0.1.
func (c *Cluster) Standby(t testing.TB) *Cluster {
	t.Helper()
	s := newCluster(t, c.bin, Options{})
	s.opts = append(s.opts, c.opts[len(s.opts):]...) // the primary's extra settings
	s.opts = append(s.opts, "hot_standby=on", "wal_receiver_status_interval=1s")
	if out, err := s.run(filepath.Join(c.bin, "pg_basebackup"), "-h", "127.0.0.1", "-p", strconv.Itoa(c.Port),
		"-U", "postgres", "-D", s.Data, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"); err != nil {
		t.Fatalf("pgcluster: pg_basebackup: %v\n%s", err, out)
	}
	s.startOnFreePort(t)
	return s
}

// WaitFor polls cond every 50 ms until it is true or timeout passes, and says whether it
// became true.
func WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}
