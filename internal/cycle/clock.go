package cycle

import (
	"context"
	"time"
)

// China is the time zone of the programs (UTC+8, no daylight saving): "today" is a civil
// date there.
var China = time.FixedZone("CST", 8*60*60)

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
func Today(ctx context.Context) time.Time { return DateOf(Now(ctx)) }

// DateOf is the civil date in China of an instant, as midnight UTC.
func DateOf(t time.Time) time.Time {
	y, m, d := t.In(China).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
