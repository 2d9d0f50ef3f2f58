package cycle

import (
	"context"
	"time"

	"talentdb/internal/vocab"
)

// China is the time zone of the programs: vocab.China.
var China = vocab.China

type clockKey struct{}

// WithClock returns ctx carrying now as the clock of the cycle's rules. Only tests set it
// (to walk an edition through its year); without it the rules read time.Now. Nothing a
// client sends can set it.
func WithClock(ctx context.Context, now func() time.Time) context.Context {
	return context.WithValue(ctx, clockKey{}, now)
}

// Now is the current instant by ctx's clock.
func Now(ctx context.Context) time.Time {
	if now, ok := ctx.Value(clockKey{}).(func() time.Time); ok && now != nil {
		return now()
	}
	return time.Now()
}

// Today is the civil date in China by ctx's clock, as midnight UTC (the form of DATE values).
func Today(ctx context.Context) time.Time { return vocab.Today(func() time.Time { return Now(ctx) }) }

// DateOf is the civil date in China of an instant, as midnight UTC.
func DateOf(t time.Time) time.Time {
	return vocab.DateOf(t)
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
