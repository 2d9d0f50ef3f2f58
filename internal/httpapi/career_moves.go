package httpapi

import (
	"net/http"
	"regexp"
	"time"

	"talentdb/internal/tracking"
)

// Career moves (工作动向) of a teacher as intervals, where a teacher was on a date, and
// how many trained teachers are still in science education.

type careerMoveView struct {
	ID            int64   `json:"id"`
	PersonID      int64   `json:"person_id"`
	OrgCode       *string `json:"org_code"`
	OrgName       *string `json:"org_name"`
	Position      string  `json:"position"`
	Title         *string `json:"title"`
	StartedOn     string  `json:"started_on"`
	EndedOn       *string `json:"ended_on"`
	EndedExplicit bool    `json:"ended_explicit"`
	Reason        *string `json:"reason"`
	ReportedBy    *string `json:"reported_by"`
	recordMeta
}

func optDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := dateString(*t)
	return &s
}

func viewCareerMove(m tracking.CareerMove) careerMoveView {
	return careerMoveView{ID: m.ID, PersonID: m.PersonID, OrgCode: m.OrgCode, OrgName: m.OrgName,
		Position: m.Position, Title: m.Title, StartedOn: dateString(m.StartedOn), EndedOn: optDate(m.EndedOn),
		EndedExplicit: m.EndedExplicit, Reason: m.Reason, ReportedBy: m.ReportedBy, recordMeta: metaOf(m.DeletedAt, m.CreatedAt, m.UpdatedAt, m.Version)}
}

// careerMoveRoutes wires the shared list, create, get, update, delete and restore handlers
// to the career move methods of the tracking door.
func (s *server) careerMoveRoutes() recordRoutes[tracking.CareerMove, tracking.CareerMoveDraft, careerMoveView] {
	return recordRoutes[tracking.CareerMove, tracking.CareerMoveDraft, careerMoveView]{
		s: s, entity: "career_move", param: "career move",
		listRows: (*tracking.Service).ListCareerMoves, getRow: (*tracking.Service).GetCareerMove,
		createRow: (*tracking.Service).CreateCareerMove, updateRow: (*tracking.Service).UpdateCareerMove,
		deleteRow: (*tracking.Service).DeleteCareerMove, restoreRow: (*tracking.Service).RestoreCareerMove,
		view: viewCareerMove, draftOf: tracking.CareerMoveDraftOf,
		version: func(r tracking.CareerMove) int { return r.Version },
		id:      func(r tracking.CareerMove) int64 { return r.ID },
	}
}

// careerOnView answers "where was this teacher on date D": the move covering it or null.
type careerOnView struct {
	PersonID int64           `json:"person_id"`
	On       string          `json:"on"`
	Move     *careerMoveView `json:"move"`
}

// careerOn serves GET /persons/{id}/career?on=DATE (default today).
func (s *server) careerOn(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "on")
	on := q.date("on")
	personID, ok := queryAndID(w, r, q, "person")
	if !ok {
		return
	}
	c, err := s.doors.Tracking.CareerOnDate(r.Context(), callerFrom(r), personID, on)
	if err != nil {
		failTracking(w, r, err, "person")
		return
	}
	v := careerOnView{PersonID: c.PersonID, On: dateString(c.On)}
	if c.Move != nil {
		mv := viewCareerMove(*c.Move)
		v.Move = &mv
	}
	respondJSON(w, http.StatusOK, v)
}

var reRegion = regexp.MustCompile(`^[0-9]{6}$`)

// schoolRegion reads the school=CODE and region=CODE parameters of a statistic: region
// must be a 6-digit division code, and city is the city-level code it lies in.
func schoolRegion(q *query) (school, region, city *string) {
	school, region = q.str("school"), q.str("region")
	if region != nil && !reRegion.MatchString(*region) {
		q.add("region", "format", "region 必须是 6 位行政区划代码 / region must be a 6-digit GB/T 2260 code")
	}
	if region != nil && reRegion.MatchString(*region) {
		c := (*region)[:4] + "00"
		city = &c
	}
	return school, region, city
}

// teachersView is the answer of GET /stats/teachers-in-education.
type teachersView struct {
	On            string  `json:"on"`
	School        *string `json:"school,omitempty"`
	Region        *string `json:"region,omitempty"`
	Trained       int64   `json:"trained"`
	InEducation   int64   `json:"in_education"`
	LeftEducation int64   `json:"left_education"`
	WithPosition  int64   `json:"with_position"`
}

// teachersInEducation serves GET /stats/teachers-in-education?on=DATE[&school=CODE]
// [&region=CODE]: trained teachers and those still in science education on the date.
func (s *server) teachersInEducation(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "on", "school", "region")
	on := q.date("on")
	school, region, city := schoolRegion(q)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	t, err := s.doors.Tracking.TeachersInEducation(r.Context(), callerFrom(r), on, school, city)
	if err != nil { // an unknown school or region is an *access.FieldError: 400 naming it
		fail(w, r, err)
		return
	}
	respondJSON(w, http.StatusOK, teachersView{On: dateString(t.On), School: school, Region: region, Trained: t.Trained,
		InEducation: t.InEducation, LeftEducation: t.LeftEducation, WithPosition: t.WithPosition})
}
