package report

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"talentdb/internal/edition"
	"talentdb/internal/store"
)

// The longitudinal analyses of docs/reports.md ("Analytics"): the questions the office
// asks of several cohorts at once. Each is one SQL statement (the cohort comparison
// reuses the cohort report's), reshaped here; like the reports they encode as JSON, CSV
// and XLSX and have a publication mode.

// Limits of the analytics' parameters.
const (
	maxComparedEditions = 12
	maxWithinYears      = 20
	maxYearSpan         = 50
	defaultWithinYears  = 3
)

// Report is what the API and the CLI serve: a report or an analysis that encodes in
// every format and can be put into publication mode.
type Report interface {
	Exporter
	Publishable
	// Name is the base of its export's file name, e.g. cohort-jingke-2023-2026-06-30.
	Name() string
}

// Shares are the cohort comparison's window figures over the cohort size.
type Shares struct {
	Contacted                Ratio `json:"contacted"`
	Awarded                  Ratio `json:"awarded"`
	AwardedProvincialPlus    Ratio `json:"awarded_provincial_plus"`
	CumulativeProvincialPlus Ratio `json:"cumulative_provincial_plus"`
	YingcaiCumulative        Ratio `json:"yingcai_cumulative"`
}

// ComparisonReport sets the cohort reports of several editions side by side on the same
// windows k (k = 0 the edition, k = 1 the first year after it …), with each figure's share
// of the cohort.
type ComparisonReport struct {
	AsOf        string              `json:"as_of"`
	Editions    []ComparedEdition   `json:"editions"`
	Windows     []ComparisonWindows `json:"windows"`
	Cut         *Cut                `json:"cut,omitempty"`
	Publication *Publication        `json:"publication,omitempty"`
}

// ComparedEdition is one edition of a comparison and its cohort size.
type ComparedEdition struct {
	Edition    string `json:"edition"`
	CohortSize Count  `json:"cohort_size"`
}

// ComparisonWindows is window k of every compared edition that has reached it, in the
// order the editions were asked for.
type ComparisonWindows struct {
	K         int                `json:"k"`
	ByEdition []ComparisonWindow `json:"by_edition"`
}

// ComparisonWindow is one edition's window k: the cohort report's figures and their
// shares of the cohort.
type ComparisonWindow struct {
	Edition string `json:"edition"`
	CohortWindow
	Shares Shares `json:"shares"`
}

// CohortComparison compares the cohort reports of editionIDs (2 to 12 distinct edition
// IDs; one is allowed) on asOf, narrowed by cut, with one query.
func CohortComparison(ctx context.Context, st *store.Store, editionIDs []string, asOf time.Time, cut Cut) (ComparisonReport, error) {
	ids := make([]string, 0, len(editionIDs))
	for _, raw := range editionIDs {
		id, err := edition.ParseID(strings.TrimSpace(raw))
		if err != nil {
			return ComparisonReport{}, invalidParam("editions", "format", fmt.Sprintf(
				"年度格式应为 PROGRAM-YEAR：%q / editions: %q is not PROGRAM-YEAR", raw, raw))
		}
		if slices.Contains(ids, id.String()) {
			return ComparisonReport{}, invalidParam("editions", "duplicate", fmt.Sprintf(
				"年度重复：%s / editions: %s is listed twice", id, id))
		}
		ids = append(ids, id.String())
	}
	if len(ids) == 0 || len(ids) > maxComparedEditions {
		return ComparisonReport{}, invalidParam("editions", "range", fmt.Sprintf(
			"需要 1 到 %d 个年度 / editions: give 1 to %d edition IDs", maxComparedEditions, maxComparedEditions))
	}
	reps, err := cohorts(ctx, st, ids, asOf, cut)
	if err != nil {
		return ComparisonReport{}, err
	}
	r := ComparisonReport{AsOf: formatDate(Day(asOf)), Editions: make([]ComparedEdition, 0, len(reps)),
		Windows: []ComparisonWindows{}, Cut: cut.echo()}
	for _, c := range reps {
		r.Editions = append(r.Editions, ComparedEdition{Edition: c.Edition, CohortSize: c.CohortSize})
		for _, w := range c.Windows {
			for len(r.Windows) <= w.K {
				r.Windows = append(r.Windows, ComparisonWindows{K: len(r.Windows), ByEdition: []ComparisonWindow{}})
			}
			n := c.CohortSize
			r.Windows[w.K].ByEdition = append(r.Windows[w.K].ByEdition, ComparisonWindow{Edition: c.Edition,
				CohortWindow: w, Shares: Shares{Contacted: ratio(w.Contacted, n), Awarded: ratio(w.Awarded, n),
					AwardedProvincialPlus:    ratio(w.AwardedProvincialPlus, n),
					CumulativeProvincialPlus: ratio(w.CumulativeProvincialPlus, n),
					YingcaiCumulative:        ratio(w.YingcaiCumulative, n)}})
		}
	}
	return r, nil
}

// PipelineReport is the 英才计划 pipeline of one program: per edition, how many of its
// cohort reached 英才计划 or another talent program within k years of the edition's end.
type PipelineReport struct {
	Program     string            `json:"program"`
	WithinYears int               `json:"within_years"`
	AsOf        string            `json:"as_of"`
	Editions    []PipelineEdition `json:"editions"`
	Publication *Publication      `json:"publication,omitempty"`
}

// PipelineEdition is one edition of the pipeline. Until is ends_on + k years; Complete
// says that as_of is on or after it (otherwise the figures count only up to as_of).
type PipelineEdition struct {
	Edition            string `json:"edition"`
	StartsOn           string `json:"starts_on"`
	EndsOn             string `json:"ends_on"`
	Until              string `json:"until"`
	Complete           bool   `json:"complete"`
	CohortSize         Count  `json:"cohort_size"`
	Yingcai            Count  `json:"yingcai"`
	TalentProgram      Count  `json:"talent_program"`
	YingcaiShare       Ratio  `json:"yingcai_share"`
	TalentProgramShare Ratio  `json:"talent_program_share"`
}

// checkProgram refuses anything but the two program codes.
func checkProgram(program string) error {
	if program != "jingke" && program != "jindaoshi" {
		return invalidParam("program", "enum", fmt.Sprintf(
			"计划必须是 jingke 或 jindaoshi：%q / program must be jingke or jindaoshi: %q", program, program))
	}
	return nil
}

// checkWithinYears refuses a k outside 0 … 20.
func checkWithinYears(k int) error {
	if k < 0 || k > maxWithinYears {
		return invalidParam("within_years", "range", fmt.Sprintf(
			"within_years 必须在 0 到 %d 之间 / within_years must be between 0 and %d", maxWithinYears, maxWithinYears))
	}
	return nil
}

// YingcaiPipeline computes the pipeline of program's editions started by asOf, within
// withinYears years of each edition's end, with one query.
func YingcaiPipeline(ctx context.Context, st *store.Store, program string, withinYears int, asOf time.Time) (PipelineReport, error) {
	if err := checkProgram(program); err != nil {
		return PipelineReport{}, err
	}
	if err := checkWithinYears(withinYears); err != nil {
		return PipelineReport{}, err
	}
	asOf = Day(asOf)
	rows, err := st.Replica().ReportYingcaiPipeline(ctx, program, withinYears, asOf)
	if err != nil {
		return PipelineReport{}, fmt.Errorf("report: yingcai pipeline: %w", err)
	}
	r := PipelineReport{Program: program, WithinYears: withinYears, AsOf: formatDate(asOf),
		Editions: make([]PipelineEdition, 0, len(rows))}
	for _, e := range rows {
		n, y, t := Count(e.CohortSize), Count(e.Yingcai), Count(e.TalentProgram)
		r.Editions = append(r.Editions, PipelineEdition{Edition: e.EditionID, StartsOn: formatDate(e.StartsOn),
			EndsOn: formatDate(e.EndsOn), Until: formatDate(e.Until), Complete: e.Complete, CohortSize: n,
			Yingcai: y, TalentProgram: t, YingcaiShare: ratio(y, n), TalentProgramShare: ratio(t, n)})
	}
	return r, nil
}

// LeagueReport is the follow-up league on as_of: for the province (or one city), each
// city and each school, the alumni placed there and where their follow-up stands, by the
// follow-up schedule's rules. Schools are listed by city, best coverage first.
type LeagueReport struct {
	AsOf        string       `json:"as_of"`
	Region      string       `json:"region,omitempty"`
	Total       LeagueLine   `json:"total"`
	Cities      []LeagueLine `json:"cities"`
	Schools     []LeagueLine `json:"schools"`
	Publication *Publication `json:"publication,omitempty"`
}

// LeagueLine is one line of the league. Rate is contacted / scheduled (0 when nobody is
// scheduled); contacted + due = scheduled.
type LeagueLine struct {
	CityCode   string `json:"city_code,omitempty"`
	CityName   string `json:"city_name,omitempty"`
	SchoolCode string `json:"school_code,omitempty"`
	SchoolName string `json:"school_name,omitempty"`
	Alumni     Count  `json:"alumni"`
	OptedOut   Count  `json:"opted_out"`
	Scheduled  Count  `json:"scheduled"`
	Contacted  Count  `json:"contacted"`
	Due        Count  `json:"due"`
	Overdue    Count  `json:"overdue"`
	Rate       Ratio  `json:"rate"`
}

// SchoolLeague computes the follow-up league on asOf with one query; region (a city or
// county code, "" for the province) keeps the schools of one city.
func SchoolLeague(ctx context.Context, st *store.Store, region string, asOf time.Time) (LeagueReport, error) {
	asOf = Day(asOf)
	st = st.Replica()
	cut := Cut{Region: region}
	sc, err := cut.resolve(ctx, st, false)
	if err != nil {
		return LeagueReport{}, err
	}
	rows, err := st.ReportSchoolLeague(ctx, asOf, sc.CityCode)
	if err != nil {
		return LeagueReport{}, fmt.Errorf("report: school league: %w", err)
	}
	r := LeagueReport{AsOf: formatDate(asOf), Region: cut.Region, Cities: []LeagueLine{}, Schools: []LeagueLine{}}
	for _, row := range rows {
		l := LeagueLine{Alumni: Count(row.Alumni), OptedOut: Count(row.OptedOut), Scheduled: Count(row.Scheduled),
			Contacted: Count(row.Contacted), Due: Count(row.Due), Overdue: Count(row.Overdue),
			Rate: ratio(Count(row.Contacted), Count(row.Scheduled))}
		switch row.Level {
		case "total":
			r.Total = l
		case "city":
			l.CityCode, l.CityName = row.CityCode, row.CityName
			r.Cities = append(r.Cities, l)
		default:
			l.CityCode, l.CityName, l.SchoolCode, l.SchoolName = row.CityCode, row.CityName, row.SchoolCode, row.SchoolName
			r.Schools = append(r.Schools, l)
		}
	}
	return r, nil
}

// TrajectoriesReport follows the teachers of each 金导师 edition k years on.
type TrajectoriesReport struct {
	WithinYears int                 `json:"within_years"`
	AsOf        string              `json:"as_of"`
	Editions    []TrajectoryEdition `json:"editions"`
	Publication *Publication        `json:"publication,omitempty"`
}

// TrajectoryEdition is one 金导师 edition: its cohort and, between the edition's end and
// Cutoff (ends_on + k years, or as_of when earlier; Complete when not earlier), how many
// stayed in science education, were promoted, moved city, won awards.
type TrajectoryEdition struct {
	Edition               string           `json:"edition"`
	EndsOn                string           `json:"ends_on"`
	Cutoff                string           `json:"cutoff"`
	Complete              bool             `json:"complete"`
	CohortSize            Count            `json:"cohort_size"`
	InEducation           Count            `json:"in_education"`
	Promoted              Count            `json:"promoted"`
	MovedCity             Count            `json:"moved_city"`
	Awarded               Count            `json:"awarded"`
	AwardedProvincialPlus Count            `json:"awarded_provincial_plus"`
	Shares                TrajectoryShares `json:"shares"`
}

// TrajectoryShares are a trajectory's figures over the cohort size.
type TrajectoryShares struct {
	InEducation           Ratio `json:"in_education"`
	Promoted              Ratio `json:"promoted"`
	MovedCity             Ratio `json:"moved_city"`
	Awarded               Ratio `json:"awarded"`
	AwardedProvincialPlus Ratio `json:"awarded_provincial_plus"`
}

// TeacherTrajectories computes the trajectories of every 金导师 edition ended before
// asOf, withinYears years on, with one query.
func TeacherTrajectories(ctx context.Context, st *store.Store, withinYears int, asOf time.Time) (TrajectoriesReport, error) {
	if err := checkWithinYears(withinYears); err != nil {
		return TrajectoriesReport{}, err
	}
	asOf = Day(asOf)
	rows, err := st.Replica().ReportTeacherTrajectories(ctx, withinYears, asOf)
	if err != nil {
		return TrajectoriesReport{}, fmt.Errorf("report: teacher trajectories: %w", err)
	}
	r := TrajectoriesReport{WithinYears: withinYears, AsOf: formatDate(asOf), Editions: make([]TrajectoryEdition, 0, len(rows))}
	for _, e := range rows {
		t := TrajectoryEdition{Edition: e.EditionID, EndsOn: formatDate(e.EndsOn), Cutoff: formatDate(e.Cutoff),
			Complete: e.Complete, CohortSize: Count(e.CohortSize), InEducation: Count(e.InEducation),
			Promoted: Count(e.Promoted), MovedCity: Count(e.MovedCity), Awarded: Count(e.Awarded),
			AwardedProvincialPlus: Count(e.AwardedProvincialPlus)}
		n := t.CohortSize
		t.Shares = TrajectoryShares{InEducation: ratio(t.InEducation, n), Promoted: ratio(t.Promoted, n),
			MovedCity: ratio(t.MovedCity, n), Awarded: ratio(t.Awarded, n),
			AwardedProvincialPlus: ratio(t.AwardedProvincialPlus, n)}
		r.Editions = append(r.Editions, t)
	}
	return r, nil
}

// AwardsOverTimeReport counts award records per calendar year, by level and by the
// category of the person's participation at the time.
type AwardsOverTimeReport struct {
	FromYear    int          `json:"from_year"`
	ToYear      int          `json:"to_year"`
	AsOf        string       `json:"as_of"`
	Program     string       `json:"program,omitempty"`
	Years       []AwardsYear `json:"years"`
	Publication *Publication `json:"publication,omitempty"`
}

// AwardsYear is one calendar year of the series; every year of the range is listed.
type AwardsYear struct {
	Year       int    `json:"year"`
	Total      Count  `json:"total"`
	ByLevel    Counts `json:"by_level"`
	ByCategory Counts `json:"by_category"`
}

// AwardsOverTime computes the award records of the years fromYear … toYear (at most 50)
// on asOf with one query; program ("" for both) keeps the awards of that program's
// participants.
func AwardsOverTime(ctx context.Context, st *store.Store, fromYear, toYear int, program string, asOf time.Time) (AwardsOverTimeReport, error) {
	for _, y := range []struct {
		name string
		v    int
	}{{"from_year", fromYear}, {"to_year", toYear}} {
		if y.v < 2000 || y.v > 2100 {
			return AwardsOverTimeReport{}, invalidParam(y.name, "range", fmt.Sprintf(
				"%s 必须在 2000 到 2100 之间 / %s must be between 2000 and 2100", y.name, y.name))
		}
	}
	if toYear < fromYear || toYear-fromYear >= maxYearSpan {
		return AwardsOverTimeReport{}, invalidParam("to_year", "range", fmt.Sprintf(
			"to_year 不能早于 from_year，且最多 %d 年 / to_year must not be before from_year, and the span is at most %d years",
			maxYearSpan, maxYearSpan))
	}
	var prog *string
	if program != "" {
		if err := checkProgram(program); err != nil {
			return AwardsOverTimeReport{}, err
		}
		prog = &program
	}
	asOf = Day(asOf)
	rows, err := st.Replica().ReportAwardsOverTime(ctx, fromYear, toYear, prog, asOf)
	if err != nil {
		return AwardsOverTimeReport{}, fmt.Errorf("report: awards over time: %w", err)
	}
	r := AwardsOverTimeReport{FromYear: fromYear, ToYear: toYear, AsOf: formatDate(asOf), Program: program,
		Years: make([]AwardsYear, 0, toYear-fromYear+1)}
	for y := fromYear; y <= toYear; y++ {
		r.Years = append(r.Years, AwardsYear{Year: y, ByLevel: Counts{}, ByCategory: Counts{}})
	}
	for _, f := range rows {
		if f.Year < fromYear || f.Year > toYear {
			return AwardsOverTimeReport{}, fmt.Errorf("report: awards over time: year %d out of range", f.Year)
		}
		y := &r.Years[f.Year-fromYear]
		switch f.Dimension {
		case "total":
			y.Total = Count(f.N)
		case "by_level":
			y.ByLevel[f.Key] = Count(f.N)
		case "by_category":
			y.ByCategory[f.Key] = Count(f.N)
		default:
			return AwardsOverTimeReport{}, fmt.Errorf("report: awards over time: unexpected dimension %q", f.Dimension)
		}
	}
	return r, nil
}
