package auth

import (
	"math"
	"sync"
	"time"

	"talentdb/internal/vocab"
)

// Rate is a token-bucket limit: Burst requests at once, refilled at Burst per Per.
// The zero Rate means no limit.
type Rate struct {
	Burst int
	Per   time.Duration
}

// Limiter is an in-memory token bucket per key (an IP, a username, a principal). Buckets
// that have refilled completely are swept, so memory follows the number of recently
// active keys. It is safe for concurrent use. Limits are per process.
type Limiter struct {
	rate  Rate
	clock vocab.Clock

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// sweepAbove is the number of buckets above which full ones are swept (at most once per
// refill period).
const sweepAbove = 1024

// NewLimiter returns a limiter for r reading time from now (time.Now when nil).
func NewLimiter(r Rate, now func() time.Time) *Limiter {
	return &Limiter{rate: r, clock: now, buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket. When the bucket is empty it returns false and
// how long until a token is back.
func (l *Limiter) Allow(key string) (bool, time.Duration) { return l.use(key, true, true) }

// Check reports whether key's bucket has a token, without taking it (and when it has not,
// how long until it has). With Take it counts only some events, such as failed sign-ins.
func (l *Limiter) Check(key string) (bool, time.Duration) { return l.use(key, true, false) }

// Take removes one token from key's bucket, if it has one.
func (l *Limiter) Take(key string) { l.use(key, false, true) }

func (l *Limiter) use(key string, check, take bool) (bool, time.Duration) {
	if l == nil || l.rate.Burst <= 0 || l.rate.Per <= 0 {
		return true, 0
	}
	now := l.clock.Now()
	perToken := float64(l.rate.Per) / float64(l.rate.Burst) // nanoseconds per token
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buckets) > sweepAbove && now.Sub(l.lastSweep) >= l.rate.Per {
		l.sweep(now, perToken)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.at); el > 0 {
		b.tokens = math.Min(float64(l.rate.Burst), b.tokens+float64(el)/perToken)
		b.at = now
	}
	if b.tokens >= 1 {
		if take {
			b.tokens--
		}
		return true, 0
	}
	if !check {
		return false, 0
	}
	wait := time.Duration(math.Ceil((1 - b.tokens) * perToken))
	return false, wait
}

// sweep drops buckets that are full at now: forgetting them changes nothing.
func (l *Limiter) sweep(now time.Time, perToken float64) {
	for k, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.at))/perToken >= float64(l.rate.Burst) {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}

// Len returns the number of buckets held (for tests and metrics).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
