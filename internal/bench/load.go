package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/config"
	"talentdb/internal/doors"
	"talentdb/internal/httpapi"
	"talentdb/internal/report"
	"talentdb/internal/store"
)

// op is one measured request; i numbers the requests of a cell from 0.
type op func(ctx context.Context, i int) error

// measure runs fn from `clients` goroutines in a closed loop — each sends its next
// request when the previous one is answered — until maxN requests are done or maxDur
// has passed, after a warm-up of 2×clients requests that is not recorded. Latencies
// are of successful requests only; failures are counted.
func measure(ctx context.Context, name, via string, clients, maxN int, maxDur time.Duration, fn op) Row {
	warm := 2 * clients
	var next atomic.Int64
	run := func(limit int, deadline time.Time, record bool) ([]time.Duration, int, string, time.Duration) {
		var (
			mu       sync.Mutex
			lat      []time.Duration
			errs     int
			firstErr string
			wg       sync.WaitGroup
		)
		began := time.Now()
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []time.Duration
				for {
					i := int(next.Add(1) - 1)
					if i >= limit || time.Now().After(deadline) || ctx.Err() != nil {
						break
					}
					t0 := time.Now()
					err := fn(ctx, i)
					d := time.Since(t0)
					if err != nil {
						mu.Lock()
						if errs == 0 {
							firstErr = err.Error()
						}
						errs++
						mu.Unlock()
						continue
					}
					if record {
						mine = append(mine, d)
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		return lat, errs, firstErr, time.Since(began)
	}
	run(warm, time.Now().Add(maxDur), false)
	next.Store(int64(warm)) // the measured requests go on with new inputs, not the warmed ones
	lat, errs, firstErr, elapsed := run(warm+maxN, time.Now().Add(maxDur), true)
	row := Row{Name: name, Via: via, Clients: clients, N: len(lat), Errors: errs, Unit: "req/s", FirstError: firstErr}
	if len(lat) > 0 {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		row.P50ms = ms(percentile(lat, 0.50))
		row.P99ms = ms(percentile(lat, 0.99))
		row.MaxMs = ms(lat[len(lat)-1])
		row.PerSec = float64(len(lat)) / elapsed.Seconds()
	}
	return row
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// benchUser is the account the HTTP measurements sign in as: an office analyst, who
// reads everything province-wide.
const benchUser = "bench_analyst"

// measureService serves the real handler on loopback and measures the read paths, the
// yardstick and the reports.
func measureService(ctx context.Context, cfg Config, st *store.Store, progress func(string, ...any)) ([]Row, []string, error) {
	var notes []string
	// the per-principal API rate limit (600 a minute by default) would measure the limiter
	svc := auth.New(st, auth.Config{APIRate: auth.NoLimit, LoginRate: auth.NoLimit})
	notes = append(notes, "HTTP requests authenticate with an API token of an office_analyst account; the per-account API rate limit is off for the run")
	token, err := benchToken(ctx, st, svc)
	if err != nil {
		return nil, notes, err
	}
	h := httpapi.New(httpapi.Deps{Doors: doors.New(st, cfg.Keys, doors.Options{}), Log: discardLog(), Registry: prometheus.NewRegistry(),
		Auth: svc, Cfg: config.Config{}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, notes, fmt.Errorf("bench: listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{
		MaxIdleConns: 512, MaxIdleConnsPerHost: 512, DisableCompression: true}}
	get := func(ctx context.Context, path string) (int, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return resp.StatusCode, err
		}
		if resp.StatusCode != http.StatusOK {
			return resp.StatusCode, fmt.Errorf("GET %s: %d %.200s", path, resp.StatusCode, body)
		}
		return resp.StatusCode, nil
	}

	persons, schools, err := samples(ctx, st)
	if err != nil {
		return nil, notes, err
	}
	asOf := cfg.AsOf.Format(time.DateOnly)
	httpOp := func(path func(i int) string) op {
		return func(ctx context.Context, i int) error { _, err := get(ctx, path(i)); return err }
	}
	kinds := []struct {
		name string
		fn   op
	}{
		{PersonRead, httpOp(func(i int) string { return fmt.Sprintf("/api/v1/persons/%d", persons[i%len(persons)]) })},
		{"person timeline GET /persons/{id}/timeline", httpOp(func(i int) string {
			return fmt.Sprintf("/api/v1/persons/%d/timeline", persons[i%len(persons)])
		})},
		{"due list of a school GET /follow-ups/due", httpOp(func(i int) string {
			return fmt.Sprintf("/api/v1/follow-ups/due?school=%s&as_of=%s", schools[i%len(schools)], asOf)
		})},
	}
	var rows []Row
	for _, k := range kinds {
		for _, c := range cfg.Clients {
			progress("%s, %d clients", k.name, c)
			rows = append(rows, measure(ctx, k.name, "http", c, cfg.CellRequests, cfg.CellTime, k.fn))
		}
	}

	// the yardstick: the same single-row read, straight to PostgreSQL with pgx on a
	// prepared statement, through a pool as large as the service's
	pcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return rows, notes, err
	}
	pcfg.MaxConns = st.Pool.Config().MaxConns
	pcfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
	yard, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return rows, notes, err
	}
	defer yard.Close()
	const personRead = `SELECT p.id, p.id_masked, p.name, p.gender, p.birth_date, p.phone_masked, p.guardian_name,
		p.guardian_phone_masked, p.school_id, o.code, p.consent_state, p.merged_into, p.created_at, p.updated_at, p.version
		FROM persons p LEFT JOIN organizations o ON o.id = p.school_id WHERE p.id = $1`
	readOnce := func(ctx context.Context, q interface {
		Query(context.Context, string, ...any) (pgx.Rows, error)
	}, id int64) error {
		r, err := q.Query(ctx, personRead, id)
		if err != nil {
			return err
		}
		n := 0
		for r.Next() {
			n++
		}
		r.Close()
		if err := r.Err(); err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("person %d: %d rows", id, n)
		}
		return nil
	}
	// the read as the design has it, what the service cannot beat: the read and the
	// insert of its audit row in one transaction
	const auditRead = `INSERT INTO audit_log (actor, actor_role, action, entity, entity_id, person_id, fields, row_count)
		VALUES ('bench-yardstick', 'office_analyst', 'read', 'person', $1::bigint::text, $1::bigint, '{name}', 1)`
	for _, c := range cfg.Clients {
		progress("yardstick, %d clients", c)
		rows = append(rows, measure(ctx, YardstickRead, "pgx", c, cfg.CellRequests, cfg.CellTime,
			func(ctx context.Context, i int) error { return readOnce(ctx, yard, persons[i%len(persons)]) }))
		progress("yardstick with the audit row, %d clients", c)
		rows = append(rows, measure(ctx, YardstickAuditedRead, "pgx", c, cfg.CellRequests, cfg.CellTime,
			func(ctx context.Context, i int) error {
				id := persons[i%len(persons)]
				return pgx.BeginFunc(ctx, yard, func(tx pgx.Tx) error {
					if err := readOnce(ctx, tx, id); err != nil {
						return err
					}
					_, err := tx.Exec(ctx, auditRead, id)
					return err
				})
			}))
	}

	// the reports: over HTTP when this build serves them, else the same functions in-process
	edition, year := fmt.Sprintf("jingke-%d", cfg.AsOf.Year()-3), cfg.AsOf.Year()-1
	cohortPath := fmt.Sprintf("/api/v1/reports/cohort?edition=%s&as_of=%s", edition, asOf)
	annualPath := fmt.Sprintf("/api/v1/reports/annual?year=%d&as_of=%s", year, asOf)
	reports := []struct {
		name, path string
		direct     op
	}{
		{"cohort report " + edition, cohortPath, func(ctx context.Context, _ int) error {
			_, err := report.Cohort(ctx, st, edition, cfg.AsOf)
			return err
		}},
		{fmt.Sprintf("annual report %d", year), annualPath, func(ctx context.Context, _ int) error {
			_, err := report.Annual(ctx, st, year, cfg.AsOf)
			return err
		}},
	}
	for _, r := range reports {
		progress("%s", r.name)
		via, fn := "http", httpOp(func(int) string { return r.path })
		if code, err := get(ctx, r.path); code == http.StatusNotFound {
			via, fn = "in-process", r.direct
			notes = append(notes, fmt.Sprintf("%s: GET %s is not served by this build; timed as the report function in-process", r.name, r.path))
		} else if err != nil {
			return rows, notes, fmt.Errorf("bench: %s: %w", r.name, err)
		}
		row := measure(ctx, r.name, via, 1, cfg.ReportRuns, 10*time.Minute, fn)
		row.Unit = "runs/s"
		if row.Errors > 0 {
			return append(rows, row), notes, fmt.Errorf("bench: %s: %s", r.name, row.FirstError)
		}
		rows = append(rows, row)
	}
	return rows, notes, nil
}

// benchToken returns a fresh API token of the bench account, creating the account on
// the first run.
func benchToken(ctx context.Context, st *store.Store, svc *auth.Service) (string, error) {
	actor := store.Actor{Name: "bench"}
	u, err := st.UserGetByUsername(ctx, benchUser)
	if errors.Is(err, store.ErrNotFound) {
		u, _, err = svc.CreateUser(ctx, access.Caller{Username: actor.Name, Role: access.RoleOfficeAdmin}, auth.NewUser{Username: benchUser, Role: auth.RoleOfficeAnalyst,
			DisplayName: "talentdb bench"})
	}
	if err != nil {
		return "", fmt.Errorf("bench: account: %w", err)
	}
	secret := auth.NewAPIToken()
	now := time.Now()
	if _, err := st.TokenCreate(ctx, actor, auth.HashSecret(secret), u.ID, "bench", now, now.Add(time.Hour)); err != nil {
		return "", fmt.Errorf("bench: token: %w", err)
	}
	return secret, nil
}

// samples picks, deterministically, the persons whose records are read and the schools
// whose due lists are asked for (those with the most alumni, as the busiest callers).
// It reads as the connecting user, which must see every row (a superuser).
func samples(ctx context.Context, st *store.Store) (persons []int64, schools []string, err error) {
	rows, _ := st.Pool.Query(ctx, `SELECT id FROM persons WHERE merged_into IS NULL ORDER BY md5(id::text) LIMIT 2000`)
	if persons, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return nil, nil, fmt.Errorf("bench: sample persons: %w", err)
	}
	rows, _ = st.Pool.Query(ctx, `SELECT o.code FROM participations p JOIN organizations o ON o.id = p.school_id
		WHERE p.status = 'completed' GROUP BY o.code ORDER BY count(*) DESC, o.code LIMIT 64`)
	if schools, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, nil, fmt.Errorf("bench: sample schools: %w", err)
	}
	if len(persons) == 0 || len(schools) == 0 {
		return nil, nil, errors.New("bench: no persons or schools visible; connect as a superuser (row-level security hides rows from other roles)")
	}
	return persons, schools, nil
}
