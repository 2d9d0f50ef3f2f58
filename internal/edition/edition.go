// Package edition knows what an edition of a program is: its ID (PROGRAM-YEAR), its
// default dates (March 1 of YEAR to the last day of February of YEAR+1) and the
// follow-up windows that count years after it. These rules (this file) do no I/O.
//
// Its Service is the door to editions for every path (the API, the web app, the CLI):
// each method takes the caller, authorizes the action against the policy table
// (internal/access: reference.read, reference.write), validates with the rules above and
// vocab's statuses, and runs one unit of work in the store in the caller's scope; the
// store audits every write inside its transaction. It must never import an HTTP package,
// the web app or the generated db package.
package edition

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/vocab"
)

// Programs are the two program codes, vocab's.
var Programs = vocab.Programs.Keys()

// ID is a parsed edition ID.
type ID struct {
	Program string
	Year    int
}

// String is the canonical form, e.g. jingke-2023.
func (id ID) String() string { return fmt.Sprintf("%s-%d", id.Program, id.Year) }

// ParseID parses PROGRAM-YEAR.
func ParseID(s string) (ID, error) {
	s = strings.TrimSpace(s)
	prog, year, ok := strings.Cut(s, "-")
	if !ok {
		return ID{}, fmt.Errorf("edition %q: want PROGRAM-YEAR, e.g. jingke-2023", s)
	}
	if prog != "jingke" && prog != "jindaoshi" {
		return ID{}, fmt.Errorf("edition %q: program must be jingke or jindaoshi", s)
	}
	y, err := strconv.Atoi(year)
	if err != nil || len(year) != 4 || y < 2000 || y > 2100 {
		return ID{}, fmt.Errorf("edition %q: year must be four digits between 2000 and 2100", s)
	}
	return ID{Program: prog, Year: y}, nil
}

// DefaultDates returns March 1 of the year and the last day of February of the next.
func (id ID) DefaultDates() (startsOn, endsOn time.Time) {
	startsOn = time.Date(id.Year, time.March, 1, 0, 0, 0, 0, time.UTC)
	endsOn = time.Date(id.Year+1, time.March, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	return startsOn, endsOn
}

// AddYears is PostgreSQL's date + interval 'k years': the same month and day k years
// later, or the last day of February where that day does not exist.
func AddYears(d time.Time, k int) time.Time { return vocab.AddYears(d, k) }

// Window is one follow-up window of an edition: window 0 is the edition itself; window
// k >= 1 runs from ends_on + (k-1) years + 1 day to ends_on + k years.
type Window struct {
	K    int
	From time.Time
	To   time.Time
}

// WindowK returns window k of an edition with the given dates.
func WindowK(startsOn, endsOn time.Time, k int) Window {
	if k == 0 {
		return Window{K: 0, From: startsOn, To: endsOn}
	}
	return Window{K: k, From: AddYears(endsOn, k-1).AddDate(0, 0, 1), To: AddYears(endsOn, k)}
}

// ParseDate parses YYYY-MM-DD strictly.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return d, nil
}
