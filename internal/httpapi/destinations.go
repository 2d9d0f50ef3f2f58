package httpapi

import "talentdb/internal/tracking"

// Destinations (毕业去向) of a person. A destination linked to a school in the database
// continues the person's school history there.

type destinationView struct {
	ID         int64   `json:"id"`
	PersonID   int64   `json:"person_id"`
	Type       string  `json:"type"`
	OrgCode    *string `json:"org_code"`
	OrgName    *string `json:"org_name"`
	Major      *string `json:"major"`
	StartedOn  string  `json:"started_on"`
	ReportedBy *string `json:"reported_by"`
	recordMeta
}

func viewDestination(d tracking.Destination) destinationView {
	return destinationView{ID: d.ID, PersonID: d.PersonID, Type: d.Type, OrgCode: d.OrgCode, OrgName: d.OrgName,
		Major: d.Major, StartedOn: dateString(d.StartedOn), ReportedBy: d.ReportedBy, recordMeta: metaOf(d.DeletedAt, d.CreatedAt, d.UpdatedAt, d.Version)}
}

// destinationRoutes wires the shared list, create, get, update, delete and restore handlers
// to the destination methods of the tracking door.
func (s *server) destinationRoutes() recordRoutes[tracking.Destination, tracking.DestinationDraft, destinationView] {
	return recordRoutes[tracking.Destination, tracking.DestinationDraft, destinationView]{
		s: s, entity: "destination", param: "destination",
		listRows: (*tracking.Service).ListDestinations, getRow: (*tracking.Service).GetDestination,
		createRow: (*tracking.Service).CreateDestination, updateRow: (*tracking.Service).UpdateDestination,
		deleteRow: (*tracking.Service).DeleteDestination, restoreRow: (*tracking.Service).RestoreDestination,
		view: viewDestination, draftOf: tracking.DestinationDraftOf,
		version: func(r tracking.Destination) int { return r.Version },
		id:      func(r tracking.Destination) int64 { return r.ID },
	}
}
