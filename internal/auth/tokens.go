package auth

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// MaxTokenNameLen bounds the name a user gives a token, in characters.
const MaxTokenNameLen = 100

// APIToken is an API token as listed: its name, validity and last use, never its secret.
type APIToken = store.APIToken

// NewToken is a token just created: Secret is shown to its owner once and kept nowhere.
type NewToken struct {
	Secret string
	Token  APIToken
}

// CreateToken makes an API token for p named name, valid for days (0: the default, at
// most TokenMaxDays), and audits it as c. Only a browser session may create tokens
// (ErrSessionRequired otherwise), so a leaked token cannot outlive its expiry by minting
// another. Invalid input is a *store.FieldError naming name or expires_in_days.
func (s *Service) CreateToken(ctx context.Context, p Principal, c access.Caller, name string, days int) (NewToken, error) {
	if p.Via != ViaSession {
		return NewToken{}, ErrSessionRequired
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxTokenNameLen {
		return NewToken{}, &store.FieldError{Field: "name", Rule: "length", Message: fmt.Sprintf(
			"令牌名称须为 1 到 %d 个字符 / The token name must have 1 to %d characters.", MaxTokenNameLen, MaxTokenNameLen)}
	}
	if days == 0 {
		days = s.cfg.TokenDefaultDays
	}
	if days < 1 || days > s.cfg.TokenMaxDays {
		return NewToken{}, &store.FieldError{Field: "expires_in_days", Rule: "range", Message: fmt.Sprintf(
			"有效天数须在 1 到 %d 之间 / expires_in_days must be between 1 and %d.", s.cfg.TokenMaxDays, s.cfg.TokenMaxDays)}
	}
	secret := NewAPIToken()
	now := s.Now()
	t, err := s.st.TokenCreate(ctx, store.ActorFor(c), HashSecret(secret), p.UserID, name, now, now.Add(time.Duration(days)*24*time.Hour))
	if err != nil {
		return NewToken{}, err
	}
	return NewToken{Secret: secret, Token: t}, nil
}

// AuthenticateToken resolves an API token (with its tdb_ prefix) to its owner's principal,
// recording the use (at most once a minute). What the token resolved to is remembered for
// Config.CallerTTL. An unknown, expired or revoked token, or one
// whose owner is disabled or locked, is ErrUnauthenticated.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (Principal, error) {
	rest, ok := strings.CutPrefix(secret, TokenPrefix)
	if !ok || !wellFormedSecret(rest) {
		return Principal{}, ErrUnauthenticated
	}
	hash := HashSecret(secret)
	now := s.Now()
	t, u, gen, cached, err := s.tokens.lookup(hash, now, func() (APIToken, User, error) {
		return s.st.TokenGetByHash(ctx, hash)
	})
	if err != nil {
		return Principal{}, err
	}
	if t.RevokedAt != nil || !now.Before(t.ExpiresAt) || u.Disabled() || u.Locked(now) {
		if cached {
			s.tokens.drop(hash)
		}
		return Principal{}, ErrUnauthenticated
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		if err := s.st.TokenTouch(ctx, t.ID, now); err != nil {
			return Principal{}, err
		}
		t.LastUsedAt = &now
		cached = false // remember the touch
	}
	if !cached {
		s.tokens.put(hash, gen, t.ID, t, u, now)
	}
	p := principalOf(u, ViaToken)
	p.TokenID = t.ID
	return p, nil
}

// ListTokens returns p's tokens, newest first (never their secrets).
func (s *Service) ListTokens(ctx context.Context, p Principal) ([]APIToken, error) {
	return s.st.TokenList(ctx, p.UserID)
}

// RevokeToken revokes p's token id and audits it as c; another user's token is
// access.ErrNotFound. Revoking a revoked token succeeds and changes nothing.
func (s *Service) RevokeToken(ctx context.Context, p Principal, c access.Caller, id int64) (APIToken, error) {
	t, err := s.st.TokenRevoke(ctx, store.ActorFor(c), p.UserID, id, s.Now())
	if err == nil {
		s.tokens.dropCred(t.ID)
	}
	return t, err
}
