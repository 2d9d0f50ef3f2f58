package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"talentdb/db"
)

// A pipeline is a unit of work in ctx's scope whose statements travel together: the role
// and scope (scopeSQL) and the generated queries go to the server in one batch (pgx's
// pipeline mode, one Sync), so a read costs one round trip where InTx spends one per
// statement plus its BEGIN and COMMIT. Sent in one batch, the statements are one implicit
// transaction that the Sync commits; a unit of work sent in several rounds (send, then
// commit) opens with BEGIN and ends with COMMIT. Row-level security and the scope are
// those of InTx: the same role, the same four settings, local to the transaction.
//
// Statements sent together cannot wait for each other's answers in Go, so a condition a
// later statement needs is checked by the database (require): a guard that fails, like
// any statement that fails, aborts the transaction, the server skips what follows up to
// the Sync and rolls back. The caller reads its answers only when commit succeeded.
//
// The generated queries are reused as they are: each step calls one with a recording
// DBTX to learn its text and arguments, then, once the batch is sent, again with a DBTX
// that hands it the batch's next result to scan.
type pipeline struct {
	s     *Store
	ctx   context.Context
	conn  *pgxpool.Conn
	begun bool // BEGIN has been sent
	done  bool // COMMIT has succeeded
	steps []step
}

type step struct {
	sql   string
	args  []any
	read  func(db.DBTX) error
	guard bool
}

// pipeline starts a unit of work in ctx's scope; close it when done.
func (s *Store) pipeline(ctx context.Context) *pipeline {
	return &pipeline{s: s, ctx: ctx}
}

// errRecorded is what the recording DBTX answers: the statement is only noted.
var errRecorded = errors.New("store: statement recorded for a pipeline")

// recorder is the DBTX of a step's first call: it notes the one statement the call runs.
type recorder struct {
	sql  string
	args []any
	n    int
}

func (r *recorder) note(sql string, args []any) { r.sql, r.args = sql, args; r.n++ }

func (r *recorder) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	r.note(sql, args)
	return pgconn.CommandTag{}, errRecorded
}

func (r *recorder) Query(_ context.Context, sql string, args ...any) (pgx.Rows, error) {
	r.note(sql, args)
	return nil, errRecorded
}

func (r *recorder) QueryRow(_ context.Context, sql string, args ...any) pgx.Row {
	r.note(sql, args)
	return errRow{errRecorded}
}

// replay is the DBTX of a step's second call: the next result of the sent batch.
type replay struct{ br pgx.BatchResults }

func (r replay) Exec(context.Context, string, ...any) (pgconn.CommandTag, error) { return r.br.Exec() }
func (r replay) Query(context.Context, string, ...any) (pgx.Rows, error)         { return r.br.Query() }
func (r replay) QueryRow(context.Context, string, ...any) pgx.Row                { return r.br.QueryRow() }

// record runs fn once on a recorder and returns the statement it ran.
func record(fn func(db.DBTX) error) step {
	var r recorder
	_ = fn(&r)
	if r.n != 1 {
		panic(fmt.Sprintf("store: a pipeline step runs %d statements, not one", r.n))
	}
	return step{sql: r.sql, args: r.args, read: fn}
}

// queue adds fn, which runs exactly one generated query on the DBTX it is given and keeps
// what it scans: it is called at once to record the statement and again, after the
// batch is sent, to read its answer.
func (p *pipeline) queue(fn func(q db.DBTX) error) {
	p.steps = append(p.steps, record(fn))
}

// require adds fn's query, which returns at most one row, as a guard on its boolean
// column col: when the row is missing or col is not true, the transaction fails there
// (the guard divides by zero), nothing after it runs, and the unit of work is
// ErrNotFound.
func (p *pipeline) require(fn func(q db.DBTX) error, col string) {
	st := record(fn)
	st.sql = "SELECT 1 / coalesce((SELECT (" + pgx.Identifier{col}.Sanitize() + ")::int FROM (\n" + st.sql + "\n) AS guarded), 0)"
	st.read, st.guard = nil, true
	p.steps = append(p.steps, st)
}

// send sends the steps queued so far (after BEGIN and the scope, the first time) and
// reads their answers; with commit, COMMIT goes with them.
func (p *pipeline) send(commit bool) error {
	if p.done {
		return errors.New("store: pipeline already committed")
	}
	if p.conn == nil {
		c, err := p.s.acquire(p.ctx)
		if err != nil {
			return err
		}
		p.conn = c
	}
	var b pgx.Batch
	lead := 0
	// a unit of work sent in one batch needs no BEGIN and COMMIT: the statements up to
	// the batch's Sync are one implicit transaction, committed by the Sync, rolled back
	// from the first failure, and the scope's settings are local to it
	implicit := !p.begun && commit
	if !p.begun {
		sql, args := p.s.scopeSQL(p.ctx)
		if !implicit {
			b.Queue("BEGIN")
			lead++
		}
		b.Queue(sql, args...)
		lead++
		p.begun = true
	}
	for _, st := range p.steps {
		b.Queue(st.sql, st.args...)
	}
	if commit && !implicit {
		b.Queue("COMMIT")
	}
	steps := p.steps
	p.steps = nil
	br := p.conn.SendBatch(p.ctx, &b)
	err := readBatch(br, lead, steps, commit && !implicit)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == nil && commit {
		p.done = true
	}
	return err
}

// readBatch reads a sent batch's answers in order and stops at the first error.
func readBatch(br pgx.BatchResults, lead int, steps []step, commit bool) error {
	for range lead {
		if _, err := br.Exec(); err != nil {
			return err
		}
	}
	for _, st := range steps {
		if st.guard {
			if _, err := br.Exec(); err != nil {
				var pe *pgconn.PgError
				if errors.As(err, &pe) && pe.Code == "22012" { // division_by_zero: the guard said no
					return ErrNotFound
				}
				return err
			}
			continue
		}
		if err := st.read(replay{br}); err != nil {
			return err
		}
	}
	if commit {
		tag, err := br.Exec()
		if err != nil {
			return err
		}
		if tag.String() == "ROLLBACK" { // the transaction had failed before COMMIT
			return pgx.ErrTxCommitRollback
		}
	}
	return nil
}

// commit sends what is queued with COMMIT.
func (p *pipeline) commit() error { return p.send(true) }

// close rolls back a unit of work that did not commit and gives the connection back (a
// read calls it before it waits for its audit group, so as not to hold the connection). A
// connection whose rollback fails is not idle, and the pool closes it.
func (p *pipeline) close() {
	if p.conn == nil {
		return
	}
	if !p.done && p.conn.Conn().PgConn().TxStatus() != 'I' {
		_, _ = p.conn.Exec(context.WithoutCancel(p.ctx), "ROLLBACK")
	}
	p.conn.Release()
	p.conn = nil // a second close does nothing
}

// PersonRead returns one person within ctx's scope — checked with the explicit predicate
// of queries/scope.sql (which also withholds a withdrawn person from schools, cities and
// mentors), read under row-level security — and records the read (fields) in the audit
// log. The read is one pipelined unit of work, one round trip; its audit row commits in
// the next audit group (audit_group.go) before the person is returned. Outside the scope
// is ErrNotFound, as is no such person, and neither is recorded.
func (s *Store) PersonRead(ctx context.Context, a Actor, id int64, fields []string) (Person, error) {
	var out Person
	one := int32(1)
	p := s.pipeline(ctx)
	defer p.close()
	p.require(func(q db.DBTX) error { _, err := s.personInScope(ctx, q, id); return err }, "in_scope")
	p.queue(func(q db.DBTX) error {
		r, err := s.q.PersonGet(ctx, q, id)
		out = personFrom(r)
		return err
	})
	if err := p.commit(); err != nil {
		return Person{}, mapErr("read person", err)
	}
	p.close()
	if err := s.auditRead(ctx, a, AuditEntry{Action: "read", Entity: "person", EntityID: strconv.FormatInt(id, 10),
		PersonID: &id, Fields: fields, RowCount: &one}); err != nil {
		return Person{}, err
	}
	return out, nil
}

// TimelineRead is a person's timeline — after the same scope check as PersonRead — with
// the read recorded: one pipelined round trip for the read, then its audit row, which
// counts the events returned, in the next audit group before the timeline is returned.
func (s *Store) TimelineRead(ctx context.Context, a Actor, personID int64) ([]TimelineEvent, error) {
	var out []TimelineEvent
	p := s.pipeline(ctx)
	defer p.close()
	p.require(func(q db.DBTX) error { _, err := s.personInScope(ctx, q, personID); return err }, "in_scope")
	p.queue(func(q db.DBTX) error {
		rows, err := s.q.TimelineEvents(ctx, q, personID)
		out = make([]TimelineEvent, len(rows))
		for i, r := range rows {
			out[i] = timelineFrom(r)
		}
		return err
	})
	if err := p.commit(); err != nil {
		return nil, mapErr("read timeline", err)
	}
	p.close()
	n := int32(len(out))
	if err := s.auditRead(ctx, a, AuditEntry{Action: "read", Entity: "timeline",
		EntityID: strconv.FormatInt(personID, 10), PersonID: &personID, RowCount: &n}); err != nil {
		return nil, err
	}
	return out, nil
}
