package store

import (
	"context"
	"time"

	"talentdb/db"
)

// SeedCycleRuleCounts is how many rows each step of SeedCycleRules wrote.
type SeedCycleRuleCounts struct {
	ObjectionOutcomes, ExtraNotices, NoticeLinks, EarlyPhases, Assessments, Evaluations int64
	YearSummaries, Exchanges, TypicalCases                                              int64
}

// SeedCycleRules completes the demo cycle of year set-based, after SeedCycle, with what the
// cycle's rules keep (docs/cycle.md): objection outcomes, the notice of each publicized
// nominee (and the later notices of nominees publicized after the first had ended), a few schools that began the summary evaluation on November 1 with the mentor's
// and the school's assessments (completing those who pass), their year summaries and
// exchange recommendations, and typical cases of earlier editions. Nothing after today.
func (t *SeedTx) SeedCycleRules(ctx context.Context, year int, today time.Time) (SeedCycleRuleCounts, error) {
	var c SeedCycleRuleCounts
	y := int32(year)
	steps := []struct {
		name string
		dst  *int64
		run  func() (int64, error)
	}{
		{"objection outcomes", &c.ObjectionOutcomes, func() (int64, error) { return t.q.SeedCycleObjectionOutcomes(ctx, t.tx) }},
		{"later notices", &c.ExtraNotices, func() (int64, error) { return t.q.SeedCycleExtraNotices(ctx, t.tx, y) }},
		{"notice links", &c.NoticeLinks, func() (int64, error) { return t.q.SeedCycleNoticeLinks(ctx, t.tx, y) }},
		{"early summary phases", &c.EarlyPhases, func() (int64, error) { return t.q.SeedCycleEarlySummary(ctx, t.tx, y) }},
		{"assessments", &c.Assessments, func() (int64, error) {
			return t.q.SeedCycleAssessments(ctx, t.tx, db.SeedCycleAssessmentsParams{Year: y, Today: today})
		}},
		{"evaluations", &c.Evaluations, func() (int64, error) { return t.q.SeedCycleEvaluations(ctx, t.tx, y) }},
		{"cycle year summaries", &c.YearSummaries, func() (int64, error) {
			return t.q.SeedCycleYearSummaries(ctx, t.tx, db.SeedCycleYearSummariesParams{Year: y, Today: today})
		}},
		{"cycle exchange recommendations", &c.Exchanges, func() (int64, error) {
			return t.q.SeedCycleExchanges(ctx, t.tx, db.SeedCycleExchangesParams{Year: y, Today: today})
		}},
		{"typical cases", &c.TypicalCases, func() (int64, error) {
			return t.q.SeedCycleTypicalCases(ctx, t.tx, db.SeedCycleTypicalCasesParams{Year: y, Today: today})
		}},
	}
	for _, s := range steps {
		n, err := s.run()
		if err != nil {
			return c, mapErr("seed "+s.name, err)
		}
		*s.dst = n
	}
	return c, nil
}
