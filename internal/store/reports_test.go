package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/seed"
	"talentdb/internal/store"
)

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
