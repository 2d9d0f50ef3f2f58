package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Count is one published count: a number of persons or records. In a report computed
// for publication (see Publish in publish.go) a count may be withheld; it then holds one
// of the two negative markers below, which no real count can be, and encodes as a string
// instead of a number. Outside publication mode a Count is an ordinary non-negative
// integer and encodes exactly as an int does, so the contract's JSON is unchanged.
type Count int

// The markers of withheld counts.
const (
	// Small is a count of 1 to 4, shown as "<5".
	Small Count = -1
	// Hidden is a count withheld only so that a Small cell cannot be worked out from a
	// total (complementary suppression); it may be any number, and is shown as "*".
	Hidden Count = -2
)

// The texts of the markers in JSON, CSV and XLSX.
const (
	smallText  = "<5"
	hiddenText = "*"
)

// Withheld reports whether c is a withheld count (Small or Hidden).
func (c Count) Withheld() bool { return c < 0 }

// cell returns what an export writes for c: the number, or the marker text.
func (c Count) cell() any {
	switch c {
	case Small:
		return smallText
	case Hidden:
		return hiddenText
	}
	return int(c)
}

// MarshalJSON writes a count as a number, or a withheld count as "<5" or "*".
func (c Count) MarshalJSON() ([]byte, error) {
	switch c {
	case Small:
		return []byte(`"` + smallText + `"`), nil
	case Hidden:
		return []byte(`"` + hiddenText + `"`), nil
	}
	if c < 0 {
		return nil, fmt.Errorf("report: invalid count %d", int(c))
	}
	return strconv.AppendInt(nil, int64(c), 10), nil
}

// UnmarshalJSON reads what MarshalJSON writes (a frozen report's body is read back for
// its exports).
func (c *Count) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"` + smallText + `"`:
		*c = Small
		return nil
	case `"` + hiddenText + `"`:
		*c = Hidden
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("report: count %s: %w", b, err)
	}
	*c = Count(n)
	return nil
}

// Ratio is a rate or share: a numerator over a denominator, unrounded. In a report
// computed for publication a ratio may be withheld (a denominator under 10, or a
// withheld numerator or denominator); it then holds NaN and encodes as null.
type Ratio float64

// withheldRatio is the value of a withheld ratio.
var withheldRatio = Ratio(math.NaN())

// ratio is num/den, 0 when den is 0 (the contract's rate of a report without alumni).
func ratio(num, den Count) Ratio {
	if den == 0 {
		return 0
	}
	return Ratio(float64(num) / float64(den))
}

// Withheld reports whether r is withheld.
func (r Ratio) Withheld() bool { return math.IsNaN(float64(r)) }

// cell returns what an export writes for r: the number, or nil (an empty cell).
func (r Ratio) cell() any {
	if r.Withheld() {
		return nil
	}
	return float64(r)
}

// MarshalJSON writes the number exactly as encoding/json writes a float64, or null when
// withheld.
func (r Ratio) MarshalJSON() ([]byte, error) {
	if r.Withheld() {
		return []byte("null"), nil
	}
	return json.Marshal(float64(r))
}

// UnmarshalJSON reads a number, or null as a withheld ratio.
func (r *Ratio) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*r = withheldRatio
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("report: ratio %s: %w", b, err)
	}
	*r = Ratio(f)
	return nil
}
