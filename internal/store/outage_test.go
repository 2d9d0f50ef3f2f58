package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"talentdb/internal/store"
)

// TestIsUnavailable pins which errors are "the database is away" (HTTP 503) and which
// are the statement's own fault (kept as they are).
func TestIsUnavailable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"no rows", pgx.ErrNoRows, false},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"row-level security refusal", &pgconn.PgError{Code: "42501"}, false},
		{"query canceled by statement_timeout", &pgconn.PgError{Code: "57014"}, false},
		{"admin shutdown", fmt.Errorf("store: get person: %w", &pgconn.PgError{Code: "57P01"}), true},
		{"crash shutdown", &pgconn.PgError{Code: "57P02"}, true},
		{"starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"deadline", fmt.Errorf("store: x: %w", context.DeadlineExceeded), true},
		{"unexpected EOF", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, true},
		{"closed connection", fmt.Errorf("x: %w", pgconn.ErrConnClosed), true},
		{"plain error", errors.New("boom"), false},
	}
	for _, c := range cases {
		if got := store.IsUnavailable(c.err); got != c.want {
			t.Errorf("%s: IsUnavailable = %v, want %v", c.name, got, c.want)
		}
	}
}
