package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	loggerKey
)

// RequestIDHeader carries the request id: taken from the client when it sends a sane one,
// made up otherwise, and always echoed on the response.
const RequestIDHeader = "X-Request-ID"

// requestIDFrom returns the id of the request being served ("" outside a request).
func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// loggerFrom returns the request's logger, which stamps request_id on every line.
func loggerFrom(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

func saneRequestID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// withRequest gives each request its id and a logger carrying it, and echoes the id.
func (s *server) withRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !saneRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(RequestIDHeader, id)
		// what the rest of the request reads (the web app mounted below too, for its audit
		// rows) is the id chosen here, never an insane one the client sent
		r.Header.Set(RequestIDHeader, id)
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		ctx = context.WithValue(ctx, loggerKey, s.log.With("request_id", id))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// observe logs one line per request and feeds the HTTP metrics (the round trips to the
// database counted with the request's context among them), labelled by the chi route
// pattern (never the raw path, which would explode the label set). The line holds the
// method, route, status, size and duration: no query string, no body, no personal data.
func (s *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		ctx, trips := withRoundTrips(r.Context())
		next.ServeHTTP(ww, r.WithContext(ctx))
		elapsed := time.Since(start)
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		s.metrics.requests.WithLabelValues(r.Method, route, strconv.Itoa(status)).Inc()
		s.metrics.duration.WithLabelValues(r.Method, route).Observe(elapsed.Seconds())
		s.metrics.roundTrips.WithLabelValues(r.Method, route).Observe(float64(trips.Load()))
		lvl := slog.LevelInfo
		if status >= 500 {
			lvl = slog.LevelError
		}
		loggerFrom(r.Context()).Log(r.Context(), lvl, "request", "method", r.Method, "route", route,
			"status", status, "bytes", ww.BytesWritten(), "duration_ms", float64(elapsed.Microseconds())/1000)
	})
}

// recoverPanics turns a panic in a handler into a 500 problem, with the stack in the log.
func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				loggerFrom(r.Context()).Error("panic", "panic", v, "stack", string(debug.Stack()))
				writeProblem(w, r, newProblem(http.StatusInternalServerError, ProblemInternal, "Internal error",
					"服务器内部错误，请稍后再试 / Internal server error; try again later."))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets headers every JSON response should carry.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store") // personal data: no proxy or browser cache keeps it
		// JSON needs nothing from the page it is in; a web app gets its own policy
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}
