package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
)

// TestConsentGateFollowsTheBirthDate: a correction that makes an adult's record a child's
// (identity number and birth date changed to an eight-year-old's) withholds the person
// until a guardian consents — the state is not fixed at creation. Correcting it back
// releases them again.
func TestConsentGateFollowsTheBirthDate(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("SA", "school", "510104")
	school := f.as(auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "SA"})
	adult := idNumber(t, "20080304", "011")
	p := f.do("POST", "/api/v1/persons", map[string]any{"id_number": adult, "name": "改年龄",
		"school_code": "SA"}).want(http.StatusCreated).json()
	if p["consent_state"] != "not_required" {
		t.Fatalf("an adult starts %v", p["consent_state"])
	}
	path := fmt.Sprintf("/api/v1/persons/%d", num(p["id"]))
	child, born := idBornYearsAgo(t, 8, "011")
	got := f.do("PATCH", path, map[string]any{"id_number": child, "birth_date": born},
		ifMatch(p["version"])...).want(http.StatusOK).json()
	if got["consent_state"] != "pending" {
		t.Errorf("after the birth date became an eight-year-old's: consent_state %v, want pending", got["consent_state"])
	}
	if state := f.consentState(num(p["id"])); state != "pending" {
		t.Errorf("database says %s, want pending", state)
	}
	for _, list := range []string{"/api/v1/persons", "/api/v1/persons?name=改年龄"} {
		if items, _ := f.do("GET", list, nil, "Authorization", school).items(); len(items) != 0 {
			t.Errorf("%s lists the withheld child: %v", list, items)
		}
	}
	// a direct write as the office that says not_required is held to the gate too
	if _, err := f.st.Pool.Exec(context.Background(),
		`UPDATE persons SET consent_state = 'not_required' WHERE id = $1`, num(p["id"])); err != nil {
		t.Fatal(err)
	}
	if state := f.consentState(num(p["id"])); state != "pending" {
		t.Errorf("a write of not_required for an eight-year-old left %s, want pending", state)
	}
	// the correction undone: an adult again, no consent ever recorded
	cur := f.do("GET", path, nil).want(http.StatusOK).json()
	back := f.do("PATCH", path, map[string]any{"id_number": adult, "birth_date": "2008-03-04"},
		ifMatch(cur["version"])...).want(http.StatusOK).json()
	if back["consent_state"] != "not_required" {
		t.Errorf("corrected back to an adult: consent_state %v, want not_required", back["consent_state"])
	}
}

func (f *fixture) consentState(person int64) string {
	f.t.Helper()
	var s string
	if err := f.st.Pool.QueryRow(context.Background(), `SELECT consent_state FROM persons WHERE id = $1`,
		person).Scan(&s); err != nil {
		f.t.Fatal(err)
	}
	return s
}
