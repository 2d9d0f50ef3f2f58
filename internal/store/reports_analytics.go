package store

import (
	"context"
	"time"

	"talentdb/db"
)

// YingcaiPipelineRow is one edition of the 英才计划 pipeline: its cohort and how many of
// them reached 英才计划 or another talent program up to Until (ends_on + k years).
type YingcaiPipelineRow struct {
	EditionID     string
	StartsOn      time.Time
	EndsOn        time.Time
	Until         time.Time
	Complete      bool // Until is on or before as_of: the whole span was observed
	CohortSize    int
	Yingcai       int
	TalentProgram int
}

// ReportYingcaiPipeline runs the pipeline of every edition of program started by asOf,
// within k years of each edition's end, in one statement.
func (s *Store) ReportYingcaiPipeline(ctx context.Context, program string, withinYears int, asOf time.Time) ([]YingcaiPipelineRow, error) {
	rows, err := s.q.ReportYingcaiPipeline(ctx, s.scoped(), db.ReportYingcaiPipelineParams{Program: program,
		WithinYears: int32(withinYears), AsOf: asOf})
	if err != nil {
		return nil, mapErr("yingcai pipeline", err)
	}
	out := make([]YingcaiPipelineRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, YingcaiPipelineRow{EditionID: r.EditionID, StartsOn: r.StartsOn, EndsOn: r.EndsOn,
			Until: r.UntilOn, Complete: r.Complete, CohortSize: int(r.CohortSize), Yingcai: int(r.Yingcai),
			TalentProgram: int(r.TalentProgram)})
	}
	return out, nil
}

// SchoolLeagueRow is one line of the follow-up league: Level "total", "city" or
// "school", with the alumni placed there and their follow-up state on as_of.
type SchoolLeagueRow struct {
	Level      string
	CityCode   string
	CityName   string
	SchoolCode string
	SchoolName string
	Alumni     int
	OptedOut   int
	Scheduled  int
	Contacted  int
	Due        int
	Overdue    int
}

// ReportSchoolLeague runs the follow-up league on asOf in one statement: the total row
// first, then the cities by code, then the schools by city and, within a city, best
// coverage first. cityCode (a city-level code) keeps one city.
func (s *Store) ReportSchoolLeague(ctx context.Context, asOf time.Time, cityCode *string) ([]SchoolLeagueRow, error) {
	rows, err := s.q.ReportSchoolLeague(ctx, s.scoped(), db.ReportSchoolLeagueParams{AsOf: asOf, CityCode: cityCode})
	if err != nil {
		return nil, mapErr("school league", err)
	}
	out := make([]SchoolLeagueRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, SchoolLeagueRow{Level: r.Level, CityCode: r.CityCode, CityName: r.CityName,
			SchoolCode: r.SchoolCode, SchoolName: r.SchoolName, Alumni: int(r.Alumni), OptedOut: int(r.OptedOut),
			Scheduled: int(r.Scheduled), Contacted: int(r.Contacted), Due: int(r.Due), Overdue: int(r.Overdue)})
	}
	return out, nil
}

// TeacherTrajectoryRow is one 金导师 edition: its cohort and what became of them between
// the end of the edition and Cutoff (ends_on + k years, or as_of when earlier).
type TeacherTrajectoryRow struct {
	EditionID             string
	EndsOn                time.Time
	Cutoff                time.Time
	Complete              bool
	CohortSize            int
	InEducation           int
	Promoted              int
	MovedCity             int
	Awarded               int
	AwardedProvincialPlus int
}

// ReportTeacherTrajectories runs the teacher trajectories of every 金导师 edition ended
// before asOf, k years on, in one statement.
func (s *Store) ReportTeacherTrajectories(ctx context.Context, withinYears int, asOf time.Time) ([]TeacherTrajectoryRow, error) {
	rows, err := s.q.ReportTeacherTrajectories(ctx, s.scoped(), db.ReportTeacherTrajectoriesParams{
		WithinYears: int32(withinYears), AsOf: asOf})
	if err != nil {
		return nil, mapErr("teacher trajectories", err)
	}
	out := make([]TeacherTrajectoryRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, TeacherTrajectoryRow{EditionID: r.EditionID, EndsOn: r.EndsOn, Cutoff: r.Cutoff,
			Complete: r.Complete, CohortSize: int(r.CohortSize), InEducation: int(r.InEducation),
			Promoted: int(r.Promoted), MovedCity: int(r.MovedCity), Awarded: int(r.Awarded),
			AwardedProvincialPlus: int(r.AwardedProvincialPlus)})
	}
	return out, nil
}

// AwardsYearFigure is one figure of the awards-over-time series: Dimension "total",
// "by_level" or "by_category", with Key the level or category code ("" for the total).
type AwardsYearFigure struct {
	Year      int
	Dimension string
	Key       string
	N         int
}

// ReportAwardsOverTime runs the awards-over-time series of the calendar years fromYear …
// toYear on asOf in one statement; program (nil = both) restricts it to the awards of
// that program's participants. Years without awards have no rows.
func (s *Store) ReportAwardsOverTime(ctx context.Context, fromYear, toYear int, program *string, asOf time.Time) ([]AwardsYearFigure, error) {
	rows, err := s.q.ReportAwardsOverTime(ctx, s.scoped(), db.ReportAwardsOverTimeParams{FromYear: int32(fromYear),
		ToYear: int32(toYear), Program: program, AsOf: asOf})
	if err != nil {
		return nil, mapErr("awards over time", err)
	}
	out := make([]AwardsYearFigure, 0, len(rows))
	for _, r := range rows {
		out = append(out, AwardsYearFigure{Year: int(r.Year), Dimension: r.Dimension, Key: r.Key, N: int(r.N)})
	}
	return out, nil
}
