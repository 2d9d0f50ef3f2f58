package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ReplicaOptions tune the health check of a read replica. The zero value is usable.
type ReplicaOptions struct {
	// Interval between two health checks (default 2 s). It bounds how long reads keep
	// going to a replica that has just stopped.
	Interval time.Duration
	// Timeout of one health check (default 1 s).
	Timeout time.Duration
	// MaxLag is how far behind the primary a replica may be and still serve reads
	// (default 30 s); a replica further behind is treated as down. Negative: no limit.
	MaxLag time.Duration
	// Log receives one line each time the replica goes down or comes back; nil discards.
	Log *slog.Logger
}

func (o ReplicaOptions) withDefaults() ReplicaOptions {
	if o.Interval <= 0 {
		o.Interval = 2 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	if o.MaxLag == 0 {
		o.MaxLag = 30 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// Replica is a streaming standby of the primary that takes read-only analytics (the
// reports, the follow-up schedule) off it. A background health check decides whether it
// is used: while it answers and is not lagging more than MaxLag, Store.Replica routes to
// it; otherwise reads fall back to the primary.
type Replica struct {
	pool *pgxpool.Pool
	opt  ReplicaOptions

	up         atomic.Bool
	inRecovery atomic.Bool
	lag        atomic.Uint64 // math.Float64bits of the lag in seconds

	mu       sync.Mutex // serialises checks so that state changes are logged once
	checked  bool       // a check has run (the first one logs its state whatever it is)
	stop     chan struct{}
	finished chan struct{}
}

// ReplicaStatus is what the health check last found.
type ReplicaStatus struct {
	// Configured: a replica is attached.
	Configured bool
	// Up: reads go to the replica (it answers and is within MaxLag).
	Up bool
	// InRecovery: the server is a standby (false for a promoted or misconfigured one).
	InRecovery bool
	// LagSeconds is how far replay is behind: 0 when the standby has replayed all the
	// WAL it received while streaming, else now() - pg_last_xact_replay_timestamp().
	LagSeconds float64
}

// replicaCheckSQL reads whether the server is a standby and how far behind it is. A
// streaming standby that has replayed everything it received is 0 s behind however
// old its last transaction is (an idle primary sends nothing); otherwise the lag is the
// age of the last replayed transaction, which also grows while the standby is cut off
// from the primary (no WAL receiver).
const replicaCheckSQL = `
SELECT pg_is_in_recovery(),
       (CASE
          WHEN NOT pg_is_in_recovery() THEN 0
          WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
               AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
          ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)
        END)::float8`

// AttachReplica opens a pool on url, a streaming standby of s's database, checks it
// once and then every opt.Interval until s is closed. A replica that does not answer
// is not an error: reads go to the primary until it does. A malformed URL is an error.
// Attach at most one replica, before the Store is shared.
func (s *Store) AttachReplica(ctx context.Context, url string, opt ReplicaOptions) error {
	if s.replica != nil {
		return fmt.Errorf("store: a replica is already attached")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("store: parse replica url: %w", err)
	}
	failFast(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg) // connects lazily
	if err != nil {
		return fmt.Errorf("store: replica: %w", err)
	}
	r := &Replica{pool: pool, opt: opt.withDefaults(), stop: make(chan struct{}), finished: make(chan struct{})}
	r.check(ctx)
	s.replica = r
	go r.watch()
	return nil
}

// Replica returns the Store that read-only analytics should run on: a view of s whose
// Pool is the replica's while the replica is healthy, and s itself otherwise (no replica
// attached, or it is down or lagging). Writes, and reads that must see the caller's own
// writes, use s directly. The view shares s's pools; closing it does nothing.
func (s *Store) Replica() *Store {
	if s.replica == nil || !s.replica.up.Load() {
		return s
	}
	v := *s
	v.Pool = s.replica.pool
	v.replica = nil
	v.view = true
	return &v
}

// ReplicaStatus returns what the last health check of the replica found.
func (s *Store) ReplicaStatus() ReplicaStatus {
	if s.replica == nil {
		return ReplicaStatus{}
	}
	return s.replica.status()
}

// CheckReplica runs a health check of the replica now and returns its result (a zero
// status when no replica is attached). The background check makes this unnecessary in
// the service; tests and the CLI use it to avoid waiting for the next interval.
func (s *Store) CheckReplica(ctx context.Context) ReplicaStatus {
	if s.replica == nil {
		return ReplicaStatus{}
	}
	s.replica.check(ctx)
	return s.replica.status()
}

// ReplicaPool returns the replica's pool (nil when none is attached), for metrics.
func (s *Store) ReplicaPool() *pgxpool.Pool {
	if s.replica == nil {
		return nil
	}
	return s.replica.pool
}

func (r *Replica) status() ReplicaStatus {
	return ReplicaStatus{Configured: true, Up: r.up.Load(), InRecovery: r.inRecovery.Load(),
		LagSeconds: math.Float64frombits(r.lag.Load())}
}

// watch checks the replica every Interval until close.
func (r *Replica) watch() {
	defer close(r.finished)
	t := time.NewTicker(r.opt.Interval)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			r.check(context.Background())
		}
	}
}

// check pings the replica, reads its lag, updates the state and logs a change.
func (r *Replica) check(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, r.opt.Timeout)
	defer cancel()
	var (
		inRecovery bool
		lag        float64
		reason     string
	)
	err := r.pool.QueryRow(ctx, replicaCheckSQL).Scan(&inRecovery, &lag)
	up := err == nil
	switch {
	case err != nil:
		reason = err.Error()
		lag = math.Float64frombits(r.lag.Load()) // keep the last known lag
	case r.opt.MaxLag > 0 && lag > r.opt.MaxLag.Seconds():
		up = false
		reason = fmt.Sprintf("replica is %.1f s behind the primary (limit %s)", lag, r.opt.MaxLag)
	}
	r.inRecovery.Store(inRecovery)
	r.lag.Store(math.Float64bits(lag))
	was := r.up.Swap(up)
	first := !r.checked
	r.checked = true
	switch {
	case up && (!was || first):
		if !inRecovery {
			r.opt.Log.Warn("replica up but not a standby (promoted, or the primary itself?); read-only queries go to it")
		} else {
			r.opt.Log.Info("replica up; read-only queries go to it", "lag_seconds", lag)
		}
	case !up && (was || first):
		r.opt.Log.Warn("replica down; read-only queries go to the primary", "reason", reason)
	}
}

// close stops the health check and closes the replica's pool.
func (r *Replica) close() {
	select {
	case <-r.stop:
		return
	default:
	}
	close(r.stop)
	<-r.finished
	r.pool.Close()
}
