package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"talentdb/internal/cycle"
	"talentdb/internal/vocab"
)

// Selection (选拔): nominations, the steps of a nominee, public notices (公示) and
// objections (异议).

// nominationBody is the body of POST /nominations.
type nominationBody struct {
	PersonID    *int64  `json:"person_id"`
	Edition     *string `json:"edition"`
	SchoolCode  *string `json:"school_code"`
	Category    *string `json:"category"`
	Grade       *string `json:"grade"`
	TeacherRole *string `json:"teacher_role"`
}

func (s *server) createNomination(w http.ResponseWriter, r *http.Request) {
	var b nominationBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	in := cycle.NominationInput{EditionID: ck.required("edition", b.Edition), SchoolCode: s.schoolCodeFor(r, b.SchoolCode, &ck),
		Category: ck.required("category", b.Category), Grade: ck.optional(b.Grade), TeacherRole: ck.optional(b.TeacherRole)}
	if b.PersonID == nil || *b.PersonID <= 0 {
		ck.add("person_id", "required", "person_id 必填 / person_id is required")
	} else {
		in.PersonID = *b.PersonID
	}
	checkEditionID(&ck, in.EditionID)
	ck.enum("grade", in.Grade, vocab.Grades.Keys()...)
	ck.enum("teacher_role", in.TeacherRole, vocab.TeacherRoles.Keys()...)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.doors.Cycle.Nominate(r.Context(), callerFrom(r), in)
	respondCycleCreated(w, r, "participation", p, err, func(p cycle.Participation) string {
		return fmt.Sprintf("/api/v1/participations/%d", p.ID)
	}, participationVersion, viewParticipation)
}

// stepBody is the body of POST /participations/{id}/transitions.
type stepBody struct {
	To              *string `json:"to"`
	Note            *string `json:"note"`
	MentorID        *int64  `json:"mentor_id"`
	InstitutionCode *string `json:"institution_code"`
}

func (s *server) stepParticipation(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "participation", false)
	if !ok {
		return
	}
	var b stepBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	in := cycle.StepInput{To: ck.required("to", b.To), Note: ck.optional(b.Note), MentorID: b.MentorID,
		InstitutionCode: ck.optional(b.InstitutionCode)}
	ck.enum("to", &in.To, cycle.StepTargets...)
	ck.maxLen("note", in.Note, 2000)
	if in.To != "admitted" && (in.MentorID != nil || in.InstitutionCode != nil) {
		ck.add("mentor_id", "admission_only", "导师和培养单位在录取时指定 / mentor_id and institution_code are given on admission")
	}
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	out, err := s.doors.Cycle.Step(r.Context(), callerFrom(r), id, version, in)
	respondCycle(w, r, "participation", http.StatusOK, out, err, participationVersion, viewParticipation)
}

type noticeView struct {
	ID         int64     `json:"id"`
	Edition    string    `json:"edition"`
	SchoolID   int64     `json:"school_id"`
	SchoolCode string    `json:"school_code"`
	StartsOn   string    `json:"starts_on"`
	EndsOn     string    `json:"ends_on"`
	Nominees   int       `json:"nominees"`
	CreatedBy  *string   `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

func viewNotice(n cycle.Notice) noticeView {
	return noticeView{ID: n.ID, Edition: n.EditionID, SchoolID: n.SchoolID, SchoolCode: n.SchoolCode,
		StartsOn: dateString(n.StartsOn), EndsOn: dateString(n.EndsOn), Nominees: n.Nominees, CreatedBy: n.CreatedBy,
		CreatedAt: n.CreatedAt}
}

type noticeBody struct {
	Edition    *string `json:"edition"`
	SchoolCode *string `json:"school_code"`
	StartsOn   *string `json:"starts_on"`
	EndsOn     *string `json:"ends_on"`
}

func noticeID(n cycle.Notice) int64 { return n.ID }

func (s *server) listNotices(w http.ResponseWriter, r *http.Request) {
	schoolPage(w, r, nil, func(_ *query, p pageQuery) cycle.NoticeFilter {
		return cycle.NoticeFilter{Edition: p.Edition, AfterID: p.AfterID, Limit: p.Limit}
	}, s.doors.Cycle.ListNotices, noticeID, viewNotice)
}

func (s *server) getNotice(w http.ResponseWriter, r *http.Request) {
	cycleGet(w, r, "public notice", s.doors.Cycle.GetNotice, nil, viewNotice)
}

func (s *server) createNotice(w http.ResponseWriter, r *http.Request) {
	var b noticeBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	ed, school := ck.required("edition", b.Edition), s.schoolCodeFor(r, b.SchoolCode, &ck)
	ck.required("starts_on", b.StartsOn)
	ck.required("ends_on", b.EndsOn)
	from, to := ck.date("starts_on", b.StartsOn), ck.date("ends_on", b.EndsOn)
	if from != nil && to != nil && to.Before(*from) {
		ck.add("ends_on", "after_start", "ends_on 不能早于 starts_on / ends_on cannot be before starts_on")
	}
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	n, err := s.doors.Cycle.CreateNotice(r.Context(), callerFrom(r), ed, school, *from, *to)
	respondCycleCreated(w, r, "public notice", n, err, func(n cycle.Notice) string {
		return fmt.Sprintf("/api/v1/public-notices/%d", n.ID)
	}, nil, viewNotice)
}

type objectionView struct {
	ID              int64      `json:"id"`
	ParticipationID int64      `json:"participation_id"`
	PersonID        int64      `json:"person_id"`
	Edition         string     `json:"edition"`
	SchoolCode      string     `json:"school_code"`
	LodgedOn        string     `json:"lodged_on"`
	Content         string     `json:"content"`
	LodgedBy        *string    `json:"lodged_by"`
	Resolved        bool       `json:"resolved"`
	Outcome         *string    `json:"outcome"`
	Resolution      *string    `json:"resolution"`
	ResolvedAt      *time.Time `json:"resolved_at"`
	ResolvedBy      *string    `json:"resolved_by"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	Version         int        `json:"version"`
}

func viewObjection(o cycle.Objection) objectionView {
	return objectionView{ID: o.ID, ParticipationID: o.ParticipationID, PersonID: o.PersonID, Edition: o.EditionID,
		SchoolCode: o.SchoolCode, LodgedOn: dateString(o.LodgedOn), Content: o.Content, LodgedBy: o.LodgedBy,
		Resolved: o.ResolvedAt != nil, Outcome: o.Outcome, Resolution: o.Resolution, ResolvedAt: o.ResolvedAt,
		ResolvedBy: o.ResolvedBy, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version}
}

func objectionID(o cycle.Objection) int64 { return o.ID }

func objectionVersion(o cycle.Objection) int { return o.Version }

func (s *server) listObjections(w http.ResponseWriter, r *http.Request) {
	schoolPage(w, r, []string{"participation", "open"}, func(q *query, p pageQuery) cycle.ObjectionFilter {
		f := cycle.ObjectionFilter{Edition: p.Edition, ParticipationID: q.int("participation"), AfterID: p.AfterID, Limit: p.Limit}
		if v := q.enum("open", "true", "false"); v != nil {
			open := *v == "true"
			f.Open = &open
		}
		return f
	}, s.doors.Cycle.ListObjections, objectionID, viewObjection)
}

func (s *server) getObjection(w http.ResponseWriter, r *http.Request) {
	cycleGet(w, r, "objection", s.doors.Cycle.GetObjection, objectionVersion, viewObjection)
}

type objectionBody struct {
	LodgedOn *string `json:"lodged_on"`
	Content  *string `json:"content"`
}

// createObjection records an objection against a nominee (the school or the office
// records what was lodged with them during the notice).
func (s *server) createObjection(w http.ResponseWriter, r *http.Request) {
	pid, err := pathID(r, "participation")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b objectionBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	content := ck.required("content", b.Content)
	ck.maxLen("content", &content, 4000)
	ck.required("lodged_on", b.LodgedOn)
	on := ck.date("lodged_on", b.LodgedOn)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	o, err := s.doors.Cycle.LodgeObjection(r.Context(), callerFrom(r), pid, *on, content)
	respondCycleCreated(w, r, "participation", o, err, func(o cycle.Objection) string {
		return fmt.Sprintf("/api/v1/objections/%d", o.ID)
	}, objectionVersion, viewObjection)
}

type resolveBody struct {
	Outcome    *string `json:"outcome"`
	Resolution *string `json:"resolution"`
}

func (s *server) resolveObjection(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "objection", false)
	if !ok {
		return
	}
	var b resolveBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	outcome, resolution := ck.required("outcome", b.Outcome), ck.required("resolution", b.Resolution)
	ck.enum("outcome", &outcome, vocab.ObjectionOutcomes.Keys()...)
	ck.maxLen("resolution", &resolution, 4000)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	out, err := s.doors.Cycle.ResolveObjection(r.Context(), callerFrom(r), id, version, outcome, resolution)
	respondCycle(w, r, "objection", http.StatusOK, out, err, objectionVersion, viewObjection)
}
