package seed

import (
	"context"
	"fmt"
	"io"
	"time"

	"talentdb/internal/store"
)

// seedCycleRules completes the demo edition's cycle with what the cycle's rules keep
// (docs/cycle.md, "Demo data"): after SeedCycle has written applications (some returned),
// a public notice per school with an objection, growth logs, tasks and training, it records
// the objections' outcomes and each nominee's notice, lets about one in twenty schools
// begin the summary evaluation early (mentor and school assessments, completions, a fail or
// two, year summaries, exchange recommendations), and adds typical cases of past editions.
func seedCycleRules(ctx context.Context, t *store.SeedTx, year int, today time.Time, progress io.Writer) error {
	c, err := t.SeedCycleRules(ctx, year, today)
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "seed: %d cycle rules: %d later notices, %d nominees linked to notices, %d schools evaluating early, %d assessments, %d completed or failed, %d year summaries, %d exchange recommendations, %d typical cases\n",
		year, c.ExtraNotices, c.NoticeLinks, c.EarlyPhases/2, c.Assessments, c.Evaluations, c.YearSummaries, c.Exchanges, c.TypicalCases)
	return nil
}
