package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/dbtest"
	"talentdb/internal/dbtest/pgcluster"
	"talentdb/internal/doors"
	"talentdb/internal/httpapi"
	"talentdb/internal/identity"
)

// TestDatabaseOutage stops the private PostgreSQL cluster under a running handler: every
// request that needs the database must then fail fast with a 503 problem+json carrying
// Retry-After, /readyz must turn red, and once the cluster is started again the service
// must serve again without being restarted.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	pg := pgcluster.New(t, pgcluster.Options{})
	st := dbtest.OpenMigrated(t, pg.URL(""))
	bearer := authtest.Bearer(t, st, auth.RoleOfficeAnalyst)
	h := httpapi.New(httpapi.Deps{Doors: doors.New(st, identity.TestKeys(), doors.Options{}), Registry: prometheus.NewRegistry(),
		Auth: auth.New(st, auth.Config{Argon2: auth.TestArgon2, APIRate: auth.NoLimit, LoginRate: auth.NoLimit})})

	get := func(path string) (*httptest.ResponseRecorder, time.Duration) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", bearer)
		rec := httptest.NewRecorder()
		began := time.Now()
		h.ServeHTTP(rec, req)
		return rec, time.Since(began)
	}
	const api = "/api/v1/editions"
	for _, p := range []string{"/readyz", api} {
		if rec, _ := get(p); rec.Code != http.StatusOK {
			t.Fatalf("before the outage: GET %s = %d %s", p, rec.Code, rec.Body)
		}
	}

	pg.Stop(t)
	for _, p := range []string{api, "/readyz", api} {
		rec, took := get(p)
		if rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("database stopped: GET %s = %d %s, want 503", p, rec.Code, rec.Body)
		}
		if took > 2*time.Second {
			t.Errorf("database stopped: GET %s took %s, want a fast failure", p, took)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("GET %s: Content-Type %q", p, ct)
		}
		if ra := rec.Header().Get("Retry-After"); ra == "" {
			t.Errorf("GET %s: no Retry-After on a 503", p)
		}
		var prob httpapi.Problem
		if err := json.Unmarshal(rec.Body.Bytes(), &prob); err != nil || prob.Type != httpapi.ProblemUnavailable {
			t.Errorf("GET %s: problem %+v (%v), want type %s", p, prob, err, httpapi.ProblemUnavailable)
		}
	}

	pg.Start(t)
	ok := pgcluster.WaitFor(15*time.Second, func() bool {
		rec, _ := get("/readyz")
		return rec.Code == http.StatusOK
	})
	if !ok {
		t.Fatalf("/readyz still red 15 s after the database came back\n%s", pg.LogTail())
	}
	// every connection the pool held died with the server; none may leak a failure now
	for i := range 10 {
		if rec, _ := get(api); rec.Code != http.StatusOK {
			t.Fatalf("after the outage, request %d: GET %s = %d %s", i, api, rec.Code, rec.Body)
		}
	}
}
