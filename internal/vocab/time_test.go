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
