package remind

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/vocab"
)

// ParseDailyAt reads REMIND_DAILY_AT, "HH:MM" in China time; "" or "off" is no daily job.
func ParseDailyAt(s string) (at time.Duration, on bool, err error) {
	if s == "" || s == "off" {
		return 0, false, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false, fmt.Errorf("REMIND_DAILY_AT %q: want HH:MM (China time) or off", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, true, nil
}

// NextRun is the first instant after now that is at (since midnight) in China.
func NextRun(now time.Time, at time.Duration) time.Time {
	c := now.In(vocab.China)
	next := time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, vocab.China).Add(at)
	if !next.After(now) {
		next = time.Date(c.Year(), c.Month(), c.Day()+1, 0, 0, 0, 0, vocab.China).Add(at)
	}
	return next
}

// Daily runs the day's digests as caller every day at at (China time) until ctx ends,
// logging each run; a failed run is logged and the next day's is still made. A run that
// the server missed (it was down at the time) is not made up: cron plus `talentdb
// remind` is the way for that, and the sends table makes a second run of the day harmless.
func (s *Service) Daily(ctx context.Context, c access.Caller, at time.Duration, log *slog.Logger) {
	s.daily(ctx, c, func() time.Time { return NextRun(s.now(), at) }, log)
}

// daily is Daily with the next run's instant from next, for a test to run it at once.
func (s *Service) daily(ctx context.Context, c access.Caller, next func() time.Time, log *slog.Logger) {
	for {
		t := time.NewTimer(time.Until(next()))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		rep, err := s.Run(ctx, c, RunOptions{})
		if err != nil {
			log.Error("remind: daily run", "err", err.Error())
			continue
		}
		log.Info("remind: daily run", "as_of", rep.AsOf, "sent", rep.Sent, "failed", rep.Failed,
			"skipped", rep.Skipped, "took", rep.Took.String())
	}
}
