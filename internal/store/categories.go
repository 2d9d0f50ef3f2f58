package store

import (
	"context"

	"talentdb/db"
)

// Category is a project category (项目类别) of one program; reference data.
type Category struct {
	Code      string
	Program   string
	GroupZh   string
	NameZh    string
	SortOrder int
}

// CategoryFilter selects one page of categories, in the order of the 2023 notice.
type CategoryFilter struct {
	Program   *string
	AfterSort int
	Limit     int
}

func categoryFrom(r db.Category) Category {
	return Category{Code: r.Code, Program: r.Program, GroupZh: r.GroupZh, NameZh: r.NameZh, SortOrder: int(r.SortOrder)}
}

// CategoryGet returns one category by code or ErrNotFound.
func (s *Store) CategoryGet(ctx context.Context, code string) (Category, error) {
	return rowOf(ctx, s, "get category", code, getter(s.q.CategoryGet, categoryFrom))
}

// CategoryList returns up to f.Limit categories with sort_order > f.AfterSort.
func (s *Store) CategoryList(ctx context.Context, f CategoryFilter) ([]Category, error) {
	return listOf("list categories", categoryFrom)(s.q.CategoryList(ctx, s.scoped(),
		db.CategoryListParams{AfterSort: int32(f.AfterSort), Program: f.Program, Lim: int32(f.Limit)}))
}
