package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"talentdb/internal/auth"
)

// Sign-in. The form posts to this app, which calls the same auth.Service as the API's
// login endpoint: one account store, one set of rate limits and lock-outs, the same audit
// rows. A sign-in form has no session yet, so its CSRF defence is a double-submit token:
// a random value in a short-lived __Host- cookie that the form must repeat (an attacker's
// page can neither read nor set that cookie), plus the Origin check.

// loginCookie holds the sign-in form's anti-forgery token.
const loginCookie = "__Host-talentdb_login"

type loginData struct {
	Token    string
	Next     string
	Username string
	Error    string
	ErrField string
}

// loginPage shows the sign-in form (or sends a signed-in user home).
func (a *app) loginPage(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(auth.SessionCookie); err == nil && c.Value != "" {
		if _, err := a.auth.AuthenticateSession(r.Context(), c.Value); err == nil {
			http.Redirect(w, r, localPath(r.URL.Query().Get("next"), "/"), http.StatusSeeOther)
			return
		}
	}
	a.showLogin(w, r, http.StatusOK, loginData{Next: localPath(r.URL.Query().Get("next"), "")})
}

// showLogin renders the form with a fresh anti-forgery token.
func (a *app) showLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	var b [24]byte
	_, _ = rand.Read(b[:])
	d.Token = base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: d.Token, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	a.render(w, r, status, "login", "login.title", d)
}

// login checks the form and the credentials, opens a session and sends the user on.
func (a *app) login(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	if err := parseBody(w, r); err != nil {
		a.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
		return
	}
	d := loginData{Next: localPath(r.PostFormValue("next"), ""), Username: strings.TrimSpace(r.PostFormValue("username"))}
	c, err := r.Cookie(loginCookie)
	tok := r.PostFormValue("login_token")
	if !sameOrigin(r) || err != nil || tok == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(tok)) != 1 {
		d.Error = l.T("login.expired")
		a.showLogin(w, r, http.StatusForbidden, d)
		return
	}
	password := r.PostFormValue("password")
	switch {
	case d.Username == "":
		d.Error, d.ErrField = l.T("form.required"), "username"
	case password == "":
		d.Error, d.ErrField = l.T("form.required"), "password"
	}
	if d.Error != "" {
		a.showLogin(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	req := auth.LoginRequest{Username: d.Username, Password: password,
		IP: a.auth.ClientIP(r.RemoteAddr, r.Header.Values("X-Forwarded-For")), UserAgent: r.UserAgent(),
		RequestID: requestID(w)}
	if c, err := r.Cookie(auth.SessionCookie); err == nil {
		req.PreviousSession = c.Value
	}
	res, err := a.auth.Login(r.Context(), req)
	var rl *auth.RateLimitError
	switch {
	case errors.As(err, &rl):
		secs := max(int(math.Ceil(rl.RetryAfter.Seconds())), 1)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		d.Error, d.ErrField = l.T("login.rate_limited"), "password"
		a.showLogin(w, r, http.StatusTooManyRequests, d)
		return
	case errors.Is(err, auth.ErrLoginFailed):
		d.Error, d.ErrField = l.T("login.failed"), "password"
		a.showLogin(w, r, http.StatusUnauthorized, d)
		return
	case err != nil:
		a.serverError(w, r, err)
		return
	}
	http.SetCookie(w, auth.NewSessionCookie(res.Token))
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/", Secure: true, HttpOnly: true, MaxAge: -1})
	http.Redirect(w, r, localPath(d.Next, "/"), http.StatusSeeOther)
}

// logout ends the session and returns to the sign-in page.
func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	if err := a.auth.Logout(r.Context(), principal(r), caller(r)); err != nil {
		a.serverError(w, r, err)
		return
	}
	http.SetCookie(w, auth.ClearedSessionCookie())
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
