package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// Edition is one year of a program.
type Edition struct {
	ID        string
	Program   string
	Year      int
	StartsOn  time.Time
	EndsOn    time.Time
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

func editionFrom(r db.Edition) Edition {
	return Edition{ID: r.ID, Program: r.Program, Year: int(r.Year), StartsOn: r.StartsOn, EndsOn: r.EndsOn,
		Status: r.Status, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

// EditionGet returns one edition or ErrNotFound.
func (s *Store) EditionGet(ctx context.Context, id string) (Edition, error) {
	return rowOf(ctx, s, "get edition", id, getter(s.q.EditionGet, editionFrom))
}

// ErrEditionDates: the edition exists with other dates than asked.
var ErrEditionDates = errors.New("edition exists with different dates")

// EditionEnsure creates an edition, or leaves an existing one with the same dates alone
// (created=false). An existing edition with other dates is ErrEditionDates.
func (s *Store) EditionEnsure(ctx context.Context, e Edition) (Edition, bool, error) {
	var out Edition
	created := false
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		// lock against a concurrent creator of the same edition
		if err := s.q.EditionKeyLock(ctx, tx, e.ID); err != nil {
			return err
		}
		old, err := s.q.EditionGet(ctx, tx, e.ID)
		if err == nil {
			out = editionFrom(old)
			if !old.StartsOn.Equal(e.StartsOn) || !old.EndsOn.Equal(e.EndsOn) {
				return fmt.Errorf("%w: %s runs %s … %s", ErrEditionDates, e.ID,
					old.StartsOn.Format(time.DateOnly), old.EndsOn.Format(time.DateOnly))
			}
			return nil
		}
		if !isNoRows(err) {
			return err
		}
		out, err = s.editionInsert(ctx, tx, e)
		created = err == nil
		return err
	})
	if err != nil {
		if errors.Is(err, ErrEditionDates) {
			return out, false, err
		}
		return Edition{}, false, mapErr("add edition", err)
	}
	return out, created, nil
}

// EditionFilter selects one page of editions. Nil fields do not filter.
type EditionFilter struct {
	Program *string
	Year    *int
	Status  *string
	AfterID string
	Limit   int
}

// EditionList returns up to f.Limit editions with id > f.AfterID, by id.
func (s *Store) EditionList(ctx context.Context, f EditionFilter) ([]Edition, error) {
	p := db.EditionListParams{Program: f.Program, Status: f.Status, AfterID: f.AfterID, Lim: int32(f.Limit)}
	if f.Year != nil {
		y := int32(*f.Year)
		p.Year = &y
	}
	return listOf("list editions", editionFrom)(s.q.EditionList(ctx, s.scoped(), p))
}

// EditionCreate inserts a new edition and audits it; an existing ID is a *ConstraintError
// (ErrConflict). Unlike EditionEnsure it never accepts an existing edition.
func (s *Store) EditionCreate(ctx context.Context, a Actor, e Edition) (Edition, error) {
	return createTx(ctx, s, "create edition", func(tx pgx.Tx) (Edition, error) {
		out, err := s.editionInsert(ctx, tx, e)
		if err != nil {
			return Edition{}, err
		}
		return out, s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "edition", EntityID: out.ID, After: editionAudit(out)})
	})
}

// editionInsert inserts e, planned unless it names a status.
func (s *Store) editionInsert(ctx context.Context, tx pgx.Tx, e Edition) (Edition, error) {
	status := e.Status
	if status == "" {
		status = "planned"
	}
	r, err := s.q.EditionInsert(ctx, tx, db.EditionInsertParams{ID: e.ID, Program: e.Program,
		Year: int32(e.Year), StartsOn: e.StartsOn, EndsOn: e.EndsOn, Status: status})
	if err != nil {
		return Edition{}, err
	}
	return editionFrom(r), nil
}

// EditionUpdate changes an edition's dates and status, provided it is still at version.
func (s *Store) EditionUpdate(ctx context.Context, a Actor, id string, version int, startsOn, endsOn time.Time, status string) (Edition, error) {
	return updateLocked(ctx, s, a, id, &version, lockedWrite[string, Edition]{op: "update edition", entity: "edition",
		lock: s.q.EditionLock, get: getter(s.q.EditionGet, editionFrom),
		write: func(ctx context.Context, tx pgx.Tx, _ Edition) (*Edition, error) {
			r, err := s.q.EditionUpdate(ctx, tx, db.EditionUpdateParams{ID: id, StartsOn: startsOn, EndsOn: endsOn, Status: status})
			if err != nil {
				return nil, err
			}
			return new(editionFrom(r)), nil
		},
		audit: func(before, after Edition) AuditEntry {
			return AuditEntry{Action: "update", Before: editionAudit(before), After: editionAudit(after)}
		}})
}

// EditionDelete deletes an edition nothing refers to (no participations, applications …);
// otherwise a *DeleteBlockedError. When version is not nil the row must be at that version.
func (s *Store) EditionDelete(ctx context.Context, a Actor, id string, version *int) error {
	return deleteRow(ctx, s, a, "edition", id, version, s.q.EditionLock, getter(s.q.EditionGet, editionFrom),
		s.q.EditionDelete, func(before Edition) AuditEntry { return AuditEntry{Before: editionAudit(before)} })
}

// editionAudit is an edition as the audit log records it, dates included (Edition's own
// JSON form leaves them out).
func editionAudit(e Edition) map[string]any {
	return map[string]any{"id": e.ID, "program": e.Program, "year": e.Year,
		"starts_on": e.StartsOn.Format(time.DateOnly), "ends_on": e.EndsOn.Format(time.DateOnly),
		"status": e.Status, "version": e.Version}
}
