package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// ParticipationGetScoped returns one participation within ctx's scope: checked with the
// explicit predicate of queries/scope.sql (its school, the school's city, its mentor; a
// withdrawn person withheld from all three) and read under row-level security, in one
// transaction. Outside the scope is ErrNotFound, as is no such participation, so a path
// without the HTTP layer's first fence (a page, a command) still gets both fences.
func (s *Store) ParticipationGetScoped(ctx context.Context, id int64) (Participation, error) {
	var out Participation
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		sc, _ := s.ScopeOf(ctx)
		kind, school, city, mentor := scopeArgs(sc)
		acc, err := s.q.ScopeParticipationCheck(ctx, tx, db.ScopeParticipationCheckParams{Kind: kind,
			SchoolID: school, CityCode: city, MentorID: mentor, ID: id})
		if err != nil {
			return err
		}
		if !acc.InScope {
			return ErrNotFound
		}
		r, err := s.q.ParticipationGet(ctx, tx, id)
		if err != nil {
			return err
		}
		out = participationFrom(r)
		return nil
	})
	if err != nil {
		return Participation{}, mapErr("get participation", err)
	}
	return out, nil
}
