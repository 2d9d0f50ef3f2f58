package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// The reads of the tracking door (internal/tracking): a person's awards, destinations,
// career moves and follow-ups, one record, and the person and consent state a tracking
// write names. Each is one transaction in ctx's scope that checks the person with the
// explicit predicate of queries/scope.sql (which also withholds a withdrawn person from
// schools, cities and mentors) besides row-level security: outside the scope reads as
// ErrNotFound, like no such record.

// TrackingAccess returns the person a tracking write names — the person itself (entity
// "person") or the owner of record id (entity award, destination, career_move or
// follow_up) — with their consent state, checked against ctx's scope. No such record, or
// one outside the scope, is ErrNotFound.
func (s *Store) TrackingAccess(ctx context.Context, entity string, id int64) (Access, error) {
	var out Access
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		personID := id
		if entity != "person" {
			var err error
			if personID, err = s.q.ScopeRecordPerson(ctx, tx, db.ScopeRecordPersonParams{Entity: entity, ID: id}); err != nil {
				return err
			}
		}
		sc, _ := s.ScopeOf(ctx)
		kind, school, city, mentor := scopeArgs(sc)
		r, err := s.q.ScopePersonCheck(ctx, tx, db.ScopePersonCheckParams{Kind: kind, SchoolID: school,
			CityCode: city, MentorID: mentor, PersonID: personID})
		if err != nil {
			return err
		}
		if !r.InScope {
			return ErrNotFound
		}
		out = Access{PersonID: personID, InScope: true, ConsentState: r.ConsentState}
		return nil
	})
	if err != nil {
		return Access{}, mapErr("check "+entity, err)
	}
	return out, nil
}

// personRead runs read in one transaction of ctx's scope, after person personID is
// checked to be within it.
func (s *Store) personRead(ctx context.Context, op string, personID int64, read func(q db.DBTX) error) error {
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		if err := s.requireInScope(ctx, tx, personID); err != nil {
			return err
		}
		return read(tx)
	})
	return mapErr(op, err)
}

// recordRead runs read — which returns the person the record it read belongs to — in one
// transaction of ctx's scope, and then checks that person within it.
func (s *Store) recordRead(ctx context.Context, op string, read func(q db.DBTX) (int64, error)) error {
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		personID, err := read(tx)
		if err != nil {
			return err
		}
		return s.requireInScope(ctx, tx, personID)
	})
	return mapErr(op, err)
}

// AwardListInScope is AwardList of a person within ctx's scope (ErrNotFound otherwise).
func (s *Store) AwardListInScope(ctx context.Context, personID int64, includeDeleted bool) ([]Award, error) {
	var out []Award
	err := s.personRead(ctx, "list awards", personID, func(q db.DBTX) error {
		rows, err := s.q.AwardList(ctx, q, db.AwardListParams{PersonID: personID, IncludeDeleted: includeDeleted})
		out = make([]Award, len(rows))
		for i, r := range rows {
			out[i] = awardFrom(r)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AwardGetInScope is AwardGet of an award whose person is within ctx's scope.
func (s *Store) AwardGetInScope(ctx context.Context, id int64) (Award, error) {
	var out Award
	err := s.recordRead(ctx, "get award", func(q db.DBTX) (int64, error) {
		r, err := s.q.AwardGet(ctx, q, id)
		out = awardFrom(r)
		return r.PersonID, err
	})
	if err != nil {
		return Award{}, err
	}
	return out, nil
}

// DestinationListInScope is DestinationList of a person within ctx's scope.
func (s *Store) DestinationListInScope(ctx context.Context, personID int64, includeDeleted bool) ([]Destination, error) {
	var out []Destination
	err := s.personRead(ctx, "list destinations", personID, func(q db.DBTX) error {
		rows, err := s.q.DestinationList(ctx, q, db.DestinationListParams{PersonID: personID,
			IncludeDeleted: includeDeleted})
		out = make([]Destination, len(rows))
		for i, r := range rows {
			out[i] = destinationFrom(db.DestinationGetRow(r))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DestinationGetInScope is DestinationGet of a destination whose person is within ctx's scope.
func (s *Store) DestinationGetInScope(ctx context.Context, id int64) (Destination, error) {
	var out Destination
	err := s.recordRead(ctx, "get destination", func(q db.DBTX) (int64, error) {
		r, err := s.q.DestinationGet(ctx, q, id)
		out = destinationFrom(r)
		return r.PersonID, err
	})
	if err != nil {
		return Destination{}, err
	}
	return out, nil
}

// CareerMoveListInScope is CareerMoveList of a person within ctx's scope.
func (s *Store) CareerMoveListInScope(ctx context.Context, personID int64, includeDeleted bool) ([]CareerMove, error) {
	var out []CareerMove
	err := s.personRead(ctx, "list career moves", personID, func(q db.DBTX) error {
		rows, err := s.q.CareerMoveList(ctx, q, db.CareerMoveListParams{PersonID: personID,
			IncludeDeleted: includeDeleted})
		out = make([]CareerMove, len(rows))
		for i, r := range rows {
			out[i] = careerMoveFrom(db.CareerMoveGetRow(r))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CareerMoveGetInScope is CareerMoveGet of a move whose person is within ctx's scope.
func (s *Store) CareerMoveGetInScope(ctx context.Context, id int64) (CareerMove, error) {
	var out CareerMove
	err := s.recordRead(ctx, "get career move", func(q db.DBTX) (int64, error) {
		r, err := s.q.CareerMoveGet(ctx, q, id)
		out = careerMoveFrom(r)
		return r.PersonID, err
	})
	if err != nil {
		return CareerMove{}, err
	}
	return out, nil
}

// CareerMoveOnInScope is the live move of a person within ctx's scope covering date on —
// nil when none covers it; ErrNotFound is the person's.
func (s *Store) CareerMoveOnInScope(ctx context.Context, personID int64, on time.Time) (*CareerMove, error) {
	var out *CareerMove
	err := s.personRead(ctx, "career move on date", personID, func(q db.DBTX) error {
		r, err := s.q.CareerMoveOn(ctx, q, db.CareerMoveOnParams{PersonID: personID, OnDate: on})
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		m := careerMoveFrom(db.CareerMoveGetRow(r))
		out = &m
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FollowUpListInScope is FollowUpList of a person within ctx's scope.
func (s *Store) FollowUpListInScope(ctx context.Context, personID int64, includeDeleted bool) ([]FollowUp, error) {
	var out []FollowUp
	err := s.personRead(ctx, "list follow-ups", personID, func(q db.DBTX) error {
		rows, err := s.q.FollowUpList(ctx, q, db.FollowUpListParams{PersonID: personID, IncludeDeleted: includeDeleted})
		out = make([]FollowUp, len(rows))
		for i, r := range rows {
			out[i] = followUpFrom(r)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FollowUpGetInScope is FollowUpGet of a follow-up whose person is within ctx's scope.
func (s *Store) FollowUpGetInScope(ctx context.Context, id int64) (FollowUp, error) {
	var out FollowUp
	err := s.recordRead(ctx, "get follow-up", func(q db.DBTX) (int64, error) {
		r, err := s.q.FollowUpGet(ctx, q, id)
		out = followUpFrom(r)
		return r.PersonID, err
	})
	if err != nil {
		return FollowUp{}, err
	}
	return out, nil
}
