package httpapi

import (
	"fmt"
	"net/http"
	"sort"
	"testing"
)

func TestOrganizationLifecycle(t *testing.T) {
	t.Parallel()
	f := setup(t)

	r := f.do("POST", "/api/v1/organizations", map[string]any{
		"code": "BS01", "name": "成都市泡桐树小学", "kind": "school", "type": "primary", "region_code": "510104",
		"postal_code": "610031", "head": map[string]any{"name": "王校长", "mobile": "13800000000"},
	}).want(http.StatusCreated)
	org := r.json()
	id := num(org["id"])
	if loc := r.Header().Get("Location"); loc != fmt.Sprintf("/api/v1/organizations/%d", id) {
		t.Fatalf("Location %q", loc)
	}
	if r.Header().Get("ETag") != `"1"` || num(org["version"]) != 1 {
		t.Fatalf("ETag %q version %v", r.Header().Get("ETag"), org["version"])
	}
	if org["city_code"] != "510100" || org["head"].(map[string]any)["name"] != "王校长" {
		t.Fatalf("created %v", org)
	}
	path := fmt.Sprintf("/api/v1/organizations/%d", id)

	got := f.do("GET", path, nil).want(http.StatusOK)
	if got.Header().Get("ETag") != `"1"` || got.json()["name"] != "成都市泡桐树小学" {
		t.Fatalf("get: %s", got.Body.String())
	}

	// PATCH is a JSON merge patch: absent keeps, null clears, nested objects merge.
	f.do("PATCH", path, map[string]any{"name": "泡桐树小学"}).problem(http.StatusPreconditionRequired, "if-match-required", "")
	up := f.do("PATCH", path, `{"name":"泡桐树小学","postal_code":null,"head":{"title":"校长"}}`,
		"If-Match", `"1"`, "Content-Type", "application/merge-patch+json").want(http.StatusOK)
	u := up.json()
	if up.Header().Get("ETag") != `"2"` || u["name"] != "泡桐树小学" || u["postal_code"] != nil || u["type"] != "primary" {
		t.Fatalf("patched: %s (ETag %s)", up.Body.String(), up.Header().Get("ETag"))
	}
	if h := u["head"].(map[string]any); h["name"] != "王校长" || h["title"] != "校长" {
		t.Fatalf("head not merged: %v", h)
	}
	f.do("PATCH", path, map[string]any{"name": "x"}, "If-Match", `"1"`).problem(http.StatusPreconditionFailed, "stale", "")
	f.do("PATCH", path, map[string]any{"name": "x"}, "If-Match", `W/"2"`).problem(http.StatusPreconditionFailed, "stale", "")
	f.do("PATCH", path, map[string]any{"kind": "castle"}, "If-Match", `"2"`).problem(http.StatusBadRequest, "validation", "kind")
	f.do("PATCH", path, map[string]any{"id": 5}, "If-Match", `"2"`).problem(http.StatusBadRequest, "validation", "id")

	// uniqueness and references name the field
	f.do("POST", "/api/v1/organizations", map[string]any{"code": "BS01", "name": "另一所", "kind": "school",
		"region_code": "510104"}).problem(http.StatusConflict, "conflict", "code")
	f.do("POST", "/api/v1/organizations", map[string]any{"code": "X1", "name": "某地", "kind": "school",
		"region_code": "999999"}).problem(http.StatusBadRequest, "validation", "region_code")
	p := f.do("POST", "/api/v1/organizations", map[string]any{"name": " ", "kind": "school", "region_code": "51"}).
		problem(http.StatusBadRequest, "validation", "code")
	if len(p["errors"].([]any)) != 3 { // code, name, region_code
		t.Fatalf("want every invalid field at once: %v", p["errors"])
	}

	// the audit log has the create and the update, with the actor and request id
	var n int
	if err := f.st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE entity = 'organization'
		AND entity_id = $1 AND actor = $2 AND actor_role = 'office_admin' AND request_id IS NOT NULL`, fmt.Sprint(id), f.admin).Scan(&n); err != nil || n != 2 {
		t.Fatalf("audit rows %d, err %v", n, err)
	}

	// an organization in use cannot be deleted; a free one can
	f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20100506", "001"), "name": "张三",
		"school_code": "BS01"}).want(http.StatusCreated)
	m := f.do("DELETE", path, nil).problem(http.StatusConflict, "in-use", "")
	if m["detail"] == nil {
		t.Fatal("no detail")
	}
	free := f.mkOrg("FREE1", "institution", "510100")
	freePath := fmt.Sprintf("/api/v1/organizations/%d", num(free["id"]))
	f.do("DELETE", freePath, nil, "If-Match", `"7"`).problem(http.StatusPreconditionFailed, "stale", "")
	f.do("DELETE", freePath, nil, "If-Match", `"1"`).want(http.StatusNoContent)
	f.do("GET", freePath, nil).problem(http.StatusNotFound, "not-found", "")
	f.do("GET", "/api/v1/organizations/abc", nil).problem(http.StatusNotFound, "not-found", "")
}

func TestOrganizationListFiltersAndPages(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("S1", "school", "510104") // Chengdu, Jinjiang district
	f.mkOrg("S2", "school", "510107") // Chengdu, Wuhou district
	f.mkOrg("S3", "school", "510100") // Chengdu, city level
	f.mkOrg("S4", "school", "510703") // Mianyang
	f.mkOrg("I1", "institution", "510100")
	f.mkOrg("O1", "office", "510000")
	f.do("POST", "/api/v1/organizations", map[string]any{"code": "U1", "name": "四川大学", "kind": "institution",
		"type": "university", "region_code": "510107"}).want(http.StatusCreated)

	codes := func(items []map[string]any) []string {
		var out []string
		for _, it := range items {
			out = append(out, it["code"].(string))
		}
		sort.Strings(out)
		return out
	}
	cases := []struct {
		query string
		want  string
	}{
		{"", "[I1 O1 S1 S2 S3 S4 U1]"},
		{"?region=510100", "[I1 S1 S2 S3 U1]"},
		{"?region=510107", "[S2 U1]"},
		{"?region=510000", "[I1 O1 S1 S2 S3 S4 U1]"},
		{"?kind=school&region=510100", "[S1 S2 S3]"},
		{"?type=university", "[U1]"},
		{"?q=S4", "[S4]"},
		{"?q=" + "四川", "[U1]"},
		{"?code=O1", "[O1]"},
	}
	for _, c := range cases {
		for _, limit := range []string{"", "limit=2"} {
			path := "/api/v1/organizations" + c.query
			if limit != "" {
				if c.query == "" {
					path += "?" + limit
				} else {
					path += "&" + limit
				}
			}
			if got := fmt.Sprint(codes(f.all(path, "id"))); got != c.want {
				t.Errorf("%s: %s, want %s", path, got, c.want)
			}
		}
	}
	items, next := f.do("GET", "/api/v1/organizations?limit=7", nil).items()
	if len(items) != 7 || next != nil {
		t.Fatalf("exactly one full page: %d items, next %v", len(items), next)
	}
	f.do("GET", "/api/v1/organizations?kind=castle", nil).problem(http.StatusBadRequest, "validation", "kind")
	f.do("GET", "/api/v1/organizations?region=51", nil).problem(http.StatusBadRequest, "validation", "region")
	f.do("GET", "/api/v1/organizations?limit=501", nil).problem(http.StatusBadRequest, "validation", "limit")
	f.do("GET", "/api/v1/organizations?limit=0", nil).problem(http.StatusBadRequest, "validation", "limit")
	f.do("GET", "/api/v1/organizations?after=!!", nil).problem(http.StatusBadRequest, "validation", "after")
	f.do("GET", "/api/v1/organizations?kidn=school", nil).problem(http.StatusBadRequest, "validation", "kidn")
}
