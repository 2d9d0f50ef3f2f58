package report

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"talentdb/internal/store"
)

// DueFilter selects the follow-up schedule: the date and, optionally, one school (by
// organization code) and one city (by any region code within it).
type DueFilter struct {
	SchoolCode string
	RegionCode string
	AsOf       time.Time
	// Export is the format ("json", "csv", "xlsx") when the schedule is read to be written
	// out as a file: the audit log then records an export with the filter, not a read.
	Export string
}

// DueReport is the follow-up schedule (contract: "Follow-up schedule"): who owes a contact
// on as_of. School and Region echo the filters and appear only when given.
type DueReport struct {
	AsOf         string      `json:"as_of"`
	School       string      `json:"school,omitempty"`
	Region       string      `json:"region,omitempty"`
	DueCount     int         `json:"due_count"`
	OverdueCount int         `json:"overdue_count"`
	Persons      []DuePerson `json:"persons"`
}

// DuePerson is one listed alumnus. PersonID is for the callers' own use (links, audit) and
// is not part of the contract's JSON.
type DuePerson struct {
	PersonID        int64   `json:"-"`
	IDNumberMasked  string  `json:"id_number_masked"`
	Name            string  `json:"name"`
	Edition         string  `json:"edition"`
	K               int     `json:"k"`
	WindowFrom      string  `json:"window_from"`
	WindowTo        string  `json:"window_to"`
	Due             bool    `json:"due"`
	Overdue         bool    `json:"overdue"`
	LastContactedOn *string `json:"last_contacted_on"`
}

var regionCodeRE = regexp.MustCompile(`^[0-9]{6}$`)

// FollowUpsDue computes the follow-up schedule. An unknown school code is
// ErrUnknownSchool; a region code that is not six digits is ErrInvalid, one whose city is
// not a known region ErrUnknownRegion.
func FollowUpsDue(ctx context.Context, st *store.Store, f DueFilter) (DueReport, error) {
	asOf := Day(f.AsOf)
	st = st.Replica() // read-only: the streaming standby when one is healthy
	school, region := strings.TrimSpace(f.SchoolCode), strings.TrimSpace(f.RegionCode)
	var sf store.DueFilter
	if school != "" {
		sf.SchoolCode = &school
	}
	if region != "" {
		if !regionCodeRE.MatchString(region) {
			return DueReport{}, fmt.Errorf("%w: region %q must be a six-digit code", ErrInvalid, region)
		}
		city := region[:4] + "00"
		sf.CityCode = &city
	}
	rows, err := st.ReportFollowUpsDue(ctx, asOf, sf)
	var unknown *store.UnknownDueFilterError
	switch {
	case errors.As(err, &unknown) && unknown.Filter == "school":
		return DueReport{}, fmt.Errorf("%w: %s", ErrUnknownSchool, school)
	case errors.As(err, &unknown):
		return DueReport{}, fmt.Errorf("%w: %s", ErrUnknownRegion, region)
	case err != nil:
		return DueReport{}, fmt.Errorf("report: follow-ups due: %w", err)
	}
	r := DueReport{AsOf: formatDate(asOf), School: school, Region: region, Persons: make([]DuePerson, 0, len(rows))}
	for _, p := range rows {
		var last *string
		if p.LastContactedOn != nil {
			s := formatDate(*p.LastContactedOn)
			last = &s
		}
		r.Persons = append(r.Persons, DuePerson{PersonID: p.PersonID, IDNumberMasked: p.IDMasked, Name: p.Name,
			Edition: p.EditionID, K: p.K, WindowFrom: formatDate(p.WindowFrom), WindowTo: formatDate(p.WindowTo),
			Due: true, Overdue: p.Overdue, LastContactedOn: last})
		if p.Overdue {
			r.OverdueCount++
		}
	}
	r.DueCount = len(r.Persons)
	return r, nil
}
