package store

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// Session is a signed-in browser. The token itself is never stored: the row is found by
// the SHA-256 of the cookie's value.
type Session struct {
	ID         int64
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

func sessionFromDB(r db.Session) Session {
	return Session{ID: r.ID, UserID: r.UserID, CSRFToken: r.CsrfToken, CreatedAt: r.CreatedAt,
		LastSeenAt: r.LastSeenAt, ExpiresAt: r.ExpiresAt}
}

// SessionInput is a sign-in to record.
type SessionInput struct {
	TokenHash []byte
	UserID    int64
	CSRFToken string
	Now       time.Time
	ExpiresAt time.Time
	// IdleBefore: sessions of the user last seen before it are stale and deleted.
	IdleBefore time.Time
	// ReplaceHash is the hash of the session cookie the browser signed in with, if any: that
	// session is deleted, whoever it belonged to (rotation on sign-in).
	ReplaceHash []byte
	IP          *netip.Addr
	UserAgent   *string
}

// SessionCreate records a successful sign-in in one transaction: drops the browser's
// previous session and the user's stale ones, resets the failed-login count, inserts the
// session and audits the login.
func (s *Store) SessionCreate(ctx context.Context, a Actor, in SessionInput) (Session, error) {
	var out Session
	err := s.accounts().InTx(ctx, func(tx pgx.Tx) error {
		if in.ReplaceHash != nil {
			if _, err := s.q.SessionDeleteByHash(ctx, tx, in.ReplaceHash); err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		uid := in.UserID
		if _, err := s.q.SessionDeleteStale(ctx, tx, db.SessionDeleteStaleParams{UserID: &uid, Now: in.Now,
			IdleBefore: in.IdleBefore}); err != nil {
			return err
		}
		if err := s.q.UserLoginSucceeded(ctx, tx, in.UserID); err != nil {
			return err
		}
		r, err := s.q.SessionInsert(ctx, tx, db.SessionInsertParams{TokenHash: in.TokenHash, UserID: in.UserID,
			CsrfToken: in.CSRFToken, Now: in.Now, ExpiresAt: in.ExpiresAt, Ip: in.IP, UserAgent: in.UserAgent})
		if err != nil {
			return err
		}
		out = sessionFromDB(r)
		return s.Audit(ctx, tx, a, AuditEntry{Action: "login", Entity: "session", EntityID: strconv.FormatInt(r.ID, 10),
			After: map[string]any{"user_id": in.UserID, "expires_at": in.ExpiresAt}})
	})
	if err != nil {
		return Session{}, mapErr("create session", err)
	}
	return out, nil
}

// SessionGetByHash finds a session and its account by the hash of the cookie's token.
// Expiry is the caller's to judge (it owns the clock).
func (s *Store) SessionGetByHash(ctx context.Context, hash []byte) (Session, User, error) {
	r, err := s.q.SessionGetByHash(ctx, s.accounts().scoped(), hash)
	if err != nil {
		return Session{}, User{}, mapErr("get session", err)
	}
	return sessionFromDB(r.Session), userFromDB(r.User, nil), nil
}

// SessionTouch records activity of a session at now.
func (s *Store) SessionTouch(ctx context.Context, id int64, now time.Time) error {
	return mapErr("touch session", s.q.SessionTouch(ctx, s.accounts().scoped(), db.SessionTouchParams{Now: now, ID: id}))
}

// SessionEnd deletes a session at its user's request (sign-out) and audits it.
func (s *Store) SessionEnd(ctx context.Context, a Actor, id int64) error {
	err := s.accounts().InTx(ctx, func(tx pgx.Tx) error {
		n, err := s.q.SessionDelete(ctx, tx, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return pgx.ErrNoRows
		}
		return s.Audit(ctx, tx, a, AuditEntry{Action: "logout", Entity: "session", EntityID: strconv.FormatInt(id, 10)})
	})
	return mapErr("end session", err)
}

// SessionDrop deletes a session found expired; it is housekeeping, not audited.
func (s *Store) SessionDrop(ctx context.Context, id int64) error {
	_, err := s.q.SessionDelete(ctx, s.accounts().scoped(), id)
	return mapErr("drop session", err)
}

// SessionPurge deletes every session past its absolute limit (expires_at ≤ now) or idle
// since idleBefore, and returns how many.
func (s *Store) SessionPurge(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	n, err := s.q.SessionDeleteStale(ctx, s.accounts().scoped(), db.SessionDeleteStaleParams{Now: now, IdleBefore: idleBefore})
	if err != nil {
		return 0, mapErr("purge sessions", err)
	}
	return n, nil
}
