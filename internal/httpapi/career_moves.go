package httpapi

import (
	"net/http"
	"regexp"
	"time"

	"talentdb/internal/store"
	"talentdb/internal/tracking"
	"talentdb/internal/vocab"
)

// Career moves (工作动向) of a teacher as intervals, where a teacher was on a date, and
// how many trained teachers are still in science education.

type careerMoveView struct {
	ID            int64      `json:"id"`
	PersonID      int64      `json:"person_id"`
	OrgCode       *string    `json:"org_code"`
	OrgName       *string    `json:"org_name"`
	Position      string     `json:"position"`
	Title         *string    `json:"title"`
	StartedOn     string     `json:"started_on"`
	EndedOn       *string    `json:"ended_on"`
	EndedExplicit bool       `json:"ended_explicit"`
	Reason        *string    `json:"reason"`
	ReportedBy    *string    `json:"reported_by"`
	Deleted       bool       `json:"deleted"`
	DeletedAt     *time.Time `json:"deleted_at"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	Version       int        `json:"version"`
}

func optDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := dateString(*t)
	return &s
}

func viewCareerMove(m store.CareerMove) careerMoveView {
	return careerMoveView{ID: m.ID, PersonID: m.PersonID, OrgCode: m.OrgCode, OrgName: m.OrgName,
		Position: m.Position, Title: m.Title, StartedOn: dateString(m.StartedOn), EndedOn: optDate(m.EndedOn),
		EndedExplicit: m.EndedExplicit, Reason: m.Reason, ReportedBy: m.ReportedBy, Deleted: m.DeletedAt != nil,
		DeletedAt: m.DeletedAt, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Version: m.Version}
}

// careerMoveBody is the body of POST /persons/{id}/career-moves and PATCH
// /career-moves/{id} (merged over the current move). ended_on is an explicit end; left
// out (or null) the move runs until the next one starts.
type careerMoveBody struct {
	OrgCode    *string `json:"org_code"`
	OrgName    *string `json:"org_name"`
	Position   *string `json:"position"`
	Title      *string `json:"title"`
	StartedOn  *string `json:"started_on"`
	EndedOn    *string `json:"ended_on"`
	Reason     *string `json:"reason"`
	ReportedBy *string `json:"reported_by"`
}

func careerMoveBodyOf(m store.CareerMove) careerMoveBody {
	b := careerMoveBody{OrgCode: m.OrgCode, OrgName: m.OrgName, Position: &m.Position, Title: m.Title,
		StartedOn: optDate(&m.StartedOn), Reason: m.Reason}
	if m.EndedExplicit {
		b.EndedOn = optDate(m.EndedOn)
	}
	return b
}

func (b careerMoveBody) validate() (store.CareerMoveInput, error) {
	var c checker
	in := store.CareerMoveInput{OrgCode: c.optional(b.OrgCode), OrgName: c.optional(b.OrgName),
		Position: c.requiredLabel("position", b.Position, vocab.Positions),
		Title:    c.label("title", b.Title, vocab.Titles), Reason: c.label("reason", b.Reason, vocab.Reasons),
		EndedOn: c.date("ended_on", b.EndedOn)}
	if in.OrgCode == nil && in.OrgName == nil {
		c.add("org_name", "required", "org_code 与 org_name 至少填一项 / one of org_code and org_name is required")
	}
	c.required("started_on", b.StartedOn)
	if d := c.date("started_on", b.StartedOn); d != nil {
		in.StartedOn = *d
	}
	c.maxLen("org_code", in.OrgCode, 64)
	c.maxLen("org_name", in.OrgName, 200)
	c.serverSet("reported_by", b.ReportedBy)
	return in, c.err()
}

// careerMoveRoutes wires the shared list, create, get, update, delete and restore handlers
// to the career move methods of the tracking door.
func (s *server) careerMoveRoutes() recordRoutes[store.CareerMove, careerMoveBody, store.CareerMoveInput, careerMoveView] {
	return recordRoutes[store.CareerMove, careerMoveBody, store.CareerMoveInput, careerMoveView]{
		s: s, entity: "career_move", param: "career move",
		listRows: (*tracking.Service).ListCareerMoves, getRow: (*tracking.Service).GetCareerMove,
		createRow: (*tracking.Service).CreateCareerMove, updateRow: (*tracking.Service).UpdateCareerMove,
		deleteRow: (*tracking.Service).DeleteCareerMove, restoreRow: (*tracking.Service).RestoreCareerMove,
		view: viewCareerMove, bodyOf: careerMoveBodyOf, validate: careerMoveBody.validate,
		version: func(r store.CareerMove) int { return r.Version },
		id:      func(r store.CareerMove) int64 { return r.ID },
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
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	personID, err := pathID(r, "person")
	if err != nil {
		fail(w, r, err)
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
	on, school, region := q.date("on"), q.str("school"), q.str("region")
	if region != nil && !reRegion.MatchString(*region) {
		q.add("region", "format", "region 必须是 6 位行政区划代码 / region must be a 6-digit GB/T 2260 code")
	}
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	var city *string
	if region != nil {
		c := (*region)[:4] + "00"
		city = &c
	}
	t, err := s.doors.Tracking.TeachersInEducation(r.Context(), callerFrom(r), on, school, city)
	if err != nil { // an unknown school or region is a *store.FieldError: 400 naming it
		fail(w, r, err)
		return
	}
	respondJSON(w, http.StatusOK, teachersView{On: dateString(t.On), School: school, Region: region, Trained: t.Trained,
		InEducation: t.InEducation, LeftEducation: t.LeftEducation, WithPosition: t.WithPosition})
}
