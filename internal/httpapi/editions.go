package httpapi

import (
	"net/http"

	"talentdb/internal/edition"
	"talentdb/internal/vocab"
)

// Editions (年度): one year of a program, e.g. jingke-2023. The rules of an edition are
// internal/edition's; these handlers decode, make one call to its Service and answer.

func init() {
	registerConstraints(map[string]constraintField{
		"editions_pkey": {http.StatusConflict, "id", "unique", "该年度已存在 / this edition already exists"},
		"editions_program_year_key": {http.StatusConflict, "id", "unique",
			"该计划的这一年度已存在 / this program already has an edition that year"},
		"editions_dates": {http.StatusBadRequest, "ends_on", "after",
			"结束日期必须晚于开始日期 / ends_on must be after starts_on"},
	})
}

type editionView struct {
	ID       string `json:"id"`
	Program  string `json:"program"`
	Year     int    `json:"year"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
	Status   string `json:"status"`
	stamps
}

func viewEdition(e edition.Edition) editionView {
	return editionView{ID: e.ID, Program: e.Program, Year: e.Year, StartsOn: dateString(e.StartsOn),
		EndsOn: dateString(e.EndsOn), Status: e.Status, stamps: stamps{e.CreatedAt, e.UpdatedAt, e.Version}}
}

// editionCreateBody is the body of POST /editions: the ID names program and year; the
// dates default to March 1 … the last day of February; the status to planned.
type editionCreateBody struct {
	ID       *string `json:"id"`
	StartsOn *string `json:"starts_on"`
	EndsOn   *string `json:"ends_on"`
	Status   *string `json:"status"`
}

// editionPatchBody is the body of PATCH /editions/{id}, merged over the current edition.
type editionPatchBody struct {
	StartsOn *string `json:"starts_on"`
	EndsOn   *string `json:"ends_on"`
	Status   *string `json:"status"`
}

func (s *server) listEditions(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "program", "year", "status")
	f := edition.Filter{Program: q.enum("program", edition.Programs...), Status: q.enum("status", vocab.EditionStatuses.Keys()...),
		Limit: q.limit() + 1}
	if y := q.int("year"); y != nil {
		f.Year = ptr(int(*y))
	}
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.doors.Editions.List(r.Context(), callerFrom(r), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(e edition.Edition) any { return e.ID }, viewEdition)
}

func (s *server) getEdition(w http.ResponseWriter, r *http.Request) {
	e, err := s.doors.Editions.Get(r.Context(), callerFrom(r), r.PathValue("id"))
	if err != nil {
		fail(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, e.Version, viewEdition(e))
}

func (s *server) createEdition(w http.ResponseWriter, r *http.Request) {
	var b editionCreateBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	e, err := s.doors.Editions.Create(r.Context(), callerFrom(r), deref(b.ID),
		edition.Input{StartsOn: deref(b.StartsOn), EndsOn: deref(b.EndsOn), Status: deref(b.Status)})
	if err != nil {
		fail(w, r, err)
		return
	}
	respondCreated(w, "/api/v1/editions/"+e.ID, e.Version, viewEdition(e))
}

func (s *server) updateEdition(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	version, err := requireIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	e, err := s.doors.Editions.Update(r.Context(), callerFrom(r), id, version, func(cur edition.Edition) (edition.Input, error) {
		b := editionPatchBody{StartsOn: ptr(dateString(cur.StartsOn)), EndsOn: ptr(dateString(cur.EndsOn)), Status: &cur.Status}
		err := s.decode(w, r, &b)
		return edition.Input{StartsOn: deref(b.StartsOn), EndsOn: deref(b.EndsOn), Status: deref(b.Status)}, err
	})
	if err != nil {
		fail(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, e.Version, viewEdition(e))
}

func (s *server) deleteEdition(w http.ResponseWriter, r *http.Request) {
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := s.doors.Editions.Delete(r.Context(), callerFrom(r), r.PathValue("id"), version); err != nil {
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
