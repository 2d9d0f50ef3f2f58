package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/dbtest"
)

func TestRequestErrors(t *testing.T) {
	t.Parallel()
	f := setup(t)
	org := map[string]any{"code": "BS01", "name": "学校", "kind": "school", "region_code": "510104"}

	m := f.do("POST", "/api/v1/organizations", `{"code":"BS01","name":"学校","kind":"school","region_code":"510104","colour":"red"}`).
		problem(http.StatusBadRequest, "validation", "colour")
	if e := m["errors"].([]any)[0].(map[string]any); e["rule"] != "unknown_field" || e["message"] == "" {
		t.Fatalf("unknown field error %v", e)
	}
	f.do("POST", "/api/v1/organizations", `{"code":"BS01","head":{"nick":"x"}}`).problem(http.StatusBadRequest, "validation", "nick")
	f.do("POST", "/api/v1/organizations", `{"code":7}`).problem(http.StatusBadRequest, "validation", "code")
	f.do("POST", "/api/v1/persons", `{"name":7}`).problem(http.StatusBadRequest, "validation", "name")
	f.do("POST", "/api/v1/organizations", `{"code":"BS01",`).problem(http.StatusBadRequest, "malformed-json", "")
	f.do("POST", "/api/v1/organizations", `[1,2]`).problem(http.StatusBadRequest, "malformed-json", "")
	f.do("POST", "/api/v1/organizations", `{"code":"A"} {"code":"B"}`).problem(http.StatusBadRequest, "malformed-json", "")
	f.do("POST", "/api/v1/organizations", ``, "Content-Type", "application/json").problem(http.StatusBadRequest, "malformed-json", "")
	f.do("POST", "/api/v1/organizations", `code=BS01`, "Content-Type", "application/x-www-form-urlencoded").
		problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "")
	f.do("POST", "/api/v1/organizations", `{}`, "Content-Type", "").problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "")
	big := `{"code":"BS01","name":"` + strings.Repeat("长", testMaxBody) + `","kind":"school","region_code":"510104"}`
	f.do("POST", "/api/v1/organizations", big).problem(http.StatusRequestEntityTooLarge, "payload-too-large", "")
	f.do("POST", "/api/v1/organizations", org, "Content-Type", "application/json; charset=utf-8").want(http.StatusCreated)

	// unknown routes and methods are problems too
	f.do("GET", "/api/v1/nowhere", nil).problem(http.StatusNotFound, "not-found", "")
	// outside /api/v1 the web app answers when it is mounted (authentication on)
	setup(t, withoutAuth()).do("GET", "/nowhere", nil).problem(http.StatusNotFound, "not-found", "")
	f.do("GET", "/nowhere", nil).want(http.StatusNotFound)
	r := f.do("PUT", "/api/v1/organizations/1", org)
	r.problem(http.StatusMethodNotAllowed, "method-not-allowed", "")
	if allow := r.Header().Values("Allow"); !slices.Equal(allow, []string{"GET", "PATCH", "DELETE"}) {
		t.Fatalf("Allow %v", allow)
	}
	f.do("PATCH", "/api/v1/organizations/1", map[string]any{"name": "x"}, "If-Match", "*").problem(http.StatusPreconditionFailed, "stale", "")
}

func TestRequestIDAndLogs(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	var logs bytes.Buffer
	h := New(Deps{Doors: testDoors(st), Log: slog.New(slog.NewJSONHandler(&logs, nil))})
	idn := idNumber(t, "20100506", "013")

	req := httptest.NewRequest("POST", "/api/v1/persons?name=secret", strings.NewReader(`{"id_number":"`+idn+`","name":"张晓明","phone":"13912345678"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-ID", "trace-abc.123")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("X-Request-ID") != "trace-abc.123" {
		t.Fatalf("request id not echoed: %q", rec.Header().Get("X-Request-ID"))
	}
	req = httptest.NewRequest("GET", "/api/v1/persons/999", nil)
	req.Header.Set("X-Request-ID", "bad id with spaces")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.RequestID == "" || p.RequestID != rec.Header().Get("X-Request-ID") ||
		strings.Contains(p.RequestID, " ") {
		t.Fatalf("problem request id %q, header %q", p.RequestID, rec.Header().Get("X-Request-ID"))
	}

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) < 2 {
		t.Fatalf("log lines: %q", logs.String())
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		if rec["request_id"] == nil {
			t.Fatalf("log line without request_id: %s", l)
		}
	}
	if strings.Contains(logs.String(), idn) || strings.Contains(logs.String(), "13912345678") ||
		strings.Contains(logs.String(), "张晓明") || strings.Contains(logs.String(), "secret") {
		t.Fatalf("personal data in the log: %s", logs.String())
	}
	if !strings.Contains(logs.String(), `"route":"/api/v1/persons/{id}"`) {
		t.Fatalf("route pattern not logged: %s", logs.String())
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.do("GET", "/healthz", nil).want(http.StatusOK)
	f.do("GET", "/readyz", nil).want(http.StatusOK)
	f.st.Pool.Close()
	f.do("GET", "/readyz", nil).problem(http.StatusServiceUnavailable, "unavailable", "")
	f.do("GET", "/healthz", nil).want(http.StatusOK)
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("BS01", "school", "510104")
	f.do("GET", "/api/v1/organizations/1", nil).want(http.StatusOK)
	f.do("GET", "/api/v1/organizations/2", nil).want(http.StatusNotFound)
	f.do("GET", "/no/such/path", nil).want(http.StatusNotFound)
	body := f.do("GET", "/metrics", nil).want(http.StatusOK).Body.String()
	for _, want := range []string{
		`talentdb_http_requests_total{method="GET",route="/api/v1/organizations/{id}",status="200"} 1`,
		`talentdb_http_requests_total{method="GET",route="/api/v1/organizations/{id}",status="404"} 1`,
		`talentdb_http_requests_total{method="POST",route="/api/v1/organizations",status="201"} 1`,
		`talentdb_http_request_duration_seconds_bucket{method="GET",route="/api/v1/organizations/{id}",le=`,
		"talentdb_db_pool_total_conns ", "talentdb_db_pool_max_conns ", "talentdb_db_pool_acquire_total ",
		"talentdb_db_pool_acquired_conns ", "talentdb_db_pool_idle_conns ", "talentdb_db_pool_empty_acquire_total ",
		"talentdb_db_pool_acquire_duration_seconds_total ",
		`talentdb_build_info{goversion="go`, "go_goroutines ", "process_cpu_seconds_total ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if regexp.MustCompile(`route="/no/such/path"`).MatchString(body) || regexp.MustCompile(`route="/api/v1/organizations/1"`).MatchString(body) {
		t.Error("a raw path is used as a route label")
	}
	// a second handler on the same registry reuses the collectors instead of panicking
	New(Deps{Doors: testDoors(f.st), Registry: f.reg})
}

// The OpenAPI document lists exactly the routes the router serves.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	f := setup(t)
	doc := f.do("GET", "/api/v1/openapi.json", nil).want(http.StatusOK).json()
	if doc["openapi"] == nil || doc["info"] == nil || doc["paths"] == nil {
		t.Fatalf("document lacks openapi/info/paths")
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Fatalf("openapi %q", v)
	}
	documented := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			m := strings.ToUpper(method)
			if !slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}, m) {
				continue // parameters, summary …
			}
			o := op.(map[string]any)
			if o["responses"] == nil || o["operationId"] == nil {
				t.Errorf("%s %s has no responses or operationId", m, path)
			}
			documented[m+" "+path] = true
		}
	}
	served := map[string]bool{}
	mux := f.h.(*chi.Mux)
	err := chi.Walk(mux, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = regexp.MustCompile(`\{([^}:]+):[^}]*\}`).ReplaceAllString(route, "{$1}")
		route = strings.TrimSuffix(route, "/")
		if route == "" {
			route = "/"
		}
		served[method+" "+route] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range served {
		if !documented[k] {
			t.Errorf("served but not documented: %s", k)
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("documented but not served: %s", k)
		}
	}
	if len(served) < 25 {
		t.Fatalf("only %d routes walked", len(served))
	}
	// every $ref resolves
	raw := f.do("GET", "/api/v1/openapi.json", nil).Body.String()
	comps := doc["components"].(map[string]any)
	for _, m := range regexp.MustCompile(`"\$ref":"#/components/([^/"]+)/([^"]+)"`).FindAllStringSubmatch(raw, -1) {
		sec, _ := comps[m[1]].(map[string]any)
		if sec == nil || sec[m[2]] == nil {
			t.Errorf("unresolved $ref %s/%s", m[1], m[2])
		}
	}
}
