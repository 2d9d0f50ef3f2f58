package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// This file holds what the four tracking tables (awards, destinations, career moves,
// follow-ups) share: the per-person lock and facts their rules need, the duplicate error
// that points at the existing row, and the person timeline.

// TrackedPerson is what the tracking rules need to know of a person: the birth date (no
// tracked date before it) and the responsible school (copied onto new rows for scoping).
type TrackedPerson struct {
	ID        int64
	BirthDate time.Time
	SchoolID  *int64
}

// DuplicateError is a tracking record refused because one with the same natural key
// exists (soft-deleted or not): ExistingID is that record. It matches ErrConflict.
type DuplicateError struct {
	Entity     string // award, destination, career_move, follow_up
	ExistingID int64
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("store: %s duplicates %s %d", e.Entity, e.Entity, e.ExistingID)
}

// Unwrap makes a duplicate match ErrConflict.
func (e *DuplicateError) Unwrap() error { return ErrConflict }

// duplicateOf reads the answer (other, err) of an <Noun>IDByKey query for record self
// taking a new natural key: another record holding it is a *DuplicateError, no record
// is nil.
func duplicateOf(entity string, self, other int64, err error) error {
	switch {
	case err == nil && other != self:
		return &DuplicateError{Entity: entity, ExistingID: other}
	case err != nil && !isNoRows(err):
		return err
	}
	return nil
}

// trackedAudit is the audit row of a write of a tracking record, before and after as
// snapshots: fields names what changed, by default the keys whose values differ.
func trackedAudit(action string, personID int64, schoolID *int64, before, after map[string]any,
	fields ...string) AuditEntry {
	if fields == nil {
		fields = changedFields(before, after)
	}
	return AuditEntry{Action: action, PersonID: &personID, SchoolID: schoolID, Before: before, After: after,
		Fields: fields}
}

// trackedRow is what the writes every tracking record shares need of the record.
type trackedRow interface {
	tracked() (id, personID int64, schoolID *int64, deletedAt *time.Time)
}

func (a Award) tracked() (int64, int64, *int64, *time.Time) {
	return a.ID, a.PersonID, a.SchoolID, a.DeletedAt
}
func (d Destination) tracked() (int64, int64, *int64, *time.Time) {
	return d.ID, d.PersonID, d.SchoolID, d.DeletedAt
}
func (m CareerMove) tracked() (int64, int64, *int64, *time.Time) {
	return m.ID, m.PersonID, m.SchoolID, m.DeletedAt
}
func (f FollowUp) tracked() (int64, int64, *int64, *time.Time) {
	return f.ID, f.PersonID, f.SchoolID, f.DeletedAt
}

// trackedKind is one of the four tracking tables, for the writes they share.
type trackedKind[T trackedRow] struct {
	entity, noun string // the audit entity (career_move) and the noun of errors (career move)
	lock         func(ctx context.Context, q db.DBTX, id int64) (int32, error)
	get          func(ctx context.Context, q db.DBTX, id int64) (T, error)
	audit        func(T) map[string]any // the record as the audit log shows it
	// after, when set, runs once a written record is read (the rows derived from it).
	after func(ctx context.Context, tx pgx.Tx, before, after T) error
}

// trackedCreate records a new record of person personID in one transaction: under the
// person's lock, insert checks the domain's rules and inserts, returning the record as
// written; its pgx.ErrNoRows means the natural key is taken, and existing names the
// record holding it (a *DuplicateError). The audit row is in the same transaction.
func trackedCreate[T trackedRow](ctx context.Context, s *Store, a Actor, personID int64, k trackedKind[T],
	insert func(ctx context.Context, tx pgx.Tx, p TrackedPerson) (T, error),
	existing func(ctx context.Context, tx pgx.Tx) (int64, error)) (T, error) {
	var out T
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		p, err := s.lockPerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		rec, err := insert(ctx, tx, p)
		if isNoRows(err) {
			id, err := existing(ctx, tx)
			if err != nil {
				return err
			}
			return &DuplicateError{Entity: k.entity, ExistingID: id}
		}
		if err != nil {
			return err
		}
		out = rec
		id, person, school, _ := rec.tracked()
		return s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: k.entity, EntityID: fmt.Sprint(id),
			PersonID: &person, SchoolID: school, After: k.audit(rec)})
	})
	if err != nil {
		var zero T
		return zero, writeErr("create "+k.noun, "", err)
	}
	return out, nil
}

// trackedSetDeleted soft-deletes (deleted) or restores record id, provided it is still at
// version (when given): under the row's and the person's locks, nothing is written or
// audited when it is already so; a restore runs check first (when set: the person's rules
// may have moved on); set writes deleted_at, returning the record when its statement does.
// fields names what the audit row says changed (none: what differs).
func trackedSetDeleted[T trackedRow](ctx context.Context, s *Store, a Actor, id int64, version *int, deleted bool,
	k trackedKind[T], check func(ctx context.Context, tx pgx.Tx, cur T, p TrackedPerson) error,
	set func(ctx context.Context, tx pgx.Tx, cur T, p TrackedPerson, deletedAt *time.Time) (*T, error),
	fields ...string) (T, error) {
	return trackedWrite(ctx, s, a, id, version, "delete "+k.noun, deleteAction(deleted), k,
		func(ctx context.Context, tx pgx.Tx, cur T, _ *T, p TrackedPerson) (*T, error) {
			if _, _, _, was := cur.tracked(); (was != nil) == deleted {
				return nil, errUnchanged
			}
			if !deleted && check != nil {
				if err := check(ctx, tx, cur, p); err != nil {
					return nil, err
				}
			}
			return set(ctx, tx, cur, p, deletedAt(deleted))
		}, fields...)
}

// trackedUpdate changes record id of k, provided it is still at version (when given; else
// ErrStale): write applies the change to cur (before is the record as it was) and stores
// it, as trackedWrite says. The audit row's action is action.
func trackedUpdate[T trackedRow](ctx context.Context, s *Store, a Actor, id int64, version *int, action string,
	k trackedKind[T], write func(ctx context.Context, tx pgx.Tx, before T, cur *T, p TrackedPerson) (*T, error)) (T, error) {
	return trackedWrite(ctx, s, a, id, version, "update "+k.noun, action, k, write)
}

// trackedWrite is the write of an existing record of k (op names it in errors): under the
// row's lock and then its person's, write changes cur (before is the record as it was)
// and stores it, returning the record as written or nil to read it again. The audit row,
// action with before and after (fields: what changed, none: what differs), is in the same
// transaction.
func trackedWrite[T trackedRow](ctx context.Context, s *Store, a Actor, id int64, version *int, op, action string,
	k trackedKind[T], write func(ctx context.Context, tx pgx.Tx, before T, cur *T, p TrackedPerson) (*T, error),
	fields ...string) (T, error) {
	return updateLocked(ctx, s, a, id, version, lockedWrite[int64, T]{op: op, entity: k.entity,
		lock: k.lock, get: k.get, after: k.after,
		write: func(ctx context.Context, tx pgx.Tx, cur T) (*T, error) {
			_, person, _, _ := cur.tracked()
			p, err := s.lockPerson(ctx, tx, person)
			if err != nil {
				return nil, err
			}
			return write(ctx, tx, cur, &cur, p)
		},
		audit: func(before, after T) AuditEntry {
			_, person, school, _ := after.tracked()
			return trackedAudit(action, person, school, k.audit(before), k.audit(after), fields...)
		}})
}

// MergedError is a write to a person who was merged into another: the record belongs on
// Into. It matches ErrConflict.
type MergedError struct {
	PersonID int64
	Into     int64
}

func (e *MergedError) Error() string {
	return fmt.Sprintf("store: person %d was merged into %d", e.PersonID, e.Into)
}

// Unwrap makes a write to a merged person match ErrConflict.
func (e *MergedError) Unwrap() error { return ErrConflict }

// lockPerson takes the per-person tracking lock for the rest of tx, so rules that read the
// person's other records (intervals, opt-out) see them settled, and returns the facts.
func (s *Store) lockPerson(ctx context.Context, tx pgx.Tx, id int64) (TrackedPerson, error) {
	r, err := s.q.TrackingPersonLock(ctx, tx, id)
	if err != nil {
		return TrackedPerson{}, err
	}
	if r.MergedInto != nil {
		return TrackedPerson{}, &MergedError{PersonID: id, Into: *r.MergedInto}
	}
	return TrackedPerson{ID: r.ID, BirthDate: r.BirthDate, SchoolID: r.SchoolID}, nil
}

// TrackedPersonGet returns the facts of a person without locking, or ErrNotFound.
func (s *Store) TrackedPersonGet(ctx context.Context, id int64) (TrackedPerson, error) {
	r, err := s.q.TrackingPersonGet(ctx, s.scoped(), id)
	if err != nil {
		return TrackedPerson{}, mapErr("get person", err)
	}
	return TrackedPerson{ID: r.ID, BirthDate: r.BirthDate, SchoolID: r.SchoolID}, nil
}

// checkVersionPtr checks the version when the caller gave one (DELETE, restore and
// transitions may go without If-Match).
func checkVersionPtr(got int32, want *int) error {
	if want == nil {
		return nil
	}
	return checkVersion(got, *want)
}

// dateOnly formats a date for audit snapshots (nil stays nil).
func dateOnly(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// TimelineEvent is one dated thing in a person's story. Kind is participation.<step>,
// school_year, award, destination, career_move, follow_up or edit.<action>; Entity and
// EntityID name the record; Deleted marks a soft-deleted record; Detail is the event's
// fields as a JSON object.
type TimelineEvent struct {
	On       time.Time
	At       time.Time
	Kind     string
	Entity   string
	EntityID int64
	Deleted  bool
	Actor    string
	Detail   json.RawMessage
}

// Timeline returns every event of a person in date order, in one query. It does not
// check that the person exists: the caller has already resolved (and scoped) the person.
func (s *Store) Timeline(ctx context.Context, personID int64) ([]TimelineEvent, error) {
	rows, err := s.q.TimelineEvents(ctx, s.scoped(), personID)
	if err != nil {
		return nil, mapErr("timeline", err)
	}
	out := make([]TimelineEvent, len(rows))
	for i, r := range rows {
		out[i] = timelineFrom(r)
	}
	return out, nil
}

func timelineFrom(r db.TimelineEventsRow) TimelineEvent {
	return TimelineEvent{On: r.OnDate, At: r.At, Kind: r.Kind, Entity: r.Entity, EntityID: r.EntityID,
		Deleted: r.Deleted, Actor: r.Actor, Detail: json.RawMessage(r.Detail)}
}

// changedFields lists the keys whose values differ between two audit snapshots, the
// version aside, sorted.
func changedFields(before, after map[string]any) []string {
	var out []string
	for k, v := range after {
		if k == "version" {
			continue
		}
		b1, _ := json.Marshal(before[k])
		b2, _ := json.Marshal(v)
		if !bytes.Equal(b1, b2) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
