package httpapi

import (
	"net/http"
	"time"

	"talentdb/internal/edition"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Editions (年度): one year of a program, e.g. jingke-2023.

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
	ID        string    `json:"id"`
	Program   string    `json:"program"`
	Year      int       `json:"year"`
	StartsOn  string    `json:"starts_on"`
	EndsOn    string    `json:"ends_on"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

func viewEdition(e store.Edition) editionView {
	return editionView{ID: e.ID, Program: e.Program, Year: e.Year, StartsOn: dateString(e.StartsOn),
		EndsOn: dateString(e.EndsOn), Status: e.Status, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, Version: e.Version}
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

// validateEditionDates checks dates and status shared by create and update.
func validateEditionDates(c *checker, startsOn, endsOn, status *string, defFrom, defTo time.Time) (time.Time, time.Time, string) {
	from, to := defFrom, defTo
	if d := c.date("starts_on", startsOn); d != nil {
		from = *d
	}
	if d := c.date("ends_on", endsOn); d != nil {
		to = *d
	}
	if !to.After(from) {
		c.add("ends_on", "after", "结束日期必须晚于开始日期 / ends_on must be after starts_on")
	}
	st := "planned"
	if v := c.optional(status); v != nil {
		st = *v
	}
	c.enum("status", &st, vocab.EditionStatuses.Keys()...)
	return from, to, st
}

func (s *server) listEditions(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "program", "year", "status")
	f := store.EditionFilter{Program: q.enum("program", edition.Programs...), Status: q.enum("status", vocab.EditionStatuses.Keys()...),
		Limit: q.limit() + 1}
	if y := q.int("year"); y != nil {
		f.Year = ptr(int(*y))
	}
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.store.EditionList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(e store.Edition) any { return e.ID }, viewEdition)
}

func (s *server) getEdition(w http.ResponseWriter, r *http.Request) {
	e, err := s.store.EditionGet(r.Context(), r.PathValue("id"))
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
	var c checker
	raw := c.required("id", b.ID)
	id, err := edition.ParseID(raw)
	if raw != "" && err != nil {
		c.add("id", "format", "年度编号应为 计划-年份，如 jingke-2023 / id must be PROGRAM-YEAR, e.g. jingke-2023 ("+err.Error()+")")
	}
	defFrom, defTo := id.DefaultDates()
	from, to, status := validateEditionDates(&c, b.StartsOn, b.EndsOn, b.Status, defFrom, defTo)
	if err := c.err(); err != nil {
		fail(w, r, err)
		return
	}
	e, err := s.store.EditionCreate(r.Context(), actorFrom(r), store.Edition{ID: id.String(), Program: id.Program,
		Year: id.Year, StartsOn: from, EndsOn: to, Status: status})
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
	cur, err := s.store.EditionGet(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	if cur.Version != version {
		fail(w, r, store.ErrStale)
		return
	}
	b := editionPatchBody{StartsOn: ptr(dateString(cur.StartsOn)), EndsOn: ptr(dateString(cur.EndsOn)), Status: &cur.Status}
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var c checker
	c.required("starts_on", b.StartsOn)
	c.required("ends_on", b.EndsOn)
	c.required("status", b.Status)
	from, to, status := validateEditionDates(&c, b.StartsOn, b.EndsOn, b.Status, cur.StartsOn, cur.EndsOn)
	if err := c.err(); err != nil {
		fail(w, r, err)
		return
	}
	e, err := s.store.EditionUpdate(r.Context(), actorFrom(r), id, version, from, to, status)
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
	if err := s.store.EditionDelete(r.Context(), actorFrom(r), r.PathValue("id"), version); err != nil {
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
