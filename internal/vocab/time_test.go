package vocab

import (
	"testing"
	"time"
)

func TestTodayIsChinasDate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		utc  string
		want string
	}{
		{"2026-06-30T15:59:59Z", "2026-06-30"}, // 23:59:59 in Beijing
		{"2026-06-30T16:00:00Z", "2026-07-01"}, // midnight in Beijing, still June 30 in UTC
		{"2024-02-28T21:50:00Z", "2024-02-29"}, // leap day begins in China first
	}
	for _, c := range cases {
		at, err := time.Parse(time.RFC3339, c.utc)
		if err != nil {
			t.Fatal(err)
		}
		got := Today(func() time.Time { return at }).Format(time.DateOnly)
		if got != c.want {
			t.Errorf("Today at %s = %s, want %s", c.utc, got, c.want)
		}
		if d := Today(func() time.Time { return at }); d.Location() != time.UTC || d.Hour() != 0 {
			t.Errorf("Today at %s = %v, want midnight UTC", c.utc, d)
		}
	}
}

// TestClock: a pinned Clock reads its instant and China's date by it; the nil Clock is
// time.Now.
func TestClock(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)
	c := Clock(func() time.Time { return at })
	if !c.Now().Equal(at) || c.Today().Format(time.DateOnly) != "2026-07-01" {
		t.Errorf("pinned clock: now %v, today %v", c.Now(), c.Today())
	}
	var none Clock
	before := time.Now()
	if now := none.Now(); now.Before(before) || now.After(time.Now()) {
		t.Errorf("nil clock: now %v, want time.Now", now)
	}
	if !none.Today().Equal(Today(nil)) {
		t.Errorf("nil clock: today %v, want %v", none.Today(), Today(nil))
	}
}

// TestFormatDateIsTimeFormat: FormatDate says what t.Format(time.DateOnly) says, on every
// day of several centuries, in other zones and outside the four-digit years.
func TestFormatDateIsTimeFormat(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	for d := time.Date(1899, 12, 25, 23, 30, 0, 0, time.UTC); d.Year() < 2101; d = d.AddDate(0, 0, 1) {
		for _, x := range []time.Time{d, d.In(shanghai)} {
			if got, want := FormatDate(x), x.Format(time.DateOnly); got != want {
				t.Fatalf("%v: %s, not %s", x, got, want)
			}
		}
	}
	for _, y := range []int{-1, 0, 9, 999, 9999, 10000} {
		x := time.Date(y, 3, 4, 0, 0, 0, 0, time.UTC)
		if got, want := FormatDate(x), x.Format(time.DateOnly); got != want {
			t.Errorf("year %d: %s, not %s", y, got, want)
		}
	}
}
