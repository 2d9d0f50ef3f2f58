package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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

// isNoRows reports an INSERT … ON CONFLICT DO NOTHING that inserted nothing.
func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

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
