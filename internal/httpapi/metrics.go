package httpapi

import (
	"context"
	"errors"
	"runtime/debug"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"talentdb/internal/system"
)

// metrics are the HTTP server's own series, on the project's registry (never the global
// one, so tests and several servers in one process do not collide).
type metrics struct {
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	roundTrips *prometheus.HistogramVec
}

// newMetrics registers the HTTP series, the pool collector, build info and the Go and
// process collectors on reg. A collector reg already has is reused, so two handlers may
// share one registry.
func newMetrics(reg prometheus.Registerer, sys *system.Service) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "talentdb", Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests served, by method, chi route pattern and status code.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "talentdb", Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to serve an HTTP request, by method and chi route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route"}),
		roundTrips: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "talentdb", Subsystem: "http", Name: "db_round_trips",
			Help:    "Round trips to the database (statements, batches, COPYs, prepares) one HTTP request made, by method and chi route pattern.",
			Buckets: []float64{0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50},
		}, []string{"method", "route"}),
	}
	var err error
	if m.requests, err = register(reg, m.requests); err != nil {
		return nil, err
	}
	if m.duration, err = register(reg, m.duration); err != nil {
		return nil, err
	}
	if m.roundTrips, err = register(reg, m.roundTrips); err != nil {
		return nil, err
	}
	for _, c := range []prometheus.Collector{
		newPoolCollector(sys),
		buildInfo(),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		if _, err := register(reg, c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

type roundTripsKey struct{}

// withRoundTrips returns ctx carrying a counter of the round trips made with it.
func withRoundTrips(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, roundTripsKey{}, n), n
}

// CountRoundTrip counts one round trip to the database for the request ctx belongs to
// (nothing outside a request). `serve` gives it to the store's pool tracer
// (store.WithRoundTrips), which calls it with each statement's context.
func CountRoundTrip(ctx context.Context) {
	if n, ok := ctx.Value(roundTripsKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}

// register registers c, or returns the equal collector already registered.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
			return c, nil
		}
		return c, err
	}
	return c, nil
}

// buildInfo is talentdb_build_info{version,goversion} 1, from the binary's build info.
func buildInfo() prometheus.Collector {
	version, goVersion := "unknown", "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		version, goVersion = bi.Main.Version, bi.GoVersion
		if version == "" {
			version = "(devel)"
		}
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: "talentdb", Name: "build_info",
		Help:        "Build of the running binary; the value is always 1.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": goVersion},
	})
	g.Set(1)
	return g
}

// poolCollector reads the pool's figures (system.PoolStat) at scrape time.
type poolCollector struct {
	sys *system.Service

	acquired, idle, total, max, constructing   *prometheus.Desc
	acquireCount, acquireSeconds, emptyAcquire *prometheus.Desc
	canceledAcquire, newConns                  *prometheus.Desc
	lifetimeDestroy, idleDestroy, emptyWait    *prometheus.Desc
}

func newPoolCollector(sys *system.Service) *poolCollector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("talentdb_db_pool_"+name, help, nil, nil)
	}
	return &poolCollector{
		sys:             sys,
		acquired:        d("acquired_conns", "Connections currently checked out of the pool."),
		idle:            d("idle_conns", "Idle connections in the pool."),
		total:           d("total_conns", "Connections in the pool (acquired, idle and being built)."),
		max:             d("max_conns", "Largest size the pool may grow to."),
		constructing:    d("constructing_conns", "Connections being established."),
		acquireCount:    d("acquire_total", "Successful acquires from the pool."),
		acquireSeconds:  d("acquire_duration_seconds_total", "Total time spent in successful acquires."),
		emptyAcquire:    d("empty_acquire_total", "Acquires that had to wait because the pool had no idle connection."),
		canceledAcquire: d("canceled_acquire_total", "Acquires canceled by their context."),
		newConns:        d("new_conns_total", "Connections opened."),
		lifetimeDestroy: d("max_lifetime_destroy_total", "Connections closed for exceeding their maximum lifetime."),
		idleDestroy:     d("max_idle_destroy_total", "Connections closed for exceeding their maximum idle time."),
		emptyWait:       d("empty_acquire_wait_seconds_total", "Total time acquires waited for a connection."),
	}
}

// Describe implements prometheus.Collector.
func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.acquired, c.idle, c.total, c.max, c.constructing, c.acquireCount,
		c.acquireSeconds, c.emptyAcquire, c.canceledAcquire, c.newConns, c.lifetimeDestroy, c.idleDestroy, c.emptyWait} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.sys.Pool()
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(c.acquired, float64(s.AcquiredConns()))
	gauge(c.idle, float64(s.IdleConns()))
	gauge(c.total, float64(s.TotalConns()))
	gauge(c.max, float64(s.MaxConns()))
	gauge(c.constructing, float64(s.ConstructingConns()))
	counter(c.acquireCount, float64(s.AcquireCount()))
	counter(c.acquireSeconds, s.AcquireDuration().Seconds())
	counter(c.emptyAcquire, float64(s.EmptyAcquireCount()))
	counter(c.canceledAcquire, float64(s.CanceledAcquireCount()))
	counter(c.newConns, float64(s.NewConnsCount()))
	counter(c.lifetimeDestroy, float64(s.MaxLifetimeDestroyCount()))
	counter(c.idleDestroy, float64(s.MaxIdleDestroyCount()))
	counter(c.emptyWait, s.EmptyAcquireWaitTime().Seconds())
}
