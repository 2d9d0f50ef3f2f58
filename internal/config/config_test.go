package config

import "testing"

// TestPoolAndRate: DATABASE_MAX_CONNS and API_RATE_PER_MINUTE set the pool size and the
// per-account limit; unset or unreadable, the defaults hold; "off" lifts the limit.
func TestPoolAndRate(t *testing.T) {
	cases := []struct {
		conns, rate string
		wantConns   int32
		wantRate    int
	}{
		{"", "", DefaultMaxConns, DefaultAPIRatePerMinute},
		{"16", "1200", 16, 1200},
		{"0", "off", DefaultMaxConns, 0},
		{"many", "-5", DefaultMaxConns, DefaultAPIRatePerMinute},
	}
	for _, c := range cases {
		t.Setenv("DATABASE_MAX_CONNS", c.conns)
		t.Setenv("API_RATE_PER_MINUTE", c.rate)
		got := FromEnv()
		if got.DatabaseMaxConns != c.wantConns || got.APIRatePerMinute != c.wantRate {
			t.Errorf("DATABASE_MAX_CONNS=%q API_RATE_PER_MINUTE=%q: %d conns, %d a minute; want %d, %d",
				c.conns, c.rate, got.DatabaseMaxConns, got.APIRatePerMinute, c.wantConns, c.wantRate)
		}
	}
}
