package report_test

import (
	"fmt"
	"io"
	"reflect"
	"sync"
	"testing"

	"talentdb/internal/report"
)

// The office and the analyst read the cohort and annual reports from facts kept by
// triggers (docs/report-state.md). These tests hold those figures to the reference after
// every kind of write that changes them, for every edition and year, several as_of dates
// and cuts.

// cutRef is the reference narrowed to a cohort cut: the participations in edition that the
// cut does not keep are left out, so the cohort is the matching members.
func (d refData) cutRef(edition string, cut report.Cut) refData {
	c := d
	c.parts = nil
	for _, p := range d.parts {
		if p.edition == edition && ((cut.School != "" && d.orgCode[p.school] != cut.School) ||
			(cut.Region != "" && d.orgCity[p.school] != cut.Region[:4]+"00") ||
			(cut.Category != "" && p.category != cut.Category)) {
			continue
		}
		c.parts = append(c.parts, p)
	}
	return c
}

// checkCohorts compares the cohort report of every edition with the reference on each of
// asOfs and under each of cuts.
func checkCohorts(t *testing.T, f *fixture, when string, asOfs []string, cuts []report.Cut) {
	t.Helper()
	ref := loadRef(t, f)
	for id := range ref.editions {
		for _, cut := range cuts {
			cref := ref.cutRef(id, cut)
			for _, a := range asOfs {
				got, err := report.CohortWithCut(f.ctx, f.st, id, day(a), cut)
				if err != nil {
					t.Fatal(err)
				}
				want := cref.cohort(id, day(a))
				got.Cut = nil
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: cohort %s on %s cut %+v:\n got %+v\nwant %+v", when, id, a, cut, got, want)
				}
			}
		}
	}
}

// checkAnnual compares the annual report of every year from 2018 to 2027 with the
// reference, in the middle of the year and on asOf.
func checkAnnual(t *testing.T, f *fixture, when, asOf string) {
	t.Helper()
	ref := loadRef(t, f)
	for year := 2018; year <= 2027; year++ {
		for _, a := range []string{fmt.Sprintf("%d-07-15", year), asOf} {
			got, err := report.Annual(f.ctx, f.st, year, day(a))
			if err != nil {
				t.Fatal(err)
			}
			if want := ref.annual(year, day(a)); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: annual %d on %s:\n got %+v\nwant %+v", when, year, a, got, want)
			}
		}
	}
}

// checkCounts holds the cohort, participant, record and coverage counts to the facts they
// count: every key's n is the number of its facts (by shard where the counts are sharded; an
// alumni count is its year's spell starts minus ends, the one count that may be negative), no
// key is missing, no other count negative.
func checkCounts(t *testing.T, f *fixture, when string) {
	t.Helper()
	var diff, negative int
	if err := f.st.Pool.QueryRow(f.ctx, `
		WITH counted AS (
			SELECT edition_id, kind, k, on_date, dest_type,
			       CASE WHEN kind = 'member' THEN (school_id % 64)::smallint END AS shard, count(*) AS n
			FROM report_cohort_facts GROUP BY 1, 2, 3, 4, 5, 6
		), kept AS (
			SELECT edition_id, kind, k, on_date, dest_type, shard, n FROM report_cohort_counts WHERE n <> 0
		)
		, rcounted AS (
			SELECT section, on_date, key, count(*) AS n FROM report_record_facts GROUP BY 1, 2, 3
		), rkept AS (
			SELECT section, on_date, key, n FROM report_record_counts WHERE n <> 0
		), pcounted AS (
			SELECT f.year, f.program, v.dim, v.key, (f.school_id % 64)::smallint AS shard, count(*) AS n
			FROM report_participant_facts f
			CROSS JOIN LATERAL report_participant_keys(f.status, f.category_code, f.grade, f.school_id, f.gender) v
			GROUP BY 1, 2, 3, 4, 5
		), pkept AS (
			SELECT year, program, dim, key, shard, n FROM report_participant_counts WHERE n <> 0
		), acounted AS (
			SELECT program, city_code, year, sum(d) AS n
			FROM (SELECT program, city_code, from_year AS year, 1 AS d FROM report_alumni_years
			      UNION ALL
			      SELECT program, city_code, until_year, -1 FROM report_alumni_years WHERE until_year IS NOT NULL) x
			GROUP BY 1, 2, 3 HAVING sum(d) <> 0
		), akept AS (
			SELECT program, city_code, year, n FROM report_alumni_counts WHERE n <> 0
		), xcounted AS (
			SELECT on_date, program, city_code, count(*) AS n FROM report_reach_facts GROUP BY 1, 2, 3
		), xkept AS (
			SELECT on_date, program, city_code, n FROM report_reach_counts WHERE n <> 0
		)
		SELECT (SELECT count(*) FROM ((SELECT * FROM counted EXCEPT ALL SELECT * FROM kept)
		                              UNION ALL (SELECT * FROM kept EXCEPT ALL SELECT * FROM counted)) d)
		     + (SELECT count(*) FROM ((SELECT * FROM pcounted EXCEPT ALL SELECT * FROM pkept)
		                              UNION ALL (SELECT * FROM pkept EXCEPT ALL SELECT * FROM pcounted)) d)
		     + (SELECT count(*) FROM ((SELECT * FROM rcounted EXCEPT ALL SELECT * FROM rkept)
		                              UNION ALL (SELECT * FROM rkept EXCEPT ALL SELECT * FROM rcounted)) d)
		     + (SELECT count(*) FROM ((SELECT * FROM acounted EXCEPT ALL SELECT * FROM akept)
		                              UNION ALL (SELECT * FROM akept EXCEPT ALL SELECT * FROM acounted)) d)
		     + (SELECT count(*) FROM ((SELECT * FROM xcounted EXCEPT ALL SELECT * FROM xkept)
		                              UNION ALL (SELECT * FROM xkept EXCEPT ALL SELECT * FROM xcounted)) d),
		       (SELECT count(*) FROM report_cohort_counts WHERE n < 0)
		     + (SELECT count(*) FROM report_participant_counts WHERE n < 0)
		     + (SELECT count(*) FROM report_record_counts WHERE n < 0)
		     + (SELECT count(*) FROM report_reach_counts WHERE n < 0)`).Scan(&diff, &negative); err != nil {
		t.Fatal(err)
	}
	if diff != 0 || negative != 0 {
		t.Errorf("%s: the cohort counts differ from the facts in %d keys, %d negative", when, diff, negative)
	}
}

func TestReportFactsMatchReference(t *testing.T) {
	t.Parallel()
	f := genData(t, 600, 11)
	var category string
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT category_code FROM participations ORDER BY id LIMIT 1`).Scan(&category); err != nil {
		t.Fatal(err)
	}
	cuts := []report.Cut{{}, {School: "B001"}, {Region: "510703"}, {Category: category}}
	// a past as_of, one inside a partial window, one on a window's last day, today-like, later
	checkAnnual(t, f, "seeded", "2026-06-30")
	checkCohorts(t, f, "seeded", []string{"2019-02-28", "2021-03-01", "2023-06-30", "2025-02-28", "2026-06-30", "2031-01-01"}, cuts)

	// a member of a cohort, their participation and one of their awards, destinations and
	// follow-ups, to write to
	var person, part int64
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT pa.person_id, pa.id FROM participations pa
		JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
		WHERE pa.status IN ('admitted', 'completed') AND pa.program = 'jingke'
		  AND EXISTS (SELECT 1 FROM awards a WHERE a.person_id = pa.person_id AND a.deleted_at IS NULL AND a.verification <> 'rejected')
		ORDER BY pa.id LIMIT 1`).Scan(&person, &part); err != nil {
		t.Fatal(err)
	}
	other := f.id(`SELECT pa.person_id FROM participations pa JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
		WHERE pa.status IN ('admitted', 'completed') AND pa.person_id <> $1 ORDER BY pa.id DESC LIMIT 1`, person)
	award := f.id(`SELECT id FROM awards WHERE person_id = $1 AND deleted_at IS NULL AND verification <> 'rejected' ORDER BY id LIMIT 1`, person)
	school := f.id(`SELECT id FROM organizations WHERE code = 'B001'`)
	writes := []struct {
		name string
		do   func()
	}{
		{"award added", func() { f.award(person, "national", "2024-05-10", "", false) }},
		{"award rejected", func() { f.exec(`UPDATE awards SET verification = 'rejected' WHERE id = $1`, award) }},
		{"award restored", func() { f.exec(`UPDATE awards SET verification = 'verified' WHERE id = $1`, award) }},
		{"award soft-deleted", func() { f.exec(`UPDATE awards SET deleted_at = now() WHERE id = $1`, award) }},
		{"award deleted", func() { f.exec(`DELETE FROM awards WHERE id = $1`, award) }},
		{"award moved to another day", func() {
			f.exec(`UPDATE awards SET awarded_on = awarded_on + 200 WHERE person_id = $1`, person)
		}},
		{"follow-up added", func() { f.followUp(person, "2025-04-02", "reached", false) }},
		{"follow-up changed and deleted", func() {
			f.exec(`UPDATE follow_ups SET outcome = 'unreachable' WHERE person_id = $1 AND contacted_on = '2025-04-02'`, person)
			f.exec(`UPDATE follow_ups SET deleted_at = now() WHERE person_id = $1 AND id = (SELECT min(id) FROM follow_ups WHERE person_id = $1)`, person)
		}},
		{"destination added", func() {
			f.destination(person, "yingcai", "2024-09-01", false)
			f.destination(person, "senior_high", "2026-03-01", false)
		}},
		{"destination retyped and deleted", func() {
			f.exec(`UPDATE destinations SET type = 'university' WHERE person_id = $1 AND type = 'senior_high'`, person)
			f.exec(`UPDATE destinations SET deleted_at = now() WHERE person_id = $1 AND type = 'yingcai'`, person)
		}},
		{"career move added, dated and deleted", func() {
			f.move(person, "promotion", "2025-05-05", false)
			f.move(person, "transfer", "2024-01-10", false)
			f.exec(`UPDATE career_moves SET started_on = '2025-06-06' WHERE person_id = $1 AND reason = 'transfer'`, person)
			f.exec(`UPDATE career_moves SET deleted_at = now() WHERE person_id = $1 AND reason = 'promotion'`, person)
		}},
		{"participation withdrawn", func() { f.exec(`UPDATE participations SET status = 'withdrawn' WHERE id = $1`, part) }},
		{"participation completed", func() { f.exec(`UPDATE participations SET status = 'completed' WHERE id = $1`, part) }},
		{"participation moved to another school and category", func() {
			f.exec(`UPDATE participations SET school_id = $2, category_code = $3 WHERE id = $1`, part, school, category)
		}},
		{"grade and gender changed", func() {
			f.exec(`UPDATE participations SET grade = 'K' WHERE id = $1`, part)
			f.exec(`UPDATE persons SET gender = CASE gender WHEN 'male' THEN 'female' ELSE 'male' END WHERE id = $1`, person)
		}},
		{"a later completed participation", func() {
			f.exec(`INSERT INTO participations (person_id, edition_id, program, school_id, category_code, grade, status)
				SELECT $1, e.id, 'jingke', $2, $3, '9', 'completed' FROM editions e
				WHERE e.program = 'jingke' AND NOT EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = $1 AND pa.edition_id = e.id)
				ORDER BY e.ends_on DESC LIMIT 1`, person, school, category)
		}},
		{"reached after a year's opt-out", func() {
			f.followUp(person, "2024-03-03", "opted_out", false)
			f.followUp(person, "2025-05-05", "reached", false)
		}},
		{"opted out", func() { f.followUp(person, "2022-05-05", "opted_out", false) }},
		{"opt-out deleted", func() {
			f.exec(`UPDATE follow_ups SET deleted_at = now() WHERE person_id = $1 AND outcome = 'opted_out' AND contacted_on = '2024-03-03'`, person)
		}},
		{"school moved to another city", func() {
			f.exec(`UPDATE organizations SET region_code = '510104' WHERE id = $1`, school)
		}},
		{"merge", func() { f.merge(person, other) }},
		{"merge undone", func() { f.exec(`UPDATE persons SET merged_into = NULL WHERE id = $1`, person) }},
		{"edition dates changed", func() {
			f.exec(`UPDATE editions SET ends_on = ends_on + 10 WHERE id = (SELECT edition_id FROM participations WHERE id = $1)`, part)
		}},
		{"participation deleted", func() { f.exec(`DELETE FROM participations WHERE id = $1`, part) }},
	}
	checkCounts(t, f, "seeded")
	for _, w := range writes {
		w.do()
		checkCounts(t, f, w.name)
		checkCohorts(t, f, w.name, []string{"2023-06-30", "2025-02-28", "2026-06-30"}, cuts[:2])
		checkAnnual(t, f, w.name, "2026-06-30")
	}
	checkAnnual(t, f, "after every write", "2031-01-01")
	checkCohorts(t, f, "after every write", []string{"2019-02-28", "2021-03-01", "2026-06-30", "2031-01-01"}, cuts)
}

// A write inside a transaction is in the report read in the same transaction's wake: the
// facts are written by the write's own statement, so a report read right after the commit
// includes it, and a rolled-back write leaves no trace.
func TestCohortFactsFollowTheTransaction(t *testing.T) {
	t.Parallel()
	f := setup(t)
	school := f.org("S1", "510104")
	f.edition("jingke-2023", "2023-03-01", "2024-02-29")
	p := f.person("张三", "male")
	f.student(p, "jingke-2023", school, "robotics", "5", "admitted")
	cohort := func() report.CohortReport {
		r, err := report.Cohort(f.ctx, f.st, "jingke-2023", day("2025-06-30"))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := cohort(); r.CohortSize != 1 || r.Windows[1].Awarded != 0 {
		t.Fatalf("before: %+v", r)
	}
	tx, err := f.st.Pool.Begin(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(f.ctx, `INSERT INTO awards (person_id, competition, level, awarded_on, verification)
		VALUES ($1, '赛事', 'provincial', '2024-05-01', 'reported')`, p); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(f.ctx); err != nil {
		t.Fatal(err)
	}
	if r := cohort(); r.Windows[1].Awarded != 0 {
		t.Fatalf("after a rollback: %+v", r.Windows[1])
	}
	f.award(p, "provincial", "2024-05-01", "", false)
	r := cohort()
	if w := r.Windows[1]; w.Awarded != 1 || w.AwardedProvincialPlus != 1 || r.Windows[2].CumulativeProvincialPlus != 1 {
		t.Fatalf("right after the write: %+v", r.Windows)
	}
}

// The counts answer any as_of exactly: before an edition starts, on the first and last
// day of its windows (window 0 of jingke-2019 and jingke-2023 ends on a leap day, and the
// windows after it on February 28), the day after, and long after the last window.
func TestCohortCountsAtWindowBoundaries(t *testing.T) {
	t.Parallel()
	f := genData(t, 400, 5)
	checkCounts(t, f, "seeded")
	asOfs := []string{"2019-02-28", "2019-03-01", "2020-02-28", "2020-02-29", "2020-03-01", "2021-02-28",
		"2021-03-01", "2023-03-01", "2024-02-28", "2024-02-29", "2024-03-01", "2025-02-28", "2025-03-01",
		"2025-12-31", "2035-06-30"}
	checkCohorts(t, f, "seeded", asOfs, []report.Cut{{}, {School: "B003"}})
}

// Concurrent writers of one edition's counts, on one date and in every shard of its
// members, lose no update: each waits for the row lock of a count another holds, and
// the counts equal the facts when all have committed.
func TestCohortCountsUnderConcurrentWrites(t *testing.T) {
	t.Parallel()
	f := genData(t, 200, 9)
	var persons []int64
	rows, err := f.st.Pool.Query(f.ctx, `SELECT DISTINCT pa.person_id FROM participations pa
		JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
		WHERE pa.edition_id = 'jingke-2021' AND pa.status IN ('admitted', 'completed') ORDER BY 1 LIMIT 24`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		persons = append(persons, id)
	}
	if err := rows.Err(); err != nil || len(persons) < 8 {
		t.Fatalf("cohort members: %d, %v", len(persons), err)
	}
	school := f.id(`SELECT id FROM organizations WHERE code = 'B001'`)
	var wg sync.WaitGroup
	errs := make(chan error, len(persons))
	for i, p := range persons {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// an award and a reached follow-up dated the same day for every writer, and
			// half of them move their participation to one school (one member shard)
			sql := `WITH a AS (INSERT INTO awards (person_id, competition, level, awarded_on, verification)
			            VALUES ($1, '并发赛事', 'national', '2023-05-20', 'reported')),
			        f AS (INSERT INTO follow_ups (person_id, contacted_on, channel, outcome)
			            VALUES ($1, '2023-05-20', 'phone', 'reached'))
			        UPDATE participations SET school_id = $2 WHERE person_id = $1 AND edition_id = 'jingke-2021' AND $3`
			_, err := f.st.Pool.Exec(f.ctx, sql, p, school, i%2 == 0)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkCounts(t, f, "after concurrent writes")
	checkCohorts(t, f, "after concurrent writes", []string{"2023-05-19", "2023-05-20", "2026-06-30"}, []report.Cut{{}})
}

// A database loaded before the coverage counts (migration 00107) gets them from its data:
// the migration, rolled back and applied again over loaded data, counts what the triggers
// would have.
func TestCoverageCountsOfDataLoadedBefore(t *testing.T) {
	t.Parallel()
	f := genData(t, 300, 5)
	f.followUp(f.id(`SELECT person_id FROM participations WHERE status = 'completed' ORDER BY id LIMIT 1`), "2023-02-02", "opted_out", false)
	m, err := f.st.NewMigrator()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.DownTo(f.ctx, 106, io.Discard); err != nil {
		t.Fatal(err)
	}
	var tables int
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT count(*) FROM pg_class WHERE relname = 'report_alumni_counts'`).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("after the rollback: %d tables report_alumni_counts (%v)", tables, err)
	}
	if err := m.Up(f.ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	var alumni, reached int
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT (SELECT count(*) FROM report_alumni_years), (SELECT count(*) FROM report_reach_facts)`).Scan(&alumni, &reached); err != nil {
		t.Fatal(err)
	}
	if alumni == 0 || reached == 0 {
		t.Fatalf("the migration counted %d alumni spells and %d reached follow-ups", alumni, reached)
	}
	checkCounts(t, f, "migrated over loaded data")
	checkAnnual(t, f, "migrated over loaded data", "2026-06-30")
}
