package report

import (
	"context"
	"fmt"
	"time"

	"talentdb/internal/store"
)

// AnnualReport is the annual statistics report of a calendar year (contract: "Annual
// statistics report"); its JSON is the contract's, key for key. Cut is echoed only when
// the report was cut, Publication only when it was computed for publication.
type AnnualReport struct {
	Year             int                `json:"year"`
	AsOf             string             `json:"as_of"`
	Participants     Participants       `json:"participants"`
	Awards           AwardFigures       `json:"awards"`
	Destinations     DestinationFigures `json:"destinations"`
	CareerMoves      CareerMoveFigures  `json:"career_moves"`
	FollowUpCoverage Coverage           `json:"follow_up_coverage"`
	Cut              *Cut               `json:"cut,omitempty"`
	Publication      *Publication       `json:"publication,omitempty"`
}

// Participants holds the participant figures of both programs; both are always present.
type Participants struct {
	Jingke    ProgramFigures `json:"jingke"`
	Jindaoshi ProgramFigures `json:"jindaoshi"`
}

// ProgramFigures are the participant figures of one program: persons by status, and
// persons admitted or completed by region, category, grade band and gender.
type ProgramFigures struct {
	ByStatus    Counts `json:"by_status"`
	ByRegion    Counts `json:"by_region"`
	ByCategory  Counts `json:"by_category"`
	ByGradeBand Counts `json:"by_grade_band"`
	ByGender    Counts `json:"by_gender"`
}

// AwardFigures counts award records of the year by level.
type AwardFigures struct {
	ByLevel Counts `json:"by_level"`
}

// DestinationFigures counts destination records of the year by type.
type DestinationFigures struct {
	ByType Counts `json:"by_type"`
}

// CareerMoveFigures counts career-move records of the year by reason.
type CareerMoveFigures struct {
	ByReason Counts `json:"by_reason"`
}

// Coverage is the follow-up coverage of the year's alumni, overall and by region.
type Coverage struct {
	Alumni    Count                     `json:"alumni"`
	Contacted Count                     `json:"contacted"`
	Rate      Ratio                     `json:"rate"`
	ByRegion  map[string]RegionCoverage `json:"by_region"`
}

// RegionCoverage is the follow-up coverage of the alumni placed in one city.
type RegionCoverage struct {
	Alumni    Count `json:"alumni"`
	Contacted Count `json:"contacted"`
	Rate      Ratio `json:"rate"`
}

func newProgramFigures() ProgramFigures {
	return ProgramFigures{ByStatus: Counts{}, ByRegion: Counts{}, ByCategory: Counts{}, ByGradeBand: Counts{},
		ByGender: Counts{}}
}

// Annual computes the annual statistics report of year on asOf (a date; its clock is
// ignored) for the whole province. A year without editions or data gives a report of
// empty objects and zeros.
func Annual(ctx context.Context, st *store.Store, year int, asOf time.Time) (AnnualReport, error) {
	return AnnualWithCut(ctx, st, year, asOf, Cut{})
}

// AnnualWithCut is Annual narrowed by cut; a refused cut is a *ParamError.
func AnnualWithCut(ctx context.Context, st *store.Store, year int, asOf time.Time, cut Cut) (AnnualReport, error) {
	if year < 1000 || year > 9999 {
		return AnnualReport{}, invalidParam("year", "range", fmt.Sprintf(
			"年份必须是四位数：%d / year %d must have four digits", year, year))
	}
	asOf = Day(asOf)
	st = st.Replica() // read-only: the streaming standby when one is healthy
	sc, err := cut.resolve(ctx, st, true)
	if err != nil {
		return AnnualReport{}, err
	}
	rows, err := st.ReportAnnualFigures(ctx, year, asOf, sc)
	if err != nil {
		return AnnualReport{}, fmt.Errorf("report: annual %d: %w", year, err)
	}
	r := AnnualReport{Year: year, AsOf: formatDate(asOf),
		Participants: Participants{Jingke: newProgramFigures(), Jindaoshi: newProgramFigures()},
		Awards:       AwardFigures{ByLevel: Counts{}}, Destinations: DestinationFigures{ByType: Counts{}},
		CareerMoves:      CareerMoveFigures{ByReason: Counts{}},
		FollowUpCoverage: Coverage{ByRegion: map[string]RegionCoverage{}}, Cut: cut.echo()}
	for _, f := range rows {
		if err := r.add(f); err != nil {
			return AnnualReport{}, fmt.Errorf("report: annual %d: %w", year, err)
		}
	}
	return r, nil
}

// add files one figure of the query under its place in the report.
func (r *AnnualReport) add(f store.AnnualFigure) error {
	if f.Section == "follow_up_coverage" {
		switch f.Dimension {
		case "overall":
			r.FollowUpCoverage.Alumni, r.FollowUpCoverage.Contacted = Count(f.N), Count(f.M)
			r.FollowUpCoverage.Rate = ratio(Count(f.M), Count(f.N))
		case "by_region":
			if f.N > 0 {
				r.FollowUpCoverage.ByRegion[f.Key] = RegionCoverage{Alumni: Count(f.N), Contacted: Count(f.M),
					Rate: ratio(Count(f.M), Count(f.N))}
			}
		default:
			return fmt.Errorf("unexpected coverage figure %q", f.Dimension)
		}
		return nil
	}
	if f.N == 0 {
		return nil
	}
	var c Counts
	switch f.Section + "." + f.Dimension {
	case "awards.by_level":
		c = r.Awards.ByLevel
	case "destinations.by_type":
		c = r.Destinations.ByType
	case "career_moves.by_reason":
		c = r.CareerMoves.ByReason
	default:
		if f.Section != "participants" {
			return fmt.Errorf("unexpected figure %s.%s", f.Section, f.Dimension)
		}
		var p *ProgramFigures
		switch f.Program {
		case "jingke":
			p = &r.Participants.Jingke
		case "jindaoshi":
			p = &r.Participants.Jindaoshi
		default:
			return fmt.Errorf("unexpected program %q", f.Program)
		}
		switch f.Dimension {
		case "by_status":
			c = p.ByStatus
		case "by_region":
			c = p.ByRegion
		case "by_category":
			c = p.ByCategory
		case "by_grade_band":
			c = p.ByGradeBand
		case "by_gender":
			c = p.ByGender
		default:
			return fmt.Errorf("unexpected participant figure %q", f.Dimension)
		}
	}
	c[f.Key] = Count(f.N)
	return nil
}
