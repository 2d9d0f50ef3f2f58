package store

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
	"talentdb/internal/access"
)

// Actor is who performs a write or read, as the audit log records it.
// ActorFor is the audit actor of a caller: its username, role, request and address.
func ActorFor(c access.Caller) Actor {
	return Actor{Name: c.Username, Role: c.Role, RequestID: c.RequestID, IP: c.Addr}
}

type Actor struct {
	Name      string // username, "cli:<os user>", "seed" …
	Role      string // role of the account, empty for the CLI
	RequestID string
	IP        *netip.Addr
}

// AuditEntry is one row of the append-only audit log. Before and After are marshalled to
// JSON; they must never contain identity numbers or phones in clear.
type AuditEntry struct {
	Action   string // create update delete restore merge unmerge import read export reveal login logout transition
	Entity   string // table-like name: person, award, destination, career_move, follow_up …
	EntityID string
	PersonID *int64
	SchoolID *int64
	Before   any
	After    any
	Fields   []string
	RowCount *int32
}

// Audit appends an entry in the caller's transaction, so a write and its audit row commit
// or roll back together; with q nil, in a transaction of its own (for reads and exports).
func (s *Store) Audit(ctx context.Context, q db.DBTX, a Actor, e AuditEntry) error {
	if q == nil {
		q = s.scoped()
	}
	p, err := auditParams(a, e)
	if err != nil {
		return err
	}
	if err := s.q.AuditInsert(ctx, q, p); err != nil {
		return mapErr("audit", err)
	}
	return nil
}

// auditParams is the audit row of e done by a.
func auditParams(a Actor, e AuditEntry) (db.AuditInsertParams, error) {
	enc := func(v any) ([]byte, error) {
		if v == nil {
			return nil, nil
		}
		return json.Marshal(v)
	}
	before, err := enc(e.Before)
	if err != nil {
		return db.AuditInsertParams{}, fmt.Errorf("store: audit: %w", err)
	}
	after, err := enc(e.After)
	if err != nil {
		return db.AuditInsertParams{}, fmt.Errorf("store: audit: %w", err)
	}
	name := a.Name
	if name == "" {
		name = "system"
	}
	p := db.AuditInsertParams{Actor: name, Action: e.Action, Entity: e.Entity, PersonID: e.PersonID,
		SchoolID: e.SchoolID, Before: before, After: after, Fields: e.Fields, RowCount: e.RowCount, Ip: a.IP}
	if a.Role != "" {
		p.ActorRole = &a.Role
	}
	if e.EntityID != "" {
		p.EntityID = &e.EntityID
	}
	if a.RequestID != "" {
		p.RequestID = &a.RequestID
	}
	return p, nil
}

// ReadAudited runs read and the audit row of what it returned in one unit of work (one
// transaction in ctx's scope): no personal data leaves the store without its audit row
// committed. read returns how many rows it gave; the entry's RowCount is set from it.
func (s *Store) ReadAudited(ctx context.Context, a Actor, e AuditEntry, read func(q db.DBTX) (int, error)) error {
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		n, err := read(tx)
		if err != nil {
			return err
		}
		rows := int32(n)
		e.RowCount = &rows
		return s.Audit(ctx, tx, a, e)
	})
	return err
}

// requireInScope refuses (ErrNotFound) a person outside ctx's scope by the explicit
// predicate of queries/scope.sql, run on q.
func (s *Store) requireInScope(ctx context.Context, q db.DBTX, id int64) error {
	in, err := s.personInScope(ctx, q, id)
	if err != nil {
		return err
	}
	if !in {
		return ErrNotFound
	}
	return nil
}

// personInScope says whether person id is in ctx's scope by the explicit predicate of
// queries/scope.sql, run on q.
func (s *Store) personInScope(ctx context.Context, q db.DBTX, id int64) (bool, error) {
	sc, _ := s.ScopeOf(ctx)
	kind, school, city, mentor := scopeArgs(sc)
	r, err := s.q.ScopePersonCheck(ctx, q, db.ScopePersonCheckParams{Kind: kind, SchoolID: school,
		CityCode: city, MentorID: mentor, PersonID: id})
	return r.InScope, err
}

// PersonListRead is PersonList with the read recorded (fields, the rows returned up to
// limit) in the same unit of work.
func (s *Store) PersonListRead(ctx context.Context, a Actor, f PersonFilter, fields []string, limit int) ([]Person, error) {
	var out []Person
	err := s.ReadAudited(ctx, a, AuditEntry{Action: "read", Entity: "person", Fields: fields}, func(q db.DBTX) (int, error) {
		var err error
		out, err = s.personList(ctx, q, f)
		return min(len(out), limit), err
	})
	if err != nil {
		return nil, mapErr("list persons", err)
	}
	return out, nil
}

// AuditListRead is AuditList with the read recorded (the rows returned up to limit) in
// the same unit of work: reading the audit log is itself in the audit log.
func (s *Store) AuditListRead(ctx context.Context, a Actor, f AuditFilter, limit int) ([]AuditRecord, error) {
	var out []AuditRecord
	err := s.ReadAudited(ctx, a, AuditEntry{Action: "read", Entity: "audit_log"}, func(q db.DBTX) (int, error) {
		var err error
		out, err = s.auditList(ctx, q, f)
		return min(len(out), limit), err
	})
	if err != nil {
		return nil, mapErr("list audit log", err)
	}
	return out, nil
}

// AuditPage is one page of the audit log and how many rows match its filter in all.
type AuditPage struct {
	Rows  []AuditRecord
	Total int
}

// AuditPageRead is AuditListRead with the total of the rows matching f (f.BeforeID aside)
// counted in the same unit of work, so the page's total and its rows are one snapshot.
func (s *Store) AuditPageRead(ctx context.Context, a Actor, f AuditFilter, limit int) (AuditPage, error) {
	var out AuditPage
	err := s.ReadAudited(ctx, a, AuditEntry{Action: "read", Entity: "audit_log"}, func(q db.DBTX) (int, error) {
		var err error
		if out.Rows, err = s.auditList(ctx, q, f); err != nil {
			return 0, err
		}
		n, err := s.q.AuditCount(ctx, q, db.AuditCountParams{Actor: f.Actor, Entity: f.Entity, PersonID: f.PersonID,
			Action: f.Action, FromAt: f.From, ToAt: f.To})
		out.Total = int(n)
		return min(len(out.Rows), limit), err
	})
	if err != nil {
		return AuditPage{}, mapErr("list audit log", err)
	}
	return out, nil
}

// auditList runs the audit log's page on q.
func (s *Store) auditList(ctx context.Context, q db.DBTX, f AuditFilter) ([]AuditRecord, error) {
	before := f.BeforeID
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.q.AuditList(ctx, q, db.AuditListParams{BeforeID: before, Actor: f.Actor, Entity: f.Entity,
		PersonID: f.PersonID, Action: f.Action, FromAt: f.From, ToAt: f.To, Lim: int32(f.Limit)})
	if err != nil {
		return nil, err
	}
	out := make([]AuditRecord, len(rows))
	for i, r := range rows {
		out[i] = auditRecordFrom(r)
	}
	return out, nil
}
