package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/dbtest"
)

// secWorld is a small province seen through the API: schools A (成都 510104), B (成都
// 510105) and C (绵阳 510703); a mentor; person pA of school A, nominated to jingke-2023
// with the mentor, with an award; person pC of school C with an award. One account per
// role and scope.
type secWorld struct {
	*fixture
	pA, pC, awardA, partA, partC, mentor int64
	idA                                  string            // pA's identity number
	tok                                  map[string]string // account → Authorization header
}

// secAccounts are the accounts of the matrix, "own" ones scoped to pA's school, city and
// mentor, "other" ones elsewhere.
var secAccounts = []string{"admin", "analyst", "city_own", "city_other", "school_own", "school_other", "mentor", "auditor"}

func newSecWorld(t *testing.T, f *fixture) *secWorld {
	t.Helper()
	w := &secWorld{fixture: f, tok: map[string]string{}}
	f.mkOrg("SA", "school", "510104")
	f.mkOrg("SB", "school", "510105")
	f.mkOrg("SC", "school", "510703")
	f.mkOrg("INST", "institution", "510104")
	f.mkEdition("jingke-2023")
	if err := f.st.Pool.QueryRow(context.Background(), `INSERT INTO mentors (name, institution_id)
		SELECT '王导师', id FROM organizations WHERE code = 'INST' RETURNING id`).Scan(&w.mentor); err != nil {
		t.Fatal(err)
	}
	person := func(name, seq, school string) int64 {
		return num(f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20080304", seq),
			"name": name, "school_code": school, "phone": "13912345678"}).want(http.StatusCreated).json()["id"])
	}
	w.pA, w.pC = person("甲同学", "011", "SA"), person("丙同学", "021", "SC")
	w.idA = idNumber(t, "20080304", "011")
	f.mkEdition("jingke-2026")
	part := func(p int64, school string, mentor any) int64 {
		return num(f.do("POST", "/api/v1/participations", map[string]any{"person_id": p, "edition": "jingke-2023",
			"school_code": school, "category": "math", "grade": "9", "status": "completed", "mentor_id": mentor}).
			want(http.StatusCreated).json()["id"])
	}
	w.partA, w.partC = part(w.pA, "SA", w.mentor), part(w.pC, "SC", nil)
	award := func(p int64) int64 {
		return num(f.do("POST", fmt.Sprintf("/api/v1/persons/%d/awards", p), map[string]any{"competition": "科创赛",
			"level": "provincial", "awarded_on": "2024-05-20"}).want(http.StatusCreated).json()["id"])
	}
	w.awardA = award(w.pA)
	award(w.pC)
	w.tok["admin"] = f.bearer
	w.tok["analyst"] = f.as(auth.RoleOfficeAnalyst)
	w.tok["city_own"] = f.as(auth.RoleCityCoordinator, authtest.Scope{CityCode: "510100"})
	w.tok["city_other"] = f.as(auth.RoleCityCoordinator, authtest.Scope{CityCode: "510700"})
	w.tok["school_own"] = f.as(auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "SA"})
	w.tok["school_other"] = f.as(auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "SC"})
	w.tok["mentor"] = f.as(auth.RoleMentor, authtest.Scope{MentorID: w.mentor})
	w.tok["auditor"] = f.as(auth.RoleAuditor)
	return w
}

// ownSchool is the school each account names as its own in a write (the office names A).
var ownSchool = map[string]string{"admin": "SA", "analyst": "SA", "city_own": "SA", "city_other": "SC",
	"school_own": "SA", "school_other": "SC", "mentor": "SA", "auditor": "SA"}

// multipartBody is a multipart body with data as the field "file" named name, and its
// Content-Type.
func multipartBody(t *testing.T, name, data string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write([]byte(data))
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String(), mw.FormDataContentType()
}

// version reads the current ETag version of path as the office.
func (w *secWorld) version(path string) string {
	w.t.Helper()
	return w.do("GET", path, nil).want(http.StatusOK).Header().Get("ETag")
}

// expect gives the status each account gets; accounts not named get def.
func expect(def int, pairs ...any) map[string]int {
	m := map[string]int{}
	for _, a := range secAccounts {
		m[a] = def
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		for _, a := range strings.Split(pairs[i].(string), ",") {
			m[a] = pairs[i+1].(int)
		}
	}
	return m
}

// secCase is one route of the matrix: a request per account and the status it must get.
type secCase struct {
	name string
	req  func(acct string) (method, path string, body any, headers []string)
	want map[string]int
}

const (
	ok, created, notFound, forbid = http.StatusOK, http.StatusCreated, http.StatusNotFound, http.StatusForbidden
)

func (w *secWorld) cases() []secCase {
	get := func(path string) func(string) (string, string, any, []string) {
		return func(string) (string, string, any, []string) { return "GET", path, nil, nil }
	}
	pA, awardA := fmt.Sprintf("/api/v1/persons/%d", w.pA), fmt.Sprintf("/api/v1/awards/%d", w.awardA)
	partA := fmt.Sprintf("/api/v1/participations/%d", w.partA)
	// readers of pA: the office, the analyst, pA's city, school and mentor
	seesA := expect(notFound, "admin,analyst,city_own,school_own,mentor", ok, "auditor", forbid)
	writesA := expect(forbid, "admin,school_own", ok, "school_other", notFound)
	createsA := expect(forbid, "admin,school_own", created, "school_other", notFound)
	lists := expect(ok, "auditor", forbid)
	stats := expect(ok, "mentor,auditor", forbid)
	officeWrites := expect(forbid, "admin", created)
	seq := 100
	return []secCase{
		{"list persons", get("/api/v1/persons"), lists},
		{"search persons", func(string) (string, string, any, []string) {
			return "POST", "/api/v1/persons/search", map[string]any{"name": "甲"}, nil
		}, lists},
		{"get person", get(pA), seesA},
		{"create person", func(acct string) (string, string, any, []string) {
			seq++
			return "POST", "/api/v1/persons", map[string]any{"id_number": idNumber(w.t, "20070101", fmt.Sprintf("%03d", seq)),
				"name": "新同学" + acct, "school_code": "SA"}, nil
		}, expect(forbid, "admin,school_own", created)},
		{"patch person", func(acct string) (string, string, any, []string) {
			return "PATCH", pA, map[string]any{"guardian_name": "家长" + acct}, []string{"If-Match", w.version(pA)}
		}, writesA},
		{"timeline", get(pA + "/timeline"), seesA},
		{"career", get(pA + "/career?on=2025-01-01"), seesA},
		{"list awards of person", get(pA + "/awards"), seesA},
		{"create award", func(acct string) (string, string, any, []string) {
			return "POST", pA + "/awards", map[string]any{"competition": "赛事" + acct, "level": "municipal",
				"awarded_on": "2025-03-01"}, nil
		}, createsA},
		{"create follow-up", func(acct string) (string, string, any, []string) {
			seq++
			return "POST", pA + "/follow-ups", map[string]any{"contacted_on": fmt.Sprintf("2025-%02d-01", seq%12+1),
				"channel": "phone", "outcome": "reached", "notes": acct}, nil
		}, createsA},
		{"get award", get(awardA), seesA},
		{"patch award", func(acct string) (string, string, any, []string) {
			return "PATCH", awardA, map[string]any{"rank": "一等奖" + acct}, []string{"If-Match", w.version(awardA)}
		}, writesA},
		{"verify award", func(string) (string, string, any, []string) {
			return "POST", awardA + "/verify", map[string]any{"state": "verified"}, nil
		}, expect(forbid, "admin", ok, "school_other", forbid)},
		{"reveal", func(string) (string, string, any, []string) {
			return "POST", pA + "/reveal", map[string]any{"fields": []string{"id_number"}, "reason": "核对身份信息"}, nil
		}, expect(forbid, "admin", ok)},
		{"list consents", get(pA + "/consents"), expect(notFound, "admin,analyst,city_own,school_own", ok,
			"mentor,auditor", forbid)},
		{"record consent", func(acct string) (string, string, any, []string) {
			return "POST", pA + "/consents", map[string]any{"guardian_name": "家长", "relationship": "mother",
				"method": "paper", "scope": "参加菁科计划及后续跟踪", "granted_on": "2023-03-01"}, nil
		}, createsA},
		{"list participations", get("/api/v1/participations"), lists},
		{"get participation", get(partA), seesA},
		{"patch participation", func(acct string) (string, string, any, []string) {
			return "PATCH", partA, map[string]any{"grade": "9"}, []string{"If-Match", w.version(partA)}
		}, writesA},
		// a school links only persons already in its scope: naming pA from another school reads
		// as a person that exists nowhere, whichever path it takes
		{"participation of pA for the caller's school", func(acct string) (string, string, any, []string) {
			return "POST", "/api/v1/participations", map[string]any{"person_id": w.pA, "edition": "jingke-2026",
				"school_code": ownSchool[acct], "category": "math", "grade": "8"}, nil
		}, expect(forbid, "admin", created, "school_own", http.StatusUnprocessableEntity,
			"school_other", http.StatusBadRequest)},
		{"nomination of pA for the caller's school", func(acct string) (string, string, any, []string) {
			return "POST", "/api/v1/nominations", map[string]any{"person_id": w.pA, "edition": "jingke-2026",
				"category": "math", "grade": "8"}, nil
		}, expect(forbid, "admin", http.StatusBadRequest, "school_own", http.StatusUnprocessableEntity,
			"school_other", http.StatusBadRequest)},
		{"import a participation of pA", func(acct string) (string, string, any, []string) {
			body, ct := multipartBody(w.t, "p.csv", "id_number,edition,school_code,category,grade,status\n"+
				w.idA+",jingke-2026,"+ownSchool[acct]+",math,8,registered\n")
			return "POST", "/api/v1/imports/participations", body, []string{"Content-Type", ct}
		}, expect(forbid, "admin,school_own", ok, "school_other", http.StatusUnprocessableEntity)},
		{"list organizations", get("/api/v1/organizations"), lists},
		{"create organization", func(acct string) (string, string, any, []string) {
			return "POST", "/api/v1/organizations", map[string]any{"code": "N" + acct, "name": "新单位",
				"kind": "school", "region_code": "510104"}, nil
		}, officeWrites},
		{"list editions", get("/api/v1/editions"), lists},
		{"create edition", func(acct string) (string, string, any, []string) {
			seq++
			return "POST", "/api/v1/editions", map[string]any{"id": fmt.Sprintf("jingke-%d", 2030+seq%60)}, nil
		}, officeWrites},
		{"categories", get("/api/v1/categories"), lists},
		{"due list", get("/api/v1/follow-ups/due?as_of=2026-06-30"), stats},
		{"due list of school A", get("/api/v1/follow-ups/due?as_of=2026-06-30&school=SA"),
			expect(ok, "school_other", notFound, "mentor,auditor", forbid)},
		{"coverage", get("/api/v1/follow-ups/coverage?as_of=2026-06-30"), stats},
		{"audit log", get("/api/v1/audit"), expect(forbid, "admin,auditor", ok)},
		{"me", get("/api/v1/auth/me"), expect(ok)},
	}
}

// runMatrix sends every case as every account and checks the statuses; it returns the
// number of requests.
func (w *secWorld) runMatrix(t *testing.T) int {
	n := 0
	for _, c := range w.cases() {
		for _, acct := range secAccounts {
			method, path, body, headers := c.req(acct)
			r := w.do(method, path, body, append([]string{"Authorization", w.tok[acct]}, headers...)...)
			n++
			if r.Code != c.want[acct] {
				t.Errorf("%s as %s: %s %s → %d, want %d: %s", c.name, acct, method, path, r.Code, c.want[acct],
					strings.TrimSpace(r.Body.String()))
			}
		}
	}
	return n
}

// listed returns the ids of the persons GET /persons shows an account.
func (w *secWorld) listed(acct string) []int64 {
	w.t.Helper()
	items, _ := w.do("GET", "/api/v1/persons?limit=500", nil, "Authorization", w.tok[acct]).items()
	var ids []int64
	for _, it := range items {
		ids = append(ids, num(it["id"]))
	}
	return ids
}

func (w *secWorld) checkLists(t *testing.T) {
	for acct, want := range map[string][2]bool{ // sees pA, sees pC
		"admin": {true, true}, "analyst": {true, true}, "city_own": {true, false}, "city_other": {false, true},
		"school_own": {true, false}, "school_other": {false, true}, "mentor": {true, false},
	} {
		ids := w.listed(acct)
		if slices.Contains(ids, w.pA) != want[0] || slices.Contains(ids, w.pC) != want[1] {
			t.Errorf("%s lists %v; pA %d visible %v, pC %d visible %v", acct, ids, w.pA, want[0], w.pC, want[1])
		}
	}
	items, _ := w.do("GET", "/api/v1/participations", nil, "Authorization", w.tok["mentor"]).items()
	if len(items) != 1 || num(items[0]["id"]) != w.partA {
		t.Errorf("the mentor lists participations %v, want only %d", items, w.partA)
	}
}

// TestAuthorizationMatrix: every role against every route group, for its own and for
// another school or city: 200/201 inside the scope, 404 for a record outside it, 403 for
// a role that may not use the route at all.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	w := newSecWorld(t, setup(t))
	n := w.runMatrix(t)
	w.checkLists(t)
	t.Logf("%d requests", n)
}

// TestAuthorizationMatrixWithoutRLS runs the same matrix against a server whose
// statements bypass row-level security (a superuser connection that does not switch to the
// app role): the HTTP layer's checks alone must keep every account in its scope.
func TestAuthorizationMatrixWithoutRLS(t *testing.T) {
	t.Parallel()
	w := newSecWorld(t, setup(t, withoutRLS()))
	w.runMatrix(t)
	w.checkLists(t)
}

// TestConsentOfMinors: a person created through the API under 14 is pending: never
// listed, their records refuse writes, until a guardian's consent is recorded; withdrawing
// it takes them out again.
func TestConsentOfMinors(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("SA", "school", "510104")
	f.mkEdition("jingke-2025")
	f.mkEdition("jingke-2023")
	minor := f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20150601", "011"), "name": "小明",
		"school_code": "SA"}).want(http.StatusCreated).json()
	adult := f.mkPerson("大明", "20080601", "021")
	if minor["consent_state"] != "pending" || adult["consent_state"] != "not_required" {
		t.Fatalf("consent states %v, %v", minor["consent_state"], adult["consent_state"])
	}
	id := num(minor["id"])
	p := fmt.Sprintf("/api/v1/persons/%d", id)
	listed := func() bool {
		t.Helper()
		for _, it := range f.all("/api/v1/persons", "id") {
			if num(it["id"]) == id {
				return true
			}
		}
		items, _ := f.do("POST", "/api/v1/persons/search", map[string]any{"school": "SA"}).items()
		for _, it := range items {
			if num(it["id"]) == id {
				t.Fatal("search lists a person GET /persons does not")
			}
		}
		return false
	}
	// an alumnus of jingke-2023 owes a contact in window 2 (2025-03-01 … 2026-02-28)
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": num(minor["id"]), "edition": "jingke-2023",
		"school_code": "SA", "category": "math", "grade": "4", "status": "completed"}).want(http.StatusCreated)
	due := func() bool {
		t.Helper()
		rep := f.do("GET", "/api/v1/follow-ups/due?as_of=2025-06-30", nil).want(http.StatusOK).json()
		return num(rep["due_count"]) == 1
	}
	if listed() || due() {
		t.Fatal("a pending minor is listed")
	}
	f.do("GET", p, nil).want(http.StatusOK) // reachable by id, to record the consent
	award := map[string]any{"competition": "科创赛", "level": "school", "awarded_on": "2025-06-01"}
	f.do("POST", p+"/awards", award).problem(http.StatusConflict, "consent-required", "")
	f.do("POST", p+"/follow-ups", map[string]any{"contacted_on": "2025-06-01", "channel": "phone",
		"outcome": "reached"}).problem(http.StatusConflict, "consent-required", "")
	// the participation list leaves the pending minor's nomination out too
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": id, "edition": "jingke-2025",
		"school_code": "SA", "category": "math", "grade": "5", "status": "registered"}).want(http.StatusCreated)
	if items, _ := f.do("GET", "/api/v1/participations", nil).items(); len(items) != 0 {
		t.Fatalf("participations of a pending minor listed: %v", items)
	}

	// consent: validation, then recorded
	f.do("POST", p+"/consents", map[string]any{"guardian_name": "王女士", "relationship": "aunt", "method": "paper",
		"scope": "x", "granted_on": "2025-01-01"}).problem(http.StatusBadRequest, "validation", "relationship")
	f.do("POST", p+"/consents", map[string]any{"guardian_name": "王女士"}).problem(http.StatusBadRequest, "validation", "granted_on")
	c := f.do("POST", p+"/consents", map[string]any{"guardian_name": "王女士", "relationship": "mother",
		"method": "paper", "scope": "参加菁科计划并接受后续跟踪联系", "granted_on": "2025-01-01"}).want(http.StatusCreated).json()
	if got := f.do("GET", p, nil).json()["consent_state"]; got != "granted" {
		t.Fatalf("after consent: %v", got)
	}
	if !listed() || !due() {
		t.Fatal("a minor with consent is not listed")
	}
	aw := f.do("POST", p+"/awards", award).want(http.StatusCreated).json()
	if items, _ := f.do("GET", p+"/consents", nil).items(); len(items) != 1 || items[0]["guardian_name"] != "王女士" {
		t.Fatalf("consents %v", items)
	}

	// withdrawal stops processing
	f.do("POST", fmt.Sprintf("%s/consents/%d/withdraw", p, num(c["id"])), map[string]any{"withdrawn_on": "2025-02-01"}).
		want(http.StatusOK)
	if got := f.do("GET", p, nil).json()["consent_state"]; got != "withdrawn" {
		t.Fatalf("after withdrawal: %v", got)
	}
	if listed() || due() {
		t.Fatal("a withdrawn person is listed")
	}
	f.do("PATCH", fmt.Sprintf("/api/v1/awards/%d", num(aw["id"])), map[string]any{"rank": "二等奖"},
		"If-Match", `"1"`).problem(http.StatusConflict, "consent-required", "")
	f.do("PATCH", p, map[string]any{"name": "小明明"}, ifMatch(f.do("GET", p, nil).json()["version"])...).
		problem(http.StatusConflict, "consent-required", "")
	f.do("POST", fmt.Sprintf("%s/consents/%d/withdraw", p, 999999), nil).want(http.StatusNotFound)

	// the audit log has the consent, the withdrawal and both state changes
	var n int
	if err := f.st.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE person_id = $1
		AND ((entity = 'consent' AND action IN ('create', 'update')) OR (entity = 'person' AND action = 'transition'))`,
		id).Scan(&n); err != nil || n != 4 {
		t.Fatalf("%d consent audit rows (%v), want 4", n, err)
	}
}

// TestRevealIsAudited: the office sees an identity number in clear only by asking, with a
// reason, and every reveal is in the audit log; every other response is masked.
func TestRevealIsAudited(t *testing.T) {
	t.Parallel()
	f := setup(t)
	idn := idNumber(t, "20080304", "011")
	p := f.do("POST", "/api/v1/persons", map[string]any{"id_number": idn, "name": "甲", "phone": "139 1234 5678"}).
		want(http.StatusCreated)
	if strings.Contains(p.Body.String(), idn) || strings.Contains(p.Body.String(), "13912345678") {
		t.Fatalf("a clear identifier in the response: %s", p.Body.String())
	}
	path := fmt.Sprintf("/api/v1/persons/%d/reveal", num(p.json()["id"]))
	f.do("POST", path, map[string]any{"fields": []string{"id_number"}}).problem(http.StatusBadRequest, "validation", "reason")
	f.do("POST", path, map[string]any{"fields": []string{"password"}, "reason": "核对身份"}).problem(http.StatusBadRequest, "validation", "fields")
	got := f.do("POST", path, map[string]any{"fields": []string{"id_number", "phone", "guardian_phone"},
		"reason": "核对获奖证书上的身份证号"}).want(http.StatusOK).json()
	if got["id_number"] != idn || got["phone"] != "13912345678" || got["guardian_phone"] != nil {
		t.Fatalf("revealed %v", got)
	}
	var fields []string
	var reason, actor, role string
	if err := f.st.Pool.QueryRow(context.Background(), `SELECT fields, after->>'reason', actor, actor_role
		FROM audit_log WHERE action = 'reveal'`).Scan(&fields, &reason, &actor, &role); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fields, []string{"guardian_phone", "id_number", "phone"}) || reason != "核对获奖证书上的身份证号" ||
		!strings.HasPrefix(actor, "t_office_admin_") || role != auth.RoleOfficeAdmin {
		t.Fatalf("reveal audited as %v %q by %s (%s)", fields, reason, actor, role)
	}
}

// TestReadsAreAudited: each request that returns personal data leaves one audit row (not
// one per person), naming the actor, the person when one, the fields and the row count.
func TestReadsAreAudited(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var ids []int64
	for i := range 3 {
		ids = append(ids, num(f.mkPerson(fmt.Sprint("人", i), "20080304", fmt.Sprintf("%03d", 11+i))["id"]))
	}
	count := func(sql string, args ...any) int {
		t.Helper()
		var n int
		if err := f.st.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	f.do("GET", "/api/v1/persons", nil).want(http.StatusOK)
	if n := count(`SELECT count(*) FROM audit_log WHERE action = 'read' AND entity = 'person' AND person_id IS NULL
		AND row_count = 3 AND 'name' = ANY(fields) AND actor LIKE 't_office_admin_%'`); n != 1 {
		t.Fatalf("%d audit rows for one list read", n)
	}
	f.do("GET", fmt.Sprintf("/api/v1/persons/%d", ids[1]), nil).want(http.StatusOK)
	f.do("GET", fmt.Sprintf("/api/v1/persons/%d/timeline", ids[1]), nil).want(http.StatusOK)
	if n := count(`SELECT count(*) FROM audit_log WHERE action = 'read' AND person_id = $1
		AND entity IN ('person', 'timeline') AND request_id IS NOT NULL`, ids[1]); n != 2 {
		t.Fatalf("%d audit rows for a person read and a timeline", n)
	}
	f.do("GET", "/api/v1/follow-ups/due?as_of=2026-06-30", nil).want(http.StatusOK)
	if n := count(`SELECT count(*) FROM audit_log WHERE action = 'read' AND entity = 'follow_up_schedule' AND row_count = 0`); n != 1 {
		t.Fatalf("%d audit rows for the due list", n)
	}
	// the writes are audited as the signed-in account, no longer as "api"
	if n := count(`SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'person'
		AND actor LIKE 't_office_admin_%' AND actor_role = 'office_admin'`); n != 3 {
		t.Fatalf("%d person creations audited with the principal", n)
	}
}

// TestAuditEndpoint: the auditor pages through the audit log with filters.
func TestAuditEndpoint(t *testing.T) {
	t.Parallel()
	f := setup(t)
	auditor := f.as(auth.RoleAuditor)
	p := num(f.mkPerson("甲", "20080304", "011")["id"])
	f.mkPerson("乙", "20080304", "021")
	for range 3 {
		f.do("GET", fmt.Sprintf("/api/v1/persons/%d", p), nil).want(http.StatusOK)
	}
	var all []map[string]any
	next := "/api/v1/audit?limit=2&person=" + fmt.Sprint(p)
	for pages := 0; next != ""; pages++ {
		items, cur := f.do("GET", next, nil, "Authorization", auditor).items()
		all = append(all, items...)
		next = ""
		if cur != nil {
			next = "/api/v1/audit?limit=2&person=" + fmt.Sprint(p) + "&after=" + *cur
		}
		if pages > 10 {
			t.Fatal("too many pages")
		}
	}
	if len(all) != 4 { // one create, three reads
		t.Fatalf("%d audit rows of the person: %v", len(all), all)
	}
	for i := 1; i < len(all); i++ {
		if num(all[i]["id"]) >= num(all[i-1]["id"]) {
			t.Fatal("not newest first")
		}
	}
	items, _ := f.do("GET", "/api/v1/audit?action=create&entity=person", nil, "Authorization", auditor).items()
	if len(items) != 2 || items[0]["after"].(map[string]any)["name"] == nil {
		t.Fatalf("create rows %v", items)
	}
	today := dateString(time.Now().In(chinaTime))
	items, _ = f.do("GET", "/api/v1/audit?from="+today+"&to="+today+"&action=read&entity=person", nil, "Authorization", auditor).items()
	if len(items) != 3 {
		t.Fatalf("%d reads today", len(items))
	}
	items, _ = f.do("GET", "/api/v1/audit?to=2000-01-01", nil, "Authorization", auditor).items()
	if len(items) != 0 {
		t.Fatalf("rows before 2000: %v", items)
	}
	f.do("GET", "/api/v1/audit?action=hack", nil, "Authorization", auditor).problem(http.StatusBadRequest, "validation", "action")
	f.do("GET", "/api/v1/audit?actor=x", nil, "Authorization", f.as(auth.RoleOfficeAnalyst)).problem(http.StatusForbidden, "forbidden", "")
	// the auditor sees no personal data elsewhere
	f.do("GET", fmt.Sprintf("/api/v1/persons/%d", p), nil, "Authorization", auditor).problem(http.StatusForbidden, "forbidden", "")
}

// identityNumberRE matches an 18-character identity number.
var identityNumberRE = regexp.MustCompile(`[0-9]{17}[0-9X]`)

// TestDumpHasNoClearIdentityNumber: a pg_dump of a database holding persons created through
// the API (with phones and guardians' phones) contains none of their identity numbers or
// phone numbers in clear.
func TestDumpHasNoClearIdentityNumber(t *testing.T) {
	t.Parallel()
	pgDump := findPgDump(t)
	f := setup(t)
	f.mkOrg("SA", "school", "510104")
	var clear []string
	for i := range 20 {
		idn := idNumber(t, fmt.Sprintf("20%02d0101", 5+i%5), fmt.Sprintf("%03d", 100+i))
		clear = append(clear, idn)
		f.do("POST", "/api/v1/persons", map[string]any{"id_number": idn, "name": fmt.Sprint("学生", i), "school_code": "SA",
			"phone": fmt.Sprintf("139%08d", i), "guardian_phone": fmt.Sprintf("138%08d", i)}).want(http.StatusCreated)
	}
	out := filepath.Join(t.TempDir(), "dump.sql")
	cmd := exec.Command(pgDump, "--no-owner", "--file", out, dbtest.AdminURL(t, f.st))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v: %s", err, b)
	}
	dump, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dump), "学生19") {
		t.Fatal("the dump does not contain the persons")
	}
	for _, m := range identityNumberRE.FindAllString(string(dump), -1) {
		if slices.Contains(clear, m) {
			t.Fatalf("identity number %s in clear in the dump", m)
		}
	}
	for i := range 20 {
		if strings.Contains(string(dump), fmt.Sprintf("139%08d", i)) || strings.Contains(string(dump), fmt.Sprintf("138%08d", i)) {
			t.Fatalf("phone %d in clear in the dump", i)
		}
	}
}

// findPgDump finds pg_dump on PATH or in Debian's versioned directories, preferring the
// newest; it skips the test when there is none.
func findPgDump(t *testing.T) string {
	t.Helper()
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	if len(found) > 0 {
		slices.Sort(found)
		return found[len(found)-1]
	}
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p
	}
	t.Skip("pg_dump not found")
	return ""
}
