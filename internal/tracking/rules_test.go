package tracking

import (
	"testing"
	"time"

	"talentdb/internal/doortest"
	"talentdb/internal/store"
)

var d, dp = doortest.Date, doortest.DatePtr

func TestCheckDate(t *testing.T) {
	t.Parallel()
	p := store.TrackedPerson{ID: 1, BirthDate: d("2012-05-01")}
	today := d("2026-06-30")
	cases := []struct {
		on   string
		rule string
	}{
		{"2026-06-30", ""},
		{"2012-05-01", ""},
		{"2026-07-01", "not_future"},
		{"2012-04-30", "after_birth"},
	}
	for _, c := range cases {
		err := CheckDate("started_on", d(c.on), p, today)
		re, isRule := IsRule(err)
		switch {
		case c.rule == "" && err != nil:
			t.Errorf("%s: unexpected %v", c.on, err)
		case c.rule != "" && (!isRule || re.Rule != c.rule || re.Field != "started_on"):
			t.Errorf("%s: err = %v, want rule %s on started_on", c.on, err, c.rule)
		}
	}
}

func TestCheckVerification(t *testing.T) {
	t.Parallel()
	cases := []struct {
		from, to string
		office   bool
		ok       bool
	}{
		{"reported", "verified", false, true},
		{"reported", "rejected", false, true},
		{"reported", "reported", true, false},
		{"verified", "rejected", true, false},
		{"rejected", "verified", true, false},
		{"verified", "reported", false, false},
		{"verified", "reported", true, true},
		{"rejected", "reported", true, true},
	}
	for _, c := range cases {
		err := CheckVerification(c.from, c.to, c.office)
		if (err == nil) != c.ok {
			t.Errorf("%s → %s (office %v): err = %v, want ok=%v", c.from, c.to, c.office, err, c.ok)
		}
	}
}

func TestCheckInterval(t *testing.T) {
	t.Parallel()
	others := []store.Interval{
		{ID: 1, StartedOn: d("2015-09-01"), EndedOn: dp("2018-09-01")},                 // linked to 2
		{ID: 2, StartedOn: d("2018-09-01"), EndedOn: dp("2020-07-01"), Explicit: true}, // explicit
		{ID: 3, StartedOn: d("2021-01-01")},                                            // open
	}
	cases := []struct {
		name  string
		start string
		end   *time.Time
		field string // "" = accepted
	}{
		{"inside a linked interval re-links", "2017-03-01", nil, ""},
		{"in the gap after an explicit end", "2020-09-01", nil, ""},
		{"after the open one closes it", "2023-02-01", nil, ""},
		{"inside an explicit interval", "2019-01-01", nil, "started_on"},
		{"explicit interval containing another start", "2017-01-01", dp("2019-01-01"), "ended_on"},
		{"explicit interval in the gap", "2020-07-01", dp("2020-12-31"), ""},
		{"end before start", "2022-01-01", dp("2021-12-31"), "ended_on"},
		{"explicit interval ending on the next start", "2020-07-01", dp("2021-01-01"), ""},
	}
	for _, c := range cases {
		err := CheckInterval(d(c.start), c.end, others)
		re, _ := IsRule(err)
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: unexpected %v", c.name, err)
		case c.field != "" && (re == nil || re.Field != c.field):
			t.Errorf("%s: err = %v, want a rule error on %s", c.name, err, c.field)
		}
	}
}

func TestCheckFollowUp(t *testing.T) {
	t.Parallel()
	optedOut := store.OptOutBounds{FirstOptOut: dp("2025-03-01"), LastContact: dp("2025-03-01")}
	contacted := store.OptOutBounds{LastContact: dp("2025-06-01")}
	cases := []struct {
		name    string
		on      string
		outcome string
		b       store.OptOutBounds
		rule    string
	}{
		{"after an opt-out", "2025-04-01", "reached", optedOut, "opted_out"},
		{"same day as the opt-out", "2025-03-01", "reached", optedOut, ""},
		{"before the opt-out", "2024-12-01", "unreachable", optedOut, ""},
		{"opt-out before a recorded contact", "2025-05-01", "opted_out", contacted, "later_contact"},
		{"opt-out after the last contact", "2025-07-01", "opted_out", contacted, ""},
		{"nothing recorded", "2025-07-01", "reached", store.OptOutBounds{}, ""},
	}
	for _, c := range cases {
		err := CheckFollowUp(d(c.on), c.outcome, c.b)
		re, _ := IsRule(err)
		switch {
		case c.rule == "" && err != nil:
			t.Errorf("%s: unexpected %v", c.name, err)
		case c.rule != "" && (re == nil || re.Rule != c.rule):
			t.Errorf("%s: err = %v, want rule %s", c.name, err, c.rule)
		}
	}
}
