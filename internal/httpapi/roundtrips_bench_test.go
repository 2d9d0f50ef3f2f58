package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/store"
)

// How many round trips to the database one request makes: every statement, batch, COPY and
// prepare a connection sends, counted by a pgx tracer on the server's pool, per request.
// Reported as roundtrips/op beside the time; the figure is the request path's cost that
// no amount of server speed hides on a network between the service and the database.
//
//	go test ./internal/httpapi -run '^$' -bench RoundTrips -benchtime 200x

// roundTrips counts what the pool sends.
type roundTrips struct {
	n   atomic.Int64
	log func(sql string) // when set, each statement's text (for reading the path)
}

func (c *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	if c.log != nil {
		c.log(d.SQL)
	}
	return ctx
}
func (c *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}
func (c *roundTrips) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *roundTrips) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}
func (c *roundTrips) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *roundTrips) TracePrepareEnd(context.Context, *pgx.Conn, pgx.TracePrepareEndData) {}

// BenchmarkPersonReadRoundTrips is GET /persons/{id} and GET /persons/{id}/timeline as a
// school operator with an API token: authentication, the route's fence, the door's read
// and its audit row.
func BenchmarkPersonReadRoundTrips(b *testing.B) {
	st, pid := benchData(b)
	cfg, err := pgxpool.ParseConfig(st.Pool.Config().ConnString())
	if err != nil {
		b.Fatal(err)
	}
	store.ConfigureOwnerScope(cfg, store.OfficeScope)
	var rt roundTrips
	cfg.ConnConfig.Tracer = &rt
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	traced := store.New(pool, store.WithDefaultScope(store.OfficeScope))
	var school string
	if err := st.Pool.QueryRow(context.Background(),
		"SELECT o.code FROM persons p JOIN organizations o ON o.id = p.school_id WHERE p.id = $1", pid).Scan(&school); err != nil {
		b.Fatal(err)
	}
	token := authtest.Bearer(b, st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: school})
	h := New(Deps{Doors: testDoors(traced), Auth: authtest.NewService(traced)})
	for _, path := range []string{fmt.Sprintf("/api/v1/persons/%d", pid), fmt.Sprintf("/api/v1/persons/%d/timeline", pid)} {
		b.Run(path[len("/api/v1/"):], func(b *testing.B) {
			get := func() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", token)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
				}
			}
			get() // statements prepared on first use are not the steady state
			if testing.Verbose() {
				rt.log = func(sql string) { b.Logf("%.160s", strings.Join(strings.Fields(sql), " ")) }
				get()
				rt.log = nil
			}
			start := rt.n.Load()
			n := 0
			for b.Loop() {
				get()
				n++
			}
			b.ReportMetric(float64(rt.n.Load()-start)/float64(n), "roundtrips/op")
		})
	}
}
