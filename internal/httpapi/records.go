package httpapi

import (
	"context"
	"net/http"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/tracking"
)

// recordRoutes is the handler set shared by a person's tracking records (awards,
// destinations, career moves, follow-ups): the list under /persons/{id}/…, create, get,
// update with a required If-Match, soft delete and restore. R is the record, B the request
// body — the door's draft, which the door checks (merged over the current record on PATCH)
// — and V the JSON view. Each resource file wires one with its methods of the tracking
// door.
type recordRoutes[R, B, V any] struct {
	s *server

	// entity names the record for failTracking and resourcePath ("career_move"); param is
	// the name pathID reports for a bad {id} ("career move").
	entity, param string

	listRows  func(t *tracking.Service, ctx context.Context, c access.Caller, personID int64, includeDeleted bool) ([]R, error)
	getRow    func(t *tracking.Service, ctx context.Context, c access.Caller, id int64) (R, error)
	createRow func(t *tracking.Service, ctx context.Context, c access.Caller, personID int64, d B) (R, error)
	updateRow func(t *tracking.Service, ctx context.Context, c access.Caller, id int64, version int,
		edit func(cur R) (B, error)) (R, error)
	deleteRow  func(t *tracking.Service, ctx context.Context, c access.Caller, id int64, version *int) (R, error)
	restoreRow func(t *tracking.Service, ctx context.Context, c access.Caller, id int64, version *int) (R, error)

	view    func(R) V
	draftOf func(R) B
	version func(R) int
	id      func(R) int64
}

// list serves GET /persons/{id}/<kind>[?include_deleted=true].
func (rr recordRoutes[R, B, V]) list(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "include_deleted")
	all := includeDeleted(q)
	personID, ok := queryAndID(w, r, q, "person")
	if !ok {
		return
	}
	rows, err := rr.listRows(rr.s.doors.Tracking, r.Context(), callerFrom(r), personID, all)
	if err != nil {
		failTracking(w, r, err, "person")
		return
	}
	list(w, rows, rr.view)
}

// create serves POST /persons/{id}/<kind>: 201 with Location and ETag.
func (rr recordRoutes[R, B, V]) create(w http.ResponseWriter, r *http.Request) {
	personID, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b B
	if err := rr.s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	rec, err := rr.createRow(rr.s.doors.Tracking, r.Context(), callerFrom(r), personID, b)
	if err != nil {
		failTracking(w, r, err, "person")
		return
	}
	respondCreated(w, resourcePath(rr.entity, rr.id(rec)), rr.version(rec), rr.view(rec))
}

// get serves GET /<kind>/{id}.
func (rr recordRoutes[R, B, V]) get(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, rr.param)
	if err != nil {
		fail(w, r, err)
		return
	}
	rec, err := rr.getRow(rr.s.doors.Tracking, r.Context(), callerFrom(r), id)
	if err != nil {
		failTracking(w, r, err, rr.entity)
		return
	}
	respondVersioned(w, http.StatusOK, rr.version(rec), rr.view(rec))
}

// update serves PATCH /<kind>/{id}: If-Match is required and the body is decoded over the
// current record (JSON merge patch) before the door checks it as a whole; the door reads the
// record and checks the version before it asks for the edit.
func (rr recordRoutes[R, B, V]) update(w http.ResponseWriter, r *http.Request) {
	updateByID(w, r, rr.param, rr.failed, func(ctx context.Context, c access.Caller, id int64, version int) (R, error) {
		return rr.updateRow(rr.s.doors.Tracking, ctx, c, id, version, func(cur R) (B, error) {
			b := rr.draftOf(cur)
			err := rr.s.decode(w, r, &b)
			return b, err
		})
	}, rr.version, rr.view)
}

// failed answers an error of the door about this kind of record.
func (rr recordRoutes[R, B, V]) failed(w http.ResponseWriter, r *http.Request, err error) {
	failTracking(w, r, err, rr.entity)
}

// setDeleted serves DELETE (soft delete) and POST …/restore, If-Match optional: 200 with
// the record.
func (rr recordRoutes[R, B, V]) setDeleted(w http.ResponseWriter, r *http.Request, deleted bool) {
	id, version, err := idAndVersion(r, rr.param)
	if err != nil {
		fail(w, r, err)
		return
	}
	op := rr.deleteRow
	if !deleted {
		op = rr.restoreRow
	}
	rec, err := op(rr.s.doors.Tracking, r.Context(), callerFrom(r), id, version)
	if err != nil {
		failTracking(w, r, err, rr.entity)
		return
	}
	respondVersioned(w, http.StatusOK, rr.version(rec), rr.view(rec))
}

// delete serves DELETE /<kind>/{id}.
func (rr recordRoutes[R, B, V]) delete(w http.ResponseWriter, r *http.Request) {
	rr.setDeleted(w, r, true)
}

// restore serves POST /<kind>/{id}/restore.
func (rr recordRoutes[R, B, V]) restore(w http.ResponseWriter, r *http.Request) {
	rr.setDeleted(w, r, false)
}

// failer answers the errors of one door (fail, failParticipation, a failTracking bound to
// its entity).
type failer func(w http.ResponseWriter, r *http.Request, err error)

// updateByID serves a PATCH of the record {id} (param names it in a bad-id error): the
// If-Match is required, update makes the one door call (its patch decodes the body over
// the current record) and the answer is 200 with the record's view and ETag.
func updateByID[R, V any](w http.ResponseWriter, r *http.Request, param string, failed failer,
	update func(ctx context.Context, c access.Caller, id int64, version int) (R, error),
	version func(R) int, view func(R) V) {
	id, v, err := idAndVersion(r, param)
	if err == nil && v == nil {
		_, err = requireIfMatch(r)
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	rec, err := update(r.Context(), callerFrom(r), id, *v)
	if err != nil {
		failed(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, version(rec), view(rec))
}

// deleteByID serves a DELETE of the record {id}, If-Match optional: 204.
func deleteByID(w http.ResponseWriter, r *http.Request, param string, failed failer,
	del func(ctx context.Context, c access.Caller, id int64, version *int) error) {
	id, version, err := idAndVersion(r, param)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := del(r.Context(), callerFrom(r), id, version); err != nil {
		failed(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// idAndVersion reads the {id} of a write to one record (param names it in a bad-id error)
// and its If-Match, nil when absent.
func idAndVersion(r *http.Request, param string) (int64, *int, error) {
	id, err := pathID(r, param)
	if err != nil {
		return 0, nil, err
	}
	version, err := optionalIfMatch(r)
	return id, version, err
}

// stamps are the last fields of every versioned row's JSON: its times and version.
type stamps struct {
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

// recordMeta is the tail of every tracking record's JSON: soft deletion, times, version.
type recordMeta struct {
	Deleted   bool       `json:"deleted"`
	DeletedAt *time.Time `json:"deleted_at"`
	stamps
}

func metaOf(deletedAt *time.Time, created, updated time.Time, version int) recordMeta {
	return recordMeta{Deleted: deletedAt != nil, DeletedAt: deletedAt, stamps: stamps{created, updated, version}}
}

// viewEach is the view of each row, nil for nil (a JSON null stays null).
func viewEach[R, V any](rows []R, view func(R) V) []V {
	if rows == nil {
		return nil
	}
	out := make([]V, len(rows))
	for i, r := range rows {
		out[i] = view(r)
	}
	return out
}
