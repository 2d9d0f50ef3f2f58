package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// reportData loads a small dataset with SQL: jingke-2023 (ends 2024-02-29) with two
// completed students of BS01 (510104) — 张晓明 reached on 2025-04-02 — and the teacher
// edition jindaoshi-2023 with one completed teacher of BS02 (510703); a provincial award
// of 张晓明 in 2024.
func reportData(f *fixture) {
	f.t.Helper()
	_, err := f.st.Pool.Exec(context.Background(), `
		INSERT INTO editions (id, program, year, starts_on, ends_on) VALUES
			('jingke-2023', 'jingke', 2023, '2023-03-01', '2024-02-29'),
			('jindaoshi-2023', 'jindaoshi', 2023, '2023-03-01', '2024-02-29');
		INSERT INTO organizations (code, name, kind, region_code) VALUES
			('BS01', '成都一小', 'school', '510104'), ('BS02', '绵阳一中', 'school', '510703');
		INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date) VALUES
			(sha256('a'), '\x00', '5101**************', '张晓明', 'male', '2012-01-01'),
			(sha256('b'), '\x00', '5101**************', '李四', 'female', '2012-01-01'),
			(sha256('c'), '\x00', '5107**************', '王老师', 'female', '1990-01-01');
		INSERT INTO participations (person_id, edition_id, program, school_id, category_code, grade, status)
			SELECT p.id, 'jingke-2023', 'jingke', o.id, 'robotics', '5', 'completed'
			FROM persons p, organizations o WHERE p.name IN ('张晓明', '李四') AND o.code = 'BS01';
		INSERT INTO participations (person_id, edition_id, program, school_id, category_code, teacher_role, status)
			SELECT p.id, 'jindaoshi-2023', 'jindaoshi', o.id, 'research', 'young', 'completed'
			FROM persons p, organizations o WHERE p.name = '王老师' AND o.code = 'BS02';
		INSERT INTO follow_ups (person_id, contacted_on, channel, outcome)
			SELECT id, '2025-04-02', 'phone', 'reached' FROM persons WHERE name = '张晓明';
		INSERT INTO awards (person_id, competition, level, awarded_on)
			SELECT id, '青少年科技创新大赛', 'provincial', '2024-05-01' FROM persons WHERE name = '张晓明';`)
	if err != nil {
		f.t.Fatal(err)
	}
}

// sameBody fails unless the response body is the JSON want.
func (r resp) sameBody(want string) {
	r.t.Helper()
	var g, w any
	if err := json.Unmarshal(r.Body.Bytes(), &g); err != nil {
		r.t.Fatalf("body is not JSON: %v: %s", err, r.Body.String())
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		r.t.Fatalf("bad expected JSON: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		r.t.Fatalf("body differs\n got: %s\nwant: %s", r.Body.String(), want)
	}
}

func TestCohortReportEndpoint(t *testing.T) {
	t.Parallel()
	f := setup(t)
	reportData(f)
	w := `"contacted":0,"awarded":0,"awarded_provincial_plus":0,"cumulative_provincial_plus":0,"yingcai_cumulative":0,"destinations":{}`
	r := f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&as_of=2024-06-01", nil).want(http.StatusOK)
	if ct := r.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	// exactly the contract's JSON: no cut, no publication key
	r.sameBody(`{"edition":"jingke-2023","as_of":"2024-06-01","cohort_size":2,"windows":[
		{"k":0,"from":"2023-03-01","to":"2024-02-29","partial":false,` + w + `},
		{"k":1,"from":"2024-03-01","to":"2025-02-28","partial":true,"contacted":0,"awarded":1,"awarded_provincial_plus":1,
		 "cumulative_provincial_plus":1,"yingcai_cumulative":0,"destinations":{}}]}`)

	// a cut is echoed; a county code selects its city
	f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&as_of=2023-06-01&region=510104&school=BS01", nil).
		want(http.StatusOK).sameBody(`{"edition":"jingke-2023","as_of":"2023-06-01","cohort_size":2,
		"cut":{"region":"510104","school":"BS01"},
		"windows":[{"k":0,"from":"2023-03-01","to":"2024-02-29","partial":true,` + w + `}]}`)

	// publication mode
	m := f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&as_of=2023-06-01&publish=true", nil).want(http.StatusOK).json()
	if m["cohort_size"] != "<5" || m["publication"] == nil {
		t.Errorf("published: %v", m)
	}

	// CSV by parameter, XLSX by Accept, both attachments
	r = f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&as_of=2024-06-01&format=csv", nil).want(http.StatusOK)
	if ct := r.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("CSV Content-Type %q", ct)
	}
	if cd := r.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="cohort-jingke-2023-2024-06-01.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !bytes.HasPrefix(r.Body.Bytes(), []byte("\ufeffedition,as_of,cohort_size,k,")) {
		t.Errorf("CSV body %q", r.Body.String())
	}
	r = f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&as_of=2024-06-01", nil,
		"Accept", "text/html;q=0.9, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").want(http.StatusOK)
	if cd := r.Header().Get("Content-Disposition"); !strings.Contains(cd, `cohort-jingke-2023-2024-06-01.xlsx`) {
		t.Errorf("XLSX Content-Disposition %q", cd)
	}
	x, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	if v, _ := x.GetCellValue("概要", "C2"); v != "2" {
		t.Errorf("概要!C2 = %q", v)
	}
	x.Close()
	if r := f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023", nil, "Accept", "text/csv"); r.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Errorf("Accept text/csv gave %q", r.Header().Get("Content-Type"))
	}

	// errors
	f.do("GET", "/api/v1/reports/cohort", nil).problem(http.StatusBadRequest, "validation", "edition")
	f.do("GET", "/api/v1/reports/cohort?edition=jk2023", nil).problem(http.StatusBadRequest, "validation", "edition")
	f.do("GET", "/api/v1/reports/cohort?edition=jingke-2030", nil).problem(http.StatusNotFound, "not-found", "")
	f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&school=NOPE", nil).problem(http.StatusBadRequest, "validation", "school")
	f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&region=51", nil).problem(http.StatusBadRequest, "validation", "region")
	f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&region=519901", nil).problem(http.StatusBadRequest, "validation", "region")
	f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&category=alchemy", nil).problem(http.StatusBadRequest, "validation", "category")
	f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&program=jingke", nil).problem(http.StatusBadRequest, "validation", "program")
	f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&format=pdf", nil).problem(http.StatusBadRequest, "validation", "format")
	f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023&publish=yes", nil).problem(http.StatusBadRequest, "validation", "publish")
	f.do("GET", "/api/v1/reports/cohort?edition=jingke-2023", nil, "Accept", "application/pdf").problem(http.StatusNotAcceptable, "not-acceptable", "")
}

func TestAnnualReportEndpoint(t *testing.T) {
	t.Parallel()
	f := setup(t)
	reportData(f)
	empty := `{"by_status":{},"by_region":{},"by_category":{},"by_grade_band":{},"by_gender":{}}`
	f.do("GET", "/api/v1/reports/annual?year=2024&as_of=2024-12-31", nil).want(http.StatusOK).sameBody(
		`{"year":2024,"as_of":"2024-12-31","participants":{"jingke":` + empty + `,"jindaoshi":` + empty + `},
		"awards":{"by_level":{"provincial":1}},"destinations":{"by_type":{}},"career_moves":{"by_reason":{}},
		"follow_up_coverage":{"alumni":3,"contacted":0,"rate":0,
		  "by_region":{"510100":{"alumni":2,"contacted":0,"rate":0},"510700":{"alumni":1,"contacted":0,"rate":0}}}}`)
	f.do("GET", "/api/v1/reports/annual?year=2023&as_of=2024-12-31&program=jindaoshi", nil).want(http.StatusOK).sameBody(
		`{"year":2023,"as_of":"2024-12-31","cut":{"program":"jindaoshi"},"participants":{"jingke":` + empty + `,
		"jindaoshi":{"by_status":{"completed":1},"by_region":{"510700":1},"by_category":{"research":1},
		  "by_grade_band":{"teacher":1},"by_gender":{"female":1}}},
		"awards":{"by_level":{}},"destinations":{"by_type":{}},"career_moves":{"by_reason":{}},
		"follow_up_coverage":{"alumni":0,"contacted":0,"rate":0,"by_region":{}}}`)
	m := f.do("GET", "/api/v1/reports/annual?year=2024&as_of=2024-12-31&publish=true", nil).want(http.StatusOK).json()
	cov := m["follow_up_coverage"].(map[string]any)
	if cov["alumni"] != "<5" || cov["rate"] != nil {
		t.Errorf("published coverage %v", cov)
	}
	r := f.do("GET", "/api/v1/reports/annual?year=2024&format=xlsx", nil).want(http.StatusOK)
	if r.Header().Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.Contains(r.Header().Get("Content-Disposition"), "annual-2024-") {
		t.Errorf("XLSX headers %v", r.Header())
	}
	f.do("GET", "/api/v1/reports/annual", nil).problem(http.StatusBadRequest, "validation", "year")
	f.do("GET", "/api/v1/reports/annual?year=twenty", nil).problem(http.StatusBadRequest, "validation", "year")
	f.do("GET", "/api/v1/reports/annual?year=24", nil).problem(http.StatusBadRequest, "validation", "year")
	f.do("GET", "/api/v1/reports/annual?year=2024&program=both", nil).problem(http.StatusBadRequest, "validation", "program")
	f.do("GET", "/api/v1/reports/annual?year=2024&edition=jingke-2023", nil).problem(http.StatusBadRequest, "validation", "edition")
}

func TestAnalyticsEndpoints(t *testing.T) {
	t.Parallel()
	f := setup(t)
	reportData(f)
	// each endpoint answers its JSON, and CSV with a file name
	for _, c := range []struct {
		path, file string
		keys       []string
	}{
		{"/api/v1/analytics/cohort-comparison?editions=jingke-2023,jindaoshi-2023&as_of=2025-06-30",
			"cohort-comparison-2025-06-30.csv", []string{"as_of", "editions", "windows"}},
		{"/api/v1/analytics/yingcai-pipeline?as_of=2025-06-30",
			"yingcai-pipeline-jingke-3y-2025-06-30.csv", []string{"program", "within_years", "as_of", "editions"}},
		{"/api/v1/analytics/school-league?as_of=2025-06-30&region=510100",
			"school-league-2025-06-30.csv", []string{"as_of", "region", "total", "cities", "schools"}},
		{"/api/v1/analytics/teacher-trajectories?as_of=2025-06-30&within_years=1",
			"teacher-trajectories-1y-2025-06-30.csv", []string{"within_years", "as_of", "editions"}},
		{"/api/v1/analytics/awards-over-time?as_of=2025-06-30&program=jingke",
			"awards-over-time-2021-2025-2025-06-30.csv", []string{"from_year", "to_year", "as_of", "program", "years"}},
	} {
		m := f.do("GET", c.path, nil).want(http.StatusOK).json()
		for _, k := range c.keys {
			if _, ok := m[k]; !ok {
				t.Errorf("%s: no %s in %v", c.path, k, m)
			}
		}
		if len(m) != len(c.keys) {
			t.Errorf("%s: keys %v, want %v", c.path, m, c.keys)
		}
		r := f.do("GET", c.path+"&format=csv", nil).want(http.StatusOK)
		if cd := r.Header().Get("Content-Disposition"); !strings.Contains(cd, `filename="`+c.file+`"`) {
			t.Errorf("%s: Content-Disposition %q", c.path, cd)
		}
		if m := f.do("GET", c.path+"&publish=true", nil).want(http.StatusOK).json(); m["publication"] == nil {
			t.Errorf("%s: published without a publication note", c.path)
		}
	}

	// a few figures: the league of 510100 on 2025-06-30 (window 2 of jingke-2023; 张晓明
	// reached in it), the trajectory of 王老师
	f.do("GET", "/api/v1/analytics/school-league?as_of=2025-06-30&region=510104", nil).want(http.StatusOK).sameBody(
		`{"as_of":"2025-06-30","region":"510104",
		"total":{"alumni":2,"opted_out":0,"scheduled":2,"contacted":1,"due":1,"overdue":1,"rate":0.5},
		"cities":[{"city_code":"510100","city_name":"成都市","alumni":2,"opted_out":0,"scheduled":2,"contacted":1,"due":1,"overdue":1,"rate":0.5}],
		"schools":[{"city_code":"510100","city_name":"成都市","school_code":"BS01","school_name":"成都一小",
		  "alumni":2,"opted_out":0,"scheduled":2,"contacted":1,"due":1,"overdue":1,"rate":0.5}]}`)
	f.do("GET", "/api/v1/analytics/teacher-trajectories?as_of=2025-06-30&within_years=1", nil).want(http.StatusOK).sameBody(
		`{"within_years":1,"as_of":"2025-06-30","editions":[{"edition":"jindaoshi-2023","ends_on":"2024-02-29",
		"cutoff":"2025-02-28","complete":true,"cohort_size":1,"in_education":1,"promoted":0,"moved_city":0,"awarded":0,
		"awarded_provincial_plus":0,"shares":{"in_education":1,"promoted":0,"moved_city":0,"awarded":0,"awarded_provincial_plus":0}}]}`)

	// errors name the parameter
	f.do("GET", "/api/v1/analytics/cohort-comparison", nil).problem(http.StatusBadRequest, "validation", "editions")
	f.do("GET", "/api/v1/analytics/cohort-comparison?editions=jingke-2023,jingke-2030", nil).problem(http.StatusBadRequest, "validation", "editions")
	f.do("GET", "/api/v1/analytics/cohort-comparison?editions=jingke-2023,jingke-2023", nil).problem(http.StatusBadRequest, "validation", "editions")
	f.do("GET", "/api/v1/analytics/yingcai-pipeline?within_years=99", nil).problem(http.StatusBadRequest, "validation", "within_years")
	f.do("GET", "/api/v1/analytics/yingcai-pipeline?program=x", nil).problem(http.StatusBadRequest, "validation", "program")
	f.do("GET", "/api/v1/analytics/school-league?region=5101", nil).problem(http.StatusBadRequest, "validation", "region")
	f.do("GET", "/api/v1/analytics/teacher-trajectories?within_years=-1", nil).problem(http.StatusBadRequest, "validation", "within_years")
	f.do("GET", "/api/v1/analytics/awards-over-time?from_year=2025&to_year=2020", nil).problem(http.StatusBadRequest, "validation", "to_year")
	f.do("GET", "/api/v1/analytics/awards-over-time?school=BS01", nil).problem(http.StatusBadRequest, "validation", "school")
}

// TestFrozenReports freezes the annual report over the API, corrects the data, and
// checks that the stored body is unchanged and the diff names exactly the changed figure.
func TestFrozenReports(t *testing.T) {
	t.Parallel()
	f := setup(t)
	reportData(f)
	live := f.do("GET", "/api/v1/reports/annual?year=2024&as_of=2024-12-31", nil).want(http.StatusOK)

	r := f.do("POST", "/api/v1/reports/frozen", map[string]any{"kind": "annual", "year": 2024, "as_of": "2024-12-31"}).
		want(http.StatusCreated)
	fr := r.json()
	loc := r.Header().Get("Location")
	if loc != fr["body"] || !strings.HasPrefix(loc, "/api/v1/reports/frozen/") {
		t.Fatalf("Location %q, row %v", loc, fr)
	}
	// frozen_by is the signed-in user (or "api" when authentication is off)
	wantBy := "api"
	if me := f.do("GET", "/api/v1/auth/me", nil); me.Code == http.StatusOK {
		wantBy = me.json()["user"].(map[string]any)["username"].(string)
	}
	if fr["frozen_by"] != wantBy {
		t.Errorf("frozen_by %v, want %q", fr["frozen_by"], wantBy)
	}
	if fr["kind"] != "annual" || fr["as_of"] != "2024-12-31" || !reflect.DeepEqual(fr["params"], map[string]any{"year": float64(2024), "publish": false}) {
		t.Errorf("frozen row %v", fr)
	}
	f.do("GET", loc, nil).want(http.StatusOK).sameBody(live.Body.String())
	f.do("GET", loc+"/diff", nil).want(http.StatusOK)

	// a correction: a second provincial award dated in 2024
	if _, err := f.st.Pool.Exec(context.Background(), `INSERT INTO awards (person_id, competition, level, awarded_on)
		SELECT id, '机器人大赛', 'provincial', '2024-11-11' FROM persons WHERE name = '李四'`); err != nil {
		t.Fatal(err)
	}
	f.do("GET", loc, nil).want(http.StatusOK).sameBody(live.Body.String())
	d := f.do("GET", loc+"/diff", nil).want(http.StatusOK).json()
	if !reflect.DeepEqual(d["changes"], []any{map[string]any{"path": "awards.by_level.provincial", "frozen": float64(1), "now": float64(2)}}) {
		t.Fatalf("changes %v", d["changes"])
	}

	// the frozen body as CSV, and the list
	r = f.do("GET", loc+"?format=csv", nil).want(http.StatusOK)
	if !strings.Contains(r.Body.String(), "awards,,by_level,provincial,1\r\n") {
		t.Errorf("frozen CSV %q", r.Body.String())
	}
	items := f.all("/api/v1/reports/frozen?kind=annual", "id")
	if len(items) != 1 || items[0]["diff"] != loc+"/diff" {
		t.Errorf("list %v", items)
	}
	if items := f.all("/api/v1/reports/frozen?kind=cohort", "id"); len(items) != 0 {
		t.Errorf("cohort list %v", items)
	}

	// errors
	f.do("POST", "/api/v1/reports/frozen", map[string]any{"year": 2024}).problem(http.StatusBadRequest, "validation", "kind")
	f.do("POST", "/api/v1/reports/frozen", map[string]any{"kind": "cohort"}).problem(http.StatusBadRequest, "validation", "edition")
	f.do("POST", "/api/v1/reports/frozen", map[string]any{"kind": "annual"}).problem(http.StatusBadRequest, "validation", "year")
	f.do("POST", "/api/v1/reports/frozen", map[string]any{"kind": "monthly"}).problem(http.StatusBadRequest, "validation", "kind")
	f.do("POST", "/api/v1/reports/frozen", map[string]any{"kind": "cohort", "edition": "jingke-2030"}).problem(http.StatusNotFound, "not-found", "")
	f.do("POST", "/api/v1/reports/frozen", map[string]any{"kind": "annual", "year": 2024, "color": "red"}).problem(http.StatusBadRequest, "validation", "color")
	f.do("GET", "/api/v1/reports/frozen/999999", nil).problem(http.StatusNotFound, "not-found", "")
	f.do("GET", "/api/v1/reports/frozen/999999/diff", nil).problem(http.StatusNotFound, "not-found", "")
}
