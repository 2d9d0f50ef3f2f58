package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/audit"
	"talentdb/internal/vocab"
)

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
		d.Next = cursorLink("/admin/audit", q, "before", rows[len(rows)-1].ID)
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
