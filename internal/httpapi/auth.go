package httpapi

import (
	"errors"
	"math"
	"mime"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/auth"
)

// Sign-in, sign-out, the caller's account and API tokens; and the middleware that turns a
// session cookie or a bearer token into the request's auth.Principal. The rules live in
// internal/auth; docs/security.md explains them.

// Problem types of authentication.
const (
	ProblemUnauthorized = problemBase + "unauthorized" // 401: no, or no longer valid, credentials
	ProblemLoginFailed  = problemBase + "login-failed" // 401: wrong username or password (or locked/disabled: not told)
	ProblemForbidden    = problemBase + "forbidden"    // 403: signed in, but this way of signing in may not do that
	ProblemCSRF         = problemBase + "csrf"         // 403: cookie request without the session's CSRF token
	ProblemRateLimited  = problemBase + "rate-limited" // 429: too many requests; see Retry-After
)

// authRoutes declares the /api/v1/auth endpoints (called inside the /api/v1 route).
func (s *server) authRoutes(api api) {
	api.post("/auth/login", access.SignIn, s.login)
	api.post("/auth/logout", access.AccountSelf, s.logout)
	api.get("/auth/me", access.AccountSelf, s.me)
	api.get("/auth/tokens", access.AccountSelf, s.listTokens)
	api.post("/auth/tokens", access.AccountSelf, s.createToken)
	api.delete("/auth/tokens/{id}", access.AccountSelf, s.revokeToken)
}

// publicPaths need no credentials: signing in, and the API's description.
var publicPaths = map[string]bool{"/api/v1/auth/login": true, "/api/v1/openapi.json": true}

// authenticate resolves the request's credentials to a principal and puts it in the
// context; without valid ones the request ends in 401. Cookie requests with an unsafe
// method must carry the session's CSRF token. Each principal is rate-limited. The request
// then runs in the principal's database scope. With Deps.Auth nil authentication is
// switched off and every request acts for the office.
func (s *server) authenticate(next http.Handler) http.Handler {
	if s.auth == nil {
		return unauthenticated(next)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if publicPaths[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		p, ok := s.resolve(w, r)
		if !ok {
			return
		}
		if err := s.auth.AllowAPI(p); err != nil {
			s.authFail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(withCaller(r.Context(), p, p.Caller(requestIDFrom(r.Context()), s.clientIP(r)))))
	})
}

// resolve finds the principal of r, or answers the failure and returns false.
func (s *server) resolve(w http.ResponseWriter, r *http.Request) (auth.Principal, bool) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, cred, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="talentdb"`)
			writeProblem(w, r, newProblem(http.StatusUnauthorized, ProblemUnauthorized, "Unauthorized",
				"只支持 Bearer 令牌 / Only Authorization: Bearer <token> is supported."))
			return auth.Principal{}, false
		}
		p, err := s.auth.AuthenticateToken(ctx, strings.TrimSpace(cred))
		if err != nil {
			if errors.Is(err, auth.ErrUnauthenticated) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="talentdb", error="invalid_token"`)
				writeProblem(w, r, newProblem(http.StatusUnauthorized, ProblemUnauthorized, "Unauthorized",
					"令牌无效、已过期或已撤销 / The token is invalid, expired or revoked."))
				return auth.Principal{}, false
			}
			fail(w, r, err)
			return auth.Principal{}, false
		}
		return p, true
	}
	c, err := r.Cookie(auth.SessionCookie)
	if err != nil || c.Value == "" {
		s.authFail(w, r, auth.ErrUnauthenticated)
		return auth.Principal{}, false
	}
	p, err := s.auth.AuthenticateSession(ctx, c.Value)
	if err != nil {
		if errors.Is(err, auth.ErrUnauthenticated) {
			http.SetCookie(w, auth.ClearedSessionCookie())
			w.Header().Set("WWW-Authenticate", `Bearer realm="talentdb"`) // RFC 9110: every 401 names a scheme
			writeProblem(w, r, newProblem(http.StatusUnauthorized, ProblemUnauthorized, "Unauthorized",
				"登录已过期，请重新登录 / Your session has ended; please sign in again."))
			return auth.Principal{}, false
		}
		fail(w, r, err)
		return auth.Principal{}, false
	}
	if unsafeMethod(r.Method) && !p.CSRFMatches(s.csrfTokenOf(w, r)) {
		writeProblem(w, r, newProblem(http.StatusForbidden, ProblemCSRF, "CSRF token missing or wrong",
			"缺少或错误的 CSRF 令牌：请在 X-CSRF-Token 请求头中发送登录时得到的 csrf_token / "+
				"Send the csrf_token you got at sign-in in the X-CSRF-Token header."))
		return auth.Principal{}, false
	}
	return p, true
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions && m != http.MethodTrace
}

// csrfTokenOf reads the CSRF token of a request: the header, or the form field of a
// urlencoded body (never a multipart one: that would read an upload into memory here).
func (s *server) csrfTokenOf(w http.ResponseWriter, r *http.Request) string {
	if v := r.Header.Get(auth.CSRFHeader); v != "" {
		return v
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
		return r.PostFormValue(auth.CSRFFormField)
	}
	return ""
}

// authFail answers the errors of authentication: 401, 403, 429, or fail for the rest.
func (s *server) authFail(w http.ResponseWriter, r *http.Request, err error) {
	var rl *auth.RateLimitError
	switch {
	case errors.As(err, &rl):
		secs := int(math.Ceil(rl.RetryAfter.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
		writeProblem(w, r, newProblem(http.StatusTooManyRequests, ProblemRateLimited, "Too many requests",
			"请求过于频繁，请稍后再试 / Too many requests; retry after the number of seconds in Retry-After."))
	case errors.Is(err, auth.ErrLoginFailed):
		writeProblem(w, r, newProblem(http.StatusUnauthorized, ProblemLoginFailed, "Sign-in failed",
			"用户名或密码错误（多次失败后账号将被暂时锁定） / Wrong username or password (repeated failures lock the account for a while)."))
	case errors.Is(err, auth.ErrUnauthenticated):
		w.Header().Set("WWW-Authenticate", `Bearer realm="talentdb"`)
		writeProblem(w, r, newProblem(http.StatusUnauthorized, ProblemUnauthorized, "Unauthorized",
			"需要登录或 API 令牌 / Sign in, or send Authorization: Bearer <token>."))
	case errors.Is(err, auth.ErrSessionRequired):
		writeProblem(w, r, newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden",
			"只能在浏览器登录后创建令牌，不能用令牌创建令牌 / Tokens can be created only from a signed-in browser session, not with another token."))
	default:
		var pe *auth.PolicyError
		if errors.As(err, &pe) {
			fail(w, r, fieldProblem("password", pe.Rule, pe.Message))
			return
		}
		fail(w, r, err)
	}
}

// authDisabled answers the auth endpoints while authentication is switched off.
func authDisabled(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, r, newProblem(http.StatusNotFound, ProblemNotFound, "Not found",
		"本服务未启用登录 / Authentication is not enabled on this server."))
}

// principalFrom returns the request's principal, answering 404 (authentication off) or
// 401 when there is none.
func (s *server) principalFrom(w http.ResponseWriter, r *http.Request) (auth.Principal, bool) {
	if s.auth == nil {
		authDisabled(w, r)
		return auth.Principal{}, false
	}
	p, ok := auth.FromContext(r.Context())
	if !ok {
		s.authFail(w, r, auth.ErrUnauthenticated)
	}
	return p, ok
}

// clientIP is the address a request comes from, for rate limits and the audit log.
func (s *server) clientIP(r *http.Request) *netip.Addr {
	return s.auth.ClientIP(r.RemoteAddr, r.Header.Values("X-Forwarded-For"))
}

// userView is an account as the API shows it: never the hash or the failure count.
type userView struct {
	ID          int64   `json:"id"`
	Username    string  `json:"username"`
	DisplayName *string `json:"display_name"`
	Role        string  `json:"role"`
	SchoolID    *int64  `json:"school_id"`
	SchoolCode  *string `json:"school_code"`
	CityCode    *string `json:"city_code"`
	MentorID    *int64  `json:"mentor_id"`
}

func viewUser(u auth.User) userView {
	return userView{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, SchoolID: u.SchoolID,
		SchoolCode: u.SchoolCode, CityCode: u.CityCode, MentorID: u.MentorID}
}

type loginBody struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// login is POST /auth/login: a JSON body only (an HTML form from another site cannot
// send one, which keeps attackers from signing a victim into their account), a new
// session and cookie on success, one answer for every failure.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	if s.auth == nil {
		authDisabled(w, r)
		return
	}
	var b loginBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var errs []FieldError
	if strings.TrimSpace(b.Username) == "" {
		errs = append(errs, FieldError{Field: "username", Rule: "required", Message: "请填写用户名 / username is required"})
	}
	if b.Password == "" {
		errs = append(errs, FieldError{Field: "password", Rule: "required", Message: "请填写密码 / password is required"})
	}
	if len(errs) > 0 {
		fail(w, r, validationProblem(errs...))
		return
	}
	req := auth.LoginRequest{Username: strings.TrimSpace(b.Username), Password: b.Password, IP: s.clientIP(r),
		UserAgent: r.UserAgent(), RequestID: requestIDFrom(r.Context())}
	if c, err := r.Cookie(auth.SessionCookie); err == nil {
		req.PreviousSession = c.Value
	}
	res, err := s.auth.Login(r.Context(), req)
	if err != nil {
		s.authFail(w, r, err)
		return
	}
	http.SetCookie(w, auth.NewSessionCookie(res.Token))
	respondJSON(w, http.StatusOK, map[string]any{"user": viewUser(res.User), "csrf_token": res.Session.CSRFToken,
		"expires_at": res.Session.ExpiresAt.UTC().Format(time.RFC3339)})
}

// logout is POST /auth/logout: ends the session and clears the cookie. With an API token
// there is no session: nothing changes (revoke the token instead).
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	p, ok := s.principalFrom(w, r)
	if !ok {
		return
	}
	if err := s.auth.Logout(r.Context(), p, callerFrom(r)); err != nil {
		fail(w, r, err)
		return
	}
	if p.Via == auth.ViaSession {
		http.SetCookie(w, auth.ClearedSessionCookie())
	}
	w.WriteHeader(http.StatusNoContent)
}

// me is GET /auth/me: the caller's account, how they signed in, and (for a session) the
// CSRF token, so a reloaded page can pick it up again.
func (s *server) me(w http.ResponseWriter, r *http.Request) {
	p, ok := s.principalFrom(w, r)
	if !ok {
		return
	}
	u, err := s.auth.Account(r.Context(), p)
	if err != nil {
		fail(w, r, err)
		return
	}
	body := map[string]any{"user": viewUser(u), "via": p.Via}
	if p.Via == auth.ViaSession {
		body["csrf_token"] = p.CSRFToken()
	}
	respondJSON(w, http.StatusOK, body)
}

// tokenView is an API token as listed: never the secret or its hash.
type tokenView struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	Active     bool       `json:"active"`
}

func (s *server) viewToken(t auth.APIToken) tokenView {
	return tokenView{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC(),
		LastUsedAt: utcPtr(t.LastUsedAt), RevokedAt: utcPtr(t.RevokedAt),
		Active: t.RevokedAt == nil && s.auth.Now().Before(t.ExpiresAt)}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

type tokenCreateBody struct {
	Name          string `json:"name"`
	ExpiresInDays *int   `json:"expires_in_days"`
}

// createToken is POST /auth/tokens: 201 with the secret, shown this once.
func (s *server) createToken(w http.ResponseWriter, r *http.Request) {
	p, ok := s.principalFrom(w, r)
	if !ok {
		return
	}
	var b tokenCreateBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	days := 0
	if b.ExpiresInDays != nil {
		if *b.ExpiresInDays == 0 {
			days = -1 // an explicit 0 is out of range, not "the default"
		} else {
			days = *b.ExpiresInDays
		}
	}
	t, err := s.auth.CreateToken(r.Context(), p, callerFrom(r), b.Name, days)
	if err != nil {
		s.authFail(w, r, err)
		return
	}
	respondJSON(w, http.StatusCreated, map[string]any{"id": t.Token.ID, "name": t.Token.Name, "token": t.Secret,
		"created_at": t.Token.CreatedAt.UTC(), "expires_at": t.Token.ExpiresAt.UTC()})
}

// listTokens is GET /auth/tokens: the caller's tokens, newest first, in one page.
func (s *server) listTokens(w http.ResponseWriter, r *http.Request) {
	p, ok := s.principalFrom(w, r)
	if !ok {
		return
	}
	ts, err := s.auth.ListTokens(r.Context(), p)
	if err != nil {
		fail(w, r, err)
		return
	}
	page := Page[tokenView]{Items: make([]tokenView, 0, len(ts))}
	for _, t := range ts {
		page.Items = append(page.Items, s.viewToken(t))
	}
	respondJSON(w, http.StatusOK, page)
}

// revokeToken is DELETE /auth/tokens/{id}: 204, also for a token already revoked; another
// user's token is 404.
func (s *server) revokeToken(w http.ResponseWriter, r *http.Request) {
	p, ok := s.principalFrom(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "token")
	if err != nil {
		fail(w, r, err)
		return
	}
	if _, err := s.auth.RevokeToken(r.Context(), p, callerFrom(r), id); err != nil {
		if errors.Is(err, access.ErrNotFound) {
			fail(w, r, notFoundProblem("token"))
			return
		}
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
