package store

import (
	"context"
	"errors"
	"io"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Connection timeouts that keep a request from hanging while PostgreSQL is away: a new
// connection gets DefaultConnectTimeout (unless the URL sets connect_timeout) and the
// liveness ping of a connection idle for a second or more gets PingTimeout. With the
// server down a connect is refused at once; with the server unreachable it gives up
// after DefaultConnectTimeout. Either way the pool retries on the next request, so the
// service recovers by itself when the database is back.
const (
	DefaultConnectTimeout = 3 * time.Second
	PingTimeout           = 2 * time.Second
)

// failFast applies the timeouts above to a pool configuration.
func failFast(cfg *pgxpool.Config) {
	if cfg.ConnConfig.ConnectTimeout <= 0 {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.PingTimeout <= 0 {
		cfg.PingTimeout = PingTimeout
	}
}

// IsUnavailable reports whether err says that the database could not be reached or
// went away, rather than that it refused a statement: a failed connect, a broken or
// closed connection, a network timeout, a server shutting down or starting up, too many
// connections. Callers answer such errors with "try again later" (HTTP 503).
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case len(pe.Code) == 5 && pe.Code[:2] == "08": // connection exception
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03": // admin/crash shutdown, cannot connect now
			return true
		case pe.Code == "53300": // too many connections
			return true
		}
		return false
	}
	if pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	if errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe)
}
