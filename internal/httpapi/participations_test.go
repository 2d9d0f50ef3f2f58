package httpapi

import (
	"fmt"
	"net/http"
	"testing"
)

func TestParticipationLifecycle(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("BS01", "school", "510104")
	f.mkOrg("BS02", "school", "510107")
	f.mkOrg("INST1", "institution", "510100")
	f.mkEdition("jingke-2023")
	f.mkEdition("jingke-2024")
	f.mkEdition("jindaoshi-2023")
	student := f.mkPerson("张晓明", "20120506", "011")
	sid := num(student["id"])

	r := f.do("POST", "/api/v1/participations", map[string]any{"person_id": sid, "edition": "jingke-2023",
		"school_code": "BS01", "category": "robotics", "grade": "5", "institution_code": "INST1"}).want(http.StatusCreated)
	p := r.json()
	id := num(p["id"])
	if r.Header().Get("Location") != fmt.Sprintf("/api/v1/participations/%d", id) || r.Header().Get("ETag") != `"1"` {
		t.Fatalf("headers %v", r.Header())
	}
	if p["status"] != "registered" || p["registered_at"] == nil || p["admitted_at"] != nil || p["program"] != "jingke" ||
		p["school_code"] != "BS01" || p["institution_code"] != "INST1" || p["grade"] != "5" {
		t.Fatalf("created %v", p)
	}
	// the nominating school of the latest edition becomes the person's school
	if s := f.do("GET", fmt.Sprintf("/api/v1/persons/%d", sid), nil).json()["school_code"]; s != "BS01" {
		t.Fatalf("person school %v", s)
	}

	// rules that depend on the edition's program name their field
	base := func(extra map[string]any) map[string]any {
		m := map[string]any{"person_id": sid, "edition": "jingke-2024", "school_code": "BS02", "category": "math"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for field, body := range map[string]map[string]any{
		"category":         base(map[string]any{"category": "paper"}), // a jindaoshi category
		"teacher_role":     base(map[string]any{"teacher_role": "young"}),
		"grade":            base(map[string]any{"grade": "12"}),
		"school_code":      base(map[string]any{"school_code": "INST1"}), // not a school
		"institution_code": base(map[string]any{"institution_code": "NOPE"}),
		"edition":          base(map[string]any{"edition": "jingke-2030"}),
		"person_id":        base(map[string]any{"person_id": 999999}),
		"mentor_id":        base(map[string]any{"mentor_id": 999999}),
		"status":           base(map[string]any{"status": "graduated"}),
	} {
		f.do("POST", "/api/v1/participations", body).problem(http.StatusBadRequest, "validation", field)
	}
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": sid, "edition": "jingke-2023",
		"school_code": "BS02", "category": "math"}).problem(http.StatusConflict, "conflict", "edition")

	// a later edition at another school moves the person's school
	later := f.do("POST", "/api/v1/participations", base(nil)).want(http.StatusCreated).json()
	if s := f.do("GET", fmt.Sprintf("/api/v1/persons/%d", sid), nil).json()["school_code"]; s != "BS02" {
		t.Fatalf("person school after later edition %v", s)
	}

	path := fmt.Sprintf("/api/v1/participations/%d", id)
	// status and evaluation change through the cycle's rules (docs/cycle.md), not PATCH
	f.do("PATCH", path, map[string]any{"status": "admitted"}, "If-Match", `"1"`).
		problem(http.StatusUnprocessableEntity, "rule-violation", "status")
	f.do("PATCH", path, map[string]any{"evaluation": "excellent"}, "If-Match", `"1"`).
		problem(http.StatusUnprocessableEntity, "rule-violation", "evaluation")
	up := f.do("PATCH", path, map[string]any{"category": "math"}, "If-Match", `"1"`).want(http.StatusOK)
	u := up.json()
	if u["category"] != "math" || u["status"] != "registered" || u["registered_at"] == nil ||
		up.Header().Get("ETag") != `"2"` || u["institution_code"] != "INST1" {
		t.Fatalf("patched %v", u)
	}
	f.do("PATCH", path, map[string]any{"edition": "jingke-2024"}, "If-Match", `"2"`).problem(http.StatusBadRequest, "validation", "edition")
	f.do("PATCH", path, map[string]any{"person_id": sid + 1}, "If-Match", `"2"`).problem(http.StatusBadRequest, "validation", "person_id")
	f.do("PATCH", path, map[string]any{"category": "robotics"}, "If-Match", `"1"`).problem(http.StatusPreconditionFailed, "stale", "")
	f.do("PATCH", path, map[string]any{"category": "robotics"}).problem(http.StatusPreconditionRequired, "if-match-required", "")
	u = f.do("PATCH", path, map[string]any{"institution_code": nil}, "If-Match", `"2"`).want(http.StatusOK).json()
	if u["institution_code"] != nil || u["institution_id"] != nil {
		t.Fatalf("institution not cleared: %v", u)
	}

	// only a registered participation may be deleted (the office records a past one as admitted)
	past := f.mkPerson("王往届", "20110304", "033")
	admitted := f.do("POST", "/api/v1/participations", map[string]any{"person_id": past["id"], "edition": "jingke-2023",
		"school_code": "BS01", "category": "math", "grade": "6", "status": "admitted"}).want(http.StatusCreated).json()
	if admitted["admitted_at"] == nil {
		t.Fatalf("admitted_at not stamped: %v", admitted)
	}
	f.do("DELETE", fmt.Sprintf("/api/v1/participations/%d", num(admitted["id"])), nil).problem(http.StatusConflict, "in-use", "")
	laterPath := fmt.Sprintf("/api/v1/participations/%d", num(later["id"]))
	f.do("DELETE", laterPath, nil, "If-Match", `"1"`).want(http.StatusNoContent)
	f.do("GET", laterPath, nil).problem(http.StatusNotFound, "not-found", "")

	// teachers have a role, not a grade
	teacher := f.mkPerson("李老师", "19850301", "022")
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": teacher["id"], "edition": "jindaoshi-2023",
		"school_code": "BS01", "category": "paper", "teacher_role": "counsellor"}).want(http.StatusCreated)
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": teacher["id"], "edition": "jingke-2023",
		"school_code": "BS01", "category": "math", "grade": "X"}).problem(http.StatusBadRequest, "validation", "grade")
}

func TestParticipationListFilters(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("BS01", "school", "510104")
	f.mkOrg("BS02", "school", "510107")
	f.mkEdition("jingke-2023")
	f.mkEdition("jindaoshi-2023")
	type row struct{ name, edition, school, category, status string }
	rows := []row{
		{"甲", "jingke-2023", "BS01", "math", "registered"},
		{"乙", "jingke-2023", "BS01", "robotics", "admitted"},
		{"丙", "jingke-2023", "BS02", "math", "admitted"},
		{"丁", "jindaoshi-2023", "BS02", "paper", "completed"},
		{"戊", "jingke-2023", "BS02", "math", "withdrawn"},
	}
	persons := map[string]int64{}
	for i, r := range rows {
		p := f.mkPerson(r.name, "20100101", fmt.Sprintf("%03d", 100+i))
		persons[r.name] = num(p["id"])
		f.do("POST", "/api/v1/participations", map[string]any{"person_id": p["id"], "edition": r.edition,
			"school_code": r.school, "category": r.category, "status": r.status}).want(http.StatusCreated)
	}
	byPerson := map[int64]string{}
	for n, id := range persons {
		byPerson[id] = n
	}
	f.lists(func(it map[string]any) string { return byPerson[num(it["person_id"])] }, true, map[string]string{
		"/api/v1/participations?limit=2":                              "[丁 丙 乙 戊 甲]",
		"/api/v1/participations?edition=jingke-2023":                  "[丙 乙 戊 甲]",
		"/api/v1/participations?school=BS02":                          "[丁 丙 戊]",
		"/api/v1/participations?status=admitted":                      "[丙 乙]",
		"/api/v1/participations?category=math&limit=1":                "[丙 戊 甲]",
		"/api/v1/participations?program=jindaoshi":                    "[丁]",
		"/api/v1/participations?school=BS02&status=admitted":          "[丙]",
		fmt.Sprintf("/api/v1/participations?person=%d", persons["乙"]): "[乙]",
	})
	f.do("GET", "/api/v1/participations?status=graduated", nil).problem(http.StatusBadRequest, "validation", "status")
	f.do("GET", "/api/v1/participations?person=abc", nil).problem(http.StatusBadRequest, "validation", "person")
}
