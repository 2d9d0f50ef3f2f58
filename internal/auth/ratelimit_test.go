package auth_test

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
)

func TestLimiter(t *testing.T) {
	t.Parallel()
	clk := authtest.NewClock()
	l := auth.NewLimiter(auth.Rate{Burst: 3, Per: 3 * time.Second}, clk.Now)
	for i := range 3 {
		if ok, _ := l.Allow("1.2.3.4"); !ok {
			t.Fatalf("request %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("1.2.3.4")
	if ok || wait != time.Second {
		t.Fatalf("4th request: ok %v wait %v, want refused for 1s", ok, wait)
	}
	if ok, _ := l.Allow("5.6.7.8"); !ok {
		t.Fatal("another key shares the bucket")
	}
	clk.Advance(400 * time.Millisecond)
	if ok, wait := l.Allow("1.2.3.4"); ok || wait != 600*time.Millisecond {
		t.Fatalf("partly refilled: ok %v wait %v", ok, wait)
	}
	clk.Advance(600 * time.Millisecond)
	if ok, _ := l.Allow("1.2.3.4"); !ok {
		t.Fatal("a refilled token is refused")
	}
	// idle buckets are swept once there are many
	for i := range 2000 {
		l.Allow(fmt.Sprint("k", i))
	}
	clk.Advance(10 * time.Second)
	l.Allow("new")
	if n := l.Len(); n > 10 {
		t.Fatalf("%d buckets kept after a sweep", n)
	}
	// Check does not consume; Take does
	c := auth.NewLimiter(auth.Rate{Burst: 1, Per: time.Minute}, clk.Now)
	for range 3 {
		if ok, _ := c.Check("k"); !ok {
			t.Fatal("Check consumed a token")
		}
	}
	c.Take("k")
	if ok, wait := c.Check("k"); ok || wait != time.Minute {
		t.Fatalf("after Take: ok %v wait %v", ok, wait)
	}
	if ok, _ := auth.NewLimiter(auth.NoLimit, clk.Now).Allow("x"); !ok {
		t.Fatal("NoLimit refuses")
	}
}

func TestClientIP(t *testing.T) {
	t.Parallel()
	plain := auth.New(nil, auth.Config{})
	behind := auth.New(nil, auth.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	cases := []struct {
		svc    *auth.Service
		remote string
		xff    []string
		want   string
	}{
		{plain, "203.0.113.9:5555", []string{"1.2.3.4"}, "203.0.113.9"}, // untrusted peer: header ignored
		{plain, "[::ffff:203.0.113.9]:80", nil, "203.0.113.9"},
		{behind, "10.0.0.1:80", []string{"203.0.113.9, 10.0.0.2"}, "203.0.113.9"},
		{behind, "10.0.0.1:80", []string{"1.2.3.4, 203.0.113.9"}, "203.0.113.9"}, // the client cannot spoof past the proxy
		{behind, "10.0.0.1:80", []string{"1.2.3.4", "198.51.100.7"}, "198.51.100.7"},
		{behind, "10.0.0.1:80", nil, "10.0.0.1"},
		{behind, "10.0.0.1:80", []string{"garbage, 10.0.0.3"}, "10.0.0.3"},
	}
	for _, c := range cases {
		got := c.svc.ClientIP(c.remote, c.xff)
		if got == nil || got.String() != c.want {
			t.Errorf("ClientIP(%q, %q) = %v, want %s", c.remote, c.xff, got, c.want)
		}
	}
	if plain.ClientIP("not an address", nil) != nil {
		t.Error("garbage remote address parsed")
	}
}

func TestParseTrustedProxies(t *testing.T) {
	t.Parallel()
	got, err := auth.ParseTrustedProxies(" 10.0.0.0/8, 127.0.0.1 ,, ::1, 192.168.1.7/24")
	if err != nil || fmt.Sprint(got) != "[10.0.0.0/8 127.0.0.1/32 ::1/128 192.168.1.0/24]" {
		t.Fatalf("got %v %v", got, err)
	}
	if _, err := auth.ParseTrustedProxies("10.0.0.0/8, proxy.local"); err == nil {
		t.Fatal("a host name accepted")
	}
	if got, err := auth.ParseTrustedProxies(""); err != nil || len(got) != 0 {
		t.Fatalf("empty: %v %v", got, err)
	}
}
