package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/dbtest"
	"talentdb/internal/doors"
	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// TestMetricsRoundTrips: /metrics shows the round trips of each request, counted by the
// pool's tracer with the request's context. A person read whose token is remembered is
// one round trip: the read, its scope and its audit row in one pipelined transaction.
func TestMetricsRoundTrips(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	traced, err := store.Open(ctx, st.Pool.Config().ConnString(), store.WithDefaultScope(store.OfficeScope),
		store.WithRoundTrips(CountRoundTrip))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(traced.Close)
	var pid int64
	if err := st.Pool.QueryRow(ctx, `WITH o AS (INSERT INTO organizations (code, name, kind, region_code)
			VALUES ('RT01', '学校', 'school', '510104') RETURNING id)
		INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date, school_id)
		SELECT sha256('rt'), '\x00', '5101**************', '王小明', 'male', '2010-01-01', o.id FROM o RETURNING id`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	h := New(Deps{Doors: doors.New(traced, identity.TestKeys(), doors.Options{}), Registry: reg, Auth: authtest.NewService(traced)})
	token := authtest.Bearer(t, st, auth.RoleOfficeAnalyst)
	get := func(path string) string {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
		}
		return rec.Body.String()
	}
	for range 3 { // the first resolves the token; the others find it remembered
		get(fmt.Sprintf("/api/v1/persons/%d", pid))
	}
	body := get("/metrics")
	for _, want := range []string{
		`talentdb_http_db_round_trips_bucket{method="GET",route="/api/v1/persons/{id}",le="0"} 0`,
		`talentdb_http_db_round_trips_bucket{method="GET",route="/api/v1/persons/{id}",le="1"} 2`,
		`talentdb_http_db_round_trips_count{method="GET",route="/api/v1/persons/{id}"} 3`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
