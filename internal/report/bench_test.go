package report_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/identity"
	"talentdb/internal/report"
)

// benchPersons is the size of the generated dataset of the benchmarks.
const benchPersons = 4000

// genData fills a fresh database with n persons spread over 40 schools in four cities,
// the jingke and jindaoshi editions of 2019-2024, and a few awards, destinations, career
// moves and follow-ups each, some of them deleted, rejected or belonging to merged
// persons; the generator is seeded, so every run sees the same data.
func genData(b testing.TB, n int, seed uint64) *fixture {
	b.Helper()
	f := setup(b)
	rng := rand.New(rand.NewPCG(seed, 3))
	cities := []string{"510104", "510703", "511002", "513301"}
	schools := make([]int64, 40)
	for i := range schools {
		schools[i] = f.org(fmt.Sprintf("B%03d", i), cities[i%len(cities)])
	}
	var editions []string
	for y := 2019; y <= 2024; y++ {
		for _, p := range []string{"jingke", "jindaoshi"} {
			id := fmt.Sprintf("%s-%d", p, y)
			f.edition(id, "", "")
			editions = append(editions, id)
		}
	}
	copyRows := func(table string, cols []string, rows [][]any) {
		b.Helper()
		if _, err := f.st.CopyAsOwner(f.ctx, table, cols, pgx.CopyFromRows(rows)); err != nil {
			b.Fatalf("copy %s: %v", table, err)
		}
	}
	keys := identity.TestKeys()
	consents := []string{"not_required", "not_required", "granted", "pending"}
	var persons [][]any
	for i := range n {
		first17 := fmt.Sprintf("510104%s%03d", time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/1000).Format("20060102"), i%1000)
		c, err := identity.CheckChar(first17)
		if err != nil {
			b.Fatal(err)
		}
		idn, err := identity.ParseIDNumber(first17 + string(c))
		if err != nil {
			b.Fatal(err)
		}
		p := keys.ProtectID(idn)
		persons = append(persons, []any{p.Hash, p.Cipher, p.Masked, fmt.Sprintf("学生%04d", rng.IntN(benchPersons)),
			idn.Gender(), idn.BirthDate(), consents[rng.IntN(len(consents))]})
	}
	copyRows("persons", []string{"id_hash", "id_cipher", "id_masked", "name", "gender", "birth_date", "consent_state"}, persons)
	var ids []int64
	rows, err := f.st.Pool.Query(f.ctx, `SELECT id FROM persons ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	if ids, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		b.Fatal(err)
	}
	statuses := []string{"completed", "completed", "completed", "admitted", "withdrawn", "registered"}
	grades := []string{"K", "4", "5", "6", "7", "8", "9", "V1", "V2", "V3"}
	levels := []string{"international", "national", "provincial", "municipal", "county", "school"}
	dtypes := []string{"junior_high", "senior_high", "vocational", "university", "yingcai", "talent_program", "employment", "other"}
	reasons := []string{"transfer", "promotion", "new_role", "left", "retired"}
	outcomes := []string{"reached", "reached", "unreachable", "declined", "opted_out"}
	channels := []string{"phone", "wechat", "email", "visit", "other"}
	randDay := func(from string, days int) time.Time { return day(from).AddDate(0, 0, rng.IntN(days)) }
	var parts, awards, dests, moves, fus [][]any
	for _, pid := range ids {
		teacher := rng.IntN(5) == 0
		n := 1 + rng.IntN(2)
		start := rng.IntN(6 - n + 1)
		for e := start; e < start+n; e++ {
			ed := editions[2*e]
			if teacher {
				ed = editions[2*e+1]
			}
			school := schools[rng.IntN(len(schools))]
			if teacher {
				parts = append(parts, []any{pid, ed, "jindaoshi", school, "research", nil, "young", statuses[rng.IntN(len(statuses))]})
			} else {
				parts = append(parts, []any{pid, ed, "jingke", school, "robotics", grades[rng.IntN(len(grades))], nil, statuses[rng.IntN(len(statuses))]})
			}
		}
		for j := range rng.IntN(4) {
			awards = append(awards, []any{pid, fmt.Sprintf("赛事%d", j), levels[rng.IntN(len(levels))],
				randDay("2019-03-01", 2400), []string{"reported", "verified", "rejected"}[rng.IntN(3)]})
		}
		if teacher {
			for j := range rng.IntN(3) {
				moves = append(moves, []any{pid, "某校", "teacher", day("2019-06-01").AddDate(j, rng.IntN(6), 0),
					reasons[rng.IntN(len(reasons))]})
			}
		} else {
			for range rng.IntN(3) {
				dests = append(dests, []any{pid, dtypes[rng.IntN(len(dtypes))], "某校", randDay("2019-09-01", 2300)})
			}
		}
		seen := map[time.Time]bool{}
		for j := range rng.IntN(6) {
			d := randDay("2020-03-01", 2300)
			if seen[d] {
				continue
			}
			seen[d] = true
			out := outcomes[rng.IntN(len(outcomes))]
			if out == "opted_out" && rng.IntN(4) != 0 {
				out = "reached"
			}
			fus = append(fus, []any{pid, d, channels[j%len(channels)], out})
		}
	}
	copyRows("participations", []string{"person_id", "edition_id", "program", "school_id", "category_code", "grade", "teacher_role", "status"}, parts)
	copyRows("awards", []string{"person_id", "competition", "level", "awarded_on", "verification"}, dedupe(awards, 0, 1, 3))
	copyRows("destinations", []string{"person_id", "type", "org_name", "started_on"}, dedupe(dests, 0, 1, 3))
	copyRows("career_moves", []string{"person_id", "org_name", "position", "started_on", "reason"}, dedupe(moves, 0, 3))
	copyRows("follow_ups", []string{"person_id", "contacted_on", "channel", "outcome"}, fus)
	// a few soft-deleted records and duplicates merged into another person
	for _, t := range []string{"awards", "destinations", "career_moves", "follow_ups"} {
		f.exec(`UPDATE ` + t + ` SET deleted_at = now() WHERE id % 23 = 0`)
	}
	f.exec(`UPDATE persons SET merged_into = id - 1 WHERE id % 47 = 0`)
	f.exec(`VACUUM ANALYZE`)
	return f
}

// benchData is the dataset of the benchmarks.
func benchData(b *testing.B) *fixture { return genData(b, benchPersons, 2023) }

// dedupe drops rows repeating the natural key made of the given columns.
func dedupe(rows [][]any, cols ...int) [][]any {
	seen := map[string]bool{}
	out := rows[:0]
	for _, r := range rows {
		k := ""
		for _, c := range cols {
			k += fmt.Sprint(r[c]) + "|"
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

// benchReport runs a report on the benchmark dataset as of 2026-06-30 for as long as
// b.Loop asks, failing on an error or on what check finds wrong with the result.
func benchReport[R any](b *testing.B, run func(f *fixture, asOf time.Time) (R, error), check func(R) string) {
	f := benchData(b)
	asOf := day("2026-06-30")
	for b.Loop() {
		r, err := run(f, asOf)
		if err != nil {
			b.Fatal(err)
		}
		if msg := check(r); msg != "" {
			b.Fatal(msg)
		}
	}
}

// failIf is check's message: the formatted text when bad, else "".
func failIf(bad bool, format string, args ...any) string {
	if !bad {
		return ""
	}
	return fmt.Sprintf(format, args...)
}

func BenchmarkCohortReport(b *testing.B) {
	benchReport(b, func(f *fixture, asOf time.Time) (report.CohortReport, error) {
		return report.Cohort(f.ctx, f.st, "jingke-2021", asOf)
	}, func(r report.CohortReport) string {
		return failIf(r.CohortSize == 0 || len(r.Windows) != 6, "cohort %d, %d windows", r.CohortSize, len(r.Windows))
	})
}

func BenchmarkAnnualReport(b *testing.B) {
	benchReport(b, func(f *fixture, asOf time.Time) (report.AnnualReport, error) {
		return report.Annual(f.ctx, f.st, 2023, asOf)
	}, func(r report.AnnualReport) string { return failIf(r.FollowUpCoverage.Alumni == 0, "no alumni") })
}

func BenchmarkFollowUpsDue(b *testing.B) {
	benchReport(b, func(f *fixture, asOf time.Time) (report.DueReport, error) {
		return report.FollowUpsDue(f.ctx, f.st, report.DueFilter{AsOf: asOf})
	}, func(r report.DueReport) string { return failIf(r.DueCount == 0, "nobody due") })
}
