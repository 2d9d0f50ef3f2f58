package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"talentdb/internal/access"
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
	if err := newQuery(r).err(); err != nil {
		fail(w, r, err)
		return
	}
	id, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	evs, err := s.doors.Persons.Timeline(r.Context(), callerFrom(r), id)
	if errors.Is(err, access.ErrNotFound) {
		err = notFoundProblem("person")
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	v := timelineView{PersonID: id, Events: make([]timelineEvent, len(evs))}
	for i, e := range evs {
		v.Events[i] = timelineEvent{On: dateString(e.On), At: e.At, Kind: e.Kind, Entity: e.Entity,
			EntityID: e.EntityID, Deleted: e.Deleted, Actor: e.Actor, Detail: e.Detail}
	}
	respondJSON(w, http.StatusOK, v)
}
