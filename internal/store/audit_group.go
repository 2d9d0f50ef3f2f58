package store

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"talentdb/db"
)

// A read's audit row commits in a group with the read-audit rows of the requests running at
// the same moment: one INSERT of all of them and one COMMIT, so one WAL flush, where a
// transaction per read flushes once per read and caps the person reads a second at the
// disk's flush rate (docs/operations.md, "The request path"). A read is answered only
// after its row has committed: auditRead returns when the group's COMMIT has, and an
// error of the group is every member's error, so a failed insert fails the reads it
// records.
//
// The group forms by itself: the first row finds no flush running and starts one with
// every row pending; the rows that arrive while it runs wait for the next. One row alone
// commits at once (no timer, no added delay when the service is quiet); under load a
// group holds as many rows as arrived during one flush.
type auditGroup struct {
	st       *Store // the store the group writes through: the primary's, never a replica view
	mu       sync.Mutex
	pending  []*auditWait
	flushing bool
}

type auditWait struct {
	p    db.AuditInsertParams
	err  error
	done chan struct{}
}

// maxAuditGroup bounds the rows of one INSERT.
const maxAuditGroup = 512

// errAuditGroupWrites refuses an entry that carries a before or after image: the group
// takes read audits; a write's row belongs to the write's transaction.
var errAuditGroupWrites = errors.New("store: the audit group records reads, not writes")

// AuditRead records a read: e, without before/after images, in the next audit group;
// it returns when that group has committed. An entry with images is written on its own
// (Audit in a transaction of its own).
func (s *Store) AuditRead(ctx context.Context, a Actor, e AuditEntry) error {
	if e.Before != nil || e.After != nil {
		return s.Audit(ctx, nil, a, e)
	}
	return s.auditRead(ctx, a, e)
}

// auditRead appends e (a read, export or reveal, without before/after images) to the
// audit log in the next group and returns when that group has committed.
func (s *Store) auditRead(ctx context.Context, a Actor, e AuditEntry) error {
	if e.Before != nil || e.After != nil {
		return errAuditGroupWrites
	}
	p, err := auditParams(a, e)
	if err != nil {
		return err
	}
	w := &auditWait{p: p, done: make(chan struct{})}
	g := s.audits
	g.mu.Lock()
	g.pending = append(g.pending, w)
	if !g.flushing {
		g.flushing = true
		// the flush outlives the request that started it: the rows of others ride on it
		go g.st.flushAudits(context.WithoutCancel(ctx))
	}
	g.mu.Unlock()
	<-w.done
	return w.err
}

// flushAudits commits the pending rows, group after group, until none is left.
func (s *Store) flushAudits(ctx context.Context) {
	g := s.audits
	for {
		g.mu.Lock()
		batch := g.pending
		if len(batch) > maxAuditGroup {
			batch = batch[:maxAuditGroup]
		}
		g.pending = g.pending[len(batch):]
		if len(batch) == 0 {
			g.flushing = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		err := s.insertAuditGroup(ctx, batch)
		for _, w := range batch {
			w.err = err
			close(w.done)
		}
	}
}

// insertAuditGroup inserts the rows of batch in one pipelined transaction.
func (s *Store) insertAuditGroup(ctx context.Context, batch []*auditWait) error {
	n := len(batch)
	arg := db.AuditInsertGroupParams{
		Actors: make([]string, n), ActorRoles: make([]string, n), Actions: make([]string, n),
		Entities: make([]string, n), EntityIds: make([]string, n), PersonIds: make([]int64, n),
		SchoolIds: make([]int64, n), Fields: make([][]byte, n), RowCounts: make([]int32, n),
		RequestIds: make([]string, n), Ips: make([]string, n),
	}
	for i, w := range batch {
		p := w.p
		arg.Actors[i], arg.Actions[i], arg.Entities[i] = p.Actor, p.Action, p.Entity
		arg.ActorRoles[i], arg.EntityIds[i], arg.RequestIds[i] = deref(p.ActorRole), deref(p.EntityID), deref(p.RequestID)
		arg.PersonIds[i], arg.SchoolIds[i] = deref(p.PersonID), deref(p.SchoolID)
		arg.RowCounts[i] = -1
		if p.RowCount != nil {
			arg.RowCounts[i] = *p.RowCount
		}
		arg.Fields[i] = []byte("null")
		if p.Fields != nil {
			f, err := json.Marshal(p.Fields)
			if err != nil {
				return err
			}
			arg.Fields[i] = f
		}
		if p.Ip != nil {
			arg.Ips[i] = p.Ip.String()
		}
	}
	pl := s.pipeline(ctx)
	defer pl.close()
	pl.queue(func(q db.DBTX) error { return s.q.AuditInsertGroup(ctx, q, arg) })
	return mapErr("audit", pl.commit())
}
