package store

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"

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
	enc := func(v any) ([]byte, error) {
		if v == nil {
			return nil, nil
		}
		return json.Marshal(v)
	}
	before, err := enc(e.Before)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	after, err := enc(e.After)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
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
	if err := s.q.AuditInsert(ctx, q, p); err != nil {
		return mapErr("audit", err)
	}
	return nil
}
