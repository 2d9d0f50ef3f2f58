package store

import (
	"context"
	"fmt"
	"time"

	"talentdb/db"
)

// ReportCut narrows a cohort or annual report (and the cohort comparison); nil fields
// do not filter. CityCode is a city-level code (city_of of what the user gave). Program
// applies to the annual report only (an edition fixes the program of a cohort).
type ReportCut struct {
	Program      *string
	SchoolCode   *string
	CityCode     *string
	CategoryCode *string
}

// CohortWindowRow is one window of the cohort outcome report of one edition as the query
// computes it. A row with K < 0 stands for "no window listed" and only carries the
// cohort size.
type CohortWindowRow struct {
	EditionID                string
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

// ReportCohortWindows runs the cohort outcome report of each of editionIDs on asOf in one
// statement, rows ordered by edition id then k. An edition that does not exist has no
// row; callers check that every edition they asked for came back.
func (s *Store) ReportCohortWindows(ctx context.Context, editionIDs []string, asOf time.Time, cut ReportCut) ([]CohortWindowRow, error) {
	rows, err := s.q.ReportCohortWindows(ctx, s.scopedReport(), db.ReportCohortWindowsParams{EditionIds: editionIDs, AsOf: asOf,
		SchoolCode: cut.SchoolCode, CityCode: cut.CityCode, CategoryCode: cut.CategoryCode})
	if err != nil {
		return nil, mapErr("cohort report", err)
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
		out = append(out, CohortWindowRow{EditionID: r.EditionID, CohortSize: int(r.CohortSize), K: int(r.K),
			From: r.FromOn, To: r.ToOn, Partial: r.Partial, Contacted: int(r.Contacted), Awarded: int(r.Awarded),
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

// ReportAnnualFigures runs the annual statistics report of a calendar year on asOf,
// narrowed by cut, in one statement; only non-zero figures are returned, plus the overall
// coverage row.
func (s *Store) ReportAnnualFigures(ctx context.Context, year int, asOf time.Time, cut ReportCut) ([]AnnualFigure, error) {
	rows, err := s.q.ReportAnnualFigures(ctx, s.scopedReport(), db.ReportAnnualFiguresParams{Year: int32(year), AsOf: asOf,
		Program: cut.Program, SchoolCode: cut.SchoolCode, CityCode: cut.CityCode, CategoryCode: cut.CategoryCode})
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

// ReportCutCheck reports whether the cut's school code names an organization, its city
// code is a known city or prefecture, and its category code exists (a nil field is known).
func (s *Store) ReportCutCheck(ctx context.Context, cut ReportCut) (schoolKnown, regionKnown, categoryKnown bool, err error) {
	r, err := s.q.ReportCutCheck(ctx, s.scoped(), db.ReportCutCheckParams{SchoolCode: cut.SchoolCode, CityCode: cut.CityCode,
		CategoryCode: cut.CategoryCode})
	if err != nil {
		return false, false, false, mapErr("check report cut", err)
	}
	return r.SchoolKnown, r.RegionKnown, r.CategoryKnown, nil
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

// UnknownDueFilterError is a follow-up schedule's filter that names nothing: Filter is
// "school" (no organization has the code) or "region" (the city is not a known region).
type UnknownDueFilterError struct{ Filter string }

func (e *UnknownDueFilterError) Error() string {
	return "store: follow-up schedule: unknown " + e.Filter
}

// ReportFollowUpsDue runs the follow-up schedule on asOf in one statement, from the
// state the triggers keep per alumnus (docs/due-state.md), in one pipelined round trip on
// a generic plan: its filters are one array of schools, so the plan that serves a school's
// list probes due_state_school_idx (planning it each time took longer than running it).
// A filter that names no school or no known city is an *UnknownDueFilterError; it is
// checked in the same round trip (ReportDueFilterCheck's statement, sent before the
// schedule's), so that a school's list costs one round trip, not four.
func (s *Store) ReportFollowUpsDue(ctx context.Context, asOf time.Time, f DueFilter) ([]DueRow, error) {
	var rows []db.ReportFollowUpsDueRow
	var known db.ReportDueFilterCheckRow
	p := s.pipeline(ctx)
	defer p.close()
	filtered := f.SchoolCode != nil || f.CityCode != nil
	if filtered {
		p.queue(func(q db.DBTX) error {
			var err error
			known, err = s.q.ReportDueFilterCheck(ctx, q, db.ReportDueFilterCheckParams{SchoolCode: f.SchoolCode, CityCode: f.CityCode})
			return err
		})
	}
	p.queue(func(q db.DBTX) error {
		var err error
		rows, err = s.q.ReportFollowUpsDue(ctx, q, db.ReportFollowUpsDueParams{AsOf: asOf,
			SchoolCode: f.SchoolCode, CityCode: f.CityCode})
		return err
	})
	if err := p.commit(); err != nil {
		return nil, mapErr("follow-up schedule", err)
	}
	switch {
	case filtered && !known.SchoolKnown:
		return nil, &UnknownDueFilterError{Filter: "school"}
	case filtered && !known.RegionKnown:
		return nil, &UnknownDueFilterError{Filter: "region"}
	}
	out := make([]DueRow, 0, len(rows))
	for _, r := range rows {
		d, err := dueRow(db.ReportFollowUpsDueReferenceRow(r))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// ReportFollowUpsDueReference runs the follow-up schedule on asOf computed from the
// tables, the definition ReportFollowUpsDue is checked against.
func (s *Store) ReportFollowUpsDueReference(ctx context.Context, asOf time.Time, f DueFilter) ([]DueRow, error) {
	rows, err := s.q.ReportFollowUpsDueReference(ctx, s.scoped(), db.ReportFollowUpsDueReferenceParams{AsOf: asOf,
		SchoolCode: f.SchoolCode, CityCode: f.CityCode})
	if err != nil {
		return nil, mapErr("follow-up schedule", err)
	}
	out := make([]DueRow, 0, len(rows))
	for _, r := range rows {
		d, err := dueRow(r)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func dueRow(r db.ReportFollowUpsDueReferenceRow) (DueRow, error) {
	// max() over no follow-up is NULL; sqlc cannot type an aggregate of a lateral
	// subquery, so the driver's value is taken as it comes
	var last *time.Time
	switch v := r.LastContactedOn.(type) {
	case nil:
	case time.Time:
		last = &v
	default:
		return DueRow{}, fmt.Errorf("store: follow-up schedule: last_contacted_on of type %T", v)
	}
	return DueRow{PersonID: r.PersonID, IDMasked: r.IDMasked, Name: r.Name, EditionID: r.EditionID,
		K: int(r.K), WindowFrom: r.WindowFrom, WindowTo: r.WindowTo, Overdue: r.Overdue, LastContactedOn: last}, nil
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
