package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/vocab"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of testdata/")

// golden collects labelled JSON documents and compares them, as one text, with a file
// under testdata/ (written anew with -update).
type golden struct {
	t   *testing.T
	buf bytes.Buffer
}

// volatile are the parts of a document that differ from run to run: instants with their
// fractions (the zone suffix stays, so a change of format shows) and generated usernames.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+`), "<instant>"},
	{regexp.MustCompile(`t_[a-z_]+_[0-9a-f]{6,}`), "<user>"},
}

// add records a document under label, indented, its key order kept.
func (g *golden) add(label string, doc []byte) {
	g.t.Helper()
	var out bytes.Buffer
	if err := json.Indent(&out, bytes.TrimSpace(doc), "", "  "); err != nil {
		g.t.Fatalf("%s: not JSON: %v: %s", label, err, doc)
	}
	fmt.Fprintf(&g.buf, "== %s\n%s\n", label, out.Bytes())
}

// body records a response's body under label and returns it decoded.
func (g *golden) body(label string, r resp) map[string]any {
	g.t.Helper()
	g.add(label, r.Body.Bytes())
	var m map[string]any
	_ = json.Unmarshal(r.Body.Bytes(), &m)
	return m
}

// check compares what was recorded with testdata/name.
func (g *golden) check(name string) {
	g.t.Helper()
	got := g.buf.String()
	for _, v := range volatile {
		got = v.re.ReplaceAllString(got, v.with)
	}
	// the dates of the edits in the timelines are the day of the run, in China
	got = strings.ReplaceAll(got, `"`+vocab.Today(time.Now).Format(time.DateOnly)+`"`, `"<today>"`)
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			g.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			g.t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		g.t.Fatal(err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				g.t.Fatalf("%s differs at line %d:\ngot  %s\nwant %s", path, i+1, gl[i], wl[i])
			}
		}
		g.t.Fatalf("%s differs in length: got %d lines, want %d", path, len(gl), len(wl))
	}
}

// TestJSONShapes pins, for one fixed fixture, the exact JSON of the API's organizations,
// editions, persons, consents, participations (also as the cycle answers them),
// applications, identity candidates and merges, and the before and after images the audit
// log keeps of their writes and of accounts (which the timelines' "from → to" read): the
// API's shapes and the audit's are each their own, and a change of one must be deliberate.
func TestJSONShapes(t *testing.T) {
	t.Parallel()
	f := setupCycle(t)
	g := &golden{t: t}
	office := func(method, path string, body any, headers ...string) resp {
		t.Helper()
		return f.as(f.office, method, path, body, headers...)
	}

	// organizations
	o := g.body("organization create", office("POST", "/api/v1/organizations", map[string]any{"code": "BS01",
		"name": "成都市锦江区第一小学", "kind": "school", "type": "primary", "region_code": "510104",
		"address": "春熙路1号", "postal_code": "610021",
		"head": map[string]any{"name": "李校长", "title": "校长", "mobile": "13800000001"}}).want(http.StatusCreated))
	g.body("organization update", office("PATCH", fmt.Sprintf("/api/v1/organizations/%d", num(o["id"])),
		map[string]any{"name": "锦江区第一小学", "head": map[string]any{"email": "head@example.cn"},
			"lead": map[string]any{"name": "王老师", "fax": "028-86660002"}}, ifMatch(o["version"])...).want(http.StatusOK))
	g.body("organization get", office("GET", fmt.Sprintf("/api/v1/organizations/%d", num(o["id"])), nil).want(http.StatusOK))
	g.body("organization list", office("GET", "/api/v1/organizations?code=BS01", nil).want(http.StatusOK))
	f.org("INST1", "institution", "university", "510100")
	gone := f.org("ZZ99", "school", "", "510107")
	office("DELETE", fmt.Sprintf("/api/v1/organizations/%d", num(gone["id"])), nil).want(http.StatusNoContent)
	mentorID := f.mentor("陈导师", "INST1")

	// editions
	g.body("edition create", office("POST", "/api/v1/editions", map[string]any{"id": "jingke-2025"}).want(http.StatusCreated))
	e := office("POST", "/api/v1/editions", map[string]any{"id": "jingke-2026"}).want(http.StatusCreated).json()
	g.body("edition update", office("PATCH", "/api/v1/editions/jingke-2026", map[string]any{"status": "open"},
		ifMatch(e["version"])...).want(http.StatusOK))
	office("POST", "/api/v1/editions", map[string]any{"id": "jingke-2030"}).want(http.StatusCreated)
	office("DELETE", "/api/v1/editions/jingke-2030", nil).want(http.StatusNoContent)

	// persons and a guardian's consent
	child := g.body("person create (pending)", office("POST", "/api/v1/persons", map[string]any{
		"id_number": idNumber(t, "20190506", "011"), "name": "张小明", "phone": "13912345678",
		"guardian_name": "张父", "guardian_phone": "13987654321", "school_code": "BS01"}).want(http.StatusCreated))
	childPath := fmt.Sprintf("/api/v1/persons/%d", num(child["id"]))
	con := g.body("consent create", office("POST", childPath+"/consents", map[string]any{"guardian_name": "张父",
		"relationship": "father", "method": "paper", "scope": "program", "granted_on": "2026-01-05"}).want(http.StatusCreated))
	upd := g.body("person update", office("PATCH", childPath, map[string]any{"guardian_name": "张母", "phone": nil},
		ifMatch(office("GET", childPath, nil).want(http.StatusOK).json()["version"])...).want(http.StatusOK))
	g.body("person get", office("GET", childPath, nil).want(http.StatusOK))
	g.body("person list", office("GET", "/api/v1/persons?school=BS01", nil).want(http.StatusOK))
	g.body("consent withdraw", office("POST", fmt.Sprintf("%s/consents/%d/withdraw", childPath, num(con["id"])),
		map[string]any{"withdrawn_on": "2026-02-01"}).want(http.StatusOK))
	g.body("consent list", office("GET", childPath+"/consents", nil).want(http.StatusOK))
	_ = upd
	tmp := office("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "19800101", "031"),
		"name": "赵临时"}).want(http.StatusCreated).json()
	office("DELETE", fmt.Sprintf("/api/v1/persons/%d", num(tmp["id"])), nil).want(http.StatusNoContent)

	// participations
	a := office("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20120315", "101"),
		"name": "王芳", "school_code": "BS01"}).want(http.StatusCreated).json()
	pa := g.body("participation create", office("POST", "/api/v1/participations", map[string]any{"person_id": num(a["id"]),
		"edition": "jingke-2025", "school_code": "BS01", "category": "robotics", "grade": "7", "status": "admitted",
		"mentor_id": mentorID, "institution_code": "INST1"}).want(http.StatusCreated))
	paPath := fmt.Sprintf("/api/v1/participations/%d", num(pa["id"]))
	g.body("participation update", office("PATCH", paPath, map[string]any{"grade": "8", "category": "math"},
		ifMatch(pa["version"])...).want(http.StatusOK))
	g.body("participation get", office("GET", paPath, nil).want(http.StatusOK))
	g.body("participation list", office("GET", fmt.Sprintf("/api/v1/participations?person=%d", num(a["id"])), nil).want(http.StatusOK))
	other := office("POST", "/api/v1/participations", map[string]any{"person_id": num(a["id"]), "edition": "jingke-2026",
		"school_code": "BS01", "category": "math", "grade": "8"}).want(http.StatusCreated).json()
	office("DELETE", fmt.Sprintf("/api/v1/participations/%d", num(other["id"])), nil).want(http.StatusNoContent)

	// an application, and a nomination the cycle steps
	school := authtest.Bearer(t, f.st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "BS01"})
	app := g.body("application create", f.as(school, "POST", "/api/v1/applications", applicationBody2026("")).want(http.StatusCreated))
	appPath := fmt.Sprintf("/api/v1/applications/%d", num(app["id"]))
	g.body("application update", f.as(school, "PATCH", appPath, map[string]any{"conditions": map[string]any{"funding": "专项经费8万元"},
		"lead": map[string]any{"fax": nil}}, ifMatch(app["version"])...).want(http.StatusOK))
	f.as(school, "POST", appPath+"/submit", nil).want(http.StatusOK)
	g.body("application approve", office("POST", appPath+"/review", map[string]any{"decision": "approve", "comment": "同意"}).want(http.StatusOK))
	f.clock.set(t, "2026-03-05")
	nominee := office("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20150506", "021"),
		"name": "李小华", "school_code": "BS01"}).want(http.StatusCreated).json()
	office("POST", fmt.Sprintf("/api/v1/persons/%d/consents", num(nominee["id"])), map[string]any{"guardian_name": "李父",
		"relationship": "father", "method": "paper", "scope": "program", "granted_on": "2026-03-01"}).want(http.StatusCreated)
	nom := g.body("nomination create", f.as(school, "POST", "/api/v1/nominations", map[string]any{"person_id": num(nominee["id"]),
		"edition": "jingke-2026", "category": "robotics", "grade": "5"}).want(http.StatusCreated))
	g.body("nomination transition", f.as(school, "POST", fmt.Sprintf("/api/v1/participations/%d/transitions", num(nom["id"])),
		map[string]any{"to": "reviewed", "note": "考察合格"}).want(http.StatusOK))

	// identity review: B is one character from A at A's school
	b := office("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20120315", "122"), "name": "王芬",
		"school_code": "BS01"}).want(http.StatusCreated).json()
	office("POST", "/api/v1/participations", map[string]any{"person_id": num(b["id"]), "edition": "jingke-2026",
		"school_code": "BS01", "category": "math", "grade": "8"}).want(http.StatusCreated)
	for i, id := range []any{a["id"], b["id"]} {
		office("POST", fmt.Sprintf("/api/v1/persons/%d/career-moves", num(id)), map[string]any{"org_name": "某校",
			"position": "teacher", "started_on": fmt.Sprintf("202%d-09-01", i)}).want(http.StatusCreated)
	}
	cands := g.body("candidate list", office("GET", "/api/v1/identity/candidates", nil).want(http.StatusOK))
	items := cands["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("candidates: %v", items)
	}
	cand := items[0].(map[string]any)
	aPath := fmt.Sprintf("/api/v1/persons/%d", num(a["id"]))
	m := g.body("merge", office("POST", aPath+"/merge", map[string]any{"from": num(b["id"])}).want(http.StatusOK))
	g.body("merge list", office("GET", aPath+"/merges", nil).want(http.StatusOK))
	g.body("merge undo", office("POST", fmt.Sprintf("%s/merges/%d/undo", aPath, num(m["id"])), nil).want(http.StatusOK))
	g.body("candidate dismiss", office("POST", fmt.Sprintf("/api/v1/identity/candidates/%d/dismiss", num(cand["id"])), nil).want(http.StatusOK))

	// timelines, whose edits come from the audit images
	g.body("timeline of the child", office("GET", childPath+"/timeline", nil).want(http.StatusOK))
	g.body("timeline of A", office("GET", aPath+"/timeline", nil).want(http.StatusOK))

	// accounts, written through the account door
	ctx := context.Background()
	svc := auth.New(f.st, auth.Config{})
	admin := access.Caller{Username: "office", Role: access.RoleOfficeAdmin, Via: access.ViaCLI}
	if _, _, err := svc.CreateUser(ctx, admin, auth.NewUser{Username: "liu", DisplayName: "刘老师",
		Role: auth.RoleSchoolOperator, SchoolCode: "BS01", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DisableUser(ctx, admin, "liu"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EnableUser(ctx, admin, "liu"); err != nil {
		t.Fatal(err)
	}

	// the audit images of every write above
	rows, err := f.st.Pool.Query(ctx, `SELECT json_build_object('action', action, 'entity', entity,
		'entity_id', entity_id, 'person_id', person_id, 'school_id', school_id, 'fields', fields,
		'before', before, 'after', after)::text
		FROM audit_log WHERE action NOT IN ('read', 'export', 'login') ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			t.Fatal(err)
		}
		n++
		g.add(fmt.Sprintf("audit %d", n), []byte(doc))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	g.check("json_shapes.golden")
}
