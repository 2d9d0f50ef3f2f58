// Package authtest helps tests sign in: it creates an account of a role and an API token
// for it in one call, and offers a clock tests can move. It is imported by tests only and
// never by the product.
package authtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/store"
)

// Scope names the scope of a role that needs one: SchoolCode (an existing school's code)
// for school_operator, CityCode (a city code such as 510100) for city_coordinator,
// MentorID (an existing mentor) for mentor.
type Scope struct {
	SchoolCode string
	CityCode   string
	MentorID   int64
}

// User creates an active account of role with a random username and returns it.
// city_coordinator defaults to 510100 (成都市) when no city is given; school_operator and
// mentor need their scope. It fails the test on any error.
func User(t testing.TB, st *store.Store, role string, scope ...Scope) store.User {
	t.Helper()
	var sc Scope
	if len(scope) > 0 {
		sc = scope[0]
	}
	if role == auth.RoleCityCoordinator && sc.CityCode == "" {
		sc.CityCode = "510100"
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	svc := auth.New(st, auth.Config{Argon2: auth.TestArgon2})
	u, _, err := svc.CreateUser(context.Background(), access.Caller{Username: "test", Role: access.RoleOfficeAdmin}, auth.NewUser{
		Username: "t_" + role + "_" + hex.EncodeToString(b[:]), Role: role,
		SchoolCode: sc.SchoolCode, CityCode: sc.CityCode, MentorID: sc.MentorID})
	if err != nil {
		t.Fatalf("authtest: create %s user: %v", role, err)
	}
	return u
}

// Token creates an account of role (see User) and an API token for it valid 30 days, and
// returns the token.
func Token(t testing.TB, st *store.Store, role string, scope ...Scope) string {
	t.Helper()
	return TokenFor(t, st, User(t, st, role, scope...))
}

// TokenFor creates an API token for an existing account and returns it.
func TokenFor(t testing.TB, st *store.Store, u store.User) string {
	t.Helper()
	secret := auth.NewAPIToken()
	now := time.Now()
	if _, err := st.TokenCreate(context.Background(), store.Actor{Name: "test"}, auth.HashSecret(secret), u.ID,
		"test", now, now.Add(30*24*time.Hour)); err != nil {
		t.Fatalf("authtest: create token: %v", err)
	}
	return secret
}

// Bearer is Token as the value of an Authorization header: "Bearer tdb_…". With the
// httpapi test fixture: f.do("GET", path, nil, "Authorization", authtest.Bearer(t, f.st, auth.RoleOfficeAdmin)).
func Bearer(t testing.TB, st *store.Store, role string, scope ...Scope) string {
	t.Helper()
	return "Bearer " + Token(t, st, role, scope...)
}

// Clock is a settable clock for auth.Config.Now: it starts at the real time (so rows the
// database stamps with now() agree with it) and moves only when told.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock reading the current time.
func NewClock() *Clock { return &Clock{t: time.Now()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// NewService is an auth.Service for tests of other packages: cheap argon2 and no rate
// limits, so a test may sign in and call the API as often as it likes.
func NewService(st *store.Store) *auth.Service {
	return auth.New(st, auth.Config{Argon2: auth.TestArgon2, LoginRate: auth.NoLimit, APIRate: auth.NoLimit})
}
