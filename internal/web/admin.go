package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/audit"
	"talentdb/internal/auth"
	"talentdb/internal/vocab"
)

// Administration: accounts (list, create, disable, enable) and the roles they can have,
// for the office administrator; each user's own API tokens; the audit log for the auditor
// and the office. Every change goes through auth.Service, which audits it.

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

// The audit log, newest first, filtered by actor, action, entity, person and dates, with
// the total of the matches and the filtered log as an Excel workbook (the audit door's
// Export, which the CLI's audit export uses too, and which records the export).

type auditData struct {
	Actor, Action, Entity, Person, From, To string
	Actions, Entities                       []option
	Table                                   listTable
	Next                                    string
	Form                                    *form
}

const auditPage = 100

// auditExportMax bounds the rows of one workbook: a larger export is the CLI's (CSV).
const auditExportMax = 50000

// errTooMany stops an export of more than its bound.
var errTooMany = errors.New("web: too many rows to export")

// auditEntities are the entities the audit log's filter offers, by name.
var auditEntities = []string{"person", "participation", "award", "destination", "career_move", "follow_up",
	"consent", "timeline", "follow_up_schedule", "application", "assessment", "typical_case", "organization",
	"edition", "identity_candidate", "frozen_report", "user", "session", "api_token", "audit_log"}

// auditHeaders are the columns of the audit log, on the page and in the workbook.
var auditHeaders = []string{"audit.id", "audit.at", "audit.actor", "audit.role", "audit.action", "audit.entity",
	"audit.person", "audit.fields", "audit.rows", "audit.request"}

// auditCells is an audit row in the page's words: roles, actions, entities and fields
// named, never their keys.
func auditCells(x audit.Record, l Lang) []any {
	role, object, person, rows := "", l.Entity(x.Entity), "", any("")
	if x.ActorRole != nil && *x.ActorRole != "" {
		role = l.T("role." + *x.ActorRole)
	}
	if x.EntityID != nil {
		object += " " + *x.EntityID
	}
	if x.PersonID != nil {
		person = strconv.FormatInt(*x.PersonID, 10)
	}
	fields := make([]string, len(x.Fields))
	for i, f := range x.Fields {
		fields[i] = l.Field(f)
	}
	if x.RowCount != nil {
		rows = int(*x.RowCount)
	}
	req := strings.TrimSpace(deref(x.RequestID) + " " + deref(x.IP))
	return []any{x.ID, x.At.In(vocab.China).Format("2006-01-02 15:04"), x.Actor, role,
		l.T("action." + x.Action), object, person, strings.Join(fields, ", "), rows, req}
}

// auditQuery reads the page's filters into d and the door's filter; d.Form carries the
// errors of the fields.
func auditQuery(r *http.Request) (auditData, audit.Filter) {
	l, q := langOf(r), r.URL.Query()
	d := auditData{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Entity: strings.TrimSpace(q.Get("entity")), Person: strings.TrimSpace(q.Get("person")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Form: &form{Key: "audit", Values: map[string]string{}, Errors: map[string]string{}, lang: l}}
	var f audit.Filter
	str := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	f.Actor, f.Action, f.Entity = str(d.Actor), str(d.Action), str(d.Entity)
	if d.Person != "" {
		id, err := strconv.ParseInt(d.Person, 10, 64)
		if err != nil {
			d.Form.fail("person", "form.number")
		}
		f.PersonID = &id
	}
	for _, dt := range []struct {
		field, v string
		dst      **time.Time
		days     int
	}{{"from", d.From, &f.From, 0}, {"to", d.To, &f.To, 1}} {
		if dt.v == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, dt.v, vocab.China)
		if err != nil {
			d.Form.fail(dt.field, "form.date")
			continue
		}
		t = t.AddDate(0, 0, dt.days) // "to" includes its day
		*dt.dst = &t
	}
	d.Table.Headers = headers(l, auditHeaders...)
	return d, f
}

func (a *app) audit(w http.ResponseWriter, r *http.Request) {
	l, q := langOf(r), r.URL.Query()
	d, f := auditQuery(r)
	for _, k := range vocab.AuditActions.Keys() {
		d.Actions = append(d.Actions, option{Value: k, Label: l.T("action." + k), Selected: k == d.Action})
	}
	for _, k := range auditEntities {
		d.Entities = append(d.Entities, option{Value: k, Label: l.Entity(k), Selected: k == d.Entity})
	}
	f.Limit = auditPage + 1
	if before, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && before > 0 {
		f.BeforeID = before
	}
	if !d.Form.OK() {
		a.render(w, r, http.StatusUnprocessableEntity, "audit", "audit.title", d)
		return
	}
	pg, err := a.doors.Audit.Page(r.Context(), caller(r), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rows := pg.Rows
	if len(rows) > auditPage {
		rows = rows[:auditPage]
		nq := url.Values{}
		for k, v := range q {
			if k != "before" && k != "lang" {
				nq[k] = v
			}
		}
		nq.Set("before", strconv.FormatInt(rows[len(rows)-1].ID, 10))
		d.Next = "/admin/audit?" + nq.Encode()
	}
	for _, x := range rows {
		d.Table.Rows = append(d.Table.Rows, auditCells(x, l))
	}
	d.Table.Total, d.Table.Export = pg.Total, exportURL("/admin/audit/export", q)
	a.render(w, r, http.StatusOK, "audit", "audit.title", d)
}

// auditExport answers the rows of the audit log the page's filters match (every one, not
// a page of them), newest first as on the page, as an Excel workbook, through the audit
// door's Export, which records the export before anything is sent.
func (a *app) auditExport(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	d, f := auditQuery(r)
	if !d.Form.OK() {
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	var rows [][]any
	_, err := a.doors.Audit.Export(r.Context(), caller(r), f, func(x audit.Record) error {
		if len(rows) == auditExportMax {
			return errTooMany
		}
		rows = append(rows, auditCells(x, l))
		return nil
	})
	if errors.Is(err, errTooMany) {
		a.errorPage(w, r, http.StatusUnprocessableEntity, "list.too_many")
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	slices.Reverse(rows) // newest first, as the page lists them
	d.Table.Rows = rows
	a.sendTable(w, r, "audit", l.T("audit.title"), d.Table)
}
