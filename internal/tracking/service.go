package tracking

import (
	"context"
	"time"

	"talentdb/internal/store"
)

// Service applies the tracking rules to writes of awards, destinations, career moves and
// follow-ups. Input arrives parsed (dates as dates, enumerations as keys); the Service adds
// the rules that need today's date and the person's other records.
type Service struct {
	store *store.Store
	now   func() time.Time
}

// New returns a Service on st; now is the clock (nil: time.Now), so tests can pin "today".
func New(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: st, now: now}
}

// Today is the civil date in China by the Service's clock.
func (s *Service) Today() time.Time { return Today(s.now()) }

// actorName is who a record says made it (reported_by, made_by, verified_by): always the
// caller, never a name a client sent.
func actorName(a store.Actor) *string {
	if a.Name == "" {
		return nil
	}
	name := a.Name
	return &name
}

// --- awards

// CreateAward records an award. ReportedBy is the actor, whatever in says.
func (s *Service) CreateAward(ctx context.Context, a store.Actor, personID int64, in store.AwardInput) (store.Award, error) {
	today := s.Today()
	in.ReportedBy = actorName(a)
	return s.store.AwardCreate(ctx, a, personID, in, func(p store.TrackedPerson) error {
		return CheckDate("awarded_on", in.AwardedOn, p, today)
	})
}

// UpdateAward replaces the fields of a live award. Changing what was verified (competition,
// level, rank, date) of a verified or rejected award puts it back to reported.
func (s *Service) UpdateAward(ctx context.Context, a store.Actor, id int64, version int, in store.AwardInput) (store.Award, error) {
	today := s.Today()
	return s.store.AwardUpdate(ctx, a, id, store.AwardChange{Version: &version, Action: "update",
		Apply: func(cur *store.Award, p store.TrackedPerson) error {
			if cur.DeletedAt != nil {
				return ErrDeleted
			}
			if err := CheckDate("awarded_on", in.AwardedOn, p, today); err != nil {
				return err
			}
			before := *cur
			cur.Competition, cur.Level, cur.Rank, cur.AwardedOn = in.Competition, in.Level, in.Rank, in.AwardedOn
			cur.Organizer, cur.CategoryCode, cur.Evidence = in.Organizer, in.CategoryCode, in.Evidence
			if cur.Verification != "reported" && materialChange(before, *cur) {
				cur.Verification, cur.VerifiedBy, cur.VerifiedAt = "reported", nil, nil
			}
			return nil
		}})
}

// VerifyAward moves a live award's verification to state (verified, rejected, or — the
// office only — back to reported), recording who, when and the note.
func (s *Service) VerifyAward(ctx context.Context, a store.Actor, id int64, version *int, state string,
	note *string, office bool) (store.Award, error) {
	now := s.now().UTC()
	return s.store.AwardUpdate(ctx, a, id, store.AwardChange{Version: version, Action: "transition",
		Apply: func(cur *store.Award, _ store.TrackedPerson) error {
			if cur.DeletedAt != nil {
				return ErrDeleted
			}
			if err := CheckVerification(cur.Verification, state, office); err != nil {
				return err
			}
			cur.Verification, cur.VerificationNote = state, note
			if state == "reported" {
				cur.VerifiedBy, cur.VerifiedAt = nil, nil
			} else {
				cur.VerifiedBy, cur.VerifiedAt = actorName(a), &now
			}
			return nil
		}})
}

// DeleteAward soft-deletes an award; RestoreAward undoes it.
func (s *Service) DeleteAward(ctx context.Context, a store.Actor, id int64, version *int) (store.Award, error) {
	return s.store.AwardSetDeleted(ctx, a, id, version, true)
}

// RestoreAward brings back a soft-deleted award.
func (s *Service) RestoreAward(ctx context.Context, a store.Actor, id int64, version *int) (store.Award, error) {
	return s.store.AwardSetDeleted(ctx, a, id, version, false)
}

// --- destinations

// CreateDestination records a destination. ReportedBy is the actor, whatever in says.
func (s *Service) CreateDestination(ctx context.Context, a store.Actor, personID int64, in store.DestinationInput) (store.Destination, error) {
	today := s.Today()
	in.ReportedBy = actorName(a)
	return s.store.DestinationCreate(ctx, a, personID, in, func(p store.TrackedPerson) error {
		return CheckDate("started_on", in.StartedOn, p, today)
	})
}

// UpdateDestination replaces the fields of a live destination.
func (s *Service) UpdateDestination(ctx context.Context, a store.Actor, id int64, version int, in store.DestinationInput) (store.Destination, error) {
	today := s.Today()
	return s.store.DestinationUpdate(ctx, a, id, store.DestinationChange{Version: &version,
		Apply: func(cur *store.Destination, p store.TrackedPerson) error {
			if cur.DeletedAt != nil {
				return ErrDeleted
			}
			if err := CheckDate("started_on", in.StartedOn, p, today); err != nil {
				return err
			}
			cur.Type, cur.OrgCode, cur.OrgName, cur.Major, cur.StartedOn = in.Type, in.OrgCode, in.OrgName, in.Major, in.StartedOn
			return nil
		}})
}

// DeleteDestination soft-deletes a destination (its school-history row goes with it).
func (s *Service) DeleteDestination(ctx context.Context, a store.Actor, id int64, version *int) (store.Destination, error) {
	return s.store.DestinationSetDeleted(ctx, a, id, version, true, nil)
}

// RestoreDestination brings back a soft-deleted destination and its school-history row.
func (s *Service) RestoreDestination(ctx context.Context, a store.Actor, id int64, version *int) (store.Destination, error) {
	return s.store.DestinationSetDeleted(ctx, a, id, version, false, nil)
}

// --- career moves

// CreateCareerMove records a move, refusing one that overlaps an explicit interval; the
// store then re-links the person's intervals. ReportedBy is the actor, whatever in says.
func (s *Service) CreateCareerMove(ctx context.Context, a store.Actor, personID int64, in store.CareerMoveInput) (store.CareerMove, error) {
	today := s.Today()
	in.ReportedBy = actorName(a)
	return s.store.CareerMoveCreate(ctx, a, personID, in, func(p store.TrackedPerson, others []store.Interval) error {
		return checkMove(in.StartedOn, in.EndedOn, p, today, others)
	})
}

func checkMove(start time.Time, end *time.Time, p store.TrackedPerson, today time.Time, others []store.Interval) error {
	if err := CheckDate("started_on", start, p, today); err != nil {
		return err
	}
	if end != nil {
		if err := CheckDate("ended_on", *end, p, today); err != nil {
			return err
		}
	}
	return CheckInterval(start, end, others)
}

// UpdateCareerMove replaces the fields of a live move. EndedOn nil makes its end linked
// again (to the next move's start).
func (s *Service) UpdateCareerMove(ctx context.Context, a store.Actor, id int64, version int, in store.CareerMoveInput) (store.CareerMove, error) {
	today := s.Today()
	return s.store.CareerMoveUpdate(ctx, a, id, store.CareerMoveChange{Version: &version,
		Apply: func(cur *store.CareerMove, p store.TrackedPerson, others []store.Interval) error {
			if cur.DeletedAt != nil {
				return ErrDeleted
			}
			if err := checkMove(in.StartedOn, in.EndedOn, p, today, others); err != nil {
				return err
			}
			cur.OrgCode, cur.OrgName, cur.Position, cur.Title = in.OrgCode, in.OrgName, in.Position, in.Title
			cur.StartedOn, cur.EndedOn, cur.EndedExplicit, cur.Reason = in.StartedOn, in.EndedOn, in.EndedOn != nil, in.Reason
			return nil
		}})
}

// DeleteCareerMove soft-deletes a move; the moves around it re-link.
func (s *Service) DeleteCareerMove(ctx context.Context, a store.Actor, id int64, version *int) (store.CareerMove, error) {
	return s.store.CareerMoveSetDeleted(ctx, a, id, version, true, nil)
}

// RestoreCareerMove brings back a soft-deleted move unless another now overlaps it.
func (s *Service) RestoreCareerMove(ctx context.Context, a store.Actor, id int64, version *int) (store.CareerMove, error) {
	return s.store.CareerMoveSetDeleted(ctx, a, id, version, false,
		func(cur store.CareerMove, _ store.TrackedPerson, others []store.Interval) error {
			var end *time.Time
			if cur.EndedExplicit {
				end = cur.EndedOn
			}
			return CheckInterval(cur.StartedOn, end, others)
		})
}

// --- follow-ups

// CreateFollowUp records a contact, refusing one dated after the person's opt-out. MadeBy
// defaults to the actor.
func (s *Service) CreateFollowUp(ctx context.Context, a store.Actor, personID int64, in store.FollowUpInput) (store.FollowUp, error) {
	today := s.Today()
	in.MadeBy = actorName(a)
	return s.store.FollowUpCreate(ctx, a, personID, in, func(p store.TrackedPerson, b store.OptOutBounds) error {
		if err := CheckDate("contacted_on", in.ContactedOn, p, today); err != nil {
			return err
		}
		return CheckFollowUp(in.ContactedOn, in.Outcome, b)
	})
}

// UpdateFollowUp replaces the fields of a live follow-up; correcting the opt-out itself is
// allowed (it is left out of the bounds it is checked against).
func (s *Service) UpdateFollowUp(ctx context.Context, a store.Actor, id int64, version int, in store.FollowUpInput) (store.FollowUp, error) {
	today := s.Today()
	return s.store.FollowUpUpdate(ctx, a, id, store.FollowUpChange{Version: &version,
		Apply: func(cur *store.FollowUp, p store.TrackedPerson, b store.OptOutBounds) error {
			if cur.DeletedAt != nil {
				return ErrDeleted
			}
			if err := CheckDate("contacted_on", in.ContactedOn, p, today); err != nil {
				return err
			}
			if err := CheckFollowUp(in.ContactedOn, in.Outcome, b); err != nil {
				return err
			}
			cur.ContactedOn, cur.Channel, cur.Outcome, cur.Notes = in.ContactedOn, in.Channel, in.Outcome, in.Notes
			return nil
		}})
}

// DeleteFollowUp soft-deletes a follow-up; deleting an opt-out makes the person
// contactable again.
func (s *Service) DeleteFollowUp(ctx context.Context, a store.Actor, id int64, version *int) (store.FollowUp, error) {
	return s.store.FollowUpSetDeleted(ctx, a, id, version, true, nil)
}

// RestoreFollowUp brings back a soft-deleted follow-up unless the opt-out rule now
// forbids it.
func (s *Service) RestoreFollowUp(ctx context.Context, a store.Actor, id int64, version *int) (store.FollowUp, error) {
	return s.store.FollowUpSetDeleted(ctx, a, id, version, false,
		func(cur store.FollowUp, _ store.TrackedPerson, b store.OptOutBounds) error {
			return CheckFollowUp(cur.ContactedOn, cur.Outcome, b)
		})
}
