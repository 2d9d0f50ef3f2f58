package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/store"
)

// TestMetricsRoundTrips: /metrics shows the round trips of each request, counted by the
// pool's tracer with the request's context. A person read whose token is remembered is
// one round trip for the read and its scope in one pipelined transaction, and one for the
// audit group its row commits in, charged to the request that starts the group: alone on
// the service, as here, every read starts its own.
func TestMetricsRoundTrips(t *testing.T) {
	t.Parallel()
	f := setup(t, withStore(store.WithRoundTrips(CountRoundTrip)))
	f.mkOrg("RT01", "school", "510104")
	pid := num(f.mkPerson("王小明", "20100101", "001")["id"])
	token := f.as(auth.RoleOfficeAnalyst) // not yet remembered
	// the first read resolves the token; the others find it remembered
	for range 3 {
		f.do(http.MethodGet, fmt.Sprintf("/api/v1/persons/%d", pid), nil, "Authorization", token).want(http.StatusOK)
	}
	// a school's due list is one round trip for the filter's check and the schedule, one
	// for its audit group
	for range 2 {
		f.do(http.MethodGet, "/api/v1/follow-ups/due?school=RT01&as_of=2026-06-30", nil, "Authorization", token).want(http.StatusOK)
	}
	body := f.do(http.MethodGet, "/metrics", nil).want(http.StatusOK).Body.String()
	for _, want := range []string{
		`talentdb_http_db_round_trips_bucket{method="GET",route="/api/v1/persons/{id}",le="0"} 0`,
		`talentdb_http_db_round_trips_bucket{method="GET",route="/api/v1/persons/{id}",le="1"} 0`,
		`talentdb_http_db_round_trips_bucket{method="GET",route="/api/v1/persons/{id}",le="2"} 2`,
		`talentdb_http_db_round_trips_count{method="GET",route="/api/v1/persons/{id}"} 3`,
		`talentdb_http_db_round_trips_bucket{method="GET",route="/api/v1/follow-ups/due",le="1"} 0`,
		`talentdb_http_db_round_trips_bucket{method="GET",route="/api/v1/follow-ups/due",le="2"} 2`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
