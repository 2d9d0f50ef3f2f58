package person

import (
	"context"
	"fmt"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// The records Reach checks: a person, a participation, or a tracking record by the person
// it belongs to.
const (
	RecordPerson        = "person"
	RecordParticipation = "participation"
	RecordAward         = "award"
	RecordDestination   = "destination"
	RecordCareerMove    = "career_move"
	RecordFollowUp      = "follow_up"
)

// Reach is the fence a path runs before it lets a request that names a record through:
// the caller's role must be allowed action a, the record (entity is one of the Record
// kinds) must lie within the caller's scope — outside it, as for a record that does not
// exist, is access.ErrNotFound — and the person's consent must allow a
// (*access.ConsentError otherwise). The doors behind it check again.
func (s *Service) Reach(ctx context.Context, c access.Caller, entity string, id int64, a access.Action) error {
	if err := access.Authorize(c, a); err != nil {
		return err
	}
	acc, err := s.st.RecordAccess(in(ctx, c), entity, id, store.ScopeFor(c))
	if err != nil {
		return err
	}
	if !acc.InScope {
		return fmt.Errorf("%s %d is outside the caller's scope: %w", entity, id, access.ErrNotFound)
	}
	return access.RequireConsent(a, acc.ConsentState)
}
