package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
)

// TestActorFieldsComeFromTheCaller: who reported an award, destination or career move and
// who made a contact is the signed-in caller, never what the body says — on create and on
// PATCH. A body naming someone is refused, naming the field.
func TestActorFieldsComeFromTheCaller(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("SA", "school", "510104")
	u := authtest.User(t, f.st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "SA"})
	op := "Bearer " + authtest.TokenFor(t, f.st, u)
	p := num(f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20080304", "011"),
		"name": "甲", "school_code": "SA"}).want(http.StatusCreated).json()["id"])
	cases := []struct {
		coll, field, table, col string
		body                    map[string]any
	}{
		{"awards", "reported_by", "awards", "reported_by", map[string]any{"competition": "科创赛", "level": "school", "awarded_on": "2025-05-01"}},
		{"destinations", "reported_by", "destinations", "reported_by", map[string]any{"type": "senior_high", "started_on": "2025-09-01"}},
		{"career-moves", "reported_by", "career_moves", "reported_by", map[string]any{"org_name": "某校", "position": "teacher", "started_on": "2025-09-01"}},
		{"follow-ups", "made_by", "follow_ups", "made_by", map[string]any{"contacted_on": "2025-06-01", "channel": "phone", "outcome": "reached"}},
	}
	for _, c := range cases {
		forged := map[string]any{c.field: "校长"}
		for k, v := range c.body {
			forged[k] = v
		}
		coll := fmt.Sprintf("/api/v1/persons/%d/%s", p, c.coll)
		f.do("POST", coll, forged, "Authorization", op).problem(http.StatusBadRequest, "validation", c.field)
		rec := f.do("POST", coll, c.body, "Authorization", op).want(http.StatusCreated).json()
		if rec[c.field] != u.Username {
			t.Errorf("%s: %s = %v, want the caller %s", c.coll, c.field, rec[c.field], u.Username)
		}
		path := fmt.Sprintf("/api/v1/%s/%d", c.coll, num(rec["id"]))
		f.do("PATCH", path, map[string]any{c.field: "校长"}, append(ifMatch(rec["version"]), "Authorization", op)...).
			problem(http.StatusBadRequest, "validation", c.field)
		var stored string
		if err := f.st.Pool.QueryRow(context.Background(),
			fmt.Sprintf("SELECT %s FROM %s WHERE id = $1", c.col, c.table), num(rec["id"])).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != u.Username {
			t.Errorf("%s: stored %s = %q, want %q", c.table, c.col, stored, u.Username)
		}
	}
}
