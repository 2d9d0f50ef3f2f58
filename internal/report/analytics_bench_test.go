package report_test

import (
	"testing"
	"time"

	"talentdb/internal/report"
)

// Benchmarks of the cuts and the analytics on the benchmark dataset (benchData: 4 000
// persons, 12 editions); docs/reports.md records the figures.

func BenchmarkCohortReportCut(b *testing.B) {
	benchReport(b, func(f *fixture, asOf time.Time) (report.CohortReport, error) {
		return report.CohortWithCut(f.ctx, f.st, "jingke-2021", asOf, report.Cut{Region: "510104"})
	}, func(r report.CohortReport) string { return failIf(r.CohortSize == 0, "empty cut") })
}

func BenchmarkAnnualReportCut(b *testing.B) {
	benchReport(b, func(f *fixture, asOf time.Time) (report.AnnualReport, error) {
		return report.AnnualWithCut(f.ctx, f.st, 2023, asOf, report.Cut{School: "B007"})
	}, func(r report.AnnualReport) string { return failIf(r.FollowUpCoverage.Alumni == 0, "no alumni") })
}

func BenchmarkCohortComparison(b *testing.B) {
	eds := []string{"jingke-2019", "jingke-2020", "jingke-2021", "jingke-2022", "jingke-2023", "jingke-2024"}
	benchReport(b, func(f *fixture, asOf time.Time) (report.ComparisonReport, error) {
		return report.CohortComparison(f.ctx, f.st, eds, asOf, report.Cut{})
	}, func(r report.ComparisonReport) string {
		return failIf(len(r.Windows) != 8, "%d windows", len(r.Windows))
	})
}

func BenchmarkYingcaiPipeline(b *testing.B) {
	benchReport(b, func(f *fixture, asOf time.Time) (report.PipelineReport, error) {
		return report.YingcaiPipeline(f.ctx, f.st, "jingke", 3, asOf)
	}, func(r report.PipelineReport) string {
		return failIf(len(r.Editions) != 6, "%d editions", len(r.Editions))
	})
}

func BenchmarkSchoolLeague(b *testing.B) {
	benchReport(b, func(f *fixture, asOf time.Time) (report.LeagueReport, error) {
		return report.SchoolLeague(f.ctx, f.st, "", asOf)
	}, func(r report.LeagueReport) string { return failIf(len(r.Schools) != 40, "%d schools", len(r.Schools)) })
}

func BenchmarkTeacherTrajectories(b *testing.B) {
	benchReport(b, func(f *fixture, asOf time.Time) (report.TrajectoriesReport, error) {
		return report.TeacherTrajectories(f.ctx, f.st, 3, asOf)
	}, func(r report.TrajectoriesReport) string {
		return failIf(len(r.Editions) != 6, "%d editions", len(r.Editions))
	})
}

func BenchmarkAwardsOverTime(b *testing.B) {
	benchReport(b, func(f *fixture, asOf time.Time) (report.AwardsOverTimeReport, error) {
		return report.AwardsOverTime(f.ctx, f.st, 2019, 2026, "", asOf)
	}, func(r report.AwardsOverTimeReport) string { return failIf(r.Years[2].Total == 0, "no awards in 2021") })
}

// BenchmarkPublish measures publication mode alone (pure Go) on the annual report.
func BenchmarkPublish(b *testing.B) {
	f := benchData(b)
	r, err := report.Annual(f.ctx, f.st, 2023, day("2026-06-30"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c := r
		c.Participants = report.Participants{Jingke: cloneFigures(r.Participants.Jingke), Jindaoshi: cloneFigures(r.Participants.Jindaoshi)}
		c.Publish()
	}
}

func cloneFigures(p report.ProgramFigures) report.ProgramFigures {
	cp := func(c report.Counts) report.Counts {
		out := make(report.Counts, len(c))
		for k, v := range c {
			out[k] = v
		}
		return out
	}
	return report.ProgramFigures{ByStatus: cp(p.ByStatus), ByRegion: cp(p.ByRegion), ByCategory: cp(p.ByCategory),
		ByGradeBand: cp(p.ByGradeBand), ByGender: cp(p.ByGender)}
}
