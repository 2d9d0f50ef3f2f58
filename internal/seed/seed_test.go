package seed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// digestTables are the tables the demo data fills; their digest leaves out what may differ
// between two runs with the same seed: ciphertexts (random nonces) and row timestamps.
var digestTables = []string{"organizations", "editions", "mentors", "persons", "consents", "person_schools",
	"participations", "awards", "destinations", "career_moves", "follow_ups", "applications", "application_phases",
	"public_notices", "objections", "growth_logs", "tasks", "training_sessions", "training_attendance",
	"year_summaries", "exchange_recommendations"}

func digest(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range digestTables {
		var n int64
		var h string
		err := st.Pool.QueryRow(context.Background(), fmt.Sprintf(`
			SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '')
			FROM (SELECT md5((to_jsonb(t) - ARRAY['created_at', 'updated_at', 'id_cipher', 'phone_cipher',
			          'guardian_phone_cipher'])::text) AS h FROM %s t) x`, table)).Scan(&n, &h)
		if err != nil {
			t.Fatalf("digest %s: %v", table, err)
		}
		out[table] = fmt.Sprintf("%d:%s", n, h)
	}
	return out
}

func run(t testing.TB, st *store.Store, opt Options) Summary {
	t.Helper()
	if opt.Scale.Name == "" {
		opt.Scale = Scales[0]
	}
	sum, err := Run(context.Background(), st, identity.TestKeys(), opt)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return sum
}

// TestDeterminism seeds two fresh databases with the same seed (several batches, several
// workers) and expects the same content; another seed gives other content.
func TestDeterminism(t *testing.T) {
	t.Parallel()
	opts := func(seed uint64, workers int) Options {
		return Options{Seed: seed, BatchSize: 1500, Workers: workers}
	}
	var a, b, c map[string]string
	t.Run("seed", func(t *testing.T) {
		t.Run("7 with one worker", func(t *testing.T) { t.Parallel(); a = digest(t, seeded(t, opts(7, 1))) })
		t.Run("7 with four workers", func(t *testing.T) { t.Parallel(); b = digest(t, seeded(t, opts(7, 4))) })
		t.Run("8", func(t *testing.T) { t.Parallel(); c = digest(t, seeded(t, opts(8, 2))) })
	})
	if t.Failed() {
		return
	}
	for _, table := range digestTables {
		if a[table] != b[table] {
			t.Errorf("%s differs between two runs with seed 7: %s vs %s", table, a[table], b[table])
		}
	}
	for _, table := range []string{"persons", "participations", "awards", "follow_ups", "organizations"} {
		if a[table] == c[table] {
			t.Errorf("%s is the same with seeds 7 and 8", table)
		}
	}
}

func seeded(t *testing.T, opt Options) *store.Store {
	st := dbtest.New(t)
	run(t, st, opt)
	return st
}

func count(t *testing.T, st *store.Store, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := st.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// TestSmall checks the small scale: sizes, every enumeration in use, identity numbers that
// decrypt and parse, and the rules the tracking data must keep.
func TestSmall(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	var progress bytes.Buffer
	sum := run(t, st, Options{Seed: 1, Progress: &progress})
	if !strings.Contains(progress.String(), "seed: persons 5000/5000") {
		t.Errorf("progress lacks the persons line:\n%s", progress.String())
	}

	within := func(table string, lo, hi int64) {
		t.Helper()
		if n := sum.Counts[table]; n < lo || n > hi {
			t.Errorf("%s: %d rows, want %d…%d", table, n, lo, hi)
		}
	}
	within("persons", 5000, 5000)
	within("organizations", 221, 221)
	within("editions", 16, 16)
	within("mentors", 40, 150)
	within("participations", 5200, 6000)
	within("person_schools", 5000, 12000)
	within("awards", 3500, 7000)
	within("destinations", 1000, 5000)
	within("career_moves", 700, 2500)
	within("follow_ups", 4000, 12000)
	within("consents", 1000, 4000)
	tracking := sum.Counts["awards"] + sum.Counts["destinations"] + sum.Counts["career_moves"] + sum.Counts["follow_ups"]
	if tracking < 15000 || tracking > 25000 {
		t.Errorf("tracking records: %d, want about 20,000", tracking)
	}
	for _, table := range []string{"applications", "application_phases", "public_notices", "objections", "growth_logs",
		"tasks", "training_sessions", "training_attendance", "year_summaries", "exchange_recommendations"} {
		within(table, 1, 1_000_000)
	}
	for table, n := range sum.Counts {
		if got := count(t, st, "SELECT count(*) FROM "+table); got != n {
			t.Errorf("summary says %d %s, table has %d", n, table, got)
		}
	}

	// Every value of the enumerations appears (the CHECK constraints guarantee validity;
	// professor titles are too rare to be sure of).
	enums := []struct {
		sql  string
		want string
	}{
		{"SELECT string_agg(DISTINCT type, ',' ORDER BY type) FROM organizations WHERE kind = 'school'",
			"complete_secondary,junior_high,kindergarten,nine_year,primary,senior_high,vocational_high"},
		{"SELECT string_agg(DISTINCT type, ',' ORDER BY type) FROM organizations WHERE kind = 'institution'",
			"enterprise,out_of_school,research_institute,university"},
		{"SELECT string_agg(DISTINCT kind, ',' ORDER BY kind) FROM organizations", "institution,office,school"},
		{"SELECT string_agg(DISTINCT city_code, ',' ORDER BY city_code) FROM organizations WHERE kind = 'school'",
			"510100,510300,510400,510500,510600,510700,510800,510900,511000,511100,511300,511400,511500,511600,511700,511800,511900,512000,513200,513300,513400"},
		{"SELECT string_agg(DISTINCT p.status, ',' ORDER BY p.status) FROM participations p JOIN editions e ON e.id = p.edition_id WHERE e.year < 2026",
			"completed,rejected,withdrawn"},
		{"SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM participations WHERE edition_id LIKE '%-2026'",
			"admitted,publicized,recommended,registered,rejected,reviewed,withdrawn"},
		{"SELECT string_agg(DISTINCT grade, ',' ORDER BY grade) FROM participations", "4,5,6,7,8,9,K,V1,V2,V3"},
		{"SELECT string_agg(DISTINCT teacher_role, ',' ORDER BY teacher_role) FROM participations", "admin,counsellor,new,young"},
		{"SELECT string_agg(DISTINCT evaluation, ',' ORDER BY evaluation) FROM participations", "excellent,fail,pass"},
		{"SELECT string_agg(DISTINCT level, ',' ORDER BY level) FROM awards",
			"county,international,municipal,national,provincial,school"},
		{"SELECT string_agg(DISTINCT verification, ',' ORDER BY verification) FROM awards", "rejected,reported,verified"},
		{"SELECT string_agg(DISTINCT type, ',' ORDER BY type) FROM destinations",
			"employment,junior_high,other,senior_high,talent_program,university,vocational,yingcai"},
		{"SELECT string_agg(DISTINCT reason, ',' ORDER BY reason) FROM career_moves", "left,new_role,promotion,retired,transfer"},
		{"SELECT string_agg(DISTINCT position, ',' ORDER BY position) FROM career_moves",
			"admin,counsellor,left_education,researcher,teacher"},
		{"SELECT string_agg(DISTINCT title, ',' ORDER BY title) FROM career_moves", "level1,level2,none,senior"},
		{"SELECT string_agg(DISTINCT channel, ',' ORDER BY channel) FROM follow_ups", "email,other,phone,visit,wechat"},
		{"SELECT string_agg(DISTINCT outcome, ',' ORDER BY outcome) FROM follow_ups", "declined,opted_out,reached,unreachable"},
		{"SELECT string_agg(DISTINCT consent_state, ',' ORDER BY consent_state) FROM persons", "granted,not_required,pending"},
		{"SELECT string_agg(DISTINCT source, ',' ORDER BY source) FROM person_schools", "destination,manual,participation"},
		{"SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM applications", "approved,draft,returned,submitted"},
	}
	for _, e := range enums {
		var got string
		if err := st.Pool.QueryRow(context.Background(), e.sql).Scan(&got); err != nil {
			t.Fatalf("%s: %v", e.sql, err)
		}
		for _, v := range strings.Split(e.want, ",") {
			if !slices.Contains(strings.Split(got, ","), v) {
				t.Errorf("%s\n got %s\nwant at least %s", e.sql, got, e.want)
				break
			}
		}
	}

	// Rules every row must keep: nothing after today, nothing before birth, categories of
	// the right program (the foreign key), school of the latest nomination, intervals in
	// order, nothing after an opt-out, students' identity numbers from their school's city.
	zero := []string{
		"SELECT count(*) FROM awards a JOIN persons p ON p.id = a.person_id WHERE a.awarded_on > '2026-11-28' OR a.awarded_on < p.birth_date",
		"SELECT count(*) FROM destinations d JOIN persons p ON p.id = d.person_id WHERE d.started_on > '2026-11-28' OR d.started_on < p.birth_date",
		"SELECT count(*) FROM career_moves WHERE started_on > '2026-11-28' OR ended_on > '2026-11-28'",
		"SELECT count(*) FROM follow_ups WHERE contacted_on > '2026-11-28'",
		"SELECT count(*) FROM participations WHERE greatest(registered_at, reviewed_at, publicized_at, recommended_at, admitted_at, completed_at, withdrawn_at, rejected_at, evaluated_at) > '2026-11-29'",
		`SELECT count(*) FROM participations WHERE reviewed_at < registered_at OR publicized_at < reviewed_at
		   OR recommended_at < publicized_at OR admitted_at < recommended_at OR completed_at < admitted_at
		   OR withdrawn_at < admitted_at`,
		"SELECT count(*) FROM participations WHERE status IN ('admitted', 'completed') AND (mentor_id IS NULL OR institution_id IS NULL)",
		"SELECT count(*) FROM participations WHERE status = 'completed' AND evaluation IS NULL",
		`SELECT count(*) FROM persons p WHERE p.school_id IS DISTINCT FROM
		   (SELECT pa.school_id FROM participations pa JOIN editions e ON e.id = pa.edition_id
		    WHERE pa.person_id = p.id ORDER BY e.year DESC LIMIT 1)`,
		"SELECT count(*) FROM persons p WHERE NOT EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = p.id)",
		`SELECT count(*) FROM follow_ups f WHERE EXISTS (SELECT 1 FROM follow_ups o WHERE o.person_id = f.person_id
		   AND o.outcome = 'opted_out' AND o.contacted_on < f.contacted_on)`,
		`SELECT count(*) FROM (SELECT person_id, ended_on, lead(started_on) OVER (PARTITION BY person_id ORDER BY started_on) AS nxt
		   FROM career_moves) x WHERE ended_on IS DISTINCT FROM nxt`,
		"SELECT count(*) FROM consents c JOIN persons p ON p.id = c.person_id WHERE p.consent_state <> 'granted'",
		"SELECT count(*) FROM persons WHERE consent_state = 'granted' AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.person_id = persons.id)",
		"SELECT count(*) FROM persons WHERE (birth_date + interval '14 years' > '2026-11-28') <> (consent_state IN ('granted', 'pending'))",
		"SELECT count(*) FROM persons WHERE birth_date + interval '18 years' > '2026-11-28' AND (guardian_name IS NULL OR guardian_phone_cipher IS NULL)",
		`SELECT count(*) FROM persons p JOIN organizations o ON o.id = p.school_id
		   WHERE EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.program = 'jingke')
		     AND substr(p.id_masked, 1, 4) <> substr(o.region_code, 1, 4)`,
		"SELECT count(*) FROM organizations WHERE kind = 'school' AND (head_name IS NULL OR head_office_phone IS NULL OR lead_mobile IS NULL OR postal_code IS NULL)",
		"SELECT count(*) FROM destinations WHERE type = 'university' AND major IS NULL AND org_name <> '未知'",
		`SELECT count(*) FROM person_schools ps WHERE ps.source = 'destination' AND NOT EXISTS (SELECT 1 FROM destinations d
		   WHERE d.person_id = ps.person_id AND d.org_id = ps.school_id AND school_year_of(d.started_on) = ps.school_year)`,
		"SELECT count(*) FROM growth_logs WHERE entry_on > '2026-11-28' OR feedback_at > '2026-11-29'",
		// a grade fits the school and the birth date (age 6 by August 31 in grade 1)
		`SELECT count(*) FROM person_schools ps JOIN organizations o ON o.id = ps.school_id
		   WHERE ps.grade <> ALL (CASE o.type WHEN 'kindergarten' THEN '{K}'::text[]
		     WHEN 'primary' THEN '{1,2,3,4,5,6}' WHEN 'junior_high' THEN '{7,8,9}'
		     WHEN 'nine_year' THEN '{1,2,3,4,5,6,7,8,9}' WHEN 'senior_high' THEN '{10,11,12}'
		     WHEN 'complete_secondary' THEN '{7,8,9,10,11,12}' WHEN 'vocational_high' THEN '{V1,V2,V3}' END)`,
		`SELECT count(*) FROM (SELECT ps.school_year, p.birth_date,
		     CASE WHEN ps.grade = 'K' THEN 0 WHEN ps.grade LIKE 'V%' THEN 9 + substr(ps.grade, 2)::int
		          ELSE ps.grade::int END AS g
		   FROM person_schools ps JOIN persons p ON p.id = ps.person_id) x
		 WHERE birth_date NOT BETWEEN make_date(school_year - g - 6, 9, 1) AND make_date(school_year - g - 5, 8, 31)`,
		`SELECT count(*) FROM career_moves c JOIN organizations o ON o.id = c.org_id
		   JOIN career_moves prev ON prev.person_id = c.person_id AND prev.ended_on = c.started_on
		   JOIN organizations po ON po.id = prev.org_id
		 WHERE c.reason = 'transfer' AND o.type IS DISTINCT FROM po.type`,
		"SELECT count(*) FROM tasks WHERE completed_on > '2026-11-28'",
	}
	for _, q := range zero {
		if n := count(t, st, q); n != 0 {
			t.Errorf("%d rows break a rule:\n%s", n, q)
		}
	}

	// Proportions that make the data look real.
	ratio := func(what, q string, lo, hi float64) {
		t.Helper()
		var x float64
		if err := st.Pool.QueryRow(context.Background(), q).Scan(&x); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if x < lo || x > hi {
			t.Errorf("%s: %.3f, want %.2f…%.2f", what, x, lo, hi)
		}
	}
	ratio("share of schools in Chengdu", "SELECT avg((city_code = '510100')::int) FROM organizations WHERE kind = 'school'", 0.2, 0.45)
	ratio("share of teachers", "SELECT avg((program = 'jindaoshi')::int) FROM participations", 0.1, 0.2)
	ratio("persons in two editions", "SELECT avg((n > 1)::int) FROM (SELECT count(*) AS n FROM participations GROUP BY person_id) x", 0.04, 0.15)
	ratio("school awards over county awards", "SELECT sum((level = 'school')::int)::float / sum((level = 'county')::int) FROM awards", 1.05, 2)
	ratio("county over provincial", "SELECT sum((level = 'county')::int)::float / sum((level = 'provincial')::int) FROM awards", 1.5, 4)
	ratio("provincial over national", "SELECT sum((level = 'provincial')::int)::float / sum((level = 'national')::int) FROM awards", 1.2, 4)
	ratio("rejected awards", "SELECT avg((verification = 'rejected')::int) FROM awards", 0.01, 0.08)
	ratio("past participations completed", "SELECT avg((status = 'completed')::int) FROM participations WHERE edition_id NOT LIKE '%-2026'", 0.8, 0.93)
	ratio("2026 participations admitted", "SELECT avg((status = 'admitted')::int) FROM participations WHERE edition_id LIKE '%-2026'", 0.6, 0.82)
	ratio("2023 alumni reached in year 1", `
		SELECT avg((EXISTS (SELECT 1 FROM follow_ups f WHERE f.person_id = p.person_id AND f.outcome = 'reached'
		        AND f.contacted_on BETWEEN '2024-03-01' AND '2025-02-28'))::int)
		FROM participations p WHERE p.edition_id = 'jingke-2023' AND p.status = 'completed'`, 0.55, 0.9)
	ratio("2023 alumni reached in year 3", `
		SELECT avg((EXISTS (SELECT 1 FROM follow_ups f WHERE f.person_id = p.person_id AND f.outcome = 'reached'
		        AND f.contacted_on BETWEEN '2026-03-01' AND '2027-02-28'))::int)
		FROM participations p WHERE p.edition_id = 'jingke-2023' AND p.status = 'completed'`, 0.2, 0.6)
	if n := count(t, st, "SELECT count(*) FROM (SELECT person_id FROM participations WHERE program = 'jingke' GROUP BY person_id HAVING count(*) > 1) x"); n == 0 {
		t.Error("no student took part in two editions")
	}
	if n := count(t, st, "SELECT count(*) FROM (SELECT person_id FROM participations WHERE program = 'jindaoshi' GROUP BY person_id HAVING count(*) > 1) x"); n == 0 {
		t.Error("no teacher took part in two editions")
	}
	if n := count(t, st, "SELECT count(*) FROM (SELECT person_id FROM person_schools GROUP BY person_id HAVING count(DISTINCT school_id) >= 3) x"); n == 0 {
		t.Error("no student followed across three schools")
	}

	// Identity numbers: decrypt a sample, parse it, and check it against the row.
	rows, err := st.Pool.Query(context.Background(), `SELECT id_hash, id_cipher, id_masked, gender, birth_date,
		phone_cipher, phone_masked FROM persons ORDER BY id LIMIT 300`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	keys := identity.TestKeys()
	n := 0
	for rows.Next() {
		var hash, cipher, phoneCipher []byte
		var masked, gender string
		var phoneMasked *string
		var birth time.Time
		if err := rows.Scan(&hash, &cipher, &masked, &gender, &birth, &phoneCipher, &phoneMasked); err != nil {
			t.Fatal(err)
		}
		clear, err := keys.Open(cipher)
		if err != nil {
			t.Fatalf("decrypt: %v", err)
		}
		id, err := identity.ParseIDNumber(clear)
		if err != nil {
			t.Fatalf("person %s: %v", masked, err)
		}
		if id.Masked() != masked || id.Gender() != gender || !id.BirthDate().Equal(birth) || !bytes.Equal(keys.Hash(id.Clear()), hash) {
			t.Errorf("person %s: row (%s, %s, %s) disagrees with its identity number", masked, masked, gender, birth.Format(time.DateOnly))
		}
		if phoneCipher != nil {
			p, err := keys.Open(phoneCipher)
			if err != nil || identity.MaskPhone(p) != *phoneMasked || len(p) != 11 {
				t.Errorf("phone %v: %d digits, %v", *phoneMasked, len(p), err)
			}
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 300 {
		t.Fatalf("checked %d identity numbers", n)
	}

	// A second run leaves the data alone with IfEmpty and refuses without it.
	before := digest(t, st)
	again, err := Run(context.Background(), st, identity.TestKeys(), Options{Scale: Scales[0], Seed: 2, IfEmpty: true})
	if err != nil || !again.Skipped {
		t.Fatalf("if-empty on a seeded database: %+v %v", again, err)
	}
	if _, err := Run(context.Background(), st, identity.TestKeys(), Options{Scale: Scales[0], Seed: 2}); !errors.Is(err, ErrHasData) {
		t.Fatalf("seeding a seeded database: err %v, want ErrHasData", err)
	}
	after := digest(t, st)
	for _, table := range digestTables {
		if before[table] != after[table] {
			t.Errorf("%s changed by a refused or skipped run", table)
		}
	}
}

// TestKeepsExistingEditions: an edition created before the seed keeps its dates, and the
// data follows them.
func TestKeepsExistingEditions(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	start, end := date(2024, time.April, 1), date(2025, time.March, 31)
	if _, _, err := st.EditionEnsure(ctx, store.Edition{ID: "jingke-2024", Program: "jingke", Year: 2024,
		StartsOn: start, EndsOn: end, Status: "closed"}); err != nil {
		t.Fatal(err)
	}
	run(t, st, Options{Seed: 3, Scale: Scale{Name: "tiny", Schools: 60, Institutions: 8, MentorsPerInstitution: 3, Persons: 600}})
	e, err := st.EditionGet(ctx, "jingke-2024")
	if err != nil || !e.StartsOn.Equal(start) || !e.EndsOn.Equal(end) {
		t.Fatalf("jingke-2024 now %v … %v (%v)", e.StartsOn, e.EndsOn, err)
	}
	if n := count(t, st, `SELECT count(*) FROM participations WHERE edition_id = 'jingke-2024'
		AND (registered_at < '2024-04-01' OR completed_at > '2025-04-01')`); n != 0 {
		t.Errorf("%d participations outside the edition's own dates", n)
	}
	if n := count(t, st, "SELECT count(*) FROM editions WHERE status = 'open'"); n != 2 {
		t.Errorf("%d open editions, want 2", n)
	}
}

// TestFastLoad loads with the per-row foreign-key checks off (the test role is a
// superuser) and gets the same data as with them on.
func TestFastLoad(t *testing.T) {
	t.Parallel()
	tiny := Scale{Name: "tiny", Schools: 40, Institutions: 6, MentorsPerInstitution: 3, Persons: 400}
	var slow, fast map[string]string
	t.Run("load", func(t *testing.T) {
		t.Run("checked", func(t *testing.T) {
			t.Parallel()
			slow = digest(t, seeded(t, Options{Seed: 5, Scale: tiny}))
		})
		t.Run("fast", func(t *testing.T) {
			t.Parallel()
			st := superStore(t)
			var progress bytes.Buffer
			run(t, st, Options{Seed: 5, Scale: tiny, FastLoad: true, Progress: &progress})
			if !strings.Contains(progress.String(), "foreign keys verified") {
				t.Errorf("fast load not used or not verified:\n%s", progress.String())
			}
			fast = digest(t, st)
		})
	})
	for _, table := range digestTables {
		if slow[table] != fast[table] {
			t.Errorf("%s differs between a checked and a fast load", table)
		}
	}
}

// TestVerifyForeignKeys: a dangling reference written with the checks off is found, and
// the transaction rolls back.
func TestVerifyForeignKeys(t *testing.T) {
	t.Parallel()
	st := superStore(t)
	ctx := context.Background()
	err := st.Seed(ctx, func(tx *store.SeedTx) error {
		ok, err := tx.FastLoad(ctx)
		if err != nil || !ok {
			t.Fatalf("fast load not allowed: %v", err)
		}
		if err := tx.CopyBatch(ctx, &store.SeedBatch{FollowUps: []store.SeedFollowUp{{PersonID: 424242,
			ContactedOn: date(2025, time.May, 1), Channel: "phone", Outcome: "reached"}}}); err != nil {
			t.Fatalf("copy with checks off: %v", err)
		}
		return tx.VerifyForeignKeys(ctx)
	})
	if !errors.Is(err, store.ErrForeignKey) || !strings.Contains(err.Error(), "follow_ups_person_id_fkey") {
		t.Fatalf("err %v, want ErrForeignKey naming follow_ups_person_id_fkey", err)
	}
	if n := count(t, st, "SELECT count(*) FROM follow_ups"); n != 0 {
		t.Fatalf("%d follow-ups left after the rollback", n)
	}
}

// superStore opens a fresh test database as the server's admin role (TEST_DATABASE_URL's
// user, a superuser on a developer machine) rather than the test role, which may not switch
// the checks off; the test is skipped when that role is not a superuser either.
func superStore(t *testing.T) *store.Store {
	t.Helper()
	u, err := url.Parse(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := dbtest.Config(t)
	u.User = url.UserPassword(cfg.User, cfg.Password)
	st := dbtest.Open(t, u.String())
	var super string
	if err := st.Pool.QueryRow(context.Background(), "SELECT current_setting('is_superuser')").Scan(&super); err != nil {
		t.Fatal(err)
	}
	if super != "on" {
		t.Skipf("%s is not a superuser: the fast load cannot be tested", cfg.User)
	}
	return st
}

func TestChineseNumber(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{1: "一", 3: "三", 10: "十", 12: "十二", 20: "二十", 21: "二十一", 100: "一百",
		105: "一百零五", 110: "一百一十", 1001: "一千零一", 2345: "二千三百四十五"} {
		if got := chineseNumber(n); got != want {
			t.Errorf("chineseNumber(%d) = %s, want %s", n, got, want)
		}
	}
}

// BenchmarkSeedSmall measures a small seed into a fresh database (database creation not
// timed).
func BenchmarkSeedSmall(b *testing.B) {
	var rows int64
	for range b.N {
		b.StopTimer()
		st := dbtest.New(b)
		b.StartTimer()
		sum := run(b, st, Options{Seed: 1})
		rows = 0
		for _, n := range sum.Counts {
			rows += n
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
