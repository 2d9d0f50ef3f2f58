package store

import (
	"context"
	"fmt"
	"time"

	"talentdb/db"
)

// CohortWindowRow is one window of the cohort outcome report as the query computes it.
// A row with K < 0 stands for "no window listed" and only carries the cohort size.
type CohortWindowRow struct {
	CohortSize               int
	K                        int
	From                     time.Time
	To                       time.Time
	Partial                  bool
	Contacted                int
	Awarded                  int
	AwardedProvincialPlus    int
	CumulativeProvincialPlus int
	YingcaiCumulative        int
	// Destinations counts destination records by type; zero types are absent.
	Destinations map[string]int
}

// ReportCohortWindows runs the cohort outcome report of an edition on asOf in one
// statement. An unknown edition is ErrNotFound.
func (s *Store) ReportCohortWindows(ctx context.Context, editionID string, asOf time.Time) ([]CohortWindowRow, error) {
	rows, err := s.q.ReportCohortWindows(ctx, s.scoped(), db.ReportCohortWindowsParams{EditionID: editionID, AsOf: asOf})
	if err != nil {
		return nil, mapErr("cohort report", err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("store: cohort report: edition %s: %w", editionID, ErrNotFound)
	}
	out := make([]CohortWindowRow, 0, len(rows))
	for _, r := range rows {
		if len(r.DestTypes) != len(r.DestCounts) {
			return nil, fmt.Errorf("store: cohort report: %d destination types for %d counts", len(r.DestTypes), len(r.DestCounts))
		}
		dest := make(map[string]int, len(r.DestTypes))
		for i, t := range r.DestTypes {
			dest[t] = int(r.DestCounts[i])
		}
		out = append(out, CohortWindowRow{CohortSize: int(r.CohortSize), K: int(r.K), From: r.FromOn, To: r.ToOn,
			Partial: r.Partial, Contacted: int(r.Contacted), Awarded: int(r.Awarded),
			AwardedProvincialPlus: int(r.AwardedProvincialPlus), CumulativeProvincialPlus: int(r.CumulativeProvincialPlus),
			YingcaiCumulative: int(r.YingcaiCumulative), Destinations: dest})
	}
	return out, nil
}

// AnnualFigure is one figure of the annual statistics report in long form: Section
// participants/awards/destinations/career_moves/follow_up_coverage, Program (participants
// only), Dimension (by_status, by_level, …, overall), Key and the count N. For the
// follow-up coverage N is the number of alumni and M of those contacted.
type AnnualFigure struct {
	Section   string
	Program   string
	Dimension string
	Key       string
	N         int
	M         int
}

// ReportAnnualFigures runs the annual statistics report of a calendar year on asOf in one
// statement; only non-zero figures are returned, plus the overall coverage row.
func (s *Store) ReportAnnualFigures(ctx context.Context, year int, asOf time.Time) ([]AnnualFigure, error) {
	rows, err := s.q.ReportAnnualFigures(ctx, s.scoped(), db.ReportAnnualFiguresParams{Year: int32(year), AsOf: asOf})
	if err != nil {
		return nil, mapErr("annual report", err)
	}
	out := make([]AnnualFigure, 0, len(rows))
	for _, r := range rows {
		out = append(out, AnnualFigure{Section: r.Section, Program: r.Program, Dimension: r.Dimension, Key: r.Key,
			N: int(r.N), M: int(r.M)})
	}
	return out, nil
}

// DueRow is one person of the follow-up schedule, in the contract's order.
type DueRow struct {
	PersonID        int64
	IDMasked        string
	Name            string
	EditionID       string
	K               int
	WindowFrom      time.Time
	WindowTo        time.Time
	Overdue         bool
	LastContactedOn *time.Time
}

// DueFilter narrows the follow-up schedule; nil fields do not filter. CityCode is a
// city-level code (city_of of what the user gave).
type DueFilter struct {
	SchoolCode *string
	CityCode   *string
}

// ReportFollowUpsDue runs the follow-up schedule on asOf in one statement.
func (s *Store) ReportFollowUpsDue(ctx context.Context, asOf time.Time, f DueFilter) ([]DueRow, error) {
	rows, err := s.q.ReportFollowUpsDue(ctx, s.scoped(), db.ReportFollowUpsDueParams{AsOf: asOf,
		SchoolCode: f.SchoolCode, CityCode: f.CityCode})
	if err != nil {
		return nil, mapErr("follow-up schedule", err)
	}
	out := make([]DueRow, 0, len(rows))
	for _, r := range rows {
		// max() over no follow-up is NULL; sqlc cannot type an aggregate of a lateral
		// subquery, so the driver's value is taken as it comes
		var last *time.Time
		switch v := r.LastContactedOn.(type) {
		case nil:
		case time.Time:
			last = &v
		default:
			return nil, fmt.Errorf("store: follow-up schedule: last_contacted_on of type %T", v)
		}
		out = append(out, DueRow{PersonID: r.PersonID, IDMasked: r.IDMasked, Name: r.Name, EditionID: r.EditionID,
			K: int(r.K), WindowFrom: r.WindowFrom, WindowTo: r.WindowTo, Overdue: r.Overdue, LastContactedOn: last})
	}
	return out, nil
}

// ReportDueFilterCheck reports whether the filter's school code names an organization and
// whether its city code is a known region (a nil field is known).
func (s *Store) ReportDueFilterCheck(ctx context.Context, f DueFilter) (schoolKnown, regionKnown bool, err error) {
	r, err := s.q.ReportDueFilterCheck(ctx, s.scoped(), db.ReportDueFilterCheckParams{SchoolCode: f.SchoolCode, CityCode: f.CityCode})
	if err != nil {
		return false, false, mapErr("check follow-up filter", err)
	}
	return r.SchoolKnown, r.RegionKnown, nil
}
