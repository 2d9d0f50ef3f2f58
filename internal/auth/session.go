package auth

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// Session is a signed-in browser session.
type Session = store.Session

// SessionCookie is the name of the session cookie. The __Host- prefix makes browsers
// insist on Secure, Path=/ and no Domain.
const SessionCookie = "__Host-talentdb_session"

// NewSessionCookie is the cookie of a new session, for the API and the web app alike:
// __Host- (so Secure, Path=/, no Domain), HttpOnly, SameSite=Lax, and no Max-Age, so it
// ends with the browser; the server ends it sooner when idle or old.
func NewSessionCookie(token string) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: token, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode}
}

// ClearedSessionCookie tells the browser to forget the session cookie.
func ClearedSessionCookie() *http.Cookie {
	c := NewSessionCookie("")
	c.MaxAge = -1
	return c
}

// CSRFHeader carries the session's synchroniser token on unsafe cookie requests;
// CSRFFormField is its name in a urlencoded form.
const (
	CSRFHeader    = "X-CSRF-Token"
	CSRFFormField = "csrf_token"
)

// LoginRequest is one sign-in attempt and where it comes from.
type LoginRequest struct {
	Username string
	Password string
	// PreviousSession is the session cookie the browser sent, if any: it is ended
	// (rotation), so a planted session id never survives a sign-in.
	PreviousSession string
	IP              *netip.Addr
	UserAgent       string
	RequestID       string
}

// LoginResult is a successful sign-in. Token goes into the cookie and nowhere else.
type LoginResult struct {
	Token     string
	Session   Session
	User      User
	Principal Principal
}

// Login checks a username and password and opens a session. Every refusal is
// ErrLoginFailed (or a *RateLimitError before any password work, once the client's IP or
// the username has had LoginRate failures); the audit log records which it was. Five
// consecutive wrong passwords lock the account for 15 minutes.
func (s *Service) Login(ctx context.Context, req LoginRequest) (LoginResult, error) {
	ipKey, userKey := "-", strings.ToLower(req.Username)
	if req.IP != nil {
		ipKey = req.IP.String()
	}
	if ok, wait := s.loginByIP.Check(ipKey); !ok {
		return LoginResult{}, &RateLimitError{RetryAfter: wait}
	}
	if ok, wait := s.loginByUser.Check(userKey); !ok {
		return LoginResult{}, &RateLimitError{RetryAfter: wait}
	}
	res, err := s.login(ctx, req)
	if errors.Is(err, ErrLoginFailed) {
		// only failures count: a class of teachers signing in behind one school NAT
		// must not lock each other out
		s.loginByIP.Take(ipKey)
		s.loginByUser.Take(userKey)
	}
	return res, err
}

func (s *Service) login(ctx context.Context, req LoginRequest) (LoginResult, error) {
	now := s.Now()
	u, err := s.st.UserGetByUsername(ctx, req.Username)
	if errors.Is(err, store.ErrNotFound) {
		// the same argon2 work as a real account, so timing does not tell them apart
		if dummy, herr := s.dummyHash(); herr == nil {
			_ = s.hash(ctx, func() { _, _ = VerifyPassword(req.Password, dummy) })
		}
		anon := store.Actor{Name: "anonymous", RequestID: req.RequestID, IP: req.IP}
		if err := s.st.AuditLoginRefused(ctx, anon, 0, store.LoginUnknownUser); err != nil {
			return LoginResult{}, err
		}
		return LoginResult{}, ErrLoginFailed
	}
	if err != nil {
		return LoginResult{}, err
	}
	actor := store.Actor{Name: u.Username, Role: u.Role, RequestID: req.RequestID, IP: req.IP}
	var ok bool
	var verr error
	if err := s.hash(ctx, func() { ok, verr = VerifyPassword(req.Password, u.PasswordHash) }); err != nil {
		return LoginResult{}, err
	}
	if verr != nil {
		return LoginResult{}, verr
	}
	switch {
	case u.Disabled():
		return LoginResult{}, s.refuse(ctx, actor, u.ID, store.LoginDisabled)
	case u.Locked(now):
		return LoginResult{}, s.refuse(ctx, actor, u.ID, store.LoginLocked)
	case !ok:
		locked, err := s.st.UserLoginFailed(ctx, actor, u.ID, s.cfg.MaxFailedLogins, now.Add(s.cfg.LockoutDuration))
		if err != nil {
			return LoginResult{}, err
		}
		if locked {
			s.forgetUser(u.ID)
		}
		return LoginResult{}, ErrLoginFailed
	}
	if NeedsRehash(u.PasswordHash, s.cfg.Argon2) {
		var h string
		var herr error
		if err := s.hash(ctx, func() { h, herr = HashPassword(req.Password, s.cfg.Argon2) }); err == nil && herr == nil {
			if err := s.st.UserPasswordRehash(ctx, u.ID, u.PasswordHash, h); err != nil {
				return LoginResult{}, err
			}
		}
	}
	token := newSecret()
	in := store.SessionInput{TokenHash: HashSecret(token), UserID: u.ID, CSRFToken: newSecret(), Now: now,
		ExpiresAt: now.Add(s.cfg.SessionMaxAge), IdleBefore: now.Add(-s.cfg.SessionIdle), IP: req.IP}
	if wellFormedSecret(req.PreviousSession) {
		in.ReplaceHash = HashSecret(req.PreviousSession)
	}
	if ua := strings.TrimSpace(req.UserAgent); ua != "" {
		ua = truncate(ua, 512)
		in.UserAgent = &ua
	}
	sess, err := s.st.SessionCreate(ctx, actor, in)
	if in.ReplaceHash != nil {
		s.sessions.drop(in.ReplaceHash) // ended by the rotation
	}
	if err != nil {
		return LoginResult{}, err
	}
	s.maybePurge(ctx, now)
	u.FailedLogins, u.LockedUntil = 0, nil
	p := principalOf(u, ViaSession)
	p.SessionID, p.csrf = sess.ID, sess.CSRFToken
	return LoginResult{Token: token, Session: sess, User: u, Principal: p}, nil
}

func (s *Service) refuse(ctx context.Context, a store.Actor, userID int64, outcome string) error {
	if err := s.st.AuditLoginRefused(ctx, a, userID, outcome); err != nil {
		return err
	}
	return ErrLoginFailed
}

// maybePurge deletes every stale session at most once per purgeEvery; a failure only
// postpones the sweep.
func (s *Service) maybePurge(ctx context.Context, now time.Time) {
	s.purgeMu.Lock()
	due := now.Sub(s.lastPurge) >= purgeEvery
	if due {
		s.lastPurge = now
	}
	s.purgeMu.Unlock()
	if due {
		_, _ = s.st.SessionPurge(ctx, now, now.Add(-s.cfg.SessionIdle))
	}
}

// AuthenticateSession resolves a session cookie's value to its principal, recording the
// activity (at most once a minute); what it resolved to is remembered for
// Config.CallerTTL. An unknown, idle or expired session, or one whose
// account is disabled or locked, is ErrUnauthenticated.
func (s *Service) AuthenticateSession(ctx context.Context, token string) (Principal, error) {
	if !wellFormedSecret(token) {
		return Principal{}, ErrUnauthenticated
	}
	hash := HashSecret(token)
	now := s.Now()
	sess, u, gen, cached, err := s.sessions.lookup(hash, now, func() (Session, User, error) {
		return s.st.SessionGetByHash(ctx, hash)
	})
	if err != nil {
		return Principal{}, err
	}
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.cfg.SessionIdle {
		s.sessions.dropCred(sess.ID)
		if err := s.st.SessionDrop(ctx, sess.ID); err != nil {
			return Principal{}, err
		}
		return Principal{}, ErrUnauthenticated
	}
	if u.Disabled() || u.Locked(now) {
		if cached {
			s.sessions.drop(hash)
		}
		return Principal{}, ErrUnauthenticated
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.st.SessionTouch(ctx, sess.ID, now); err != nil {
			return Principal{}, err
		}
		sess.LastSeenAt = now
		cached = false // remember the touch
	}
	if !cached {
		s.sessions.put(hash, gen, sess.ID, sess, u, now)
	}
	p := principalOf(u, ViaSession)
	p.SessionID, p.csrf = sess.ID, sess.CSRFToken
	return p, nil
}

// Logout ends the session p signed in with and audits it as c. For a token principal there
// is no session and nothing happens.
func (s *Service) Logout(ctx context.Context, p Principal, c access.Caller) error {
	if p.Via != ViaSession || p.SessionID == 0 {
		return nil
	}
	err := s.st.SessionEnd(ctx, store.ActorFor(c), p.SessionID)
	s.sessions.dropCred(p.SessionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // ended concurrently: the result is the same
	}
	return err
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
