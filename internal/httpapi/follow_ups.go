package httpapi

import (
	"errors"
	"net/http"

	"talentdb/internal/report"
	"talentdb/internal/tracking"
)

// Follow-ups (跟踪联系) of a person, the follow-up schedule (the report package's due
// list, in the contract's JSON) and its coverage summary per school and per city.

type followUpView struct {
	ID          int64   `json:"id"`
	PersonID    int64   `json:"person_id"`
	ContactedOn string  `json:"contacted_on"`
	Channel     string  `json:"channel"`
	Outcome     string  `json:"outcome"`
	Notes       *string `json:"notes"`
	MadeBy      *string `json:"made_by"`
	recordMeta
}

func viewFollowUp(f tracking.FollowUp) followUpView {
	return followUpView{ID: f.ID, PersonID: f.PersonID, ContactedOn: dateString(f.ContactedOn), Channel: f.Channel,
		Outcome: f.Outcome, Notes: f.Notes, MadeBy: f.MadeBy,
		recordMeta: metaOf(f.DeletedAt, f.CreatedAt, f.UpdatedAt, f.Version)}
}

// followUpRoutes wires the shared list, create, get, update, delete and restore handlers
// to the follow-up methods of the tracking door.
func (s *server) followUpRoutes() recordRoutes[tracking.FollowUp, tracking.FollowUpDraft, followUpView] {
	return recordRoutes[tracking.FollowUp, tracking.FollowUpDraft, followUpView]{
		s: s, entity: "follow_up", param: "follow-up",
		listRows: (*tracking.Service).ListFollowUps, getRow: (*tracking.Service).GetFollowUp,
		createRow: (*tracking.Service).CreateFollowUp, updateRow: (*tracking.Service).UpdateFollowUp,
		deleteRow: (*tracking.Service).DeleteFollowUp, restoreRow: (*tracking.Service).RestoreFollowUp,
		view: viewFollowUp, draftOf: tracking.FollowUpDraftOf,
		version: func(r tracking.FollowUp) int { return r.Version },
		id:      func(r tracking.FollowUp) int64 { return r.ID },
	}
}

// coverageLine is one line of the coverage summary; Rate is met / scheduled (0 when none
// are scheduled).
type coverageLine struct {
	CityCode   string  `json:"city_code,omitempty"`
	SchoolCode string  `json:"school_code,omitempty"`
	SchoolName string  `json:"school_name,omitempty"`
	Scheduled  int64   `json:"scheduled"`
	Met        int64   `json:"met"`
	Due        int64   `json:"due"`
	Overdue    int64   `json:"overdue"`
	OptedOut   int64   `json:"opted_out"`
	Rate       float64 `json:"rate"`
}

type coverageView struct {
	AsOf     string         `json:"as_of"`
	School   *string        `json:"school,omitempty"`
	Region   *string        `json:"region,omitempty"`
	Total    coverageLine   `json:"total"`
	ByCity   []coverageLine `json:"by_city"`
	BySchool []coverageLine `json:"by_school"`
}

// followUpCoverage serves GET /follow-ups/coverage?as_of=DATE[&school=CODE][&region=CODE]:
// the follow-up schedule per school and per city — scheduled, met, due, overdue, rate —
// from one query.
func (s *server) followUpCoverage(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "as_of", "school", "region")
	asOf := q.date("as_of")
	school, region, city := schoolRegion(q)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	cov, err := s.doors.Tracking.FollowUpCoverage(r.Context(), callerFrom(r), asOf, school, city)
	if err != nil { // an unknown school or region is an *access.FieldError: 400 naming it
		fail(w, r, err)
		return
	}
	v := coverageView{AsOf: dateString(cov.AsOf), School: school, Region: region,
		ByCity: []coverageLine{}, BySchool: []coverageLine{}}
	for _, row := range cov.Rows {
		l := coverageLine{Scheduled: row.Scheduled, Met: row.Met, Due: row.Due, Overdue: row.Overdue,
			OptedOut: row.OptedOut}
		if row.Scheduled > 0 {
			l.Rate = float64(row.Met) / float64(row.Scheduled)
		}
		switch row.Level {
		case "total":
			v.Total = l
		case "city":
			l.CityCode = row.CityCode
			v.ByCity = append(v.ByCity, l)
		default:
			l.CityCode, l.SchoolCode, l.SchoolName = row.CityCode, row.SchoolCode, row.SchoolName
			v.BySchool = append(v.BySchool, l)
		}
	}
	respondJSON(w, http.StatusOK, v)
}

// followUpsDue serves GET /follow-ups/due?as_of=DATE[&school=CODE][&region=CODE]: the
// contract's follow-up schedule, exactly as report.FollowUpsDue computes it (one query),
// narrowed to the caller's school or city and audited by the report door.
func (s *server) followUpsDue(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "as_of", "school", "region")
	asOf, school, region := q.date("as_of"), q.str("school"), q.str("region")
	if region != nil && !reRegion.MatchString(*region) {
		q.add("region", "format", "region 必须是 6 位行政区划代码 / region must be a 6-digit GB/T 2260 code")
	}
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	var f report.DueFilter // a zero as_of is the door's today
	if asOf != nil {
		f.AsOf = *asOf
	}
	if school != nil {
		f.SchoolCode = *school
	}
	if region != nil {
		f.RegionCode = *region
	}
	rep, err := s.doors.Reports.FollowUpsDue(r.Context(), callerFrom(r), f) // audited by the door
	var out *report.OutOfScopeError
	switch {
	case errors.As(err, &out):
		fail(w, r, notFoundProblem(out.Param))
	case errors.Is(err, report.ErrUnknownSchool):
		fail(w, r, fieldProblem("school", "exists", "没有该代码的单位 / no organization has this code"))
	case errors.Is(err, report.ErrUnknownRegion):
		fail(w, r, fieldProblem("region", "exists", "行政区划代码不属于已知的市州 / region is not within a known city or prefecture"))
	case errors.Is(err, report.ErrInvalid):
		fail(w, r, fieldProblem("region", "format", "region 必须是 6 位行政区划代码 / region must be a 6-digit GB/T 2260 code"))
	case err != nil:
		fail(w, r, err)
	default:
		respondJSON(w, http.StatusOK, rep)
	}
}
