package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/vocab"
)

// Administration: accounts (list, create, disable, enable) and the roles they can have,
// for the office administrator; each user's own API tokens (the audit log is audit.go).
// Every change goes through auth.Service, which audits it.

type userRow struct {
	auth.User
	RoleLabel string
	Scope     string
	Disabled  bool
	Locked    bool
}

type roleRow struct {
	Key, Label, Sees string
}

type usersData struct {
	Users     []userRow
	Roles     []roleRow
	RoleOpts  []option
	Form      *form
	Created   string // the new account's username
	Generated string // its generated password, shown once
}

func (a *app) users(w http.ResponseWriter, r *http.Request) {
	a.showUsers(w, r, nil, usersData{}, http.StatusOK)
}

func (a *app) showUsers(w http.ResponseWriter, r *http.Request, f *form, d usersData, status int) {
	l := langOf(r)
	us, err := a.auth.ListUsers(r.Context(), caller(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.auth.Now()
	names := a.schoolNamer(r)
	regions, err := a.regions(r, l)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var codes []string
	for _, u := range us {
		if u.SchoolCode != nil {
			codes = append(codes, *u.SchoolCode)
		}
	}
	names.load(codes...) // one read for every school account
	for _, u := range us {
		row := userRow{User: u, RoleLabel: l.T("role." + u.Role), Disabled: u.DisabledAt != nil, Locked: u.Locked(now)}
		switch {
		case u.SchoolCode != nil:
			row.Scope = names.byCode(*u.SchoolCode)
		case u.CityCode != nil:
			row.Scope = regions.name(*u.CityCode)
		case u.MentorID != nil:
			row.Scope = l.T("users.mentor") + " " + strconv.FormatInt(*u.MentorID, 10)
		}
		d.Users = append(d.Users, row)
	}
	sel := ""
	if f != nil {
		sel = f.Values["role"]
	}
	for _, k := range vocab.Roles.Keys() {
		d.Roles = append(d.Roles, roleRow{Key: k, Label: l.T("role." + k), Sees: l.T("role_sees." + k)})
		d.RoleOpts = append(d.RoleOpts, option{Value: k, Label: l.T("role." + k), Selected: k == sel})
	}
	d.Form = f
	a.render(w, r, status, "users", "users.title", d)
}

// createUser creates an account; a generated password is shown once.
func (a *app) createUser(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, "user", "username", "display_name", "role", "school_code", "city_code", "mentor_id", "password")
	nu := auth.NewUser{Username: f.required("username"), DisplayName: f.Values["display_name"], Role: f.required("role"),
		SchoolCode: f.Values["school_code"], CityCode: f.Values["city_code"], Password: r.PostFormValue("password")}
	if v := f.Values["mentor_id"]; v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			f.fail("mentor_id", "form.number")
		}
		nu.MentorID = id
	}
	f.Values["password"] = "" // never sent back
	if !f.OK() {
		a.showUsers(w, r, f, usersData{}, http.StatusUnprocessableEntity)
		return
	}
	u, generated, err := a.auth.CreateUser(r.Context(), caller(r), nu)
	if err != nil {
		if errors.Is(err, access.ErrConflict) {
			f.fail("username", "users.taken")
			a.showUsers(w, r, f, usersData{}, http.StatusConflict)
			return
		}
		if f.domain(err, map[string]string{"school": "school_code", "city": "city_code", "mentor": "mentor_id"}) {
			a.showUsers(w, r, f, usersData{}, http.StatusUnprocessableEntity)
			return
		}
		a.fail(w, r, err)
		return
	}
	a.showUsers(w, r, nil, usersData{Created: u.Username, Generated: generated}, http.StatusCreated)
}

func (a *app) disableUser(w http.ResponseWriter, r *http.Request) { a.setUserEnabled(w, r, false) }
func (a *app) enableUser(w http.ResponseWriter, r *http.Request)  { a.setUserEnabled(w, r, true) }

func (a *app) setUserEnabled(w http.ResponseWriter, r *http.Request, enable bool) {
	name := chi.URLParam(r, "username")
	var err error
	done := "disabled"
	if enable {
		_, err = a.auth.EnableUser(r.Context(), caller(r), name)
		done = "enabled"
	} else {
		if name == principal(r).Username {
			a.errorPage(w, r, http.StatusUnprocessableEntity, "users.not_self")
			return
		}
		_, err = a.auth.DisableUser(r.Context(), caller(r), name)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	redirectDone(w, r, "/admin/users", done, "user-"+name)
}

// Tokens: the signed-in user's own API tokens.

type tokenRow struct {
	auth.APIToken
	Active bool
}

type tokensData struct {
	Tokens []tokenRow
	Form   *form
	Secret string // a new token, shown once
	Name   string
}

func (a *app) tokens(w http.ResponseWriter, r *http.Request) {
	a.showTokens(w, r, nil, tokensData{}, http.StatusOK)
}

func (a *app) showTokens(w http.ResponseWriter, r *http.Request, f *form, d tokensData, status int) {
	ts, err := a.auth.ListTokens(r.Context(), principal(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.auth.Now()
	for _, t := range ts {
		d.Tokens = append(d.Tokens, tokenRow{APIToken: t, Active: t.RevokedAt == nil && now.Before(t.ExpiresAt)})
	}
	d.Form = f
	a.render(w, r, status, "tokens", "tokens.title", d)
}

func (a *app) createToken(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, "token", "name", "expires_in_days")
	days := 0
	if v := f.Values["expires_in_days"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.fail("expires_in_days", "form.number")
		}
		days = n
		if n == 0 {
			days = -1
		}
	}
	if !f.OK() {
		a.showTokens(w, r, f, tokensData{}, http.StatusUnprocessableEntity)
		return
	}
	t, err := a.auth.CreateToken(r.Context(), principal(r), caller(r), f.Values["name"], days)
	if err != nil {
		if f.domain(err, nil) {
			a.showTokens(w, r, f, tokensData{}, http.StatusUnprocessableEntity)
			return
		}
		a.fail(w, r, err)
		return
	}
	a.showTokens(w, r, nil, tokensData{Secret: t.Secret, Name: t.Token.Name}, http.StatusCreated)
}

func (a *app) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		a.notFound(w, r)
		return
	}
	if _, err := a.auth.RevokeToken(r.Context(), principal(r), caller(r), id); err != nil {
		a.fail(w, r, err)
		return
	}
	redirectDone(w, r, "/account/tokens", "revoked", "")
}
