package category

import (
	"context"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// Service is the door to categories.
type Service struct {
	st *store.Store
}

// New returns the service over st. st's default scope, if any, is never used: every call
// runs in the scope of its caller.
func New(st *store.Store) *Service { return &Service{st: st.WithoutDefault()} }

// Get reads one category by code, or access.ErrNotFound.
func (s *Service) Get(ctx context.Context, c access.Caller, code string) (Category, error) {
	if err := access.Authorize(c, access.ReferenceRead); err != nil {
		return Category{}, err
	}
	return s.st.CategoryGet(store.WithScope(ctx, store.ScopeFor(c)), code)
}

// List returns up to f.Limit categories with sort_order > f.AfterSort, in order.
func (s *Service) List(ctx context.Context, c access.Caller, f Filter) ([]Category, error) {
	if err := access.Authorize(c, access.ReferenceRead); err != nil {
		return nil, err
	}
	return s.st.CategoryList(store.WithScope(ctx, store.ScopeFor(c)), f)
}
