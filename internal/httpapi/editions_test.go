package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

func TestEditionLifecycle(t *testing.T) {
	t.Parallel()
	f := setup(t)

	r := f.do("POST", "/api/v1/editions", map[string]any{"id": "jingke-2023"}).want(http.StatusCreated)
	e := r.json()
	if r.Header().Get("Location") != "/api/v1/editions/jingke-2023" || r.Header().Get("ETag") != `"1"` {
		t.Fatalf("headers %v", r.Header())
	}
	// default dates: March 1 to the last day of February, a leap day in 2024
	if e["program"] != "jingke" || num(e["year"]) != 2023 || e["starts_on"] != "2023-03-01" ||
		e["ends_on"] != "2024-02-29" || e["status"] != "planned" {
		t.Fatalf("created %v", e)
	}
	f.do("POST", "/api/v1/editions", map[string]any{"id": "jindaoshi-2024", "starts_on": "2024-04-01",
		"ends_on": "2025-03-31", "status": "open"}).want(http.StatusCreated)
	f.mkEdition("jingke-2024")

	f.do("POST", "/api/v1/editions", map[string]any{"id": "jingke-2023"}).problem(http.StatusConflict, "conflict", "id")
	f.do("POST", "/api/v1/editions", map[string]any{"id": "physics-2023"}).problem(http.StatusBadRequest, "validation", "id")
	f.do("POST", "/api/v1/editions", map[string]any{"id": "jingke-2025", "starts_on": "2025-05-01",
		"ends_on": "2025-04-01"}).problem(http.StatusBadRequest, "validation", "ends_on")
	f.do("POST", "/api/v1/editions", map[string]any{"id": "jingke-2025", "status": "done"}).
		problem(http.StatusBadRequest, "validation", "status")
	f.do("POST", "/api/v1/editions", map[string]any{"id": "jingke-2025", "starts_on": "2025-13-01"}).
		problem(http.StatusBadRequest, "validation", "starts_on")

	up := f.do("PATCH", "/api/v1/editions/jingke-2023", map[string]any{"status": "open"}, "If-Match", `"1"`).want(http.StatusOK)
	if up.json()["status"] != "open" || up.Header().Get("ETag") != `"2"` || up.json()["ends_on"] != "2024-02-29" {
		t.Fatalf("patched %s", up.Body.String())
	}
	f.do("PATCH", "/api/v1/editions/jingke-2023", map[string]any{"status": "closed"}).problem(http.StatusPreconditionRequired, "if-match-required", "")
	f.do("PATCH", "/api/v1/editions/jingke-2023", map[string]any{"status": "closed"}, "If-Match", `"1"`).problem(http.StatusPreconditionFailed, "stale", "")
	f.do("PATCH", "/api/v1/editions/jingke-2023", map[string]any{"program": "jindaoshi"}, "If-Match", `"2"`).
		problem(http.StatusBadRequest, "validation", "program")
	f.do("PATCH", "/api/v1/editions/jingke-2023", map[string]any{"ends_on": "2023-01-01"}, "If-Match", `"2"`).
		problem(http.StatusBadRequest, "validation", "ends_on")
	f.do("PATCH", "/api/v1/editions/jingke-2099", map[string]any{"status": "open"}, "If-Match", `"1"`).
		problem(http.StatusNotFound, "not-found", "")

	f.lists(func(it map[string]any) string { return it["id"].(string) }, false, map[string]string{
		"/api/v1/editions":                       "[jindaoshi-2024 jingke-2023 jingke-2024]",
		"/api/v1/editions?limit=1":               "[jindaoshi-2024 jingke-2023 jingke-2024]",
		"/api/v1/editions?program=jingke":        "[jingke-2023 jingke-2024]",
		"/api/v1/editions?year=2024":             "[jindaoshi-2024 jingke-2024]",
		"/api/v1/editions?status=open":           "[jindaoshi-2024 jingke-2023]",
		"/api/v1/editions?status=open&year=2023": "[jingke-2023]",
	})
	f.do("GET", "/api/v1/editions?year=abc", nil).problem(http.StatusBadRequest, "validation", "year")

	// an edition with participations cannot be deleted
	f.mkOrg("BS01", "school", "510104")
	p := f.mkPerson("李四", "20110101", "002")
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": p["id"], "edition": "jingke-2023",
		"school_code": "BS01", "category": "robotics"}).want(http.StatusCreated)
	m := f.do("DELETE", "/api/v1/editions/jingke-2023", nil).problem(http.StatusConflict, "in-use", "")
	if d := m["detail"].(string); !strings.Contains(d, "participations") {
		t.Fatalf("detail does not name what blocks the delete: %s", d)
	}
	f.do("DELETE", "/api/v1/editions/jingke-2024", nil).want(http.StatusNoContent)
	f.do("GET", "/api/v1/editions/jingke-2024", nil).problem(http.StatusNotFound, "not-found", "")
}

func TestCategoriesReadOnly(t *testing.T) {
	t.Parallel()
	f := setup(t)
	all := f.all("/api/v1/categories?limit=10", "code")
	if len(all) != 29 || all[0]["code"] != "math" || all[28]["code"] != "guidance_capacity" {
		t.Fatalf("%d categories, first %v", len(all), all[0])
	}
	teachers, next := f.do("GET", "/api/v1/categories?program=jindaoshi", nil).items()
	if len(teachers) != 6 || next != nil {
		t.Fatalf("jindaoshi categories: %d", len(teachers))
	}
	c := f.do("GET", "/api/v1/categories/robotics", nil).want(http.StatusOK).json()
	if c["name_zh"] != "机器人" || c["program"] != "jingke" || c["group_zh"] != "科技创新" {
		t.Fatalf("robotics: %v", c)
	}
	f.do("GET", "/api/v1/categories/alchemy", nil).problem(http.StatusNotFound, "not-found", "")
	r := f.do("POST", "/api/v1/categories", map[string]any{"code": "x"})
	r.problem(http.StatusMethodNotAllowed, "method-not-allowed", "")
	if r.Header().Get("Allow") != "GET" {
		t.Fatalf("Allow %q", r.Header().Values("Allow"))
	}
	f.do("DELETE", "/api/v1/categories/robotics", nil).problem(http.StatusMethodNotAllowed, "method-not-allowed", "")
}
