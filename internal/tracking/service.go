package tracking

import (
	"context"
	"fmt"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Service is the door to awards, destinations, career moves and follow-ups. Every method
// takes the caller, authorizes its action against the policy table, runs in the caller's
// scope and — for a write — refuses a person whose consent the action's policy row does
// not allow, before the store's unit of work (its audit row inside, the caller as actor).
// Input arrives as a draft (AwardDraft …: the fields as a caller wrote them), which the
// Service checks as a whole — every path gets the same field errors — before it adds the
// rules that need today's date and the person's other records.
type Service struct {
	st    *store.Store
	clock vocab.Clock
}

// New returns a Service on st; now is the clock (nil: time.Now), so tests can pin "today".
// st's default scope, if any, is never used: every call runs in the scope of its caller.
func New(st *store.Store, now func() time.Time) *Service {
	return &Service{st: st.WithoutDefault(), clock: now}
}

// Today is the civil date in China by the Service's clock.
func (s *Service) Today() time.Time { return s.clock.Today() }

// in returns ctx carrying c's scope, for the store.
func in(ctx context.Context, c access.Caller) context.Context {
	return store.WithScope(ctx, store.ScopeFor(c))
}

// writing authorizes c for act on the person entity names (the person itself, or the
// owner of record id), and refuses a person outside c's scope (access.ErrNotFound) or
// whose consent act's policy row does not allow (*access.ConsentError). It returns ctx in
// c's scope and the audit actor.
//
// The consent is read in a short transaction of its own, just before the write's: a
// consent withdrawn in between is not seen by that write. (Row-level security withholds a
// withdrawn person from schools, cities and mentors inside the write too.)
func (s *Service) writing(ctx context.Context, c access.Caller, act access.Action, entity string,
	id int64) (context.Context, store.Actor, error) {
	if err := access.Authorize(c, act); err != nil {
		return ctx, store.Actor{}, err
	}
	ctx = in(ctx, c)
	acc, err := s.st.TrackingAccess(ctx, entity, id)
	if err != nil {
		return ctx, store.Actor{}, err
	}
	if err := access.RequireConsent(act, acc.ConsentState); err != nil {
		return ctx, store.Actor{}, err
	}
	return ctx, store.ActorFor(c), nil
}

// stale refuses an edit started from version got of a record when the caller read want.
func stale(entity string, id int64, got, want int) error {
	if got == want {
		return nil
	}
	return fmt.Errorf("tracking: %s %d is at version %d, not %d: %w", entity, id, got, want, store.ErrStale)
}

// parse authorizes c for act, then checks a draft (input): a caller not allowed the
// action learns nothing about its input.
func parse[I any](c access.Caller, act access.Action, input func() (I, error)) (I, error) {
	if err := access.Authorize(c, act); err != nil {
		var zero I
		return zero, err
	}
	return input()
}

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

// CreateAward records an award of person personID. ReportedBy is the caller, whatever in
// says.
func (s *Service) CreateAward(ctx context.Context, c access.Caller, personID int64, d AwardDraft) (Award, error) {
	in, err := parse(c, access.TrackingWrite, d.input)
	if err != nil {
		return Award{}, err
	}
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "person", personID)
	if err != nil {
		return Award{}, err
	}
	today := s.Today()
	in.ReportedBy = actorName(a)
	return s.st.AwardCreate(ctx, a, personID, in, func(p store.TrackedPerson) error {
		return CheckDate("awarded_on", in.AwardedOn, p, today)
	})
}

// UpdateAward replaces the fields of a live award with what edit derives from the award as
// it stands (a merge patch decoded over it, say), provided the award is still at version.
// edit runs outside any transaction; its error is returned as is. Changing what was
// verified (competition, level, rank, date) of a verified or rejected award puts it back to
// reported.
func (s *Service) UpdateAward(ctx context.Context, c access.Caller, id int64, version int,
	edit func(cur Award) (AwardDraft, error)) (Award, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "award", id)
	if err != nil {
		return Award{}, err
	}
	cur, err := s.st.AwardGet(ctx, id)
	if err != nil {
		return Award{}, err
	}
	if err := stale("award", id, cur.Version, version); err != nil {
		return Award{}, err
	}
	d, err := edit(cur)
	if err != nil {
		return Award{}, err
	}
	in, err := d.input()
	if err != nil {
		return Award{}, err
	}
	today := s.Today()
	return s.st.AwardUpdate(ctx, a, id, store.AwardChange{Version: &version, Action: "update",
		Apply: func(cur *Award, p store.TrackedPerson) error {
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
// office only — back to reported), recording the caller, now and the note. version, when
// given, must be the award's.
func (s *Service) VerifyAward(ctx context.Context, c access.Caller, id int64, version *int, d VerifyDraft) (Award, error) {
	if err := access.Authorize(c, access.AwardVerify); err != nil {
		return Award{}, err
	}
	state, note, err := d.input()
	if err != nil {
		return Award{}, err
	}
	ctx, a, err := s.writing(ctx, c, access.AwardVerify, "award", id)
	if err != nil {
		return Award{}, err
	}
	now := s.clock.Now().UTC()
	return s.st.AwardUpdate(ctx, a, id, store.AwardChange{Version: version, Action: "transition",
		Apply: func(cur *Award, _ store.TrackedPerson) error {
			if cur.DeletedAt != nil {
				return ErrDeleted
			}
			if err := CheckVerification(cur.Verification, state, c.Office()); err != nil {
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
func (s *Service) DeleteAward(ctx context.Context, c access.Caller, id int64, version *int) (Award, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "award", id)
	if err != nil {
		return Award{}, err
	}
	return s.st.AwardSetDeleted(ctx, a, id, version, true)
}

// RestoreAward brings back a soft-deleted award.
func (s *Service) RestoreAward(ctx context.Context, c access.Caller, id int64, version *int) (Award, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "award", id)
	if err != nil {
		return Award{}, err
	}
	return s.st.AwardSetDeleted(ctx, a, id, version, false)
}

// --- destinations

// CreateDestination records a destination of person personID. ReportedBy is the caller,
// whatever in says.
func (s *Service) CreateDestination(ctx context.Context, c access.Caller, personID int64, d DestinationDraft) (Destination, error) {
	in, err := parse(c, access.TrackingWrite, d.input)
	if err != nil {
		return Destination{}, err
	}
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "person", personID)
	if err != nil {
		return Destination{}, err
	}
	today := s.Today()
	in.ReportedBy = actorName(a)
	return s.st.DestinationCreate(ctx, a, personID, in, func(p store.TrackedPerson) error {
		return CheckDate("started_on", in.StartedOn, p, today)
	})
}

// UpdateDestination replaces the fields of a live destination with what edit derives from
// it, provided it is still at version (edit as for UpdateAward).
func (s *Service) UpdateDestination(ctx context.Context, c access.Caller, id int64, version int,
	edit func(cur Destination) (DestinationDraft, error)) (Destination, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "destination", id)
	if err != nil {
		return Destination{}, err
	}
	cur, err := s.st.DestinationGet(ctx, id)
	if err != nil {
		return Destination{}, err
	}
	if err := stale("destination", id, cur.Version, version); err != nil {
		return Destination{}, err
	}
	d, err := edit(cur)
	if err != nil {
		return Destination{}, err
	}
	in, err := d.input()
	if err != nil {
		return Destination{}, err
	}
	today := s.Today()
	return s.st.DestinationUpdate(ctx, a, id, store.DestinationChange{Version: &version,
		Apply: func(cur *Destination, p store.TrackedPerson) error {
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
func (s *Service) DeleteDestination(ctx context.Context, c access.Caller, id int64, version *int) (Destination, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "destination", id)
	if err != nil {
		return Destination{}, err
	}
	return s.st.DestinationSetDeleted(ctx, a, id, version, true, nil)
}

// RestoreDestination brings back a soft-deleted destination and its school-history row.
func (s *Service) RestoreDestination(ctx context.Context, c access.Caller, id int64, version *int) (Destination, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "destination", id)
	if err != nil {
		return Destination{}, err
	}
	return s.st.DestinationSetDeleted(ctx, a, id, version, false, nil)
}

// --- career moves

// CreateCareerMove records a move of person personID, refusing one that overlaps an
// explicit interval; the store then re-links the person's intervals. ReportedBy is the
// caller, whatever in says.
func (s *Service) CreateCareerMove(ctx context.Context, c access.Caller, personID int64, d CareerMoveDraft) (CareerMove, error) {
	in, err := parse(c, access.TrackingWrite, d.input)
	if err != nil {
		return CareerMove{}, err
	}
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "person", personID)
	if err != nil {
		return CareerMove{}, err
	}
	today := s.Today()
	in.ReportedBy = actorName(a)
	return s.st.CareerMoveCreate(ctx, a, personID, in, func(p store.TrackedPerson, others []store.Interval) error {
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

// UpdateCareerMove replaces the fields of a live move with what edit derives from it,
// provided it is still at version (edit as for UpdateAward). EndedOn nil makes its end
// linked again (to the next move's start).
func (s *Service) UpdateCareerMove(ctx context.Context, c access.Caller, id int64, version int,
	edit func(cur CareerMove) (CareerMoveDraft, error)) (CareerMove, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "career_move", id)
	if err != nil {
		return CareerMove{}, err
	}
	cur, err := s.st.CareerMoveGet(ctx, id)
	if err != nil {
		return CareerMove{}, err
	}
	if err := stale("career move", id, cur.Version, version); err != nil {
		return CareerMove{}, err
	}
	d, err := edit(cur)
	if err != nil {
		return CareerMove{}, err
	}
	in, err := d.input()
	if err != nil {
		return CareerMove{}, err
	}
	today := s.Today()
	return s.st.CareerMoveUpdate(ctx, a, id, store.CareerMoveChange{Version: &version,
		Apply: func(cur *CareerMove, p store.TrackedPerson, others []store.Interval) error {
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
func (s *Service) DeleteCareerMove(ctx context.Context, c access.Caller, id int64, version *int) (CareerMove, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "career_move", id)
	if err != nil {
		return CareerMove{}, err
	}
	return s.st.CareerMoveSetDeleted(ctx, a, id, version, true, nil)
}

// RestoreCareerMove brings back a soft-deleted move unless another now overlaps it.
func (s *Service) RestoreCareerMove(ctx context.Context, c access.Caller, id int64, version *int) (CareerMove, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "career_move", id)
	if err != nil {
		return CareerMove{}, err
	}
	return s.st.CareerMoveSetDeleted(ctx, a, id, version, false,
		func(cur CareerMove, _ store.TrackedPerson, others []store.Interval) error {
			var end *time.Time
			if cur.EndedExplicit {
				end = cur.EndedOn
			}
			return CheckInterval(cur.StartedOn, end, others)
		})
}

// --- follow-ups

// CreateFollowUp records a contact with person personID, refusing one dated after the
// person's opt-out. MadeBy is the caller, whatever in says.
func (s *Service) CreateFollowUp(ctx context.Context, c access.Caller, personID int64, d FollowUpDraft) (FollowUp, error) {
	in, err := parse(c, access.TrackingWrite, d.input)
	if err != nil {
		return FollowUp{}, err
	}
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "person", personID)
	if err != nil {
		return FollowUp{}, err
	}
	today := s.Today()
	in.MadeBy = actorName(a)
	return s.st.FollowUpCreate(ctx, a, personID, in, func(p store.TrackedPerson, b store.OptOutBounds) error {
		if err := CheckDate("contacted_on", in.ContactedOn, p, today); err != nil {
			return err
		}
		return CheckFollowUp(in.ContactedOn, in.Outcome, b)
	})
}

// UpdateFollowUp replaces the fields of a live follow-up with what edit derives from it,
// provided it is still at version (edit as for UpdateAward); correcting the opt-out itself
// is allowed (it is left out of the bounds it is checked against).
func (s *Service) UpdateFollowUp(ctx context.Context, c access.Caller, id int64, version int,
	edit func(cur FollowUp) (FollowUpDraft, error)) (FollowUp, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "follow_up", id)
	if err != nil {
		return FollowUp{}, err
	}
	cur, err := s.st.FollowUpGet(ctx, id)
	if err != nil {
		return FollowUp{}, err
	}
	if err := stale("follow-up", id, cur.Version, version); err != nil {
		return FollowUp{}, err
	}
	d, err := edit(cur)
	if err != nil {
		return FollowUp{}, err
	}
	in, err := d.input()
	if err != nil {
		return FollowUp{}, err
	}
	today := s.Today()
	return s.st.FollowUpUpdate(ctx, a, id, store.FollowUpChange{Version: &version,
		Apply: func(cur *FollowUp, p store.TrackedPerson, b store.OptOutBounds) error {
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
func (s *Service) DeleteFollowUp(ctx context.Context, c access.Caller, id int64, version *int) (FollowUp, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "follow_up", id)
	if err != nil {
		return FollowUp{}, err
	}
	return s.st.FollowUpSetDeleted(ctx, a, id, version, true, nil)
}

// RestoreFollowUp brings back a soft-deleted follow-up unless the opt-out rule now
// forbids it.
func (s *Service) RestoreFollowUp(ctx context.Context, c access.Caller, id int64, version *int) (FollowUp, error) {
	ctx, a, err := s.writing(ctx, c, access.TrackingWrite, "follow_up", id)
	if err != nil {
		return FollowUp{}, err
	}
	return s.st.FollowUpSetDeleted(ctx, a, id, version, false,
		func(cur FollowUp, _ store.TrackedPerson, b store.OptOutBounds) error {
			return CheckFollowUp(cur.ContactedOn, cur.Outcome, b)
		})
}
