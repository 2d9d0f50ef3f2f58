package httpapi

import (
	"net/http"
	"time"

	"talentdb/internal/store"
	"talentdb/internal/tracking"
)

// Destinations (毕业去向) of a person. A destination linked to a school in the database
// continues the person's school history there.

type destinationView struct {
	ID         int64      `json:"id"`
	PersonID   int64      `json:"person_id"`
	Type       string     `json:"type"`
	OrgCode    *string    `json:"org_code"`
	OrgName    *string    `json:"org_name"`
	Major      *string    `json:"major"`
	StartedOn  string     `json:"started_on"`
	ReportedBy *string    `json:"reported_by"`
	Deleted    bool       `json:"deleted"`
	DeletedAt  *time.Time `json:"deleted_at"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	Version    int        `json:"version"`
}

func viewDestination(d store.Destination) destinationView {
	return destinationView{ID: d.ID, PersonID: d.PersonID, Type: d.Type, OrgCode: d.OrgCode, OrgName: d.OrgName,
		Major: d.Major, StartedOn: dateString(d.StartedOn), ReportedBy: d.ReportedBy, Deleted: d.DeletedAt != nil,
		DeletedAt: d.DeletedAt, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Version: d.Version}
}

// destinationBody is the body of POST /persons/{id}/destinations and PATCH
// /destinations/{id} (merged over the current destination).
type destinationBody struct {
	Type       *string `json:"type"`
	OrgCode    *string `json:"org_code"`
	OrgName    *string `json:"org_name"`
	Major      *string `json:"major"`
	StartedOn  *string `json:"started_on"`
	ReportedBy *string `json:"reported_by"`
}

func destinationBodyOf(d store.Destination) destinationBody {
	on := dateString(d.StartedOn)
	return destinationBody{Type: &d.Type, OrgCode: d.OrgCode, OrgName: d.OrgName, Major: d.Major, StartedOn: &on}
}

func (b destinationBody) validate() (store.DestinationInput, error) {
	var c checker
	in := store.DestinationInput{Type: c.requiredLabel("type", b.Type, tracking.DestinationTypes),
		OrgCode: c.optional(b.OrgCode), OrgName: c.optional(b.OrgName), Major: c.optional(b.Major),
		ReportedBy: c.optional(b.ReportedBy)}
	c.required("started_on", b.StartedOn)
	if d := c.date("started_on", b.StartedOn); d != nil {
		in.StartedOn = *d
	}
	c.maxLen("org_code", in.OrgCode, 64)
	c.maxLen("org_name", in.OrgName, 200)
	c.maxLen("major", in.Major, 100)
	c.maxLen("reported_by", in.ReportedBy, 100)
	return in, c.err()
}

func (s *server) listDestinations(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "include_deleted")
	all := includeDeleted(q)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.personFor(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	rows, err := s.store.DestinationList(r.Context(), p.ID, all)
	if err != nil {
		fail(w, r, err)
		return
	}
	list(w, rows, viewDestination)
}

func (s *server) createDestination(w http.ResponseWriter, r *http.Request) {
	personID, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b destinationBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	in, err := b.validate()
	if err != nil {
		fail(w, r, err)
		return
	}
	d, err := s.tracker().CreateDestination(r.Context(), actorFrom(r), personID, in)
	if err != nil {
		failTracking(w, r, err, "person")
		return
	}
	respondCreated(w, resourcePath("destination", d.ID), d.Version, viewDestination(d))
}

func (s *server) getDestination(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "destination")
	if err != nil {
		fail(w, r, err)
		return
	}
	d, err := s.store.DestinationGet(r.Context(), id)
	if err != nil {
		failTracking(w, r, err, "destination")
		return
	}
	respondVersioned(w, http.StatusOK, d.Version, viewDestination(d))
}

func (s *server) updateDestination(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "destination")
	if err != nil {
		fail(w, r, err)
		return
	}
	version, err := requireIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	cur, err := s.store.DestinationGet(r.Context(), id)
	if err != nil {
		failTracking(w, r, err, "destination")
		return
	}
	if cur.Version != version {
		fail(w, r, store.ErrStale)
		return
	}
	b := destinationBodyOf(cur)
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	in, err := b.validate()
	if err != nil {
		fail(w, r, err)
		return
	}
	d, err := s.tracker().UpdateDestination(r.Context(), actorFrom(r), id, version, in)
	if err != nil {
		failTracking(w, r, err, "destination")
		return
	}
	respondVersioned(w, http.StatusOK, d.Version, viewDestination(d))
}

// setDestinationDeleted serves DELETE (soft delete) and POST …/restore.
func (s *server) setDestinationDeleted(w http.ResponseWriter, r *http.Request, deleted bool) {
	id, err := pathID(r, "destination")
	if err != nil {
		fail(w, r, err)
		return
	}
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	t := s.tracker()
	op := t.DeleteDestination
	if !deleted {
		op = t.RestoreDestination
	}
	d, err := op(r.Context(), actorFrom(r), id, version)
	if err != nil {
		failTracking(w, r, err, "destination")
		return
	}
	respondVersioned(w, http.StatusOK, d.Version, viewDestination(d))
}

func (s *server) deleteDestination(w http.ResponseWriter, r *http.Request) {
	s.setDestinationDeleted(w, r, true)
}

func (s *server) restoreDestination(w http.ResponseWriter, r *http.Request) {
	s.setDestinationDeleted(w, r, false)
}
