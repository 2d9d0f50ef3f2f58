package identity

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseIDNumber(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      string
		wantErr error
		masked  string
		gender  string
	}{
		{"11010519491231002X", nil, "1101**************", "female"},
		{"11010519491231002x", nil, "1101**************", "female"},
		{" 510104201005060013 ", nil, "5101**************", "male"},
		{"110105194912310021", ErrIDChecksum, "", ""},
		{"11010519491231002", ErrIDLength, "", ""},
		{"11010519491231002XX", ErrIDLength, "", ""},
		{"11010519491331002X", ErrIDChecksum, "", ""},
		{"A1010519491231002X", ErrIDChars, "", ""},
	}
	for _, c := range cases {
		id, err := ParseIDNumber(c.in)
		if err != c.wantErr {
			t.Errorf("%q: err %v, want %v", c.in, err, c.wantErr)
			continue
		}
		if err == nil && (id.Masked() != c.masked || id.Gender() != c.gender) {
			t.Errorf("%q: masked %s gender %s", c.in, id.Masked(), id.Gender())
		}
	}
}

// TestMaskedLeavesEnoughCandidates: the masked form is shown beside the birth date, and the
// county follows from the school, so whoever reads a list knows digits 1-14 but for what
// the mask hides. It must still leave at least 100 valid numbers that agree with all of it.
func TestMaskedLeavesEnoughCandidates(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"11010519491231002X", "510104201005060013", "513401200802290458"} {
		id, err := ParseIDNumber(raw)
		if err != nil {
			t.Fatal(err)
		}
		m := id.Masked()
		if m != raw[:4]+strings.Repeat("*", 14) {
			t.Errorf("%s: masked %q, want the first four digits and 14 stars", raw, m)
		}
		// what a reader knows: the county (digits 1-6) and the birth date (7-14); the
		// candidates are every valid number with that start whose mask is the one shown
		known := raw[:6] + id.BirthDate().Format("20060102")
		n := 0
		for seq := 0; seq < 1000; seq++ {
			first := fmt.Sprintf("%s%03d", known, seq)
			c, err := CheckChar(first)
			if err != nil {
				t.Fatal(err)
			}
			if cand, err := ParseIDNumber(first + string(c)); err == nil && cand.Masked() == m {
				n++
			}
		}
		if n < 100 {
			t.Errorf("%s: %d numbers agree with mask %s, county and birth date; want at least 100", raw, n, m)
		}
	}
}

func TestParseIDNumberBadBirthDate(t *testing.T) {
	t.Parallel()
	first := "51010420101345001" // month 13
	c, err := CheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseIDNumber(first + string(c)); err != ErrIDBirthDate {
		t.Fatalf("err %v, want ErrIDBirthDate", err)
	}
}

func TestKeysSealOpenHash(t *testing.T) {
	t.Parallel()
	k := TestKeys()
	sealed := k.Seal("11010519491231002X")
	if string(sealed) == "11010519491231002X" {
		t.Fatal("not encrypted")
	}
	got, err := k.Open(sealed)
	if err != nil || got != "11010519491231002X" {
		t.Fatalf("open: %q %v", got, err)
	}
	if string(k.Hash("a")) != string(k.Hash("a")) || string(k.Hash("a")) == string(k.Hash("b")) {
		t.Fatal("hash not a function of its input")
	}
	if MaskPhone("13800138000") != "138****8000" {
		t.Fatalf("mask phone: %s", MaskPhone("13800138000"))
	}
}

func FuzzParseIDNumber(f *testing.F) {
	f.Add("11010519491231002X")
	f.Add("510104201005060017")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseIDNumber(s)
		if err != nil {
			return
		}
		again, err := ParseIDNumber(id.Clear())
		if err != nil || again != id {
			t.Fatalf("normalised form does not parse to itself: %v", err)
		}
		if m := id.Masked(); m != id.Clear()[:4]+strings.Repeat("*", 14) || id.String() != m {
			t.Fatalf("masked %q", m)
		}
	})
}
