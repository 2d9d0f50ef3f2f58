package web

import (
	"fmt"
	"testing"
)

// TestQuantilePieces: the map's colour classes by quantiles — a province where Chengdu has
// thousands and the others tens gets classes that tell the others apart, zero and gaps
// stay out of the counted classes, equal counts share a class, and the last class is open.
func TestQuantilePieces(t *testing.T) {
	t.Parallel()
	vals := func(vs ...float64) []*float64 {
		out := make([]*float64, len(vs))
		for i, v := range vs {
			if v >= 0 {
				out[i] = num(v)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		in   []*float64
		want string
	}{
		{"a province led by Chengdu", vals(5200, 310, 120, 95, 80, 64, 50, 41, 33, 30, 22, 18, 15, 12, 9, 7, 5, 3, 2, 0, -1),
			"[0 1–7 8–18 19–41 42–95 ≥ 96]"},
		{"equal counts", vals(4, 4, 4, 4, 4, 4, 9), "[4 ≥ 5]"},
		{"one region", vals(7), "[≥ 7]"},
		{"gaps only", vals(-1, -1), "[]"},
		{"zero only", vals(0, 0), "[0]"},
	} {
		got := quantilePieces(tc.in, mapClasses)
		labels := make([]string, len(got))
		for i, p := range got {
			labels[i] = p.Label
		}
		if s := fmt.Sprint(labels); s != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, s, tc.want)
		}
	}
}
