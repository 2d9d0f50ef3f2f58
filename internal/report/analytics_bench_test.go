package report_test

import (
	"testing"

	"talentdb/internal/report"
)

// Benchmarks of the cuts and the analytics on the benchmark dataset (benchData: 4 000
// persons, 12 editions); docs/reports.md records the figures.

func BenchmarkCohortReportCut(b *testing.B) {
	f := benchData(b)
	asOf := day("2026-06-30")
	for b.Loop() {
		r, err := report.CohortWithCut(f.ctx, f.st, "jingke-2021", asOf, report.Cut{Region: "510104"})
		if err != nil {
			b.Fatal(err)
		}
		if r.CohortSize == 0 {
			b.Fatal("empty cut")
		}
	}
}

func BenchmarkAnnualReportCut(b *testing.B) {
	f := benchData(b)
	asOf := day("2026-06-30")
	for b.Loop() {
		r, err := report.AnnualWithCut(f.ctx, f.st, 2023, asOf, report.Cut{School: "B007"})
		if err != nil {
			b.Fatal(err)
		}
		if r.FollowUpCoverage.Alumni == 0 {
			b.Fatal("no alumni")
		}
	}
}

func BenchmarkCohortComparison(b *testing.B) {
	f := benchData(b)
	asOf := day("2026-06-30")
	eds := []string{"jingke-2019", "jingke-2020", "jingke-2021", "jingke-2022", "jingke-2023", "jingke-2024"}
	for b.Loop() {
		r, err := report.CohortComparison(f.ctx, f.st, eds, asOf, report.Cut{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Windows) != 8 {
			b.Fatalf("%d windows", len(r.Windows))
		}
	}
}

func BenchmarkYingcaiPipeline(b *testing.B) {
	f := benchData(b)
	asOf := day("2026-06-30")
	for b.Loop() {
		r, err := report.YingcaiPipeline(f.ctx, f.st, "jingke", 3, asOf)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Editions) != 6 {
			b.Fatalf("%d editions", len(r.Editions))
		}
	}
}

func BenchmarkSchoolLeague(b *testing.B) {
	f := benchData(b)
	asOf := day("2026-06-30")
	for b.Loop() {
		r, err := report.SchoolLeague(f.ctx, f.st, "", asOf)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Schools) != 40 {
			b.Fatalf("%d schools", len(r.Schools))
		}
	}
}

func BenchmarkTeacherTrajectories(b *testing.B) {
	f := benchData(b)
	asOf := day("2026-06-30")
	for b.Loop() {
		r, err := report.TeacherTrajectories(f.ctx, f.st, 3, asOf)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Editions) != 6 {
			b.Fatalf("%d editions", len(r.Editions))
		}
	}
}

func BenchmarkAwardsOverTime(b *testing.B) {
	f := benchData(b)
	asOf := day("2026-06-30")
	for b.Loop() {
		r, err := report.AwardsOverTime(f.ctx, f.st, 2019, 2026, "", asOf)
		if err != nil {
			b.Fatal(err)
		}
		if r.Years[2].Total == 0 {
			b.Fatal("no awards in 2021")
		}
	}
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
