package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// Merging two records of one person (docs/identity.md). Every record of the merged person
// moves to the kept person, table by table, except where the kept person already has a
// record with the same natural key: then the kept person's record stays, and the merged
// person's stays with the merged person — soft-deleted where the table has soft deletes.
// The merged person is marked merged_into the kept one, and everything the merge changed
// is written to person_merges.moved so that PersonUnmerge can put it back exactly.

// mergeTable is a table holding records of a person.
type mergeTable struct {
	name string   // the table
	id   string   // the column that identifies a row for the undo (typical_case_persons: case_id)
	key  []string // the natural key beside person_id; nil: no key, every row moves
	soft bool     // a row left behind by a collision is soft-deleted (deleted_at)
}

// mergeTables are the tables with a person_id a merge moves. Rows hanging off a
// participation (growth logs, tasks, evaluations …) follow their participation.
var mergeTables = []mergeTable{
	{name: "participations", id: "id", key: []string{"edition_id"}},
	{name: "person_schools", id: "id", key: []string{"school_year"}},
	{name: "awards", id: "id", key: []string{"competition", "awarded_on"}, soft: true},
	{name: "destinations", id: "id", key: []string{"type", "started_on"}, soft: true},
	{name: "career_moves", id: "id", key: []string{"started_on"}, soft: true},
	{name: "follow_ups", id: "id", key: []string{"contacted_on", "channel"}, soft: true},
	{name: "consents", id: "id"},
	{name: "typical_case_persons", id: "case_id", key: []string{"case_id"}},
}

// moveSQL moves the rows of $2 (merged) to $1 (kept) that do not collide.
func (t mergeTable) moveSQL() string {
	var same []string
	for _, k := range t.key {
		same = append(same, "k."+k+" = t."+k)
	}
	cond := ""
	if len(same) > 0 {
		cond = " AND NOT EXISTS (SELECT 1 FROM " + t.name + " k WHERE k.person_id = $1 AND " +
			strings.Join(same, " AND ") + ")"
	}
	return "UPDATE " + t.name + " t SET person_id = $1 WHERE t.person_id = $2" + cond + " RETURNING t." + t.id
}

// leftSQL lists (or, for soft-deleting tables, soft-deletes) the rows of $1 (merged) that
// stayed because they collide.
func (t mergeTable) leftSQL() string {
	if t.soft {
		return "UPDATE " + t.name + " SET deleted_at = now() WHERE person_id = $1 AND deleted_at IS NULL RETURNING id"
	}
	return "SELECT " + t.id + " FROM " + t.name + " WHERE person_id = $1 ORDER BY 1"
}

// backSQL moves the rows $3 from $1 (kept) back to $2 (merged).
func (t mergeTable) backSQL() string {
	return "UPDATE " + t.name + " SET person_id = $2 WHERE person_id = $1 AND " + t.id + " = ANY ($3::bigint[])"
}

// MergeMoved is what a merge changed, as person_merges.moved records it.
type MergeMoved struct {
	// Moved: table → rows moved to the kept person (typical_case_persons: case ids).
	Moved map[string][]int64
	// SoftDeleted: table → rows of the merged person soft-deleted because the kept person
	// has one with the same natural key.
	SoftDeleted map[string][]int64
	// Left: table → rows of the merged person that stay with it for the same reason, in
	// tables without soft deletes (participations, school years, typical cases).
	Left map[string][]int64
	// CareerMoveEnds are the implicit ends the re-linking of the kept person's career
	// moves changed, with their values before.
	CareerMoveEnds []CareerMoveEnd
	// Candidates are the review-queue pairs of the two persons the merge closed, as they were.
	Candidates []CandidateState
	// Repointed are persons merged earlier into the merged person, now merged into the kept one.
	Repointed []int64
	// KeptSchoolChanged says the kept person's responsible school changed (it follows the
	// moved participations), from KeptSchoolBefore.
	KeptSchoolChanged bool
	KeptSchoolBefore  *int64
}

// CareerMoveEnd is a career move's end as it was.
type CareerMoveEnd struct {
	ID      int64
	EndedOn *time.Time
}

// CandidateState is a review-queue row's state as it was.
type CandidateState struct {
	ID         int64
	Status     string
	ResolvedAt *time.Time
	ResolvedBy *string
}

// record names the fields of a merge record by their keys in person_merges.moved, each
// key to the field's address: what that column's JSON is written from and read into.
func (m *MergeMoved) record() map[string]any {
	return map[string]any{"moved": &m.Moved, "soft_deleted": &m.SoftDeleted, "left": &m.Left,
		"career_move_ends": &m.CareerMoveEnds, "candidates": &m.Candidates, "repointed": &m.Repointed,
		"kept_school_changed": &m.KeptSchoolChanged, "kept_school_before": &m.KeptSchoolBefore}
}

func (e *CareerMoveEnd) record() map[string]any {
	return map[string]any{"id": &e.ID, "ended_on": &e.EndedOn}
}

func (c *CandidateState) record() map[string]any {
	return map[string]any{"id": &c.ID, "status": &c.Status, "resolved_at": &c.ResolvedAt, "resolved_by": &c.ResolvedBy}
}

// MarshalJSON writes the merge record as person_merges.moved keeps it (the column's form,
// not the API's).
func (m MergeMoved) MarshalJSON() ([]byte, error) { return json.Marshal(m.record()) }

// UnmarshalJSON reads the merge record back from person_merges.moved.
func (m *MergeMoved) UnmarshalJSON(b []byte) error { return readRecord(b, m.record()) }

// MarshalJSON writes a career move's end as person_merges.moved keeps it.
func (e CareerMoveEnd) MarshalJSON() ([]byte, error) { return json.Marshal(e.record()) }

// UnmarshalJSON reads a career move's end back from person_merges.moved.
func (e *CareerMoveEnd) UnmarshalJSON(b []byte) error { return readRecord(b, e.record()) }

// MarshalJSON writes a review-queue row's state as person_merges.moved keeps it.
func (c CandidateState) MarshalJSON() ([]byte, error) { return json.Marshal(c.record()) }

// UnmarshalJSON reads a review-queue row's state back from person_merges.moved.
func (c *CandidateState) UnmarshalJSON(b []byte) error { return readRecord(b, c.record()) }

// readRecord decodes the JSON object b into fields (key → the field's address); keys
// absent from b leave their fields alone, keys fields does not name are ignored.
func readRecord(b []byte, fields map[string]any) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for k, v := range raw {
		if f, ok := fields[k]; ok {
			if err := json.Unmarshal(v, f); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
	}
	return nil
}

// counts says how many rows moved, per table, for the audit log.
func (m MergeMoved) counts() map[string]int {
	out := map[string]int{}
	for t, ids := range m.Moved {
		if len(ids) > 0 {
			out[t] = len(ids)
		}
	}
	return out
}

// Merge is one merge of a person into another.
type Merge struct {
	ID       int64
	KeptID   int64
	MergedID int64
	MergedBy *string
	MergedAt time.Time
	UndoneAt *time.Time
	Moved    MergeMoved
}

func mergeFrom(r db.PersonMerge) (Merge, error) {
	m := Merge{ID: r.ID, KeptID: r.KeptID, MergedID: r.MergedID, MergedBy: r.MergedBy, MergedAt: r.MergedAt,
		UndoneAt: r.UndoneAt}
	if err := json.Unmarshal(r.Moved, &m.Moved); err != nil {
		return Merge{}, fmt.Errorf("decode person_merges.moved: %w", err)
	}
	return m, nil
}

// MergeError is a merge or undo refused by the state of the persons; Reason is one of
// same_person, kept_merged, from_merged, already_undone, not_merged. It matches ErrConflict.
type MergeError struct {
	Reason string
	Into   int64 // kept_merged, from_merged: the person it was merged into
}

func (e *MergeError) Error() string { return "store: merge refused: " + e.Reason }

// Unwrap makes a refused merge match ErrConflict.
func (e *MergeError) Unwrap() error { return ErrConflict }

// lockPair locks two persons and returns them by id; a missing one is ErrNotFound, or a
// *FieldError on "from" when it is the merged one.
func (s *Store) lockPair(ctx context.Context, tx pgx.Tx, keptID, mergedID int64) (kept, merged db.MergePersonsLockRow, err error) {
	rows, err := s.q.MergePersonsLock(ctx, tx, []int64{keptID, mergedID})
	if err != nil {
		return kept, merged, err
	}
	var haveKept, haveMerged bool
	for _, r := range rows {
		switch r.ID {
		case keptID:
			kept, haveKept = r, true
		case mergedID:
			merged, haveMerged = r, true
		}
	}
	if !haveKept {
		return kept, merged, ErrNotFound
	}
	if !haveMerged {
		return kept, merged, &FieldError{Field: "from", Rule: "exists",
			Message: "要合并的人员不存在 / the person to merge (from) does not exist"}
	}
	return kept, merged, nil
}

// PersonMerge merges person mergedID into keptID: every record moves (see the file's
// comment), mergedID.merged_into = keptID, the review-queue pairs of the two close as
// merged, and both persons' audit trails get a 'merge' row. It returns the merge, whose ID
// PersonUnmerge takes.
func (s *Store) PersonMerge(ctx context.Context, a Actor, keptID, mergedID int64) (Merge, error) {
	if keptID == mergedID {
		return Merge{}, &MergeError{Reason: "same_person"}
	}
	var out Merge
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		kept, merged, err := s.lockPair(ctx, tx, keptID, mergedID)
		if err != nil {
			return err
		}
		if kept.MergedInto != nil {
			return &MergeError{Reason: "kept_merged", Into: *kept.MergedInto}
		}
		if merged.MergedInto != nil {
			return &MergeError{Reason: "from_merged", Into: *merged.MergedInto}
		}
		mv := MergeMoved{Moved: map[string][]int64{}, SoftDeleted: map[string][]int64{}, Left: map[string][]int64{},
			CareerMoveEnds: []CareerMoveEnd{}, Candidates: []CandidateState{}, Repointed: []int64{}}
		for _, t := range mergeTables {
			ids, err := collectIDs(ctx, tx, t.moveSQL(), keptID, mergedID)
			if err != nil {
				return fmt.Errorf("move %s: %w", t.name, err)
			}
			mv.Moved[t.name] = ids
			left, err := collectIDs(ctx, tx, t.leftSQL(), mergedID)
			if err != nil {
				return fmt.Errorf("collisions in %s: %w", t.name, err)
			}
			if t.soft {
				mv.SoftDeleted[t.name] = left
			} else {
				mv.Left[t.name] = left
			}
		}
		if len(mv.Moved["career_moves"]) > 0 {
			ends, err := s.q.MergeRelinkCareerMoves(ctx, tx, keptID)
			if err != nil {
				return fmt.Errorf("re-link career moves: %w", err)
			}
			for _, e := range ends {
				mv.CareerMoveEnds = append(mv.CareerMoveEnds, CareerMoveEnd{ID: e.ID, EndedOn: e.EndedOn})
			}
		}
		if err := s.mergeKeptSchool(ctx, tx, &mv, kept, merged); err != nil {
			return err
		}
		if mv.Repointed, err = s.q.MergeRepoint(ctx, tx, db.MergeRepointParams{KeptID: &keptID, MergedID: &mergedID}); err != nil {
			return fmt.Errorf("repoint earlier merges: %w", err)
		}
		by := a.Name
		cands, err := s.q.MergeResolveCandidates(ctx, tx, db.MergeResolveCandidatesParams{A: keptID, B: mergedID,
			ResolvedBy: &by})
		if err != nil {
			return fmt.Errorf("close candidates: %w", err)
		}
		for _, c := range cands {
			mv.Candidates = append(mv.Candidates, CandidateState{ID: c.ID, Status: c.Status, ResolvedAt: c.ResolvedAt,
				ResolvedBy: c.ResolvedBy})
		}
		if err := s.q.MergeSetMergedInto(ctx, tx, db.MergeSetMergedIntoParams{ID: mergedID, MergedInto: &keptID}); err != nil {
			return err
		}
		js, err := json.Marshal(mv)
		if err != nil {
			return err
		}
		row, err := s.q.MergeInsert(ctx, tx, db.MergeInsertParams{KeptID: keptID, MergedID: mergedID, Moved: js,
			MergedBy: &by})
		if err != nil {
			return err
		}
		if out, err = mergeFrom(row); err != nil {
			return err
		}
		return s.auditMerge(ctx, tx, a, "merge", out, kept.SchoolID, merged.SchoolID)
	})
	if err != nil {
		return Merge{}, mergeErr("merge persons", err)
	}
	return out, nil
}

// mergeKeptSchool lets the kept person's responsible school follow the moved
// participations (or take the merged person's when the kept one has none), recording it.
func (s *Store) mergeKeptSchool(ctx context.Context, tx pgx.Tx, mv *MergeMoved, kept, merged db.MergePersonsLockRow) error {
	before := kept.SchoolID
	if len(mv.Moved["participations"]) > 0 {
		if err := s.q.PersonSchoolFollow(ctx, tx, kept.ID); err != nil {
			return fmt.Errorf("follow school: %w", err)
		}
	}
	var after *int64
	if err := tx.QueryRow(ctx, "SELECT school_id FROM persons WHERE id = $1", kept.ID).Scan(&after); err != nil {
		return err
	}
	if after == nil && merged.SchoolID != nil {
		if err := s.q.MergeSetSchool(ctx, tx, db.MergeSetSchoolParams{ID: kept.ID, SchoolID: merged.SchoolID}); err != nil {
			return err
		}
		after = merged.SchoolID
	}
	if !equalPtr(before, after) {
		mv.KeptSchoolChanged, mv.KeptSchoolBefore = true, before
	}
	return nil
}

func equalPtr(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// PersonUnmerge undoes merge mergeID of person keptID exactly: the rows it moved go back,
// the rows it soft-deleted come back, the career-move ends, the kept person's school, the
// repointed merges and the review-queue pairs are as they were, and the merged person is
// a person of its own again. The merge row stays, marked undone, and both audit trails get
// an 'unmerge' row. Undoing needs the kept person not to have been merged since.
func (s *Store) PersonUnmerge(ctx context.Context, a Actor, keptID, mergeID int64) (Merge, error) {
	var out Merge
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := s.q.MergeLock(ctx, tx, mergeID); err != nil {
			if isNoRows(err) {
				return ErrNotFound
			}
			return err
		}
		row, err := s.q.MergeGet(ctx, tx, mergeID)
		if err != nil {
			return err
		}
		if row.KeptID != keptID {
			return ErrNotFound
		}
		m, err := mergeFrom(row)
		if err != nil {
			return err
		}
		if m.UndoneAt != nil {
			return &MergeError{Reason: "already_undone"}
		}
		kept, merged, err := s.lockPair(ctx, tx, keptID, m.MergedID)
		if err != nil {
			return err
		}
		if kept.MergedInto != nil {
			return &MergeError{Reason: "kept_merged", Into: *kept.MergedInto}
		}
		if merged.MergedInto == nil || *merged.MergedInto != keptID {
			return &MergeError{Reason: "not_merged"}
		}
		mv := m.Moved
		for _, t := range mergeTables {
			if ids := mv.Moved[t.name]; len(ids) > 0 {
				if _, err := tx.Exec(ctx, t.backSQL(), keptID, m.MergedID, ids); err != nil {
					return fmt.Errorf("move back %s: %w", t.name, err)
				}
			}
			if ids := mv.SoftDeleted[t.name]; len(ids) > 0 {
				if _, err := tx.Exec(ctx, "UPDATE "+t.name+" SET deleted_at = NULL WHERE person_id = $1 AND id = ANY ($2::bigint[])",
					m.MergedID, ids); err != nil {
					return fmt.Errorf("restore %s: %w", t.name, err)
				}
			}
		}
		for _, e := range mv.CareerMoveEnds {
			if err := s.q.MergeRestoreCareerEnd(ctx, tx, db.MergeRestoreCareerEndParams{ID: e.ID, EndedOn: e.EndedOn}); err != nil {
				return fmt.Errorf("restore career move end: %w", err)
			}
		}
		if mv.KeptSchoolChanged {
			if err := s.q.MergeSetSchool(ctx, tx, db.MergeSetSchoolParams{ID: keptID, SchoolID: mv.KeptSchoolBefore}); err != nil {
				return err
			}
		}
		if len(mv.Repointed) > 0 {
			if err := s.q.MergeRepointBack(ctx, tx, db.MergeRepointBackParams{MergedID: &m.MergedID, Ids: mv.Repointed,
				KeptID: &keptID}); err != nil {
				return err
			}
		}
		for _, c := range mv.Candidates {
			if err := s.q.MergeRestoreCandidate(ctx, tx, db.MergeRestoreCandidateParams{ID: c.ID, Status: c.Status,
				ResolvedAt: c.ResolvedAt, ResolvedBy: c.ResolvedBy}); err != nil {
				return err
			}
		}
		if err := s.q.MergeSetMergedInto(ctx, tx, db.MergeSetMergedIntoParams{ID: m.MergedID}); err != nil {
			return err
		}
		if err := s.q.MergeMarkUndone(ctx, tx, mergeID); err != nil {
			return err
		}
		if row, err = s.q.MergeGet(ctx, tx, mergeID); err != nil {
			return err
		}
		if out, err = mergeFrom(row); err != nil {
			return err
		}
		return s.auditMerge(ctx, tx, a, "unmerge", out, kept.SchoolID, merged.SchoolID)
	})
	if err != nil {
		return Merge{}, mergeErr("undo merge", err)
	}
	return out, nil
}

// auditMerge writes the merge (or unmerge) into both persons' audit trails.
func (s *Store) auditMerge(ctx context.Context, tx pgx.Tx, a Actor, action string, m Merge, keptSchool, mergedSchool *int64) error {
	detail := map[string]any{"merge_id": m.ID, "kept_id": m.KeptID, "merged_id": m.MergedID, "moved": m.Moved.counts()}
	if err := s.Audit(ctx, tx, a, AuditEntry{Action: action, Entity: "person", EntityID: strconv.FormatInt(m.KeptID, 10),
		PersonID: &m.KeptID, SchoolID: keptSchool, After: detail}); err != nil {
		return err
	}
	return s.Audit(ctx, tx, a, AuditEntry{Action: action, Entity: "person", EntityID: strconv.FormatInt(m.MergedID, 10),
		PersonID: &m.MergedID, SchoolID: mergedSchool, After: detail})
}

// PersonMerges lists the merges into a person, oldest first (undone ones too).
func (s *Store) PersonMerges(ctx context.Context, keptID int64) ([]Merge, error) {
	rows, err := s.q.MergeListByKept(ctx, s.scoped(), keptID)
	if err != nil {
		return nil, mapErr("list merges", err)
	}
	out := make([]Merge, len(rows))
	for i, r := range rows {
		if out[i], err = mergeFrom(r); err != nil {
			return nil, mapErr("list merges", err)
		}
	}
	return out, nil
}

// collectIDs runs a statement returning one bigint column.
func collectIDs(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]int64, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	if ids == nil {
		ids = []int64{}
	}
	return ids, nil
}

// mergeErr keeps the merge's own errors and maps the rest.
func mergeErr(op string, err error) error {
	var me *MergeError
	var fe *FieldError
	if errors.As(err, &me) || errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
		return err
	}
	return mapErr(op, err)
}
