package web

import (
	"context"
	"errors"
	"math"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"talentdb/internal/access"
	"talentdb/internal/auth"
)

// contentSecurityPolicy allows only the app's own scripts, styles and images: no inline
// script or style, no event-handler attributes, no framing, forms posting only here. Canvas
// charts and the style properties ECharts sets from its script are not affected.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every page carries. Pages hold personal data and are
// never cached; static assets override Cache-Control.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

type ctxKey int

const (
	langKey ctxKey = iota
	principalKey
)

// langCookie remembers the chosen language. It holds no secret.
const langCookie = "talentdb_lang"

// language picks the page language: ?lang=zh|en (remembered in a cookie for a year), else
// the cookie, else Chinese.
func (a *app) language(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := langZh
		if v := r.URL.Query().Get("lang"); v == langZh || v == langEn {
			code = v
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: v, Path: "/", MaxAge: 365 * 24 * 3600,
				Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		} else if c, err := r.Cookie(langCookie); err == nil && (c.Value == langZh || c.Value == langEn) {
			code = c.Value
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey, code)))
	})
}

// langOf returns the language of the request.
func langOf(r *http.Request) Lang {
	if v, ok := r.Context().Value(langKey).(string); ok {
		return Lang(v)
	}
	return Lang(langZh)
}

// principal returns the signed-in user of a request behind session.
func principal(r *http.Request) auth.Principal {
	p, _ := r.Context().Value(principalKey).(auth.Principal)
	return p
}

// caller is the signed-in principal as the doors know it, with the request's id and
// address for the audit log: the one session put in the request's context.
func caller(r *http.Request) access.Caller {
	if c, ok := access.CallerFrom(r.Context()); ok {
		return c
	}
	return principal(r).Caller(r.Header.Get("X-Request-ID"), remoteAddr(r)) // the server's id (httpapi's withRequest)
}

// remoteAddr is the address the request came from, for the audit log and the rate limits.
func remoteAddr(r *http.Request) *netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return nil
	}
	a := ap.Addr().Unmap()
	return &a
}

// signedIn reports whether the request carries a principal.
func signedIn(r *http.Request) (auth.Principal, bool) {
	p, ok := r.Context().Value(principalKey).(auth.Principal)
	return p, ok
}

// Upload limits: a form is small; an import file may be large (the importer's own limit
// applies to the file itself).
const (
	maxFormBytes   = 1 << 20
	maxUploadBytes = 50<<20 + 1<<20
)

// session lets through only requests with a valid session cookie: others are sent to
// the sign-in page. It rate-limits the user like the API does, checks the CSRF token of
// every unsafe request (form field csrf_token, or the X-CSRF-Token header) and refuses a
// cross-origin one, then puts the user in the request's context as the caller of every
// door (the store derives the database scope from it).
func (a *app) session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(auth.SessionCookie)
		if err != nil || c.Value == "" {
			a.toLogin(w, r)
			return
		}
		p, err := a.auth.AuthenticateSession(r.Context(), c.Value)
		if errors.Is(err, auth.ErrUnauthenticated) {
			http.SetCookie(w, auth.ClearedSessionCookie())
			a.toLogin(w, r)
			return
		}
		if err != nil {
			a.serverError(w, r, err)
			return
		}
		if err := a.auth.AllowAPI(p); err != nil {
			var rl *auth.RateLimitError
			if errors.As(err, &rl) {
				w.Header().Set("Retry-After", strconv.Itoa(max(int(math.Ceil(rl.RetryAfter.Seconds())), 1)))
				a.errorPage(w, r, http.StatusTooManyRequests, "error.rate_limited")
				return
			}
			a.serverError(w, r, err)
			return
		}
		if unsafeMethod(r.Method) {
			if !sameOrigin(r) {
				a.errorPage(w, r, http.StatusForbidden, "error.csrf")
				return
			}
			if err := parseBody(w, r); err != nil {
				a.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
				return
			}
			tok := r.Header.Get(auth.CSRFHeader)
			if tok == "" {
				tok = r.PostFormValue(auth.CSRFFormField)
			}
			if !p.CSRFMatches(tok) {
				a.errorPage(w, r, http.StatusForbidden, "error.csrf")
				return
			}
		}
		cl := p.Caller(requestID(w), a.auth.ClientIP(r.RemoteAddr, r.Header.Values("X-Forwarded-For")))
		ctx := access.WithCaller(auth.WithPrincipal(r.Context(), p), cl)
		ctx = context.WithValue(ctx, principalKey, p)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// parseBody reads a urlencoded or multipart form within the size limits.
func parseBody(w http.ResponseWriter, r *http.Request) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
		return r.ParseMultipartForm(8 << 20)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	return r.ParseForm()
}

// sameOrigin refuses a request whose Origin (or, without one, Sec-Fetch-Site) says it
// comes from another site. Browsers send at least one of them on a form post; a request
// with neither (a script) still needs the CSRF token.
func sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		return err == nil && u.Host == r.Host
	}
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" {
		return s == "same-origin" || s == "none"
	}
	return true
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// toLogin sends a visitor without a session to the sign-in page, remembering where they
// were going (a GET only).
func (a *app) toLogin(w http.ResponseWriter, r *http.Request) {
	to := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		to += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// allow lets through the callers the policy (access.Policy) allows action act; the others
// get 403. Pages name the action they need, as the API's routes do: one table for both.
func (a *app) allow(act access.Action) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if access.Authorize(caller(r), act) != nil {
				a.errorPage(w, r, http.StatusForbidden, "error.forbidden")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// requestID is the id the API's middleware gave the request (echoed on the response).
func requestID(w http.ResponseWriter) string {
	return w.Header().Get("X-Request-ID")
}

// localPath accepts a redirect target only when it is a path of this site.
func localPath(s, def string) string {
	if s == "" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return def
	}
	if u, err := url.Parse(s); err != nil || u.Host != "" || u.Scheme != "" {
		return def
	}
	return s
}
