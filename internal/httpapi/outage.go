package httpapi

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/system"
)

// retryAfterSeconds is what a 503 tells clients to wait before trying again: about the
// time the pool needs to notice that PostgreSQL is back (it reconnects on demand).
const retryAfterSeconds = 5

// unavailableProblem is the 503 for a request that failed because the database could
// not be reached (system.Unavailable). The cause goes to the log, not to the client.
func unavailableProblem() *Problem {
	return newProblem(http.StatusServiceUnavailable, ProblemUnavailable, "Service unavailable",
		"数据库暂不可用，请稍后重试 / The database is not reachable right now; try again shortly.")
}

// outage returns the middleware that puts Retry-After on every 503 (a database outage
// answered by fail, a red /readyz), and registers the replica's metrics on the
// server's registry. Requests fail fast during an outage because the store's pool
// gives up on a connect quickly (store.DefaultConnectTimeout) and reconnects by itself
// when the database is back; nothing here keeps state about the outage.
func (s *server) outage() func(http.Handler) http.Handler {
	if _, err := register(s.registry, prometheus.Collector(newReplicaCollector(s.doors.System))); err != nil {
		panic("httpapi: replica metrics: " + err.Error())
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(&retryAfterWriter{ResponseWriter: w}, r)
		})
	}
}

// retryAfterWriter adds Retry-After to a 503 that does not have one.
type retryAfterWriter struct {
	http.ResponseWriter
}

// WriteHeader implements http.ResponseWriter.
func (w *retryAfterWriter) WriteHeader(code int) {
	if code == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	}
	w.ResponseWriter.WriteHeader(code)
}

// Flush implements http.Flusher when the underlying writer does.
func (w *retryAfterWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *retryAfterWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// replicaCollector exports the read replica's health at scrape time:
// talentdb_replica_up (1 while reads go to it) and talentdb_replica_lag_seconds (how
// far its replay is behind, see system.ReplicaStatus). Nothing is exported when no
// replica is configured.
type replicaCollector struct {
	sys     *system.Service
	up, lag *prometheus.Desc
}

func newReplicaCollector(sys *system.Service) *replicaCollector {
	return &replicaCollector{sys: sys,
		up: prometheus.NewDesc("talentdb_replica_up",
			"1 while read-only analytics go to the read replica (it answers and is within its lag limit), 0 while they fall back to the primary.", nil, nil),
		lag: prometheus.NewDesc("talentdb_replica_lag_seconds",
			"How far the read replica's replay is behind the primary: 0 when it has replayed all it received while streaming, else now() - pg_last_xact_replay_timestamp().", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *replicaCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.up; ch <- c.lag }

// Collect implements prometheus.Collector.
func (c *replicaCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.sys.Replica()
	if !st.Configured {
		return
	}
	up := 0.0
	if st.Up {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up)
	ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, st.LagSeconds)
}
