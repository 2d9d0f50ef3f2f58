package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"talentdb/internal/config"
	"talentdb/internal/httpapi"
	"talentdb/internal/report"
	"talentdb/internal/store"
)

// Env is what every command gets: its arguments, the configuration read from the
// environment, and where to write.
type Env struct {
	Args   []string
	Cfg    config.Config
	Stdout io.Writer
	Stderr io.Writer
	Log    *slog.Logger
	// Stdin is where a command reads a piped password (`user add`); nil means os.Stdin.
	Stdin io.Reader
}

type command struct {
	usage string
	run   func(ctx context.Context, env *Env) error
}

// commands is the table of top-level commands; each is implemented in its own file.
var commands = map[string]command{
	"serve":      {"serve [--listen ADDR] [--no-migrate]", runServe},
	"migrate":    {"migrate up|down|status|reset", runMigrate},
	"seed":       {"seed demo [--scale small|province|national] [--seed N] [--if-empty]", runSeed},
	"edition":    {"edition add ID [--starts-on DATE] [--ends-on DATE]", runEdition},
	"import":     {"import KIND FILE [--dry-run]", runImport},
	"report":     {reportUsage, runReport},
	"follow-ups": {"follow-ups due [--school CODE] [--region CODE] [--as-of DATE] [--format json|csv|xlsx] [--out FILE]", runFollowUps},
	"backup":     {"backup --out FILE [--pg-bin DIR]", runBackup},
	"restore":    {"restore --in FILE [--database-url TARGET] [--no-owner] [--pg-bin DIR]", runRestore},
	"bench":      {"bench [--scale S] [--seed N] [--database NAME] [--out DIR] [--clients 1,16,64] [--requests N] [--cell-time D] [--import-rows N] [--import-rounds N]", runBench},
	"audit":      {auditUsage, runAudit},
	"remind":     {remindUsage, runRemind},
	"links":      {linksUsage, runLinks},
	"user":       {"user add USERNAME --role ROLE [--school CODE|--city CODE|--mentor ID] [--display-name NAME] [--generate-password] | list [--format table|json] | disable|enable USERNAME | reset-password USERNAME [--generate-password]", runUser},
}

// ErrUsage marks a command line that could not be understood.
var ErrUsage = errors.New("usage")

// Run executes one command line and returns the process exit status. Failures are
// reported as one line on stderr.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return RunIO(ctx, args, os.Stdin, stdout, stderr)
}

// RunIO is Run with standard input given, for commands that read a piped password.
func RunIO(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "talentdb: unknown command %q (try talentdb help)\n", args[0])
		return 2
	}
	env := &Env{Args: args[1:], Cfg: config.FromEnv(), Stdout: stdout, Stderr: stderr, Stdin: stdin}
	env.Log = newLogger(stderr, env.Cfg)
	if err := cmd.run(ctx, env); err != nil {
		msg := strings.ReplaceAll(err.Error(), "\n", " ")
		if errors.Is(err, ErrUsage) {
			fmt.Fprintf(stderr, "talentdb %s: %s (usage: talentdb %s)\n", args[0], msg, cmd.usage)
			return 2
		}
		fmt.Fprintf(stderr, "talentdb %s: %s\n", args[0], msg)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "talentdb — the talent-tracking database of the 菁科计划 and 金导师计划")
	fmt.Fprintln(w, "usage:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  talentdb %s\n", commands[n].usage)
	}
	fmt.Fprintln(w, "every command reads DATABASE_URL (or --database-url)")
}

func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// parseFlags parses flags that may appear before, between or after positional
// arguments (talentdb import persons FILE --dry-run) and returns the positionals.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// openStore connects to the configured database for a command-line tool, which acts for
// the office: its statements run in store.OfficeScope (docs/security.md), on a pool of
// DATABASE_MAX_CONNS connections.
func openStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	return store.Open(ctx, cfg.DatabaseURL, store.WithDefaultScope(store.OfficeScope),
		store.WithMaxConns(cfg.DatabaseMaxConns))
}

// open parses the flags, then opens the store for a command that reads a report; the
// caller closes the store.
func (o outputOpts) open(ctx context.Context, env *Env) (*store.Store, time.Time, report.Format, error) {
	asOf, format, err := o.parse()
	if err != nil {
		return nil, time.Time{}, "", err
	}
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return nil, time.Time{}, "", err
	}
	return st, asOf, format, nil
}

// openServerStore connects for `serve`: no default scope, so each request runs in the
// scope of its signed-in principal and a statement without one sees no personal row. The
// pool has DATABASE_MAX_CONNS connections and counts each request's round trips for
// /metrics.
func openServerStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	return store.Open(ctx, cfg.DatabaseURL, store.WithMaxConns(cfg.DatabaseMaxConns),
		store.WithRoundTrips(httpapi.CountRoundTrip))
}

// errNotYet is returned by a command whose implementation has not landed.
var errNotYet = errors.New("not available in this build")
