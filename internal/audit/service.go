package audit

import (
	"context"

	"talentdb/internal/access"
	"talentdb/internal/store"
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
