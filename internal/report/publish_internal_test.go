package report

import (
	"fmt"
	"testing"
)

// TestSuppressTwoWayTable runs the rule on a region × status table whose row and column
// totals are published: R1's withdrawn 3 is small; hiding R1's admitted to protect it
// leaves the admitted column with one hidden count, and the withdrawn column too, so R2
// loses its admitted and its withdrawn; then every row and column has two or none.
//
//	        completed withdrawn admitted | total
//	R1          40        3        10    |  53
//	R2          30       12         8    |  50
//	R3          25       20        15    |  60
//	total       95       35        33    | 163
func TestSuppressTwoWayTable(t *testing.T) {
	t.Parallel()
	values := [3][3]Count{{40, 3, 10}, {30, 12, 8}, {25, 20, 15}}
	var s suppressor
	var cells [3][3]*cell
	for i := range values {
		for j := range values[i] {
			cells[i][j] = s.count(&values[i][j])
		}
	}
	rowTotals, colTotals := []Count{53, 50, 60}, []Count{95, 35, 33}
	for i := range 3 {
		s.group(s.count(&rowTotals[i]), cells[i][0], cells[i][1], cells[i][2])
	}
	for j := range 3 {
		s.group(s.count(&colTotals[j]), cells[0][j], cells[1][j], cells[2][j])
	}
	p := s.run()
	want := [3][3]Count{{40, Small, Hidden}, {30, Hidden, Hidden}, {25, 20, 15}}
	if values != want {
		t.Fatalf("got %v, want %v", values, want)
	}
	if p.SmallCells != 1 || p.HiddenCells != 3 {
		t.Errorf("small %d hidden %d, want 1 and 3", p.SmallCells, p.HiddenCells)
	}
	// no row or column is left with exactly one withheld count
	for i := range 3 {
		if n := withheldIn(values[i][:]); n == 1 {
			t.Errorf("row %d has one withheld count", i)
		}
		if n := withheldIn([]Count{values[0][i], values[1][i], values[2][i]}); n == 1 {
			t.Errorf("column %d has one withheld count", i)
		}
	}
}

func withheldIn(cs []Count) int {
	n := 0
	for _, c := range cs {
		if c.Withheld() {
			n++
		}
	}
	return n
}

// TestSuppressGroups covers the one-dimensional cases of the rule.
func TestSuppressGroups(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		in    Counts
		total Count // 0: a total published elsewhere
		want  string
	}{
		{"one small cell: the next smallest hides", Counts{"female": 3, "male": 40}, 43,
			`{"female":"<5","male":"*"}`},
		{"the next smallest non-zero, not the largest", Counts{"admitted": 2, "completed": 40, "withdrawn": 7}, 0,
			`{"admitted":"<5","completed":40,"withdrawn":"*"}`},
		{"two small cells protect each other", Counts{"a": 2, "b": 3, "c": 50}, 55,
			`{"a":"<5","b":"<5","c":50}`},
		{"nothing small: nothing hidden", Counts{"a": 5, "b": 6}, 11, `{"a":5,"b":6}`},
		{"a lone small cell has no complement", Counts{"a": 4}, 4, `{"a":"<5"}`},
		{"a withheld total protects its cells", Counts{"a": 1, "b": 2}, 3, `{"a":"<5","b":"<5"}`},
		{"ties go to the first key", Counts{"a": 1, "b": 9, "c": 9}, 19, `{"a":"<5","b":"*","c":9}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s suppressor
			var total *cell
			if c.total != 0 {
				total = s.count(&c.total)
			}
			s.group(total, s.counts(c.in)...)
			s.run()
			b, err := encodeBody(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != c.want {
				t.Fatalf("got %s, want %s", b, c.want)
			}
		})
	}
}

// TestSuppressRates withholds a rate whose denominator is under 10, or whose numerator
// or denominator is withheld; 0 over 10 or more is published.
func TestSuppressRates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		num, den Count
		reason   string
	}{
		{6, 9, "denominator_under_10"},
		{0, 9, "denominator_under_10"},
		{0, 0, "denominator_under_10"},
		{3, 40, "numerator_withheld"},
		{0, 12, ""},
		{10, 12, ""},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d/%d", c.num, c.den), func(t *testing.T) {
			var s suppressor
			r := ratio(c.num, c.den)
			s.rate("rate", &r, s.count(&c.num), s.count(&c.den))
			p := s.run()
			if c.reason == "" {
				if r.Withheld() || len(p.WithheldRates) != 0 {
					t.Fatalf("rate withheld: %v %v", r, p.WithheldRates)
				}
				return
			}
			if !r.Withheld() || len(p.WithheldRates) != 1 || p.WithheldRates[0] != (WithheldRate{"rate", c.reason}) {
				t.Fatalf("got %v %v, want withheld for %s", r, p.WithheldRates, c.reason)
			}
		})
	}
	// a denominator hidden only to protect another count
	var s suppressor
	num, den, other := Count(12), Count(40), Count(2)
	r := ratio(num, den)
	d := s.count(&den)
	s.group(nil, d, s.count(&other))
	s.rate("rate", &r, s.count(&num), d)
	p := s.run()
	if den != Hidden || !r.Withheld() || p.WithheldRates[0].Reason != "denominator_withheld" {
		t.Fatalf("den %v rate %v %v", den, r, p.WithheldRates)
	}
}
