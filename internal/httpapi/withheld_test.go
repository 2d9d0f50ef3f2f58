package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/vocab"
)

// TestWithheldPersonsStayOutOfEveryList: a child whose guardian has not consented and a
// person whose guardian withdrew consent, both alumni of school A (so due for a follow-up)
// and both in the 2026 cycle with a mentor (so behind on growth logs). No list that names
// people shows either of them, to any role; the withdrawn person is not reachable by id
// for a school, a city or a mentor either.
func TestWithheldPersonsStayOutOfEveryList(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("SA", "school", "510104")
	f.mkOrg("INST", "institution", "510104")
	f.mkEdition("jingke-2023")
	f.mkEdition("jingke-2026")
	var mentor int64
	if err := f.st.Pool.QueryRow(t.Context(), `INSERT INTO mentors (name, institution_id)
		SELECT '钱导师', id FROM organizations WHERE code = 'INST' RETURNING id`).Scan(&mentor); err != nil {
		t.Fatal(err)
	}
	mk := func(name, seq string) (int64, map[string]any) {
		twelve, _ := idBornYearsAgo(t, 12, seq)
		p := f.do("POST", "/api/v1/persons", map[string]any{"id_number": twelve, "name": name,
			"school_code": "SA"}).want(http.StatusCreated).json()
		id := num(p["id"])
		f.do("POST", "/api/v1/participations", map[string]any{"person_id": id, "edition": "jingke-2023",
			"school_code": "SA", "category": "math", "grade": "6", "status": "completed"}).want(http.StatusCreated)
		part := f.do("POST", "/api/v1/participations", map[string]any{"person_id": id, "edition": "jingke-2026",
			"school_code": "SA", "category": "math", "grade": "7", "status": "admitted", "mentor_id": mentor,
			"institution_code": "INST"}).want(http.StatusCreated).json()
		return id, part
	}
	pending, pendingPart := mk("待同意同学", "011")
	withdrawn, withdrawnPart := mk("已撤回同学", "021")
	c := f.do("POST", fmt.Sprintf("/api/v1/persons/%d/consents", withdrawn), map[string]any{"guardian_name": "家长",
		"relationship": "mother", "method": "paper", "scope": "参与菁科计划", "granted_on": "2026-03-01"}).
		want(http.StatusCreated).json()
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/consents/%d/withdraw", withdrawn, num(c["id"])), map[string]any{}).
		want(http.StatusOK)
	if s := f.consentState(pending) + "/" + f.consentState(withdrawn); s != "pending/withdrawn" {
		t.Fatalf("consent states %s", s)
	}
	asOf := vocab.Today(nil).Format("2006-01-02")
	accounts := map[string]string{
		"admin":   f.bearer,
		"analyst": f.as(auth.RoleOfficeAnalyst),
		"city":    f.as(auth.RoleCityCoordinator, authtest.Scope{CityCode: "510100"}),
		"school":  f.as(auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "SA"}),
		"mentor":  f.as(auth.RoleMentor, authtest.Scope{MentorID: mentor}),
	}
	lists := []struct{ method, path string }{
		{"GET", "/api/v1/persons"},
		{"GET", "/api/v1/persons?name=" + "待同意同学"},
		{"POST", "/api/v1/persons/search"},
		{"GET", "/api/v1/participations"},
		{"GET", "/api/v1/participations?edition=jingke-2026"},
		{"GET", "/api/v1/follow-ups/due?as_of=" + asOf},
		{"GET", "/api/v1/follow-ups/due?school=SA&as_of=" + asOf},
		{"GET", "/api/v1/cycle/behind?edition=jingke-2026&as_of=" + asOf},
	}
	for acct, cred := range accounts {
		for _, l := range lists {
			var body any
			if l.method == "POST" {
				body = map[string]any{}
			}
			r := f.do(l.method, l.path, body, "Authorization", cred)
			if r.Code != http.StatusOK && r.Code != http.StatusForbidden {
				t.Errorf("%s %s %s: status %d: %s", acct, l.method, l.path, r.Code, r.Body.String())
				continue
			}
			for _, name := range []string{"待同意同学", "已撤回同学"} {
				if strings.Contains(r.Body.String(), name) {
					t.Errorf("%s %s %s lists %s", acct, l.method, l.path, name)
				}
			}
			for _, id := range []any{pendingPart["id"], withdrawnPart["id"]} {
				if strings.Contains(r.Body.String(), fmt.Sprintf(`"id":%v,`, id)) && strings.Contains(l.path, "participations") {
					t.Errorf("%s %s lists participation %v of a withheld person", acct, l.path, id)
				}
			}
		}
		if acct == "admin" || acct == "analyst" {
			continue
		}
		for _, path := range []string{
			fmt.Sprintf("/api/v1/persons/%d", withdrawn),
			fmt.Sprintf("/api/v1/persons/%d/timeline", withdrawn),
			fmt.Sprintf("/api/v1/participations/%v", withdrawnPart["id"]),
			fmt.Sprintf("/api/v1/participations/%v/growth-logs", withdrawnPart["id"]),
		} {
			if r := f.do("GET", path, nil, "Authorization", cred); r.Code != http.StatusNotFound {
				t.Errorf("%s GET %s: status %d, want 404 (withdrawn consent)", acct, path, r.Code)
			}
		}
	}
}
