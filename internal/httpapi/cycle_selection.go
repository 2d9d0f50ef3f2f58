package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"talentdb/internal/cycle"
	"talentdb/internal/edition"
	"talentdb/internal/store"
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
	c := callerOf(r)
	if !c.mayWriteSchool() {
		fail(w, r, cycleForbidden("只有学校或管理办公室可以报名 / only a school or the office registers nominees"))
		return
	}
	var b nominationBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var ck checker
	in := cycle.NominationInput{EditionID: ck.required("edition", b.Edition), SchoolCode: s.schoolCodeFor(r, c, b.SchoolCode, &ck),
		Category: ck.required("category", b.Category), Grade: ck.optional(b.Grade), TeacherRole: ck.optional(b.TeacherRole)}
	if b.PersonID == nil || *b.PersonID <= 0 {
		ck.add("person_id", "required", "person_id 必填 / person_id is required")
	} else {
		in.PersonID = *b.PersonID
	}
	if in.EditionID != "" {
		if _, err := edition.ParseID(in.EditionID); err != nil {
			ck.add("edition", "format", "年度编号应为 计划-年份，如 jingke-2023 / edition must be PROGRAM-YEAR, e.g. jingke-2023")
		}
	}
	ck.enum("grade", in.Grade, vocab.Grades.Keys()...)
	ck.enum("teacher_role", in.TeacherRole, vocab.TeacherRoles.Keys()...)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.cycleService().Register(r.Context(), actorFrom(r), in)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/participations/%d", p.ID), p.Version, viewParticipation(p))
}

// stepBody is the body of POST /participations/{id}/transitions.
type stepBody struct {
	To              *string `json:"to"`
	Note            *string `json:"note"`
	MentorID        *int64  `json:"mentor_id"`
	InstitutionCode *string `json:"institution_code"`
}

func (s *server) stepParticipation(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.participationFor(r, c)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	if !c.office && !c.school(p.SchoolID) {
		fail(w, r, cycleForbidden("只有本校或管理办公室可以办理选拔 / only the nominating school or the office moves a nominee"))
		return
	}
	var b stepBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var ck checker
	in := cycle.StepInput{To: ck.required("to", b.To), Note: ck.optional(b.Note), MentorID: b.MentorID,
		InstitutionCode: ck.optional(b.InstitutionCode)}
	ck.enum("to", &in.To, cycle.StepTargets...)
	ck.maxLen("note", in.Note, 2000)
	if in.To == "admitted" && in.MentorID == nil {
		ck.add("mentor_id", "required", "录取须指定导师 / mentor_id is required to admit")
	}
	if (in.To == "rejected" || in.To == "withdrawn") && in.Note == nil {
		ck.add("note", "required", "未通过或退出须说明理由 / a note is required to reject or withdraw")
	}
	if in.To != "admitted" && (in.MentorID != nil || in.InstitutionCode != nil) {
		ck.add("mentor_id", "admission_only", "导师和培养单位在录取时指定 / mentor_id and institution_code are given on admission")
	}
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	out, err := s.cycleService().Step(r.Context(), actorFrom(r), c.office, p.ID, version, in)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	respondVersioned(w, http.StatusOK, out.Version, viewParticipation(out))
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

func viewNotice(n store.Notice) noticeView {
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

func (s *server) listNotices(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	q := newQuery(r, "edition", "school")
	f := store.NoticeFilter{Edition: q.str("edition"), Limit: q.limit() + 1}
	school := q.str("school")
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	if !c.schoolWide() {
		fail(w, r, errForbiddenRead)
		return
	}
	var empty bool
	var err error
	if f.SchoolID, f.CityCode, empty, err = s.schoolScope(r.Context(), c, school); err != nil || empty {
		respondEmptyOr(w, r, err)
		return
	}
	rows, err := s.store.NoticeList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(n store.Notice) any { return n.ID }, viewNotice)
}

func (s *server) getNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "public notice")
	if err != nil {
		fail(w, r, err)
		return
	}
	n, err := s.store.NoticeGet(r.Context(), id)
	if err != nil {
		failCycle(w, r, err, "public notice")
		return
	}
	if ok, err := s.canSeeSchool(r.Context(), callerOf(r), n.SchoolID); err != nil || !ok {
		failCycle(w, r, orNotFound(err), "public notice")
		return
	}
	respondJSON(w, http.StatusOK, viewNotice(n))
}

// orNotFound is err, or ErrNotFound when err is nil (a record outside the caller's scope).
func orNotFound(err error) error {
	if err != nil {
		return err
	}
	return store.ErrNotFound
}

func (s *server) createNotice(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !c.mayWriteSchool() {
		fail(w, r, cycleForbidden("只有学校或管理办公室可以发布公示 / only a school or the office posts a public notice"))
		return
	}
	var b noticeBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var ck checker
	ed, school := ck.required("edition", b.Edition), s.schoolCodeFor(r, c, b.SchoolCode, &ck)
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
	n, err := s.cycleService().CreateNotice(r.Context(), actorFrom(r), ed, school, *from, *to)
	if err != nil {
		failCycle(w, r, err, "public notice")
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/public-notices/%d", n.ID))
	respondJSON(w, http.StatusCreated, viewNotice(n))
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

func viewObjection(o store.Objection) objectionView {
	return objectionView{ID: o.ID, ParticipationID: o.ParticipationID, PersonID: o.PersonID, Edition: o.EditionID,
		SchoolCode: o.SchoolCode, LodgedOn: dateString(o.LodgedOn), Content: o.Content, LodgedBy: o.LodgedBy,
		Resolved: o.ResolvedAt != nil, Outcome: o.Outcome, Resolution: o.Resolution, ResolvedAt: o.ResolvedAt,
		ResolvedBy: o.ResolvedBy, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Version: o.Version}
}

func (s *server) listObjections(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	q := newQuery(r, "edition", "school", "participation", "open")
	f := store.ObjectionFilter{Edition: q.str("edition"), ParticipationID: q.int("participation"), Limit: q.limit() + 1}
	if v := q.enum("open", "true", "false"); v != nil {
		open := *v == "true"
		f.Open = &open
	}
	school := q.str("school")
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	if !c.schoolWide() {
		fail(w, r, errForbiddenRead)
		return
	}
	var empty bool
	var err error
	if f.SchoolID, f.CityCode, empty, err = s.schoolScope(r.Context(), c, school); err != nil || empty {
		respondEmptyOr(w, r, err)
		return
	}
	rows, err := s.store.ObjectionList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(o store.Objection) any { return o.ID }, viewObjection)
}

// objectionFor resolves {id} to an objection the caller may see.
func (s *server) objectionFor(r *http.Request, c caller) (store.Objection, error) {
	return visibleRecord(s, r, c, "objection", s.store.ObjectionGet,
		func(o store.Objection) int64 { return o.SchoolID }, nil)
}

func (s *server) getObjection(w http.ResponseWriter, r *http.Request) {
	o, err := s.objectionFor(r, callerOf(r))
	if err != nil {
		failCycle(w, r, err, "objection")
		return
	}
	respondVersioned(w, http.StatusOK, o.Version, viewObjection(o))
}

type objectionBody struct {
	LodgedOn *string `json:"lodged_on"`
	Content  *string `json:"content"`
}

// createObjection records an objection against a nominee (the school or the office
// records what was lodged with them during the notice).
func (s *server) createObjection(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	p, err := s.participationFor(r, c)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	if !c.office && !c.school(p.SchoolID) {
		fail(w, r, cycleForbidden("只有本校或管理办公室可以登记异议 / only the nominating school or the office records objections"))
		return
	}
	var b objectionBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
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
	o, err := s.cycleService().LodgeObjection(r.Context(), actorFrom(r), p.ID, *on, content)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/objections/%d", o.ID), o.Version, viewObjection(o))
}

type resolveBody struct {
	Outcome    *string `json:"outcome"`
	Resolution *string `json:"resolution"`
}

func (s *server) resolveObjection(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	o, err := s.objectionFor(r, c)
	if err != nil {
		failCycle(w, r, err, "objection")
		return
	}
	if !c.office && !c.school(o.SchoolID) {
		fail(w, r, cycleForbidden("只有本校或管理办公室可以处理异议 / only the nominating school or the office resolves objections"))
		return
	}
	var b resolveBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
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
	out, err := s.cycleService().ResolveObjection(r.Context(), actorFrom(r), o.ID, version, outcome, resolution)
	if err != nil {
		failCycle(w, r, err, "objection")
		return
	}
	respondVersioned(w, http.StatusOK, out.Version, viewObjection(out))
}
