package httpapi

import (
	"net/http"

	"talentdb/internal/category"
	"talentdb/internal/edition"
)

// Categories (项目类别): read-only reference data, in the order of the 2023 notice, read
// through internal/category.

type categoryView struct {
	Code      string `json:"code"`
	Program   string `json:"program"`
	GroupZh   string `json:"group_zh"`
	NameZh    string `json:"name_zh"`
	SortOrder int    `json:"sort_order"`
}

func viewCategory(c category.Category) categoryView { return categoryView(c) }

func (s *server) listCategories(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "program")
	f := category.Filter{Program: q.enum("program", edition.Programs...), Limit: q.limit() + 1}
	q.after(&f.AfterSort)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.doors.Categories.List(r.Context(), callerFrom(r), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(c category.Category) any { return c.SortOrder }, viewCategory)
}

func (s *server) getCategory(w http.ResponseWriter, r *http.Request) {
	c, err := s.doors.Categories.Get(r.Context(), callerFrom(r), r.PathValue("code"))
	if err != nil {
		fail(w, r, err)
		return
	}
	respondJSON(w, http.StatusOK, viewCategory(c))
}
