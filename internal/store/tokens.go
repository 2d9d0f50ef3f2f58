package store

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// APIToken is a personal token for scripts. The secret is never stored, only its SHA-256.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func tokenFromRow(r db.TokenGetForUserRow) APIToken {
	return APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt,
		LastUsedAt: r.LastUsedAt, RevokedAt: r.RevokedAt}
}

// tokenAudit is what the audit log keeps of a token: never the hash.
func tokenAudit(t APIToken) map[string]any {
	return map[string]any{"user_id": t.UserID, "name": t.Name, "expires_at": t.ExpiresAt}
}

// TokenCreate stores a new token of userID valid until expiresAt and audits it.
func (s *Store) TokenCreate(ctx context.Context, a Actor, hash []byte, userID int64, name string, now, expiresAt time.Time) (APIToken, error) {
	var t APIToken
	err := s.accounts().InTx(ctx, func(tx pgx.Tx) error {
		r, err := s.q.TokenInsert(ctx, tx, db.TokenInsertParams{TokenHash: hash, UserID: userID, Name: name,
			Now: now, ExpiresAt: expiresAt})
		if err != nil {
			return err
		}
		t = tokenFromRow(db.TokenGetForUserRow(r))
		return s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "api_token",
			EntityID: strconv.FormatInt(t.ID, 10), After: tokenAudit(t)})
	})
	if err != nil {
		return APIToken{}, writeErr("create token", "", err)
	}
	return t, nil
}

// TokenGetByHash finds a token and its owner by the hash of the secret. Expiry and
// revocation are the caller's to judge.
func (s *Store) TokenGetByHash(ctx context.Context, hash []byte) (APIToken, User, error) {
	r, err := s.q.TokenGetByHash(ctx, s.accounts().scoped(), hash)
	if err != nil {
		return APIToken{}, User{}, mapErr("get token", err)
	}
	a := r.ApiToken
	return APIToken{ID: a.ID, UserID: a.UserID, Name: a.Name, CreatedAt: a.CreatedAt, ExpiresAt: a.ExpiresAt,
		LastUsedAt: a.LastUsedAt, RevokedAt: a.RevokedAt}, userFromDB(r.User, nil), nil
}

// TokenTouch records a use of a token at now.
func (s *Store) TokenTouch(ctx context.Context, id int64, now time.Time) error {
	return mapErr("touch token", s.q.TokenTouch(ctx, s.accounts().scoped(), db.TokenTouchParams{Now: now, ID: id}))
}

// TokenList returns the tokens of a user, newest first, revoked and expired ones included.
func (s *Store) TokenList(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.q.TokenListByUser(ctx, s.accounts().scoped(), userID)
	if err != nil {
		return nil, mapErr("list tokens", err)
	}
	out := make([]APIToken, 0, len(rows))
	for _, r := range rows {
		out = append(out, tokenFromRow(db.TokenGetForUserRow(r)))
	}
	return out, nil
}

// TokenRevoke revokes token id of userID at now and audits it. A token of another user is
// ErrNotFound; revoking a revoked token changes nothing and is not audited again.
func (s *Store) TokenRevoke(ctx context.Context, a Actor, userID, id int64, now time.Time) (APIToken, error) {
	var t APIToken
	err := s.accounts().InTx(ctx, func(tx pgx.Tx) error {
		r, err := s.q.TokenGetForUser(ctx, tx, db.TokenGetForUserParams{ID: id, UserID: userID})
		if err != nil {
			return err
		}
		t = tokenFromRow(r)
		n, err := s.q.TokenRevoke(ctx, tx, db.TokenRevokeParams{Now: now, ID: id})
		if err != nil || n == 0 {
			return err
		}
		t.RevokedAt = &now
		return s.Audit(ctx, tx, a, AuditEntry{Action: "delete", Entity: "api_token",
			EntityID: strconv.FormatInt(id, 10), Before: tokenAudit(t)})
	})
	if err != nil {
		return APIToken{}, mapErr("revoke token", err)
	}
	return t, nil
}
