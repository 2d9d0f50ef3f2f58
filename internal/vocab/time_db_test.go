package vocab_test

import (
	"context"
	"testing"
	"time"

	"talentdb/internal/dbtest"
	"talentdb/internal/vocab"
)

// TestUnderConsentAgeIsTheGatesRule: the Go rule that decides whether a self-report link
// addresses the guardian is the database's consent gate (needs_guardian_consent) on every
// date around a 14th birthday, 29 February included.
func TestUnderConsentAgeIsTheGatesRule(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, birth := range []string{"2012-02-29", "2012-03-01", "2012-02-28", "2011-12-31", "2012-01-01"} {
		b := day(birth)
		for d := b.AddDate(14, 0, -3); d.Before(b.AddDate(14, 0, 3)); d = d.AddDate(0, 0, 1) {
			var gate bool
			if err := st.Pool.QueryRow(context.Background(), `SELECT needs_guardian_consent($1, $2)`, b, d).Scan(&gate); err != nil {
				t.Fatal(err)
			}
			if got := vocab.UnderConsentAge(b, d); got != gate {
				t.Errorf("born %s, on %s: UnderConsentAge %v, the consent gate %v", birth, d.Format(time.DateOnly), got, gate)
			}
		}
	}
}
