package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"talentdb/internal/cycle"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Summary evaluation (总结评估): the mentor's and the school's assessment of a participant
// (the school's completes the participation), year summaries, exchange recommendations,
// typical cases.

type assessmentView struct {
	ByRole     string    `json:"by_role"`
	Evaluation string    `json:"evaluation"`
	Comment    *string   `json:"comment"`
	AssessedBy string    `json:"assessed_by"`
	AssessedAt time.Time `json:"assessed_at"`
}

type evaluationView struct {
	ParticipationID   int64           `json:"participation_id"`
	Status            string          `json:"status"`
	Evaluation        *string         `json:"evaluation"`
	EvaluationComment *string         `json:"evaluation_comment"`
	EvaluatedAt       *time.Time      `json:"evaluated_at"`
	CompletedAt       *time.Time      `json:"completed_at"`
	Mentor            *assessmentView `json:"mentor"`
	School            *assessmentView `json:"school"`
	Version           int             `json:"version"`
}

func viewEvaluation(p store.Participation, list []store.Assessment) evaluationView {
	v := evaluationView{ParticipationID: p.ID, Status: p.Status, Evaluation: p.Evaluation,
		EvaluationComment: p.EvaluationComment, EvaluatedAt: p.EvaluatedAt, CompletedAt: p.CompletedAt,
		Version: p.Version}
	for _, a := range list {
		av := &assessmentView{ByRole: a.ByRole, Evaluation: a.Evaluation, Comment: a.Comment, AssessedBy: a.AssessedBy,
			AssessedAt: a.AssessedAt}
		if a.ByRole == "mentor" {
			v.Mentor = av
		} else {
			v.School = av
		}
	}
	return v
}

func (s *server) getEvaluation(w http.ResponseWriter, r *http.Request) {
	if err := newQuery(r).err(); err != nil {
		fail(w, r, err)
		return
	}
	p, err := s.participationFor(r, callerOf(r))
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	list, err := s.store.AssessmentList(r.Context(), p.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondVersioned(w, http.StatusOK, p.Version, viewEvaluation(p, list))
}

type assessBody struct {
	ByRole     *string `json:"by_role"`
	Evaluation *string `json:"evaluation"`
	Comment    *string `json:"comment"`
}

// assess records an assessment: a mentor's as the participant's mentor, a school
// operator's as the school; the office says which (by_role).
func (s *server) assess(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	p, err := s.participationFor(r, c)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	var b assessBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var ck checker
	in := cycle.AssessmentInput{Evaluation: ck.required("evaluation", b.Evaluation), Comment: ck.optional(b.Comment)}
	ck.enum("evaluation", &in.Evaluation, vocab.Evaluations.Keys()...)
	ck.maxLen("comment", in.Comment, 2000)
	role := ck.optional(b.ByRole)
	ck.enum("by_role", role, vocab.AssessorRoles.Keys()...)
	switch {
	case c.mentorID != nil:
		in.ByRole = "mentor"
	case c.schoolID != nil:
		in.ByRole = "school"
	case role != nil:
		in.ByRole = *role
	default:
		ck.add("by_role", "required", "by_role 必填（mentor 或 school） / by_role is required (mentor or school)")
	}
	if role != nil && in.ByRole != "" && *role != in.ByRole {
		ck.add("by_role", "scope", "您只能以自己的身份评价 / you assess in your own capacity")
	}
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	switch {
	case c.office:
	case in.ByRole == "mentor" && c.mentor(p.MentorID):
	case in.ByRole == "school" && c.school(p.SchoolID):
	default:
		fail(w, r, cycleForbidden("只有该学员的导师和学校可以评价 / only the participant's mentor and school assess them"))
		return
	}
	out, list, err := s.cycleService().Assess(r.Context(), actorFrom(r), p.ID, in)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	respondVersioned(w, http.StatusOK, out.Version, viewEvaluation(out, list))
}

type yearSummaryView struct {
	ID          int64      `json:"id"`
	Edition     string     `json:"edition"`
	SchoolID    int64      `json:"school_id"`
	SchoolCode  string     `json:"school_code"`
	Content     string     `json:"content"`
	Submitted   bool       `json:"submitted"`
	SubmittedAt *time.Time `json:"submitted_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Version     int        `json:"version"`
}

func viewYearSummary(y store.YearSummary) yearSummaryView {
	return yearSummaryView{ID: y.ID, Edition: y.EditionID, SchoolID: y.SchoolID, SchoolCode: y.SchoolCode,
		Content: y.Content, Submitted: y.SubmittedAt != nil, SubmittedAt: y.SubmittedAt, CreatedAt: y.CreatedAt,
		UpdatedAt: y.UpdatedAt, Version: y.Version}
}

type yearSummaryBody struct {
	Edition    *string `json:"edition"`
	SchoolCode *string `json:"school_code"`
	Content    *string `json:"content"`
}

func (s *server) listYearSummaries(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	q := newQuery(r, "edition", "school")
	f := store.YearSummaryFilter{Edition: q.str("edition"), Limit: q.limit() + 1}
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
	rows, err := s.store.YearSummaryList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(y store.YearSummary) any { return y.ID }, viewYearSummary)
}

// yearSummaryFor resolves {id} to a year summary the caller may see.
func (s *server) yearSummaryFor(r *http.Request, c caller) (store.YearSummary, error) {
	return visibleRecord(s, r, c, "year summary", s.store.YearSummaryGet,
		func(y store.YearSummary) int64 { return y.SchoolID }, nil)
}

func (s *server) getYearSummary(w http.ResponseWriter, r *http.Request) {
	y, err := s.yearSummaryFor(r, callerOf(r))
	if err != nil {
		failCycle(w, r, err, "year summary")
		return
	}
	respondVersioned(w, http.StatusOK, y.Version, viewYearSummary(y))
}

func (s *server) createYearSummary(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !c.mayWriteSchool() {
		fail(w, r, cycleForbidden("年度总结由学校提交 / a school submits its year summary"))
		return
	}
	var b yearSummaryBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var ck checker
	ed, school, content := ck.required("edition", b.Edition), s.schoolCodeFor(r, c, b.SchoolCode, &ck), ck.required("content", b.Content)
	ck.maxLen("content", &content, 20000)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	y, err := s.cycleService().CreateYearSummary(r.Context(), actorFrom(r), ed, school, content)
	if err != nil {
		failCycle(w, r, err, "year summary")
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/year-summaries/%d", y.ID), y.Version, viewYearSummary(y))
}

func (s *server) updateYearSummary(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	version, err := requireIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	y, err := s.yearSummaryFor(r, c)
	if err != nil {
		failCycle(w, r, err, "year summary")
		return
	}
	if !c.office && !c.school(y.SchoolID) {
		fail(w, r, cycleForbidden("年度总结由本校修改 / the school edits its year summary"))
		return
	}
	b := yearSummaryBody{Edition: &y.EditionID, SchoolCode: &y.SchoolCode, Content: &y.Content}
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var ck checker
	content := ck.required("content", b.Content)
	ck.maxLen("content", &content, 20000)
	if b.Edition == nil || *b.Edition != y.EditionID || b.SchoolCode == nil || *b.SchoolCode != y.SchoolCode {
		ck.add("edition", "immutable", "年度总结的年度和学校不能更改 / the edition and school of a year summary cannot change")
	}
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	out, err := s.cycleService().EditYearSummary(r.Context(), actorFrom(r), y.ID, version, content)
	if err != nil {
		failCycle(w, r, err, "year summary")
		return
	}
	respondVersioned(w, http.StatusOK, out.Version, viewYearSummary(out))
}

func (s *server) submitYearSummary(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	version, err := optionalIfMatch(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	y, err := s.yearSummaryFor(r, c)
	if err != nil {
		failCycle(w, r, err, "year summary")
		return
	}
	if !c.office && !c.school(y.SchoolID) {
		fail(w, r, cycleForbidden("年度总结由本校提交 / the school submits its year summary"))
		return
	}
	out, err := s.cycleService().SubmitYearSummary(r.Context(), actorFrom(r), y.ID, version)
	if err != nil {
		failCycle(w, r, err, "year summary")
		return
	}
	respondVersioned(w, http.StatusOK, out.Version, viewYearSummary(out))
}

type exchangeView struct {
	ID              int64     `json:"id"`
	ParticipationID int64     `json:"participation_id"`
	PersonID        int64     `json:"person_id"`
	Edition         string    `json:"edition"`
	SchoolCode      string    `json:"school_code"`
	Activity        string    `json:"activity"`
	RecommendedOn   string    `json:"recommended_on"`
	RecommendedBy   *string   `json:"recommended_by"`
	CreatedAt       time.Time `json:"created_at"`
}

func viewExchange(x store.Exchange) exchangeView {
	return exchangeView{ID: x.ID, ParticipationID: x.ParticipationID, PersonID: x.PersonID, Edition: x.EditionID,
		SchoolCode: x.SchoolCode, Activity: x.Activity, RecommendedOn: dateString(x.RecommendedOn),
		RecommendedBy: x.RecommendedBy, CreatedAt: x.CreatedAt}
}

type exchangeBody struct {
	ParticipationID *int64  `json:"participation_id"`
	Activity        *string `json:"activity"`
	RecommendedOn   *string `json:"recommended_on"`
}

func (s *server) listExchanges(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	q := newQuery(r, "edition", "school")
	f := store.ExchangeFilter{Edition: q.str("edition"), Limit: q.limit() + 1}
	school := q.str("school")
	q.after(&f.AfterID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	if !c.schoolWide() && c.mentorID == nil {
		fail(w, r, errForbiddenRead)
		return
	}
	f.MentorID = c.mentorID
	var empty bool
	var err error
	if f.SchoolID, f.CityCode, empty, err = s.schoolScope(r.Context(), c, school); err != nil || empty {
		respondEmptyOr(w, r, err)
		return
	}
	rows, err := s.store.ExchangeList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(x store.Exchange) any { return x.ID }, viewExchange)
}

// createExchange is the office's recommendation of a participant to an exchange activity.
func (s *server) createExchange(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !c.office {
		fail(w, r, cycleForbidden("只有管理办公室推荐参加科技交流活动 / only the office recommends to exchange activities"))
		return
	}
	var b exchangeBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var ck checker
	activity := ck.required("activity", b.Activity)
	ck.maxLen("activity", &activity, 200)
	on := ck.date("recommended_on", b.RecommendedOn)
	if b.ParticipationID == nil || *b.ParticipationID <= 0 {
		ck.add("participation_id", "required", "participation_id 必填 / participation_id is required")
	}
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	x, err := s.cycleService().RecommendExchange(r.Context(), actorFrom(r), *b.ParticipationID, activity, on)
	if err != nil {
		failCycle(w, r, err, "participation")
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/exchange-recommendations?edition=%s", x.EditionID))
	respondJSON(w, http.StatusCreated, viewExchange(x))
}

type caseView struct {
	ID         int64     `json:"id"`
	Edition    *string   `json:"edition"`
	SchoolCode *string   `json:"school_code"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	ReportedOn string    `json:"reported_on"`
	ReportedBy *string   `json:"reported_by"`
	PersonIDs  []int64   `json:"person_ids"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int       `json:"version"`
}

func viewCase(c store.TypicalCase) caseView {
	return caseView{ID: c.ID, Edition: c.EditionID, SchoolCode: c.SchoolCode, Title: c.Title, Body: c.Body,
		ReportedOn: dateString(c.ReportedOn), ReportedBy: c.ReportedBy, PersonIDs: c.PersonIDs, CreatedAt: c.CreatedAt,
		UpdatedAt: c.UpdatedAt, Version: c.Version}
}

type caseBody struct {
	Edition    *string `json:"edition"`
	SchoolCode *string `json:"school_code"`
	Title      *string `json:"title"`
	Body       *string `json:"body"`
	ReportedOn *string `json:"reported_on"`
	PersonIDs  []int64 `json:"person_ids"`
}

func (s *server) listCases(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	q := newQuery(r, "edition", "school", "person")
	f := store.TypicalCaseFilter{Edition: q.str("edition"), PersonID: q.int("person"), Limit: q.limit() + 1}
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
	rows, err := s.store.TypicalCaseList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, rows, f.Limit-1, func(x store.TypicalCase) any { return x.ID }, viewCase)
}

func (s *server) getCase(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	id, err := pathID(r, "typical case")
	if err != nil {
		fail(w, r, err)
		return
	}
	x, err := s.store.TypicalCaseGet(r.Context(), id)
	if err != nil {
		failCycle(w, r, err, "typical case")
		return
	}
	ok := c.readAll
	if !ok && x.SchoolID != nil {
		if ok, err = s.canSeeSchool(r.Context(), c, *x.SchoolID); err != nil {
			fail(w, r, err)
			return
		}
	}
	if !ok {
		failCycle(w, r, store.ErrNotFound, "typical case")
		return
	}
	respondVersioned(w, http.StatusOK, x.Version, viewCase(x))
}

// createCase records a typical case: the office (any school, or none), or a school (its
// own, naming its own people).
func (s *server) createCase(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if !c.mayWriteSchool() {
		fail(w, r, cycleForbidden("只有学校或管理办公室可以报送典型案例 / only a school or the office records typical cases"))
		return
	}
	var b caseBody
	if err := s.decode(w, r, &b); err != nil {
		fail(w, r, err)
		return
	}
	var ck checker
	in := store.TypicalCaseInput{EditionID: ck.optional(b.Edition), SchoolCode: ck.optional(b.SchoolCode),
		Title: ck.required("title", b.Title), Body: ck.required("body", b.Body), PersonIDs: b.PersonIDs}
	if c.schoolID != nil {
		code := s.schoolCodeFor(r, c, in.SchoolCode, &ck)
		in.SchoolCode = &code
	}
	ck.maxLen("title", &in.Title, 200)
	ck.maxLen("body", &in.Body, 20000)
	ck.required("reported_on", b.ReportedOn)
	if d := ck.date("reported_on", b.ReportedOn); d != nil {
		in.ReportedOn = *d
	}
	if len(in.PersonIDs) == 0 {
		ck.add("person_ids", "required", "典型案例须关联人员 / person_ids must name at least one person")
	}
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	x, err := s.cycleService().RecordCase(r.Context(), actorFrom(r), in, c.schoolID)
	if err != nil {
		failCycle(w, r, err, "typical case")
		return
	}
	respondCreated(w, fmt.Sprintf("/api/v1/typical-cases/%d", x.ID), x.Version, viewCase(x))
}
