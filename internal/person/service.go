package person

import (
	"context"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// Fields are the personal fields a read of a person returns, as the audit log records them.
var Fields = []string{"id_number_masked", "name", "gender", "birth_date", "phone_masked", "guardian_name",
	"guardian_phone_masked", "school_code", "consent_state"}

// Service is the door to persons.
type Service struct {
	st *store.Store
}

// New returns the service over st. st's default scope, if any, is never used: every call
// runs in the scope of its caller.
func New(st *store.Store) *Service { return &Service{st: st.WithoutDefault()} }

// in returns ctx carrying c's scope, for the store.
func in(ctx context.Context, c access.Caller) context.Context {
	return store.WithScope(ctx, store.ScopeFor(c))
}

// Get reads one person the caller may see, audited. Outside the caller's scope — or
// withheld from it by a withdrawn consent — is access.ErrNotFound.
func (s *Service) Get(ctx context.Context, c access.Caller, id int64) (store.Person, error) {
	if err := access.Authorize(c, access.PersonRead); err != nil {
		return store.Person{}, err
	}
	return s.st.PersonRead(in(ctx, c), store.ActorFor(c), id, Fields)
}

// List returns one page of the persons the caller may see (never one withheld for a
// guardian's consent), audited with the number of rows shown: f.Limit asks for one row
// more than shown, to tell whether a next page exists.
func (s *Service) List(ctx context.Context, c access.Caller, f store.PersonFilter) ([]store.Person, error) {
	if err := access.Authorize(c, access.PersonRead); err != nil {
		return nil, err
	}
	return s.st.PersonListRead(in(ctx, c), store.ActorFor(c), f, Fields, f.Limit-1)
}

// Timeline reads a person's timeline, audited, after the same scope check as Get.
func (s *Service) Timeline(ctx context.Context, c access.Caller, id int64) ([]store.TimelineEvent, error) {
	if err := access.Authorize(c, access.PersonRead); err != nil {
		return nil, err
	}
	return s.st.TimelineRead(in(ctx, c), store.ActorFor(c), id)
}
