package category

import "talentdb/internal/store"

// Category is one category (项目类别) of a program, as the door returns it.
type Category = store.Category

// Filter selects one page of categories; nil fields do not filter.
type Filter = store.CategoryFilter
