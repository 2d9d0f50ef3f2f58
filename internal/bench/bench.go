package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"talentdb/internal/identity"
	"talentdb/internal/seed"
	"talentdb/internal/store"
)

// Config is one bench run.
type Config struct {
	// DatabaseURL names the bench database, created when missing and reloaded when it
	// holds anything but the data set asked for. Use a dedicated name (talentdb_bench):
	// the import measurement also creates and drops NAME_import on the same server.
	DatabaseURL string
	// Scale and Seed choose the demo data set (seed demo --scale --seed).
	Scale seed.Scale
	Seed  uint64
	// Keys protect identity numbers, as in the service.
	Keys *identity.Keys
	// OpenStore opens a Store on a URL the way the CLI does (its default scope).
	OpenStore func(ctx context.Context, url string) (*store.Store, error)
	// Clients are the concurrencies measured (default 1, 16, 64).
	Clients []int
	// CellRequests and CellTime bound each measured cell: it stops at whichever comes
	// first (default 2000 requests, 4 s).
	CellRequests int
	CellTime     time.Duration
	// ReportRuns is how many times each report is timed, after one warm-up (default 5).
	ReportRuns int
	// ImportRows is the size of the generated persons file (default 50,000).
	ImportRows int
	// ImportRounds is how many times the import and its COPY yardsticks are timed, each
	// round in a fresh scratch database; the rows report the median round (default 3).
	ImportRounds int
	// AsOf is the reports' and due list's date (default the demo data's today).
	AsOf time.Time
	// Progress receives one line per step; nil discards.
	Progress io.Writer
}

func (c Config) withDefaults() Config {
	if len(c.Clients) == 0 {
		c.Clients = []int{1, 16, 64}
	}
	if c.CellRequests <= 0 {
		c.CellRequests = 2000
	}
	if c.CellTime <= 0 {
		c.CellTime = 4 * time.Second
	}
	if c.ReportRuns <= 0 {
		c.ReportRuns = 5
	}
	if c.ImportRows <= 0 {
		c.ImportRows = 50_000
	}
	if c.ImportRounds <= 0 {
		c.ImportRounds = 3
	}
	if c.AsOf.IsZero() {
		c.AsOf = seed.DefaultToday
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	return c
}

// Result is everything a run measured, as written to the JSON file.
type Result struct {
	StartedAt time.Time `json:"started_at"`
	Seconds   float64   `json:"seconds"`
	Machine   Machine   `json:"machine"`
	Dataset   Dataset   `json:"dataset"`
	// Rows are the table's lines in order.
	Rows []Row `json:"rows"`
	// Notes explain what the table cannot (fallbacks, limits in force).
	Notes []string `json:"notes,omitempty"`
	// PeakRSSMB is the bench process's peak resident set over the load cells, in MB (from
	// just before them, after the data set was prepared: resetPeakRSS): the served handler
	// and the load generator together, so an upper bound of what serve needs under the
	// 64-client load.
	PeakRSSMB float64 `json:"peak_rss_mb"`
	// Goals are the targets with the run's figures (CheckGoals), as the table prints them.
	Goals []Goal `json:"goals"`
}

// The names of the rows the table compares: the service's person read against the
// yardsticks, the same read straight to PostgreSQL, bare and with its audit row.
const (
	PersonRead           = "person read GET /persons/{id}"
	YardstickRead        = "yardstick: same person read, pgx prepared"
	YardstickAuditedRead = "yardstick: same read + its audit insert, one pgx transaction"
)

// Ratio is the service's person read over HTTP divided by a yardstick, at one
// concurrency: 1 would be the service as fast as the database allows.
type Ratio struct {
	Of      string  `json:"of"`
	Clients int     `json:"clients"`
	Ratio   float64 `json:"ratio"`
}

// Ratios are the HTTP person read's throughput over each yardstick's, per concurrency.
func (r *Result) Ratios() []Ratio {
	var out []Ratio
	for _, h := range r.Rows {
		if h.Name != PersonRead || h.Via != "http" {
			continue
		}
		for _, y := range r.Rows {
			if (y.Name == YardstickAuditedRead || y.Name == YardstickRead) && y.Clients == h.Clients && y.PerSec > 0 {
				out = append(out, Ratio{Of: y.Name, Clients: h.Clients, Ratio: h.PerSec / y.PerSec})
			}
		}
	}
	return out
}

// Row is one measured line: a name, the concurrency and the latency distribution of
// what was measured (per request, per report run or, for imports, per file).
type Row struct {
	Name    string  `json:"name"`
	Via     string  `json:"via"` // http, pgx, in-process
	Clients int     `json:"clients"`
	N       int     `json:"n"`      // measured requests (or runs, or rows for imports)
	Errors  int     `json:"errors"` // failed requests, not counted in the latencies
	P50ms   float64 `json:"p50_ms"`
	P99ms   float64 `json:"p99_ms"`
	MaxMs   float64 `json:"max_ms"`
	// PerSec is requests per second for the load cells and rows per second for imports.
	PerSec float64 `json:"per_sec"`
	Unit   string  `json:"unit"` // "req/s" or "rows/s"
	// FirstError is the first failure's message, when there were failures.
	FirstError string `json:"first_error,omitempty"`
}

// Run prepares the data set and measures everything, returning the raw numbers.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if cfg.OpenStore == nil || cfg.Keys == nil {
		return nil, errors.New("bench: Config.OpenStore and Config.Keys are required")
	}
	res := &Result{StartedAt: time.Now().UTC()}
	progress := func(format string, args ...any) { fmt.Fprintf(cfg.Progress, "bench: "+format+"\n", args...) }

	ds, err := prepareDataset(ctx, cfg, progress)
	if err != nil {
		return nil, err
	}
	res.Dataset = ds
	st, err := cfg.OpenStore(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if res.Machine, err = describeMachine(ctx, st); err != nil {
		return nil, err
	}

	if !resetPeakRSS() {
		res.Notes = append(res.Notes, "the peak RSS could not be reset after the data set was prepared: it is the whole run's")
	}
	rows, notes, err := measureService(ctx, cfg, st, progress)
	res.Rows = append(res.Rows, rows...)
	res.Notes = append(res.Notes, notes...)
	res.PeakRSSMB = peakRSSMB()
	if err != nil {
		return res, err
	}
	progress("import %d persons and COPY the same rows, %d rounds", cfg.ImportRows, cfg.ImportRounds)
	rows, err = measureImport(ctx, cfg)
	res.Rows = append(res.Rows, rows...)
	if err != nil {
		return res, err
	}
	res.Seconds = time.Since(res.StartedAt).Seconds()
	res.Goals = res.CheckGoals()
	return res, nil
}

// Table writes the result as one plain-text table with a heading that says what and
// where.
func (r *Result) Table(w io.Writer) error {
	m := r.Machine
	fmt.Fprintf(w, "talentdb bench — %s scale (%d persons, %d rows, seed %d%s), %s\n", r.Dataset.Scale,
		r.Dataset.Persons, r.Dataset.Rows, r.Dataset.Seed, reusedNote(r.Dataset), r.StartedAt.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "host %s: %d CPUs, %.1f GiB RAM, load %s at start; %s; %s; pool max %d conns\n\n",
		m.Host, m.CPUs, m.MemoryGiB, m.LoadAverage, m.PostgreSQL, m.Go, m.PoolMaxConns)
	nameW := len("measurement")
	for _, row := range r.Rows {
		nameW = max(nameW, utf8.RuneCountInString(row.Name))
	}
	line := func(name, via, clients, n, errs, p50, p99, mx, tput string) {
		fmt.Fprintf(w, "%-*s  %-10s %7s %6s %6s %9s %9s %9s  %s\n", nameW, name, via, clients, n, errs, p50, p99, mx, tput)
	}
	line("measurement", "via", "clients", "n", "errors", "p50 ms", "p99 ms", "max ms", "throughput")
	for _, row := range r.Rows {
		lat := func(v float64) string {
			if row.Unit == "rows/s" {
				return "—"
			}
			return fmt.Sprintf("%.2f", v)
		}
		line(row.Name, row.Via, fmt.Sprint(row.Clients), fmt.Sprint(row.N), fmt.Sprint(row.Errors),
			lat(row.P50ms), lat(row.P99ms), lat(row.MaxMs), rate(row.PerSec)+" "+row.Unit)
	}
	if ratios := r.Ratios(); len(ratios) > 0 {
		fmt.Fprintln(w)
		for _, q := range ratios {
			fmt.Fprintf(w, "person read HTTP ÷ %s, %d clients: %.3f\n", q.Of, q.Clients, q.Ratio)
		}
	}
	if goals := r.CheckGoals(); len(goals) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "goals:")
		for _, g := range goals {
			mark := "not met"
			if g.Met {
				mark = "met"
			}
			fmt.Fprintf(w, "  %-55s %-12s %-10s %s\n", g.What, g.Target, g.Measured, mark)
		}
		fmt.Fprintln(w, "  (the person read beside PostGraphile is measured with wrk, not here: docs/operations.md)")
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range r.Notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
	}
	fmt.Fprintf(w, "\nwhole run %.0f s\n", r.Seconds)
	return nil
}

// rate formats a throughput with two significant digits below 10 (reports run slower
// than once a second).
func rate(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.2g", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func reusedNote(d Dataset) string {
	if d.Reused {
		return ", reused"
	}
	return fmt.Sprintf(", loaded in %.0f s", d.LoadSeconds)
}

// Save writes the result to dir as DATE-HOST.json (raw numbers and the machine) and
// DATE-HOST.txt (the table), and returns the two paths.
func (r *Result) Save(dir string) (jsonPath, txtPath string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("bench: %w", err)
	}
	host := strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' {
			return c
		}
		return '_'
	}, r.Machine.Host)
	base := filepath.Join(dir, r.StartedAt.Format("2006-01-02")+"-"+host)
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", "", fmt.Errorf("bench: %w", err)
	}
	if err := os.WriteFile(base+".json", append(js, '\n'), 0o644); err != nil {
		return "", "", fmt.Errorf("bench: %w", err)
	}
	var sb strings.Builder
	if err := r.Table(&sb); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(base+".txt", []byte(sb.String()), 0o644); err != nil {
		return "", "", fmt.Errorf("bench: %w", err)
	}
	return base + ".json", base + ".txt", nil
}

// discardLog is a logger that drops everything (the service's request log would
// otherwise dominate the run).
func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
