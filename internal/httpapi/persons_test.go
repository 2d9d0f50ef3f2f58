package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestPersonLifecycle(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("BS01", "school", "510104")
	idn := idNumber(t, "20100506", "013") // odd sequence digit: male
	phone := "13912345678"

	r := f.do("POST", "/api/v1/persons", map[string]any{"id_number": idn, "name": "张晓明", "phone": phone,
		"guardian_name": "张父", "guardian_phone": "+86 139-8765-4321", "school_code": "BS01"}).want(http.StatusCreated)
	raw := r.Body.String()
	if strings.Contains(raw, idn) || strings.Contains(raw, phone) || strings.Contains(raw, "98765") {
		t.Fatalf("clear identifier in response: %s", raw)
	}
	p := r.json()
	id := num(p["id"])
	if p["id_number_masked"] != idn[:4]+"**************" || p["birth_date"] != "2010-05-06" ||
		p["gender"] != "male" || p["phone_masked"] != "139****5678" || p["school_code"] != "BS01" ||
		p["guardian_phone_masked"] == nil || p["name"] != "张晓明" {
		t.Fatalf("created %v", p)
	}
	if _, ok := p["id_number"]; ok {
		t.Fatal("response has an id_number field")
	}
	path := fmt.Sprintf("/api/v1/persons/%d", id)

	// the clear number is nowhere in the database either: not in persons, not in the audit log
	var leaks int
	if err := f.st.Pool.QueryRow(t.Context(), `SELECT
		(SELECT count(*) FROM persons p WHERE p::text LIKE '%'||$1||'%' OR p::text LIKE '%'||$2||'%') +
		(SELECT count(*) FROM audit_log a WHERE a::text LIKE '%'||$1||'%' OR a::text LIKE '%'||$2||'%')`,
		idn, phone).Scan(&leaks); err != nil || leaks != 0 {
		t.Fatalf("clear identifiers stored: %d rows, err %v", leaks, err)
	}

	// validation names the field
	f.do("POST", "/api/v1/persons", map[string]any{"id_number": idn[:17] + "0", "name": "x"}).
		problem(http.StatusBadRequest, "validation", "id_number")
	f.do("POST", "/api/v1/persons", map[string]any{"id_number": "12345", "name": "x"}).
		problem(http.StatusBadRequest, "validation", "id_number")
	f.do("POST", "/api/v1/persons", map[string]any{"name": "x"}).problem(http.StatusBadRequest, "validation", "id_number")
	f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20100507", "001"), "name": "x",
		"birth_date": "2010-05-08"}).problem(http.StatusBadRequest, "validation", "birth_date")
	f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20100507", "001"), "name": "x",
		"phone": "call me"}).problem(http.StatusBadRequest, "validation", "phone")
	f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, "20100507", "001"), "name": "x",
		"school_code": "NOPE"}).problem(http.StatusBadRequest, "validation", "school_code")
	// the same identity number twice (lower-case x normalised too)
	m := f.do("POST", "/api/v1/persons", map[string]any{"id_number": idn, "name": "又一个"}).
		problem(http.StatusConflict, "conflict", "id_number")
	if strings.Contains(fmt.Sprint(m), idn) {
		t.Fatal("problem echoes the identity number")
	}

	// PATCH: absent keeps, null clears; birth_date alone cannot contradict the stored number
	up := f.do("PATCH", path, map[string]any{"name": "张小明", "phone": nil}, "If-Match", `"1"`).want(http.StatusOK)
	u := up.json()
	if u["name"] != "张小明" || u["phone_masked"] != nil || u["guardian_phone_masked"] == nil ||
		u["school_code"] != "BS01" || up.Header().Get("ETag") != `"2"` {
		t.Fatalf("patched %v", u)
	}
	f.do("PATCH", path, map[string]any{"birth_date": "2010-05-07"}, "If-Match", `"2"`).
		problem(http.StatusBadRequest, "validation", "birth_date")
	f.do("PATCH", path, map[string]any{"birth_date": "2010-05-06", "gender": "female"}, "If-Match", `"2"`).want(http.StatusOK)
	// a corrected identity number brings its birth date along
	newID := idNumber(t, "20100601", "013")
	u = f.do("PATCH", path, map[string]any{"id_number": newID}, "If-Match", `"3"`).want(http.StatusOK).json()
	if u["birth_date"] != "2010-06-01" || u["id_number_masked"] != newID[:4]+"**************" {
		t.Fatalf("after id change %v", u)
	}
	f.do("PATCH", path, map[string]any{"name": nil}, "If-Match", `"4"`).problem(http.StatusBadRequest, "validation", "name")
	f.do("PATCH", path, map[string]any{"name": "x"}).problem(http.StatusPreconditionRequired, "if-match-required", "")
	f.do("PATCH", path, map[string]any{"name": "x"}, "If-Match", `"3"`).problem(http.StatusPreconditionFailed, "stale", "")

	// delete: blocked while a participation refers to the person
	f.mkEdition("jingke-2023")
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": id, "edition": "jingke-2023",
		"school_code": "BS01", "category": "math"}).want(http.StatusCreated)
	d := f.do("DELETE", path, nil).problem(http.StatusConflict, "in-use", "")
	if !strings.Contains(d["detail"].(string), "participations") {
		t.Fatalf("detail %v", d["detail"])
	}
	other := f.mkPerson("王五", "20090909", "021")
	f.do("DELETE", fmt.Sprintf("/api/v1/persons/%d", num(other["id"])), nil).want(http.StatusNoContent)
	f.do("GET", fmt.Sprintf("/api/v1/persons/%d", num(other["id"])), nil).problem(http.StatusNotFound, "not-found", "")
}

func TestPersonListFilters(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("BS01", "school", "510104")
	f.mkOrg("BS02", "school", "510107")
	f.mkEdition("jingke-2023")
	names := []string{"张一", "张二", "李三", "张_四", "王五"}
	ids := map[string]int64{}
	for i, n := range names {
		school := "BS01"
		if i%2 == 1 {
			school = "BS02"
		}
		birth := "20100506"
		if i >= 3 {
			birth = "20110101"
		}
		p := f.do("POST", "/api/v1/persons", map[string]any{"id_number": idNumber(t, birth, fmt.Sprintf("%03d", i+1)),
			"name": n, "school_code": school}).want(http.StatusCreated).json()
		ids[n] = num(p["id"])
	}
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": ids["李三"], "edition": "jingke-2023",
		"school_code": "BS01", "category": "math"}).want(http.StatusCreated)

	f.lists(func(it map[string]any) string { return it["name"].(string) }, false, map[string]string{
		"/api/v1/persons?limit=2":                           "[张一 张二 李三 张_四 王五]",
		"/api/v1/persons?name=" + "张":                       "[张一 张二 张_四]",
		"/api/v1/persons?name=" + "张_":                      "[张_四]",
		"/api/v1/persons?school=BS02":                       "[张二 张_四]",
		"/api/v1/persons?birth_date=2011-01-01":             "[张_四 王五]",
		"/api/v1/persons?edition=jingke-2023":               "[李三]",
		"/api/v1/persons?school=BS01&birth_date=2010-05-06": "[张一 李三]",
	})
	f.do("GET", "/api/v1/persons?birth_date=2011-02-30", nil).problem(http.StatusBadRequest, "validation", "birth_date")
}

// Two clients patch the same version at once: one wins, the other gets 412.
func TestConcurrentUpdatesOneWins(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p := f.mkPerson("赵六", "20100506", "031")
	path := fmt.Sprintf("/api/v1/persons/%d", num(p["id"]))
	codes := make([]int, 6)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = f.do("PATCH", path, map[string]any{"name": fmt.Sprintf("赵%d", i)}, "If-Match", `"1"`).Code
		}()
	}
	wg.Wait()
	won := 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			won++
		case http.StatusPreconditionFailed:
		default:
			t.Fatalf("status %d", c)
		}
	}
	if won != 1 {
		t.Fatalf("%d updates won, want exactly 1 (%v)", won, codes)
	}
	if v := f.do("GET", path, nil).json()["version"]; num(v) != 2 {
		t.Fatalf("version %v", v)
	}
}
