package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/auth"
)

// Writes of personal data go through the JSON API in-process: a page's form becomes the
// API request the user could have sent themselves (same session cookie, same CSRF token,
// same request id), so every rule of the API — who may write what, the person's consent,
// validation, the tracking rules, If-Match versions, the audit row with the user as actor —
// applies to the page exactly as it does to a script. The page turns the API's problem
// answer back into errors next to the fields.

// apiResult is the API's answer: its status and, for a problem, what it said.
type apiResult struct {
	Status  int
	Body    []byte
	Problem *apiProblem
}

// apiProblem is the part of an RFC 9457 problem the pages use.
type apiProblem struct {
	Type   string `json:"type"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Rule    string `json:"rule"`
		Message string `json:"message"`
	} `json:"errors"`
}

// OK reports a 2xx answer.
func (res apiResult) OK() bool { return res.Status >= 200 && res.Status < 300 }

// recorder is a minimal in-memory http.ResponseWriter for the in-process API call.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (rec *recorder) Header() http.Header { return rec.header }
func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.body.Write(b)
}
func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
}

// callAPI sends method path (under /api/v1) with body as JSON to the API, as the
// signed-in user of r. ifMatch, when not empty, is sent as the If-Match version.
func (a *app) callAPI(w http.ResponseWriter, r *http.Request, method, path, ifMatch string, body any) (apiResult, error) {
	var rd bytes.Buffer
	h := http.Header{}
	if body != nil {
		if err := json.NewEncoder(&rd).Encode(body); err != nil {
			return apiResult{}, fmt.Errorf("web: encode %s %s: %w", method, path, err)
		}
		h.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		h.Set("If-Match", `"`+ifMatch+`"`)
	}
	return a.callAPIRaw(w, r, method, path, h, &rd)
}

// callAPIRaw sends method path (under /api/v1) with the headers h and body to the API,
// as the signed-in user of r: their session cookie, CSRF token, client address and the
// page request's id.
func (a *app) callAPIRaw(w http.ResponseWriter, r *http.Request, method, path string, h http.Header, body io.Reader) (apiResult, error) {
	// a context without the page's chi routing state, so the API router routes afresh
	ctx := context.WithValue(r.Context(), chi.RouteCtxKey, nil)
	req, err := http.NewRequestWithContext(ctx, method, "/api/v1"+path, body)
	if err != nil {
		return apiResult{}, err
	}
	req.RemoteAddr, req.Host = r.RemoteAddr, r.Host
	for _, k := range []string{"X-Forwarded-For", "User-Agent", "Accept-Language"} {
		if v := r.Header.Values(k); len(v) > 0 {
			req.Header[k] = v
		}
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if c, err := r.Cookie(auth.SessionCookie); err == nil {
		req.AddCookie(c)
	}
	req.Header.Set(auth.CSRFHeader, principal(r).CSRFToken())
	req.Header.Set("X-Request-ID", requestID(w))
	req.Header.Set("Accept", "application/json")
	rec := &recorder{header: http.Header{}}
	a.api.ServeHTTP(rec, req)
	res := apiResult{Status: rec.status, Body: rec.body.Bytes()}
	if res.Status == 0 {
		res.Status = http.StatusOK
	}
	if strings.HasPrefix(rec.header.Get("Content-Type"), "application/problem+json") {
		var p apiProblem
		if err := json.Unmarshal(res.Body, &p); err == nil {
			res.Problem = &p
		}
	}
	return res, nil
}

// apiOutcome files an API refusal on the form: field errors next to their fields, the
// rest (a duplicate, a stale version, a consent that is missing) as the form's error. It
// returns false when the refusal is not about the input; then page is the error page to
// show (404, 403) or 0 for a server error.
func (f *form) apiOutcome(res apiResult, fieldOf map[string]string) (handled bool, page int) {
	p := res.Problem
	switch {
	case res.Status == http.StatusNotFound:
		return false, http.StatusNotFound
	case res.Status == http.StatusForbidden:
		return false, http.StatusForbidden
	case p == nil:
		return false, 0
	}
	switch res.Status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusConflict, http.StatusPreconditionFailed,
		http.StatusPreconditionRequired:
	default:
		return false, 0
	}
	if res.Status == http.StatusPreconditionFailed {
		f.General = f.lang.T("form.stale")
		return true, 0
	}
	named := false
	for _, e := range p.Errors {
		field := e.Field
		if m, ok := fieldOf[field]; ok {
			field = m
		}
		if _, known := f.Values[field]; known {
			f.failText(field, e.Message)
			named = true
		}
	}
	if !named {
		switch {
		case strings.HasSuffix(p.Type, "/conflict") && len(p.Errors) == 0:
			f.General = f.lang.T("form.duplicate")
		case p.Detail != "":
			f.General = f.lang.Pick(p.Detail)
			for _, e := range p.Errors { // messages of fields the form does not have
				f.General += " " + f.lang.Pick(e.Message)
			}
		default:
			f.General = f.lang.T("form.conflict")
		}
	}
	return true, 0
}
