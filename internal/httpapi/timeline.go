package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/person"
)

// The timeline of a person: everything in date order from one query.

type timelineEvent struct {
	On       string          `json:"on"`
	At       time.Time       `json:"at"`
	Kind     string          `json:"kind"`
	Entity   string          `json:"entity"`
	EntityID int64           `json:"entity_id"`
	Deleted  bool            `json:"deleted"`
	Actor    string          `json:"actor,omitempty"`
	Detail   json.RawMessage `json:"detail"`
}

type timelineView struct {
	PersonID int64           `json:"person_id"`
	Events   []timelineEvent `json:"events"`
}

// timeline serves GET /persons/{id}/timeline: participation steps, school years, awards,
// destinations, career moves, follow-ups (soft-deleted ones marked "deleted": true) and
// the audit log's edits of the person's records with their changes {from, to}.
func (s *server) timeline(w http.ResponseWriter, r *http.Request) {
	read := func(ctx context.Context, c access.Caller, id int64) ([]person.TimelineEvent, error) {
		evs, err := s.doors.Persons.Timeline(ctx, c, id)
		if errors.Is(err, access.ErrNotFound) {
			return nil, notFoundProblem("person")
		}
		return evs, err
	}
	personRead(w, r, read, func(id int64, evs []person.TimelineEvent) {
		v := timelineView{PersonID: id, Events: make([]timelineEvent, len(evs))}
		for i, e := range evs {
			v.Events[i] = timelineEvent{On: dateString(e.On), At: e.At, Kind: e.Kind, Entity: e.Entity,
				EntityID: e.EntityID, Deleted: e.Deleted, Actor: e.Actor, Detail: e.Detail}
		}
		respondJSON(w, http.StatusOK, v)
	})
}

// personRead answers a GET /persons/{id}/… that reads one person's records: the id, no
// query parameters, one door call, one answer.
func personRead[T any](w http.ResponseWriter, r *http.Request, read func(context.Context, access.Caller, int64) (T, error),
	respond func(id int64, v T)) {
	id, err := pathID(r, "person")
	if err == nil {
		err = newQuery(r).err()
	}
	var v T
	if err == nil {
		v, err = read(r.Context(), callerFrom(r), id)
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	respond(id, v)
}
