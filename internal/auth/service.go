package auth

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// Config is every knob of authentication. The zero value of a field means its default
// (docs/security.md); tests set Argon2 to TestArgon2 and Now to a fake clock.
type Config struct {
	// Argon2 are the cost parameters of new password hashes (default DefaultArgon2).
	Argon2 Argon2Params
	// SessionIdle ends a session not used for this long (default 30 min).
	SessionIdle time.Duration
	// SessionMaxAge ends a session this long after sign-in, used or not (default 12 h).
	SessionMaxAge time.Duration
	// MaxFailedLogins consecutive failures lock an account (default 5) …
	MaxFailedLogins int
	// … for LockoutDuration (default 15 min).
	LockoutDuration time.Duration
	// TokenDefaultDays is an API token's lifetime when none is asked for (default 90) and
	// TokenMaxDays the longest allowed (default 365).
	TokenDefaultDays int
	TokenMaxDays     int
	// LoginRate limits sign-in attempts per client IP and, separately, per username
	// (default 10 a minute each). NoLimit switches it off.
	LoginRate Rate
	// APIRate limits requests per principal (default 600 a minute). NoLimit switches it off.
	APIRate Rate
	// MaxConcurrentHashes bounds the argon2 computations running at once (default
	// GOMAXPROCS): each takes Argon2.Memory of RAM.
	MaxConcurrentHashes int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed when
	// finding a client's IP (none by default: the TCP peer is the client).
	TrustedProxies []netip.Prefix
	// CallerTTL is how long this process trusts what a token or session resolved to
	// before reading it again (default 3 s; negative: read it at every request). The
	// auth door's own revocations, sign-outs, disables, password resets and lock-outs
	// take effect at once whatever it is; a change made by another node within it.
	CallerTTL time.Duration
	// CallerCacheSize bounds the credentials remembered (default 10 000).
	CallerCacheSize int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// NoLimit is a Rate that never refuses.
var NoLimit = Rate{Burst: -1}

// touchEvery is how stale last_seen_at / last_used_at may get before a request writes it:
// one write a minute per session, not one per request.
const touchEvery = time.Minute

// purgeEvery is how often a sign-in also sweeps every stale session of every account.
const purgeEvery = time.Hour

func (c Config) withDefaults() Config {
	if c.Argon2 == (Argon2Params{}) {
		c.Argon2 = DefaultArgon2
	}
	if c.SessionIdle <= 0 {
		c.SessionIdle = 30 * time.Minute
	}
	if c.SessionMaxAge <= 0 {
		c.SessionMaxAge = 12 * time.Hour
	}
	if c.MaxFailedLogins <= 0 {
		c.MaxFailedLogins = 5
	}
	if c.LockoutDuration <= 0 {
		c.LockoutDuration = 15 * time.Minute
	}
	if c.TokenDefaultDays <= 0 {
		c.TokenDefaultDays = 90
	}
	if c.TokenMaxDays <= 0 {
		c.TokenMaxDays = 365
	}
	if c.LoginRate == (Rate{}) {
		c.LoginRate = Rate{Burst: 10, Per: time.Minute}
	}
	if c.APIRate == (Rate{}) {
		c.APIRate = Rate{Burst: 600, Per: time.Minute}
	}
	if c.MaxConcurrentHashes <= 0 {
		c.MaxConcurrentHashes = runtime.GOMAXPROCS(0)
	}
	if c.CallerTTL == 0 {
		c.CallerTTL = 3 * time.Second
	}
	if c.CallerCacheSize <= 0 {
		c.CallerCacheSize = 10_000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Service authenticates people and scripts and manages accounts. One per process: it holds
// the rate limiters.
type Service struct {
	st  *store.Store
	cfg Config

	loginByIP   *Limiter
	loginByUser *Limiter
	api         *Limiter
	hashSlots   chan struct{}
	dummyHash   func() (string, error)

	tokens   *credCache[APIToken]
	sessions *credCache[Session]

	purgeMu   sync.Mutex
	lastPurge time.Time
}

// New returns a Service on st configured by cfg (zero fields take their defaults).
func New(st *store.Store, cfg Config) *Service {
	cfg = cfg.withDefaults()
	s := &Service{st: st, cfg: cfg,
		loginByIP:   NewLimiter(cfg.LoginRate, cfg.Now),
		loginByUser: NewLimiter(cfg.LoginRate, cfg.Now),
		api:         NewLimiter(cfg.APIRate, cfg.Now),
		hashSlots:   make(chan struct{}, cfg.MaxConcurrentHashes),
		tokens:      newCredCache[APIToken](cfg.CallerTTL, cfg.CallerCacheSize),
		sessions:    newCredCache[Session](cfg.CallerTTL, cfg.CallerCacheSize),
	}
	s.dummyHash = sync.OnceValues(func() (string, error) { return HashPassword(newSecret(), cfg.Argon2) })
	return s
}

// Config returns the effective configuration (defaults filled in).
func (s *Service) Config() Config { return s.cfg }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.cfg.Now() }

// Errors of authentication. The HTTP layer maps them to 401, 403 and 429.
var (
	// ErrLoginFailed is every refused sign-in: unknown user, wrong password, locked or
	// disabled account. The audit log says which; the caller must not.
	ErrLoginFailed = errors.New("auth: wrong username or password")
	// ErrUnauthenticated is a session or token that is unknown, expired, revoked, or whose
	// account is disabled or locked.
	ErrUnauthenticated = errors.New("auth: not authenticated")
	// ErrSessionRequired is an operation only a signed-in browser may do (creating tokens).
	ErrSessionRequired = errors.New("auth: this needs a browser session, not an API token")
)

// RateLimitError is a request over a rate limit; RetryAfter is when to try again.
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("auth: rate limited, retry after %s", e.RetryAfter)
}

// AllowAPI takes one request of p from the per-principal API limit.
func (s *Service) AllowAPI(p Principal) error {
	if ok, wait := s.api.Allow(fmt.Sprint(p.UserID)); !ok {
		return &RateLimitError{RetryAfter: wait}
	}
	return nil
}

// forgetUser drops every remembered credential of the account userID, for a change
// that ends them or the account's access.
func (s *Service) forgetUser(userID int64) {
	s.tokens.dropUser(userID)
	s.sessions.dropUser(userID)
}

// hash runs fn in one of the argon2 slots, waiting for one (or ctx).
func (s *Service) hash(ctx context.Context, fn func()) error {
	select {
	case s.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.hashSlots }()
	fn()
	return nil
}

// ClientIP is the address to rate-limit and audit: the TCP peer (remoteAddr, host:port or
// a bare address), or, when the peer is a trusted proxy, the right-most address of
// X-Forwarded-For (all its header lines, in order) that is not a trusted proxy. Nil when
// nothing parses.
func (s *Service) ClientIP(remoteAddr string, forwardedFor []string) *netip.Addr {
	peer, ok := parseAddr(remoteAddr)
	if !ok {
		return nil
	}
	if !s.trusted(peer) {
		return &peer
	}
	var hops []string
	for _, h := range forwardedFor {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseAddr(strings.TrimSpace(hops[i]))
		if !ok {
			break // a garbled hop: stop believing what comes before it
		}
		if !s.trusted(a) {
			return &a
		}
		peer = a
	}
	return &peer
}

// ParseTrustedProxies reads a comma-separated list of addresses and CIDR prefixes
// ("10.0.0.0/8, 127.0.0.1") for Config.TrustedProxies, e.g. from an environment variable.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("auth: trusted proxy %q is neither an address nor a CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func (s *Service) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func parseAddr(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

// principalOf builds the principal of u for the credential used.
func principalOf(u User, via Method) Principal {
	p := Principal{UserID: u.ID, Username: u.Username, Role: u.Role, Via: via}
	if u.SchoolID != nil {
		p.SchoolID = *u.SchoolID
	}
	if u.CityCode != nil {
		p.CityCode = *u.CityCode
	}
	if u.MentorID != nil {
		p.MentorID = *u.MentorID
	}
	return p
}

// Caller is the principal as the doors know it (internal/access): the account, its scope,
// how it came in and the request it made.
func (p Principal) Caller(requestID string, ip *netip.Addr) access.Caller {
	via := access.ViaSession
	if p.Via == ViaToken {
		via = access.ViaToken
	}
	return access.Caller{UserID: p.UserID, Username: p.Username, Role: p.Role, SchoolID: p.SchoolID,
		CityCode: p.CityCode, MentorID: p.MentorID, Via: via, RequestID: requestID, Addr: ip}
}
