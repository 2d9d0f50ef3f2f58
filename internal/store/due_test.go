package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/seed"
	"talentdb/internal/store"
)

// TestDueStateMatchesReference checks the follow-up schedule read from due_state against
// the statement that computes it from the tables, on the demo data: for every school with
// alumni, every city and the whole province, on several dates (past ones, where some
// follow-ups are after the date, today and later), row for row — first as loaded, then
// after each kind of write the triggers must follow, in the writing transaction. After
// each write due_state also equals due_state_source, the state computed from scratch.
func TestDueStateMatchesReference(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := seededSmall(t, 7)
	dates := []time.Time{
		time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
		seed.DefaultToday,
	}
	var schools, cities []string
	err := st.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT DISTINCT o.code FROM participations pa JOIN organizations o ON o.id = pa.school_id
			WHERE pa.status = 'completed' ORDER BY 1`)
		if err != nil {
			return err
		}
		if schools, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT DISTINCT o.city_code FROM participations pa JOIN organizations o ON o.id = pa.school_id
			WHERE pa.status = 'completed' ORDER BY 1`)
		if err != nil {
			return err
		}
		cities, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(schools) < 10 || len(cities) < 2 {
		t.Fatalf("demo data: %d schools and %d cities with alumni", len(schools), len(cities))
	}

	compare := func(t *testing.T, step string) {
		t.Helper()
		var diff int
		if err := st.InTx(ctx, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM (TABLE due_state EXCEPT TABLE due_state_source) a)
				+ (SELECT count(*) FROM (TABLE due_state_source EXCEPT TABLE due_state) b)`).Scan(&diff)
		}); err != nil {
			t.Fatal(err)
		}
		if diff != 0 {
			t.Errorf("%s: due_state differs from due_state_source in %d rows", step, diff)
		}
		filters := []store.DueFilter{{}}
		for i := range schools {
			filters = append(filters, store.DueFilter{SchoolCode: &schools[i]})
		}
		for i := range cities {
			filters = append(filters, store.DueFilter{CityCode: &cities[i]},
				store.DueFilter{SchoolCode: &schools[0], CityCode: &cities[i]})
		}
		listed := 0
		for _, asOf := range dates {
			for _, f := range filters {
				want, err := st.ReportFollowUpsDueReference(ctx, asOf, f)
				if err != nil {
					t.Fatal(err)
				}
				got, err := st.ReportFollowUpsDue(ctx, asOf, f)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: due list on %s of %s/%s: %d rows, the reference's %d", step, asOf.Format(time.DateOnly),
						deref(f.SchoolCode), deref(f.CityCode), len(got), len(want))
				}
				listed += len(want)
			}
		}
		if listed == 0 {
			t.Errorf("%s: nobody is due on any date: the comparison proves nothing", step)
		}
	}
	compare(t, "as loaded")

	// the writes, each kind a statement as the office; a group's in one transaction, the
	// lists compared after each group
	writes := []struct{ name, sql string }{
		{"a new follow-up that meets the window", `INSERT INTO follow_ups (person_id, school_id, contacted_on, channel, outcome)
			SELECT d.person_id, d.school_id, DATE '2026-11-20', 'visit', 'reached' FROM due_state d
			WHERE NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.person_id = d.person_id AND f.contacted_on = DATE '2026-11-20')
			ORDER BY d.person_id LIMIT 40`},
		{"an opted-out follow-up", `INSERT INTO follow_ups (person_id, school_id, contacted_on, channel, outcome)
			SELECT d.person_id, d.school_id, DATE '2025-01-10', 'phone', 'opted_out' FROM due_state d
			WHERE NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.person_id = d.person_id AND f.contacted_on = DATE '2025-01-10')
			ORDER BY d.person_id DESC LIMIT 15`},
		{"deleted follow-ups", `UPDATE follow_ups SET deleted_at = now()
			WHERE id IN (SELECT id FROM follow_ups WHERE outcome IN ('reached', 'opted_out') AND deleted_at IS NULL ORDER BY id LIMIT 60)`},
		{"a follow-up's outcome changed", `UPDATE follow_ups SET outcome = 'unreachable'
			WHERE id IN (SELECT id FROM follow_ups WHERE outcome = 'declined' AND deleted_at IS NULL ORDER BY id DESC LIMIT 30)`},
		{"a follow-up removed", `DELETE FROM follow_ups
			WHERE id IN (SELECT id FROM follow_ups WHERE outcome = 'reached' AND deleted_at IS NULL ORDER BY id DESC LIMIT 20)`},
		{"participations completed", `UPDATE participations SET status = 'completed'
			WHERE id IN (SELECT id FROM participations WHERE status IN ('admitted', 'recommended') ORDER BY id LIMIT 40)`},
		{"a completed participation withdrawn", `UPDATE participations SET status = 'withdrawn'
			WHERE id IN (SELECT id FROM participations WHERE status = 'completed' ORDER BY id DESC LIMIT 20)`},
		{"a participation's school changed", `UPDATE participations SET school_id = (SELECT min(id) FROM organizations WHERE kind = 'school')
			WHERE id IN (SELECT id FROM participations WHERE status = 'completed' ORDER BY id LIMIT 25)`},
		{"a school moved to another city", `UPDATE organizations SET region_code = (SELECT max(code) FROM regions WHERE code ~ '00$' AND code !~ '0000$')
			WHERE code = '` + schools[1] + `'`},
		{"an edition's end moved", `UPDATE editions SET ends_on = ends_on + 1
			WHERE id = (SELECT edition_id FROM participations WHERE status = 'completed' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)`},
		{"persons merged", `WITH pairs AS (
				SELECT a.person_id AS dup, b.person_id AS kept FROM
				  (SELECT person_id, row_number() OVER (ORDER BY person_id) n FROM due_state ORDER BY person_id LIMIT 10) a
				  JOIN (SELECT person_id, row_number() OVER (ORDER BY person_id DESC) n FROM due_state ORDER BY person_id DESC LIMIT 10) b USING (n)),
			moved AS (UPDATE follow_ups f SET person_id = p.kept FROM pairs p WHERE f.person_id = p.dup
				AND NOT EXISTS (SELECT 1 FROM follow_ups k WHERE k.person_id = p.kept AND k.contacted_on = f.contacted_on AND k.channel = f.channel))
			UPDATE persons SET merged_into = p.kept FROM pairs p WHERE persons.id = p.dup`},
		{"consent withdrawn", `UPDATE persons SET consent_state = 'withdrawn'
			WHERE id IN (SELECT person_id FROM due_state ORDER BY person_id LIMIT 200 OFFSET 20) AND merged_into IS NULL`},
		{"a name changed", `UPDATE persons SET name = name || '乙' WHERE id IN (SELECT person_id FROM due_state ORDER BY person_id LIMIT 30 OFFSET 300)`},
	}
	for _, group := range [][2]int{{0, 5}, {5, 10}, {10, len(writes)}} {
		step := "after"
		if err := st.InTx(ctx, func(tx pgx.Tx) error {
			for _, w := range writes[group[0]:group[1]] {
				if _, err := tx.Exec(ctx, w.sql); err != nil {
					return fmt.Errorf("%s: %w", w.name, err)
				}
				step += " " + w.name + ";"
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		compare(t, step)
	}
}

// seededSmall is a fresh database with the demo data of the small scale.
func seededSmall(t *testing.T, seedValue uint64) *store.Store {
	t.Helper()
	st := dbtest.New(t)
	small, _ := seed.ScaleByName("small")
	if _, err := seed.Run(context.Background(), st, identity.TestKeys(), seed.Options{Scale: small, Seed: seedValue}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return st
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// TestFollowUpsDueFilteredMatchesUnfiltered checks the narrowed due list against the
// whole one on the demo data: a school's (or a city's) list is the province-wide list
// kept to the rows whose edition the person completed at that school (in that city),
// row for row and in the same order. The filtered statement ranks only the persons with
// a completed participation there; the whole list ranks everyone.
func TestFollowUpsDueFilteredMatchesUnfiltered(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := seededSmall(t, 3)
	// the school and city of every completed participation, and the schools with most alumni
	type key struct {
		person  int64
		edition string
	}
	type place struct{ school, city string }
	at := map[key]place{}
	var schools []string
	var cities []string
	err := st.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT pa.person_id, pa.edition_id, o.code, o.city_code
			FROM participations pa JOIN organizations o ON o.id = pa.school_id WHERE pa.status = 'completed'`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k key
			var p place
			if err := rows.Scan(&k.person, &k.edition, &p.school, &p.city); err != nil {
				return err
			}
			at[k] = p
		}
		if err := rows.Err(); err != nil {
			return err
		}
		// the n values of organizations' column col with the most completed participations
		most := func(col string, n int) ([]string, error) {
			rows, err := tx.Query(ctx, `SELECT o.`+col+` FROM participations pa JOIN organizations o ON o.id = pa.school_id
				WHERE pa.status = 'completed' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT $1`, n)
			if err != nil {
				return nil, err
			}
			return pgx.CollectRows(rows, pgx.RowTo[string])
		}
		if schools, err = most("code", 6); err != nil {
			return err
		}
		cities, err = most("city_code", 2)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(schools) < 6 || len(cities) < 2 {
		t.Fatalf("demo data: %d schools and %d cities with alumni", len(schools), len(cities))
	}
	for _, asOf := range []time.Time{seed.DefaultToday, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)} {
		all, err := st.ReportFollowUpsDue(ctx, asOf, store.DueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		check := func(f store.DueFilter, keep func(place) bool) {
			t.Helper()
			want := []store.DueRow{}
			for _, r := range all {
				p, ok := at[key{r.PersonID, r.EditionID}]
				if !ok {
					t.Fatalf("due row of person %d names edition %s, not a completed participation", r.PersonID, r.EditionID)
				}
				if keep(p) {
					want = append(want, r)
				}
			}
			got, err := st.ReportFollowUpsDue(ctx, asOf, f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("due list on %s of %+v: %d rows, the whole list's %d", asOf.Format(time.DateOnly), f, len(got), len(want))
			}
		}
		nonEmpty := 0
		for _, s := range schools {
			check(store.DueFilter{SchoolCode: &s}, func(p place) bool { return p.school == s })
			for _, r := range all {
				if at[key{r.PersonID, r.EditionID}].school == s {
					nonEmpty++
					break
				}
			}
		}
		if nonEmpty == 0 {
			t.Errorf("on %s no school of the sample has a due alumnus: the comparison proves nothing", asOf.Format(time.DateOnly))
		}
		for _, c := range cities {
			check(store.DueFilter{CityCode: &c}, func(p place) bool { return p.city == c })
			check(store.DueFilter{SchoolCode: &schools[0], CityCode: &c},
				func(p place) bool { return p.school == schools[0] && p.city == c })
		}
	}
}
