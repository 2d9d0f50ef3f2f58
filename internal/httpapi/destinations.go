package httpapi

import (
	"time"

	"talentdb/internal/store"
	"talentdb/internal/tracking"
	"talentdb/internal/vocab"
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
	in := store.DestinationInput{Type: c.requiredLabel("type", b.Type, vocab.DestinationTypes),
		OrgCode: c.optional(b.OrgCode), OrgName: c.optional(b.OrgName), Major: c.optional(b.Major)}
	c.required("started_on", b.StartedOn)
	if d := c.date("started_on", b.StartedOn); d != nil {
		in.StartedOn = *d
	}
	c.maxLen("org_code", in.OrgCode, 64)
	c.maxLen("org_name", in.OrgName, 200)
	c.maxLen("major", in.Major, 100)
	c.serverSet("reported_by", b.ReportedBy)
	return in, c.err()
}

// destinationRoutes wires the shared list, create, get, update, delete and restore handlers
// to the destination methods of the tracking door.
func (s *server) destinationRoutes() recordRoutes[store.Destination, destinationBody, store.DestinationInput, destinationView] {
	return recordRoutes[store.Destination, destinationBody, store.DestinationInput, destinationView]{
		s: s, entity: "destination", param: "destination",
		listRows: (*tracking.Service).ListDestinations, getRow: (*tracking.Service).GetDestination,
		createRow: (*tracking.Service).CreateDestination, updateRow: (*tracking.Service).UpdateDestination,
		deleteRow: (*tracking.Service).DeleteDestination, restoreRow: (*tracking.Service).RestoreDestination,
		view: viewDestination, bodyOf: destinationBodyOf, validate: destinationBody.validate,
		version: func(r store.Destination) int { return r.Version },
		id:      func(r store.Destination) int64 { return r.ID },
	}
}
