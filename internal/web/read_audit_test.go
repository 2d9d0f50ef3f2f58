package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"talentdb/internal/auth"
)

// TestEveryPersonReadIsAudited: each page and API handler that returns a person (or a
// page of them, or a timeline) leaves exactly its audit rows — one per read, written in
// the read's own unit of work — whichever path asked. A path that returned a person
// without its row fails here.
func TestEveryPersonReadIsAudited(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code, due, _, _ := f.dueSchool()
	person := due.Persons[0].PersonID
	name := f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code})
	op := f.login(name)
	reads := func() map[string]int {
		t.Helper()
		rows, err := f.st.Pool.Query(context.Background(), `SELECT entity, count(*)::int FROM audit_log
			WHERE actor = $1 AND action = 'read' GROUP BY entity`, name)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var e string
			var n int
			if err := rows.Scan(&e, &n); err != nil {
				t.Fatal(err)
			}
			out[e] = n
		}
		return out
	}
	cases := []struct {
		method, path string
		want         map[string]int // audit rows by entity
	}{
		{"GET", fmt.Sprintf("/persons/%d", person), map[string]int{"person": 1, "timeline": 1}},
		{"GET", "/persons", map[string]int{"person": 1}},
		{"GET", fmt.Sprintf("/api/v1/persons/%d", person), map[string]int{"person": 1}},
		{"GET", "/api/v1/persons", map[string]int{"person": 1}},
		{"POST", "/api/v1/persons/search", map[string]int{"person": 1}},
		{"GET", fmt.Sprintf("/api/v1/persons/%d/timeline", person), map[string]int{"timeline": 1}},
	}
	for _, c := range cases {
		before := reads()
		hdr := op.hdr()
		var res int
		if strings.HasPrefix(c.path, "/api/") {
			hdr["X-CSRF-Token"] = op.csrf
			body := ""
			if c.method == "POST" {
				body = "{}"
				hdr["Content-Type"] = "application/json"
			}
			rec := f.rawBody(c.method, c.path, body, hdr)
			res = rec.Code
		} else {
			rec := op.do(c.method, c.path, nil)
			res = rec.Code
			// the page's audit row carries the server's request id, as the API's does
			var got string
			_ = f.st.Pool.QueryRow(context.Background(), `SELECT coalesce(request_id, '') FROM audit_log
				WHERE actor = $1 ORDER BY id DESC LIMIT 1`, name).Scan(&got)
			if want := rec.Header().Get("X-Request-ID"); res == http.StatusOK && (want == "" || got != want) {
				t.Errorf("%s %s: audit request_id %q, response X-Request-ID %q", c.method, c.path, got, want)
			}
		}
		if res != http.StatusOK {
			t.Errorf("%s %s: status %d", c.method, c.path, res)
			continue
		}
		after := reads()
		for _, e := range []string{"person", "timeline"} {
			if got := after[e] - before[e]; got != c.want[e] {
				t.Errorf("%s %s: %d audit rows of entity %s, want %d", c.method, c.path, got, e, c.want[e])
			}
		}
	}
}

// rawBody sends a request with a body as is and headers.
func (f *fixture) rawBody(method, path, body string, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}
