package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"talentdb/internal/audit"
	"talentdb/internal/person"
	"talentdb/internal/vocab"
)

// Personal data beyond plain reads: the audited reveal of identity numbers and phones,
// guardians' consents, and the audit log itself for the auditor (docs/security.md). The
// person and audit doors record each read in its own unit of work.

// --- reveal

type revealBody struct {
	Fields []string `json:"fields"`
	Reason string   `json:"reason"`
}

// revealPerson is POST /persons/{id}/reveal {"fields":[…],"reason":"…"}: the identity
// number and phones in clear, for the office only, each reveal in the audit log with its
// reason (action reveal). Every other response shows them masked.
func (s *server) revealPerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b revealBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	clear, err := s.doors.Persons.Reveal(r.Context(), callerFrom(r), id, b.Fields, b.Reason)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := map[string]any{"id": id}
	for f, v := range clear {
		out[f] = v
	}
	respondJSON(w, http.StatusOK, out)
}

// --- consents

type consentBody struct {
	GuardianName *string `json:"guardian_name"`
	Relationship *string `json:"relationship"`
	Method       *string `json:"method"`
	Scope        *string `json:"scope"`
	GrantedOn    *string `json:"granted_on"`
}

type consentView struct {
	ID           int64   `json:"id"`
	PersonID     int64   `json:"person_id"`
	GuardianName string  `json:"guardian_name"`
	Relationship string  `json:"relationship"`
	Method       string  `json:"method"`
	Scope        string  `json:"scope"`
	GrantedOn    string  `json:"granted_on"`
	WithdrawnOn  *string `json:"withdrawn_on"`
	RecordedBy   *string `json:"recorded_by"`
	Version      int     `json:"version"`
}

func viewConsent(c person.Consent) consentView {
	v := consentView{ID: c.ID, PersonID: c.PersonID, GuardianName: c.GuardianName, Relationship: c.Relationship,
		Method: c.Method, Scope: c.Scope, GrantedOn: dateString(c.GrantedOn), RecordedBy: c.RecordedBy,
		Version: c.Version}
	if c.WithdrawnOn != nil {
		d := dateString(*c.WithdrawnOn)
		v.WithdrawnOn = &d
	}
	return v
}

// createConsent is POST /persons/{id}/consents: a guardian's consent (guardian, relationship,
// method, date, scope). A pending or withdrawn person becomes granted, so active again.
func (s *server) createConsent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b consentBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	con, err := s.doors.Persons.CreateConsent(r.Context(), callerFrom(r), id, person.ConsentInput(b))
	if err != nil {
		fail(w, r, err)
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/persons/%d/consents/%d", id, con.ID), con.Version, viewConsent(con))
}

// listConsents is GET /persons/{id}/consents, oldest first.
func (s *server) listConsents(w http.ResponseWriter, r *http.Request) {
	personRead(w, r, s.doors.Persons.Consents, func(_ int64, cs []person.Consent) { list(w, cs, viewConsent) })
}

type withdrawBody struct {
	WithdrawnOn *string `json:"withdrawn_on"`
}

// withdrawConsent is POST /persons/{id}/consents/{cid}/withdraw {"withdrawn_on"?}: the
// guardian withdrew consent (default today). The person becomes withdrawn: left out of
// lists, exports and detail rows, and their records refuse writes.
func (s *server) withdrawConsent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	cid, err := strconv.ParseInt(r.PathValue("cid"), 10, 64)
	if err != nil || cid <= 0 {
		fail(w, r, notFoundProblem("consent"))
		return
	}
	var b withdrawBody
	if r.ContentLength != 0 {
		if err := s.decode(w, r, &b); err != nil {
			fail(w, r, err)
			return
		}
	}
	con, err := s.doors.Persons.WithdrawConsent(r.Context(), callerFrom(r), id, cid, b.WithdrawnOn)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, con.Version, viewConsent(con))
}

// --- the audit log

type auditView struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	Actor     string          `json:"actor"`
	ActorRole *string         `json:"actor_role"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityID  *string         `json:"entity_id"`
	PersonID  *int64          `json:"person_id"`
	SchoolID  *int64          `json:"school_id"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
	Fields    []string        `json:"fields"`
	RowCount  *int32          `json:"row_count"`
	RequestID *string         `json:"request_id"`
	IP        *string         `json:"ip"`
}

func rawOrNull(b []byte) json.RawMessage {
	if b == nil {
		return json.RawMessage("null")
	}
	return b
}

func viewAudit(a audit.Record) auditView {
	return auditView{ID: a.ID, At: a.At.UTC(), Actor: a.Actor, ActorRole: a.ActorRole, Action: a.Action, Entity: a.Entity,
		EntityID: a.EntityID, PersonID: a.PersonID, SchoolID: a.SchoolID, Before: rawOrNull(a.Before),
		After: rawOrNull(a.After), Fields: a.Fields, RowCount: a.RowCount, RequestID: a.RequestID, IP: a.IP}
}

// listAudit is GET /audit?actor=&entity=&person=&action=&from=&to=&limit=&after=: the audit
// log, newest first, for the auditor and the office. from and to are dates (China time),
// both inclusive. Reading it is itself recorded.
func (s *server) listAudit(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "actor", "entity", "person", "action", "from", "to")
	f := audit.Filter{Actor: q.str("actor"), Entity: q.str("entity"), PersonID: q.int("person"),
		Action: q.enum("action", vocab.AuditActions.Keys()...), Limit: q.limit() + 1}
	if d := q.date("from"); d != nil {
		t := chinaMidnight(*d)
		f.From = &t
	}
	if d := q.date("to"); d != nil {
		t := chinaMidnight(d.AddDate(0, 0, 1))
		f.To = &t
	}
	q.after(&f.BeforeID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.doors.Audit.List(r.Context(), callerFrom(r), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(a audit.Record) any { return a.ID }, viewAudit)
}

// chinaTime is the offset the office works in (Asia/Shanghai, no daylight saving).
var chinaTime = vocab.China

// chinaMidnight is the start of date d in China.
func chinaMidnight(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, chinaTime)
}
