package audit

import (
	"context"
	"strconv"
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

// Page is one page of the audit log and the total of the rows its filter matches.
type Page = store.AuditPage

// Page returns what List returns and how many rows match f in all (f.BeforeID aside),
// read and recorded in one unit of work: the auditor's page with its total.
func (s *Service) Page(ctx context.Context, c access.Caller, f Filter) (Page, error) {
	if err := access.Authorize(c, access.AuditRead); err != nil {
		return Page{}, err
	}
	ctx = store.WithScope(ctx, store.ScopeFor(c))
	return s.st.AuditPageRead(ctx, store.ActorFor(c), f, f.Limit-1)
}

// Days is the filter of the days first to last, China time, both inclusive.
func Days(first, last time.Time) Filter {
	from := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, vocab.China)
	to := time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, vocab.China)
	return Filter{From: &from, To: &to}
}

// Export hands each row of the audit log that f matches (f.BeforeID and f.Limit aside;
// Days for a range of days) to each, oldest first, then records the export — the filter
// and the row count — and returns the count. An error of each stops the export, which is
// then not recorded and returns the error. A path that writes the rows somewhere
// publishes them only after Export returned without error, so no export leaves the
// system unrecorded. The CLI's audit export and the auditor's page share it.
func (s *Service) Export(ctx context.Context, c access.Caller, f Filter, each func(Record) error) (int, error) {
	if err := access.Authorize(c, access.AuditRead); err != nil {
		return 0, err
	}
	ctx = store.WithScope(ctx, store.ScopeFor(c))
	n, err := s.st.AuditExport(ctx, f, each)
	if err != nil {
		return n, err
	}
	rows := int32(n)
	return n, s.st.Audit(ctx, nil, store.ActorFor(c), store.AuditEntry{Action: "export", Entity: "audit_log",
		After: exportedFilter(f), RowCount: &rows})
}

// exportedFilter is the filter of an export as its audit row records it: the days (to
// inclusive) and the other filters, those set.
func exportedFilter(f Filter) map[string]string {
	out := map[string]string{}
	if f.From != nil {
		out["from"] = f.From.In(vocab.China).Format(time.DateOnly)
	}
	if f.To != nil {
		out["to"] = f.To.In(vocab.China).Add(-time.Nanosecond).Format(time.DateOnly)
	}
	for k, v := range map[string]*string{"actor": f.Actor, "action": f.Action, "entity": f.Entity} {
		if v != nil {
			out[k] = *v
		}
	}
	if f.PersonID != nil {
		out["person_id"] = strconv.FormatInt(*f.PersonID, 10)
	}
	return out
}
