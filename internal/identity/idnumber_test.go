package identity

import (
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
		{"11010519491231002X", nil, "1101**********002X", "female"},
		{"11010519491231002x", nil, "1101**********002X", "female"},
		{" 510104201005060013 ", nil, "5101**********0013", "male"},
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
		if len(id.Masked()) != 18 {
			t.Fatalf("masked %q", id.Masked())
		}
	})
}
