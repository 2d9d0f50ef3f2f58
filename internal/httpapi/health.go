package httpapi

import (
	"context"
	"net/http"
	"time"
)

// readyTimeout bounds the database ping of /readyz.
const readyTimeout = 1500 * time.Millisecond

// healthz says the process is up; it touches nothing else.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	respondJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says the service can serve: the database answers a ping within readyTimeout.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.doors.System.Ping(ctx); err != nil {
		loggerFrom(r.Context()).Warn("not ready: database ping failed", "err", err.Error())
		writeProblem(w, r, newProblem(http.StatusServiceUnavailable, ProblemUnavailable, "Service unavailable",
			"数据库暂不可用 / The database is not reachable."))
		return
	}
	respondJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
