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
	ID        string    `json:"id"`
	Program   string    `json:"program"`
	Year      int       `json:"year"`
	StartsOn  time.Time `json:"-"`
	EndsOn    time.Time `json:"-"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

func editionFrom(r db.Edition) Edition {
	return Edition{ID: r.ID, Program: r.Program, Year: int(r.Year), StartsOn: r.StartsOn, EndsOn: r.EndsOn,
		Status: r.Status, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

// EditionGet returns one edition or ErrNotFound.
func (s *Store) EditionGet(ctx context.Context, id string) (Edition, error) {
	r, err := s.q.EditionGet(ctx, s.Pool, id)
	if err != nil {
		return Edition{}, mapErr("get edition", err)
	}
	return editionFrom(r), nil
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
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('edition:' || $1))", e.ID); err != nil {
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
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		status := e.Status
		if status == "" {
			status = "planned"
		}
		r, err := s.q.EditionInsert(ctx, tx, db.EditionInsertParams{ID: e.ID, Program: e.Program,
			Year: int32(e.Year), StartsOn: e.StartsOn, EndsOn: e.EndsOn, Status: status})
		if err != nil {
			return err
		}
		out, created = editionFrom(r), true
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrEditionDates) {
			return out, false, err
		}
		return Edition{}, false, mapErr("add edition", err)
	}
	return out, created, nil
}
