package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/identity"
)

// timelineOf returns a person's timeline events as JSON texts, leaving out the merge and
// unmerge events themselves.
func (f *fixture) timelineOf(id int64) []string {
	f.t.Helper()
	var v struct {
		Events []json.RawMessage `json:"events"`
	}
	r := f.do("GET", fmt.Sprintf("/api/v1/persons/%d/timeline", id), nil).want(http.StatusOK)
	if err := json.Unmarshal(r.Body.Bytes(), &v); err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, e := range v.Events {
		s := string(e)
		if strings.Contains(s, `"kind":"edit.merge"`) || strings.Contains(s, `"kind":"edit.unmerge"`) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// personID finds a person by identity number: by its keyed hash, as the importer does (the
// mask, the first four digits only, is the same for many).
func (f *fixture) personID(idNumber string) int64 {
	f.t.Helper()
	n, err := identity.ParseIDNumber(idNumber)
	if err != nil {
		f.t.Fatal(err)
	}
	var id int64
	if err := f.st.Pool.QueryRow(context.Background(), `SELECT id FROM persons WHERE id_hash = $1`,
		identity.TestKeys().ProtectID(n).Hash).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func kinds(events []string) map[string]int {
	out := map[string]int{}
	for _, e := range events {
		var v struct {
			Kind    string          `json:"kind"`
			Deleted bool            `json:"deleted"`
			Detail  json.RawMessage `json:"detail"`
		}
		_ = json.Unmarshal([]byte(e), &v)
		k := v.Kind
		if v.Deleted {
			k += "(deleted)"
		}
		if strings.HasPrefix(k, "participation.") {
			var d struct {
				Edition string `json:"edition"`
			}
			_ = json.Unmarshal(v.Detail, &d)
			k += "@" + d.Edition
		}
		out[k]++
	}
	return out
}

func sameEvents(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// 张晓明, imported with identity number A and a participation at school S, and 张小明, the
// same boy imported later with a mistyped number B and the same birth date, whose
// participation links him to S: the pair goes on the review queue; merging B into A gives A
// both histories and the merge event; undoing the merge puts both back as they were.
func TestIdentityReviewMergeAndUndo(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.edition("jingke-2023", 2023)
	f.edition("jingke-2024", 2024)
	f.upload("/api/v1/imports/organizations", "o.csv", []byte("code,name,kind,region_code\n"+
		"S01,成都市示例小学,学校,510104\nS02,绵阳市示例小学,学校,510703\n")).summary(http.StatusOK)
	idA, idB, idC := idNumber(t, "20120315", "101"), idNumber(t, "20120315", "909"), idNumber(t, "20120315", "303")
	f.upload("/api/v1/imports/persons", "a.csv", []byte("id_number,name,gender,birth_date\n"+
		idA+",张晓明,男,2012-03-15\n"+idC+",张小明,男,2012-03-15\n")).summary(http.StatusOK)
	// 张小明 C is at another school: never a candidate
	s := f.upload("/api/v1/imports/participations", "pa.csv", []byte("id_number,edition,school_code,category,grade,status\n"+
		idA+",jingke-2023,S01,机器人,5,completed\n"+idC+",jingke-2023,S02,机器人,5,completed\n")).summary(http.StatusOK)
	if s.IdentityCandidates != 0 {
		t.Fatalf("candidates after the first participations: %+v", s)
	}
	f.upload("/api/v1/imports/follow-ups", "f.csv", []byte("id_number,contacted_on,channel,outcome\n"+
		idA+",2025-01-10,电话,已联系上\n")).summary(http.StatusOK)

	// B: no school yet, so nothing to compare; the participation at S01 links him
	s = f.upload("/api/v1/imports/persons", "b.csv", []byte("id_number,name,gender,birth_date\n"+
		idB+",张小明,男,2012-03-15\n")).summary(http.StatusOK)
	if s.IdentityCandidates != 0 {
		t.Fatalf("candidates after B's person row: %+v", s)
	}
	s = f.upload("/api/v1/imports/participations", "pb.csv", []byte("id_number,edition,school_code,category,grade,status\n"+
		idB+",jingke-2024,S01,编程,6,admitted\n")).summary(http.StatusOK)
	if s.IdentityCandidates != 1 {
		t.Fatalf("B's participation flagged %d pairs, want 1: %+v", s.IdentityCandidates, s)
	}
	// the same file again: unchanged, nothing flagged twice
	if s = f.upload("/api/v1/imports/participations", "pb.csv", []byte("id_number,edition,school_code,category,grade,status\n"+
		idB+",jingke-2024,S01,编程,6,admitted\n")).summary(http.StatusOK); s.IdentityCandidates != 0 {
		t.Fatalf("re-import flagged again: %+v", s)
	}
	f.upload("/api/v1/imports/awards", "aw.csv", []byte("id_number,competition,level,rank,awarded_on\n"+
		idB+",四川省青少年科技创新大赛,省级,一等奖,2024-11-20\n")).summary(http.StatusOK)
	f.upload("/api/v1/imports/follow-ups", "fb.csv", []byte("id_number,contacted_on,channel,outcome\n"+
		idB+",2025-01-10,电话,已联系上\n"+idB+",2025-06-01,微信,已联系上\n")).summary(http.StatusOK)

	a, b := f.personID(idA), f.personID(idB)
	items, _ := f.do("GET", "/api/v1/identity/candidates", nil).items()
	if len(items) != 1 {
		t.Fatalf("queue: %v", items)
	}
	c := items[0]
	person, similar := c["person"].(map[string]any), c["similar"].(map[string]any)
	if c["reason"] != "same_pinyin" || c["status"] != "open" || num(person["id"]) != b || num(similar["id"]) != a ||
		person["name"] != "张小明" || similar["school_code"] != "S01" || person["birth_date"] != "2012-03-15" ||
		person["id_number_masked"] != idB[:4]+"**************" {
		t.Fatalf("candidate: %v", c)
	}
	if strings.Contains(f.do("GET", "/api/v1/identity/candidates", nil).Body.String(), idA) {
		t.Fatal("the queue shows an identity number in clear")
	}
	beforeA, beforeB := f.timelineOf(a), f.timelineOf(b)

	// merge B into A
	m := f.do("POST", fmt.Sprintf("/api/v1/persons/%d/merge", a), map[string]any{"from": b}).want(http.StatusOK).json()
	moved := m["moved"].(map[string]any)
	mv, soft := moved["moved"].(map[string]any), moved["soft_deleted"].(map[string]any)
	if num(m["kept_id"]) != a || num(m["merged_id"]) != b || m["merged_by"] != f.admin ||
		len(mv["participations"].([]any)) != 1 || len(mv["awards"].([]any)) != 1 || len(mv["follow_ups"].([]any)) != 1 ||
		len(soft["follow_ups"].([]any)) != 1 || len(moved["candidates"].([]any)) != 1 {
		t.Fatalf("merge: %v", m)
	}
	if got := f.do("GET", fmt.Sprintf("/api/v1/persons/%d", b), nil).want(http.StatusOK).json(); num(got["merged_into"]) != a {
		t.Fatalf("merged person: %v", got)
	}
	merged := f.timelineOf(a)
	k := kinds(merged)
	if k["participation.completed@jingke-2023"] != 1 || k["participation.admitted@jingke-2024"] != 1 ||
		k["award"] != 1 || k["follow_up"] != 2 {
		t.Fatalf("kept timeline lacks a history: %v", k)
	}
	full := f.do("GET", fmt.Sprintf("/api/v1/persons/%d/timeline", a), nil).Body.String()
	if !strings.Contains(full, `"kind":"edit.merge"`) {
		t.Fatalf("kept timeline lacks the merge: %s", full)
	}
	if k := kinds(f.timelineOf(b)); k["follow_up(deleted)"] != 1 || len(k) != 1 {
		t.Fatalf("merged person keeps %v", k)
	}
	if items, _ := f.do("GET", "/api/v1/identity/candidates", nil).items(); len(items) != 0 {
		t.Fatalf("a merged pair is still open: %v", items)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'merge' AND person_id IN ($1, $2) AND actor = $3`, a, b, f.admin); n != 2 {
		t.Fatalf("%d merge audit rows", n)
	}
	// the merged number now resolves to the kept person
	if n := f.count(`SELECT count(*) FROM participations WHERE person_id = $1`, a); n != 2 {
		t.Fatalf("kept person has %d participations", n)
	}
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/merge", a), map[string]any{"from": b}).problem(http.StatusConflict, "merge-refused", "from")
	ms, _ := f.do("GET", fmt.Sprintf("/api/v1/persons/%d/merges", a), nil).items()
	if len(ms) != 1 {
		t.Fatalf("merges: %v", ms)
	}

	// undo: both as before
	u := f.do("POST", fmt.Sprintf("/api/v1/persons/%d/merges/%d/undo", a, num(m["id"])), nil).want(http.StatusOK).json()
	if u["undone_at"] == nil {
		t.Fatalf("undo: %v", u)
	}
	if afterA, afterB := f.timelineOf(a), f.timelineOf(b); !sameEvents(beforeA, afterA) || !sameEvents(beforeB, afterB) {
		t.Fatalf("undo did not restore the timelines:\nA before %v\nA after  %v\nB before %v\nB after  %v",
			beforeA, afterA, beforeB, afterB)
	}
	if got := f.do("GET", fmt.Sprintf("/api/v1/persons/%d", b), nil).want(http.StatusOK).json(); got["merged_into"] != nil {
		t.Fatalf("unmerged person: %v", got)
	}
	if full := f.do("GET", fmt.Sprintf("/api/v1/persons/%d/timeline", a), nil).Body.String(); !strings.Contains(full, `"kind":"edit.unmerge"`) {
		t.Fatal("kept timeline lacks the unmerge")
	}
	items, _ = f.do("GET", "/api/v1/identity/candidates", nil).items()
	if len(items) != 1 || num(items[0]["id"]) != num(c["id"]) {
		t.Fatalf("the pair is not open again: %v", items)
	}
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/merges/%d/undo", a, num(m["id"])), nil).problem(http.StatusConflict, "merge-refused", "from")

	// dismiss
	d := f.do("POST", fmt.Sprintf("/api/v1/identity/candidates/%d/dismiss", num(c["id"])), nil).want(http.StatusOK).json()
	if d["status"] != "dismissed" || d["resolved_by"] != f.admin {
		t.Fatalf("dismiss: %v", d)
	}
	f.do("POST", fmt.Sprintf("/api/v1/identity/candidates/%d/dismiss", num(c["id"])), nil).problem(http.StatusConflict, "conflict", "status")
	f.do("POST", "/api/v1/identity/candidates/999999/dismiss", nil).problem(http.StatusNotFound, "not-found", "")
	if items, _ := f.do("GET", "/api/v1/identity/candidates", nil).items(); len(items) != 0 {
		t.Fatalf("dismissed pair listed: %v", items)
	}
}

// A person created through the API at a school where someone of the same birth date has a
// name one character apart goes on the queue too. Only the office reviews and merges.
func TestIdentityAPICreateAndRoles(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.edition("jingke-2023", 2023)
	f.upload("/api/v1/imports/organizations", "o.csv", []byte("code,name,kind,region_code\nS01,示例小学,学校,510104\n")).
		summary(http.StatusOK)
	idA := idNumber(t, "20120315", "101")
	f.upload("/api/v1/imports/persons", "a.csv", []byte("id_number,name,gender,birth_date\n"+idA+",王芳,女,2012-03-15\n")).
		summary(http.StatusOK)
	f.upload("/api/v1/imports/participations", "pa.csv", []byte("id_number,edition,school_code,category,grade,status\n"+
		idA+",jingke-2023,S01,机器人,5,completed\n")).summary(http.StatusOK)
	p := f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20120315", "122"), "name": "王芬",
		"school_code": "S01"}).want(http.StatusCreated).json()
	f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20120315", "144"), "name": "李华",
		"school_code": "S01"}).want(http.StatusCreated)
	items, _ := f.do("GET", "/api/v1/identity/candidates", nil).items()
	if len(items) != 1 || items[0]["reason"] != "one_char_diff" || num(items[0]["person"].(map[string]any)["id"]) != num(p["id"]) {
		t.Fatalf("queue: %v", items)
	}
	id := num(items[0]["id"])

	analyst := f.as(auth.RoleOfficeAnalyst)
	if items, _ := f.do("GET", "/api/v1/identity/candidates", nil, "Authorization", analyst).items(); len(items) != 1 {
		t.Fatalf("analyst sees %v", items)
	}
	f.do("POST", fmt.Sprintf("/api/v1/identity/candidates/%d/dismiss", id), nil, "Authorization", analyst).
		problem(http.StatusForbidden, "forbidden", "")
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/merge", num(p["id"])), map[string]any{"from": 1},
		"Authorization", analyst).problem(http.StatusForbidden, "forbidden", "")
	school := "Bearer " + authtest.Token(t, f.st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "S01"})
	f.do("GET", "/api/v1/identity/candidates", nil, "Authorization", school).problem(http.StatusForbidden, "forbidden", "")

	// bad merges
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/merge", num(p["id"])), map[string]any{"from": num(p["id"])}).
		problem(http.StatusConflict, "merge-refused", "from")
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/merge", num(p["id"])), map[string]any{"from": 999999}).
		problem(http.StatusBadRequest, "validation", "from")
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/merge", num(p["id"])), map[string]any{}).
		problem(http.StatusBadRequest, "validation", "from")
	f.do("POST", "/api/v1/persons/999999/merge", map[string]any{"from": num(p["id"])}).want(http.StatusNotFound)
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/merges/999999/undo", num(p["id"])), nil).want(http.StatusNotFound)
}
