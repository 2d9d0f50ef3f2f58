package auth_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// traced is a bundle whose service runs on a pool that counts what it sends.
type traced struct {
	bundle
	trips *atomic.Int64
}

func setupTraced(t *testing.T) traced {
	t.Helper()
	st := dbtest.New(t)
	var trips atomic.Int64
	ts, err := store.Open(context.Background(), st.Pool.Config().ConnString(),
		store.WithDefaultScope(store.OfficeScope), store.WithRoundTrips(func(context.Context) { trips.Add(1) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ts.Close)
	clk := authtest.NewClock()
	svc := auth.New(ts, auth.Config{Argon2: auth.TestArgon2, Now: clk.Now, LoginRate: auth.NoLimit})
	return traced{bundle: bundle{st: ts, clk: clk, svc: svc, ctx: context.Background()}, trips: &trips}
}

// since runs fn and returns the round trips it cost.
func (b traced) since(fn func()) int64 {
	n := b.trips.Load()
	fn()
	return b.trips.Load() - n
}

// TestCallerFromMemory: a token or session used again within the TTL costs no round
// trip; after it, the database is asked again, and what changed there is seen.
func TestCallerFromMemory(t *testing.T) {
	t.Parallel()
	b := setupTraced(t)
	r, tok := b.withToken(t, "liu.yang", auth.RoleOfficeAnalyst, "cohort of 2023")
	for name, authn := range map[string]func() error{
		"token":   func() error { _, err := b.svc.AuthenticateToken(b.ctx, tok.Secret); return err },
		"session": func() error { _, err := b.svc.AuthenticateSession(b.ctx, r.Token); return err },
	} {
		if n := b.since(func() {
			if err := authn(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}); n == 0 {
			t.Fatalf("%s: the first use cost no round trip", name)
		}
		for range 3 {
			if n := b.since(func() {
				if err := authn(); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}); n != 0 {
				t.Fatalf("%s: a remembered caller cost %d round trips", name, n)
			}
		}
	}
	// a revocation made elsewhere (another node) is seen once the TTL has passed
	if _, err := b.st.Pool.Exec(b.ctx, "UPDATE api_tokens SET revoked_at = now() WHERE id = $1", tok.Token.ID); err != nil {
		t.Fatal(err)
	}
	b.clk.Advance(b.svc.Config().CallerTTL)
	if _, err := b.svc.AuthenticateToken(b.ctx, tok.Secret); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("token revoked in the database, after the TTL: %v", err)
	}
}

// TestDoorChangesAreImmediate: what the auth door revokes, ends, disables or resets is
// refused on the very next request, however recently the credential was remembered.
func TestDoorChangesAreImmediate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(b traced, r auth.LoginResult, tok auth.NewToken) error
		// which of the two is refused after it (the other still works)
		session, token bool
	}{
		{"revoke the token", func(b traced, r auth.LoginResult, tok auth.NewToken) error {
			_, err := b.svc.RevokeToken(b.ctx, r.Principal, r.Principal.Caller("", nil), tok.Token.ID)
			return err
		}, false, true},
		{"sign out", func(b traced, r auth.LoginResult, _ auth.NewToken) error {
			return b.svc.Logout(b.ctx, r.Principal, r.Principal.Caller("", nil))
		}, true, false},
		{"disable the account", func(b traced, r auth.LoginResult, _ auth.NewToken) error {
			_, err := b.svc.DisableUser(b.ctx, cli, r.User.Username)
			return err
		}, true, true},
		{"reset the password", func(b traced, r auth.LoginResult, _ auth.NewToken) error {
			_, err := b.svc.ResetPassword(b.ctx, cli, r.User.Username, "")
			return err
		}, true, true},
		{"sign in again from the same browser", func(b traced, r auth.LoginResult, _ auth.NewToken) error {
			_, err := b.svc.Login(b.ctx, auth.LoginRequest{Username: r.User.Username, Password: "the science fair",
				PreviousSession: r.Token})
			return err
		}, true, false},
		{"lock the account", func(b traced, r auth.LoginResult, _ auth.NewToken) error {
			for range b.svc.Config().MaxFailedLogins {
				if _, err := b.login(r.User.Username, "not the password"); !errors.Is(err, auth.ErrLoginFailed) {
					return err
				}
			}
			return nil
		}, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b := setupTraced(t)
			r, tok := b.withToken(t, "sun.li", auth.RoleOfficeAnalyst, "the science fair")
			for range 2 { // the second is answered from memory
				if _, err := b.svc.AuthenticateToken(b.ctx, tok.Secret); err != nil {
					t.Fatal(err)
				}
				if _, err := b.svc.AuthenticateSession(b.ctx, r.Token); err != nil {
					t.Fatal(err)
				}
			}
			if err := c.change(b, r, tok); err != nil {
				t.Fatal(err)
			}
			_, err := b.svc.AuthenticateSession(b.ctx, r.Token)
			if refused := errors.Is(err, auth.ErrUnauthenticated); refused != c.session || !refused && err != nil {
				t.Fatalf("session after the change: %v", err)
			}
			_, err = b.svc.AuthenticateToken(b.ctx, tok.Secret)
			if refused := errors.Is(err, auth.ErrUnauthenticated); refused != c.token || !refused && err != nil {
				t.Fatalf("token after the change: %v", err)
			}
		})
	}
}
