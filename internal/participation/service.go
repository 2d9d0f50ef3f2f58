package participation

import (
	"context"

	"talentdb/internal/access"
	"talentdb/internal/cycle"
	"talentdb/internal/store"
)

// Service is the door to participations.
type Service struct {
	st    *store.Store
	cycle *cycle.Service
}

// New returns the service over st. st's default scope, if any, is never used: every call
// runs in the scope of its caller.
func New(st *store.Store) *Service {
	st = st.WithoutDefault()
	return &Service{st: st, cycle: cycle.New(st)}
}

// in returns ctx carrying c's scope, for the store.
func in(ctx context.Context, c access.Caller) context.Context {
	return store.WithScope(ctx, store.ScopeFor(c))
}

// Get reads one participation the caller may see. Outside the caller's scope — or of a
// person withheld from it by a withdrawn consent — is access.ErrNotFound.
func (s *Service) Get(ctx context.Context, c access.Caller, id int64) (Participation, error) {
	if err := access.Authorize(c, access.ParticipationRead); err != nil {
		return Participation{}, err
	}
	return s.st.ParticipationGetScoped(in(ctx, c), id)
}

// List returns one page of the participations the caller may see, by id — never one of a
// person whose guardian's consent is pending or withdrawn. f.Limit is the number of rows
// read (a path asks for one more than it shows, to tell whether a next page exists).
func (s *Service) List(ctx context.Context, c access.Caller, f Filter) ([]Participation, error) {
	if err := access.Authorize(c, access.ParticipationRead); err != nil {
		return nil, err
	}
	return s.st.ParticipationList(in(ctx, c), f)
}

// Create records a participation. A school operator names their own school only
// (*ForbiddenError otherwise). Everyone but the office nominates: the participation
// starts registered, without mentor, institution or evaluation, under the cycle's rules
// (cycle.Service.Register: an approved application, an eligible grade or a teacher role).
// The office may record one in any status, as history.
func (s *Service) Create(ctx context.Context, c access.Caller, b Input) (Participation, error) {
	if err := access.Authorize(c, access.ParticipationWrite); err != nil {
		return Participation{}, err
	}
	pi, err := validate(b, nil)
	if err != nil {
		return Participation{}, err
	}
	ctx = in(ctx, c)
	if err := s.ownSchool(ctx, c, pi.SchoolCode); err != nil { // a school nominates its own students
		return Participation{}, err
	}
	if !c.Office() { // a school's new participation is a nomination, under the cycle's rules
		return s.nominate(ctx, c, pi)
	}
	return s.st.ParticipationCreate(ctx, store.ActorFor(c), pi)
}

// Update corrects the participation id, which must still be at version (access.ErrStale
// otherwise). patch turns the current participation, as an Input, into the one wanted —
// the API decodes its JSON merge patch over it; an error from patch is returned as is.
// The result is validated like a new one; person and edition cannot change, a school
// operator cannot move it to another school, and its status and evaluation change only by
// the cycle's steps (a *access.RuleError). Only the office assigns mentor and institution.
func (s *Service) Update(ctx context.Context, c access.Caller, id int64, version int,
	patch func(*Input) error) (Participation, error) {
	if err := access.Authorize(c, access.ParticipationWrite); err != nil {
		return Participation{}, err
	}
	ctx = in(ctx, c)
	cur, err := s.st.ParticipationGetScoped(ctx, id)
	if err != nil {
		return Participation{}, err
	}
	if cur.Version != version {
		return Participation{}, access.ErrStale
	}
	b := InputOf(cur)
	if err := patch(&b); err != nil {
		return Participation{}, err
	}
	pi, err := validate(b, &cur)
	if err != nil {
		return Participation{}, err
	}
	if err := s.ownSchool(ctx, c, pi.SchoolCode); err != nil { // nor move one to another school
		return Participation{}, err
	}
	if err := cycleOwnedFields(c, cur, pi); err != nil { // status and evaluation change by the cycle's rules
		return Participation{}, err
	}
	// cur is the row the store updates: it refuses the write unless the row is still at
	// version, under its lock, so the rules above judged what is written over
	return s.st.ParticipationUpdate(ctx, store.ActorFor(c), id, version, pi)
}

// Delete deletes a participation that is still only registered and that nothing refers
// to (a *store.DeleteBlockedError otherwise); when version is not nil it must still be at
// that version.
func (s *Service) Delete(ctx context.Context, c access.Caller, id int64, version *int) error {
	if err := access.Authorize(c, access.ParticipationWrite); err != nil {
		return err
	}
	return s.st.ParticipationDelete(in(ctx, c), store.ActorFor(c), id, version)
}
