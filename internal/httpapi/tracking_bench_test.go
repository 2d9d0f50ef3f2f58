package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// benchPersons is how many alumni the benchmarks generate.
const benchPersons = 4000

// benchSetup fills a database (benchData) and returns the handler, authentication off,
// and the id of one person with a long history.
func benchSetup(b *testing.B) (http.Handler, int64) {
	b.Helper()
	st, pid := benchData(b)
	return New(Deps{Doors: testDoors(st)}), pid
}

// benchData fills a database, in a few set-based statements, with benchPersons alumni of
// two editions spread over 20 schools in two cities, each with awards, a destination and
// follow-ups, and returns its store and the id of one person with a long history (of
// school S2, in 成都).
func benchData(b *testing.B) (*store.Store, int64) {
	b.Helper()
	st := dbtest.New(b)
	ctx := context.Background()
	stmts := []string{
		`INSERT INTO organizations (code, name, kind, type, region_code)
		 SELECT 'S' || g, '学校' || g, 'school', 'primary', CASE WHEN g % 2 = 0 THEN '510104' ELSE '510703' END
		 FROM generate_series(1, 20) g`,
		`INSERT INTO editions (id, program, year, starts_on, ends_on) VALUES
		 ('jingke-2022', 'jingke', 2022, '2022-03-01', '2023-02-28'),
		 ('jingke-2023', 'jingke', 2023, '2023-03-01', '2024-02-29')`,
		`INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date, school_id)
		 SELECT decode(md5('p' || g) || md5('q' || g), 'hex'), '\x00',
		        '5101**************', '学生' || g,
		        CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END, DATE '2010-01-01' + g % 1000,
		        (SELECT id FROM organizations WHERE code = 'S' || (1 + g % 20))
		 FROM generate_series(1, ` + fmt.Sprint(benchPersons) + `) g`,
		`INSERT INTO participations (person_id, edition_id, program, school_id, category_code, grade, status,
		                            registered_at, reviewed_at, admitted_at, completed_at)
		 SELECT p.id, CASE WHEN p.id % 2 = 0 THEN 'jingke-2022' ELSE 'jingke-2023' END, 'jingke', p.school_id,
		        'robotics', '5', 'completed', '2023-03-10', '2023-04-01', '2023-05-01', '2024-02-20'
		 FROM persons p`,
		`INSERT INTO awards (person_id, school_id, competition, level, awarded_on, reported_by)
		 SELECT p.id, p.school_id, '竞赛' || k, (ARRAY['school','county','municipal','provincial','national'])[1 + (p.id + k) % 5],
		        DATE '2023-06-01' + ((p.id * 7 + k * 131) % 1000)::int, 'seed'
		 FROM persons p, generate_series(1, 3) k`,
		`INSERT INTO destinations (person_id, school_id, type, org_name, started_on, reported_by)
		 SELECT p.id, p.school_id, 'junior_high', '某中学', DATE '2024-09-01', 'seed' FROM persons p`,
		`INSERT INTO follow_ups (person_id, school_id, contacted_on, channel, outcome, made_by)
		 SELECT p.id, p.school_id, DATE '2024-04-01' + ((p.id * 13 + k * 97) % 900)::int, 'phone',
		        (ARRAY['reached','unreachable','declined','reached'])[1 + (p.id + k) % 4], 'seed'
		 FROM persons p, generate_series(1, 2) k WHERE p.id % 5 <> 0`,
		`INSERT INTO audit_log (actor, action, entity, entity_id, person_id, before, after, fields)
		 SELECT 'seed', 'update', 'award', a.id::text, a.person_id, jsonb_build_object('rank', '二等奖'),
		        jsonb_build_object('rank', '一等奖'), ARRAY['rank']
		 FROM awards a`,
		`ANALYZE`,
	}
	for _, s := range stmts {
		if _, err := st.Pool.Exec(ctx, s); err != nil {
			b.Fatalf("bench data: %v\n%s", err, s)
		}
	}
	var pid int64
	if err := st.Pool.QueryRow(ctx, `SELECT min(id) FROM persons`).Scan(&pid); err != nil {
		b.Fatal(err)
	}
	return st, pid
}

func benchGet(b *testing.B, h http.Handler, path string) {
	b.Helper()
	req := httptest.NewRequest("GET", path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
	}
}

// BenchmarkTimeline is GET /persons/{id}/timeline of one person among benchPersons.
func BenchmarkTimeline(b *testing.B) {
	h, pid := benchSetup(b)
	path := fmt.Sprintf("/api/v1/persons/%d/timeline", pid)
	b.ResetTimer()
	for b.Loop() {
		benchGet(b, h, path)
	}
}

// BenchmarkDueList is the follow-up schedule of one school (GET /follow-ups/due, served
// with the reports) over benchPersons alumni.
func BenchmarkDueList(b *testing.B) {
	h, _ := benchSetup(b)
	probe := httptest.NewRecorder()
	h.ServeHTTP(probe, httptest.NewRequest("GET", "/api/v1/follow-ups/due?as_of=2026-06-30", nil))
	if probe.Code == http.StatusNotFound {
		b.Skip("GET /api/v1/follow-ups/due is not served in this build")
	}
	b.ResetTimer()
	for b.Loop() {
		benchGet(b, h, "/api/v1/follow-ups/due?school=S2&as_of=2026-06-30")
	}
}

// BenchmarkFollowUpCoverage is the coverage summary of every school and city over
// benchPersons alumni.
func BenchmarkFollowUpCoverage(b *testing.B) {
	h, _ := benchSetup(b)
	b.ResetTimer()
	for b.Loop() {
		benchGet(b, h, "/api/v1/follow-ups/coverage?as_of=2026-06-30")
	}
}
