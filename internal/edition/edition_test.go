package edition

import (
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDefaultDates(t *testing.T) {
	t.Parallel()
	cases := []struct{ id, from, to string }{
		{"jingke-2023", "2023-03-01", "2024-02-29"},
		{"jindaoshi-2024", "2024-03-01", "2025-02-28"},
	}
	for _, c := range cases {
		id, err := ParseID(c.id)
		if err != nil {
			t.Fatal(err)
		}
		f, to := id.DefaultDates()
		if !f.Equal(d(c.from)) || !to.Equal(d(c.to)) {
			t.Errorf("%s: got %s..%s, want %s..%s", c.id, f.Format(time.DateOnly), to.Format(time.DateOnly), c.from, c.to)
		}
	}
}

func TestParseIDRejects(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "jingke", "jingke-23", "other-2023", "jingke-20x3", "jingke-1999"} {
		if _, err := ParseID(s); err == nil {
			t.Errorf("ParseID(%q) accepted", s)
		}
	}
}

func TestWindows(t *testing.T) {
	t.Parallel()
	// ends_on on a leap day: window 1 starts 2024-03-01 and ends 2025-02-28 (Feb 29 + 1 year).
	s, e := d("2023-03-01"), d("2024-02-29")
	cases := []struct {
		k        int
		from, to string
	}{
		{0, "2023-03-01", "2024-02-29"},
		{1, "2024-03-01", "2025-02-28"},
		{2, "2025-03-01", "2026-02-28"},
		{4, "2027-03-01", "2028-02-29"},
		{5, "2028-03-01", "2029-02-28"},
	}
	for _, c := range cases {
		w := WindowK(s, e, c.k)
		if !w.From.Equal(d(c.from)) || !w.To.Equal(d(c.to)) {
			t.Errorf("k=%d: got %s..%s, want %s..%s", c.k, w.From.Format(time.DateOnly), w.To.Format(time.DateOnly), c.from, c.to)
		}
	}
}
