package edition

import (
	"context"
	"errors"
	"fmt"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Service is the door to editions: reading, creating, changing and deleting them, for
// every path (the API, the web app, the CLI).
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

// Input is what a caller sets on an edition: its dates as YYYY-MM-DD and its status (a
// key of vocab.EditionStatuses). On Create and Ensure a blank date takes the default
// (DefaultDates) and a blank status is planned; on Update every field is required.
type Input struct {
	StartsOn string
	EndsOn   string
	Status   string
}

// Get reads one edition, or access.ErrNotFound.
func (s *Service) Get(ctx context.Context, c access.Caller, id string) (Edition, error) {
	if err := access.Authorize(c, access.ReferenceRead); err != nil {
		return Edition{}, err
	}
	return s.st.EditionGet(in(ctx, c), id)
}

// List returns up to f.Limit editions with id > f.AfterID, by id.
func (s *Service) List(ctx context.Context, c access.Caller, f Filter) ([]Edition, error) {
	if err := access.Authorize(c, access.ReferenceRead); err != nil {
		return nil, err
	}
	return s.st.EditionList(in(ctx, c), f)
}

// Create validates and inserts edition id (PROGRAM-YEAR), audited. Invalid fields come
// back all at once, as *access.FieldError joined (check.All lists them); an edition that
// exists already is the store's *store.ConstraintError (access.ErrConflict).
func (s *Service) Create(ctx context.Context, c access.Caller, id string, input Input) (Edition, error) {
	if err := access.Authorize(c, access.ReferenceWrite); err != nil {
		return Edition{}, err
	}
	e, err := validateNew(id, input)
	if err != nil {
		return Edition{}, err
	}
	return s.st.EditionCreate(in(ctx, c), store.ActorFor(c), e)
}

// Ensure is Create for a command that may run twice: an edition that exists with the same
// dates is left alone (created false), one with other dates is store.ErrEditionDates. The
// creation is Create's, audited; a concurrent creator of the same edition is met by the
// primary key, and the edition it made is compared instead.
func (s *Service) Ensure(ctx context.Context, c access.Caller, id string, input Input) (Edition, bool, error) {
	if err := access.Authorize(c, access.ReferenceWrite); err != nil {
		return Edition{}, false, err
	}
	e, err := validateNew(id, input)
	if err != nil {
		return Edition{}, false, err
	}
	ctx = in(ctx, c)
	same := func(old Edition) (Edition, bool, error) {
		if !old.StartsOn.Equal(e.StartsOn) || !old.EndsOn.Equal(e.EndsOn) {
			return old, false, fmt.Errorf("%w: %s runs %s … %s", store.ErrEditionDates, old.ID,
				old.StartsOn.Format(time.DateOnly), old.EndsOn.Format(time.DateOnly))
		}
		return old, false, nil
	}
	old, err := s.st.EditionGet(ctx, e.ID)
	if err == nil {
		return same(old)
	}
	if !errors.Is(err, access.ErrNotFound) {
		return Edition{}, false, err
	}
	out, err := s.st.EditionCreate(ctx, store.ActorFor(c), e)
	if errors.Is(err, access.ErrConflict) {
		if old, gerr := s.st.EditionGet(ctx, e.ID); gerr == nil {
			return same(old)
		}
	}
	if err != nil {
		return Edition{}, false, err
	}
	return out, true, nil
}

// Patch turns the current edition into the fields to write: for the API, a JSON merge
// patch decoded over it. An error it returns is returned as is.
type Patch func(cur Edition) (Input, error)

// Update changes an edition's dates and status, provided it is still at version (else
// access.ErrStale), audited. patch sees the current edition, read in the caller's scope
// after the version check; its fields are all required. The write is one transaction that
// checks the version again, so a change that lands in between is refused, never
// overwritten.
func (s *Service) Update(ctx context.Context, c access.Caller, id string, version int, patch Patch) (Edition, error) {
	if err := access.Authorize(c, access.ReferenceWrite); err != nil {
		return Edition{}, err
	}
	ctx = in(ctx, c)
	cur, err := s.st.EditionGet(ctx, id)
	if err != nil {
		return Edition{}, err
	}
	if cur.Version != version {
		return Edition{}, access.ErrStale
	}
	input, err := patch(cur)
	if err != nil {
		return Edition{}, err
	}
	var ck check.Fields
	ck.Required("starts_on", input.StartsOn)
	ck.Required("ends_on", input.EndsOn)
	ck.Required("status", input.Status)
	from, to, status := validateDates(&ck, input, cur.StartsOn, cur.EndsOn)
	if err := ck.Err(); err != nil {
		return Edition{}, err
	}
	return s.st.EditionUpdate(ctx, store.ActorFor(c), id, version, from, to, status)
}

// Delete deletes an edition nothing refers to (no participations, applications …; else a
// *store.DeleteBlockedError), audited. When version is not nil the edition must still be
// at that version.
func (s *Service) Delete(ctx context.Context, c access.Caller, id string, version *int) error {
	if err := access.Authorize(c, access.ReferenceWrite); err != nil {
		return err
	}
	return s.st.EditionDelete(in(ctx, c), store.ActorFor(c), id, version)
}

// validateNew checks a new edition: its ID, and its dates and status with the ID's
// defaults.
func validateNew(raw string, input Input) (Edition, error) {
	var ck check.Fields
	raw = ck.Required("id", raw)
	id, err := ParseID(raw)
	if raw != "" && err != nil {
		ck.Add("id", "format", "年度编号应为 计划-年份，如 jingke-2023 / id must be PROGRAM-YEAR, e.g. jingke-2023 ("+err.Error()+")")
	}
	defFrom, defTo := id.DefaultDates()
	from, to, status := validateDates(&ck, input, defFrom, defTo)
	if err := ck.Err(); err != nil {
		return Edition{}, err
	}
	return Edition{ID: id.String(), Program: id.Program, Year: id.Year, StartsOn: from, EndsOn: to, Status: status}, nil
}

// validateDates checks the dates and status create and update share: blank dates take
// defFrom and defTo, the edition ends after it starts, a blank status is planned.
func validateDates(ck *check.Fields, input Input, defFrom, defTo time.Time) (from, to time.Time, status string) {
	from, to = defFrom, defTo
	if d := ck.Date("starts_on", input.StartsOn); d != nil {
		from = *d
	}
	if d := ck.Date("ends_on", input.EndsOn); d != nil {
		to = *d
	}
	if !to.After(from) {
		ck.Add("ends_on", "after", "结束日期必须晚于开始日期 / ends_on must be after starts_on")
	}
	status = "planned"
	if v := ck.Optional(&input.Status); v != nil {
		status = *v
	}
	ck.Enum("status", &status, vocab.EditionStatuses.Keys()...)
	return from, to, status
}
