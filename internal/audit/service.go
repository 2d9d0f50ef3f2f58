package audit

import (
	"context"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Record is one row of the audit log as the auditor reads it.
type Record = store.AuditRecord

// Filter selects one page of the audit log, newest first: nil fields do not filter, From
// is inclusive and To exclusive, BeforeID the keyset cursor (0: from the newest).
type Filter = store.AuditFilter

// Service is the door to the audit log.
type Service struct {
	st *store.Store
}

// New returns the service over st. st's default scope, if any, is never used: every call
// runs in the scope of its caller.
func New(st *store.Store) *Service { return &Service{st: st.WithoutDefault()} }

// List returns up to f.Limit rows of the audit log, newest first, and records the read
// (the rows shown: one fewer than f.Limit at most, as a path that pages asks for one more
// than it shows) in the same unit of work.
func (s *Service) List(ctx context.Context, c access.Caller, f Filter) ([]Record, error) {
	if err := access.Authorize(c, access.AuditRead); err != nil {
		return nil, err
	}
	ctx = store.WithScope(ctx, store.ScopeFor(c))
	return s.st.AuditListRead(ctx, store.ActorFor(c), f, f.Limit-1)
}

// Export hands each row of the audit log written on the days first to last (China time,
// both inclusive) to each, oldest first, then records the export — the days and the row
// count — and returns the count. A path that writes the rows somewhere publishes them only
// after Export returned without error, so no export leaves the system unrecorded.
func (s *Service) Export(ctx context.Context, c access.Caller, first, last time.Time, each func(Record) error) (int, error) {
	if err := access.Authorize(c, access.AuditRead); err != nil {
		return 0, err
	}
	ctx = store.WithScope(ctx, store.ScopeFor(c))
	day := func(d time.Time, plus int) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day()+plus, 0, 0, 0, 0, vocab.China)
	}
	n, err := s.st.AuditExport(ctx, day(first, 0), day(last, 1), each)
	if err != nil {
		return n, err
	}
	rows := int32(n)
	return n, s.st.Audit(ctx, nil, store.ActorFor(c), store.AuditEntry{Action: "export", Entity: "audit_log",
		After:    map[string]string{"from": first.Format(time.DateOnly), "to": last.Format(time.DateOnly)},
		RowCount: &rows})
}
