package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/cycle"
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

func viewEvaluation(p cycle.Participation, list []cycle.Assessment) evaluationView {
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
	pid, ok := queryAndID(w, r, newQuery(r), "participation")
	if !ok {
		return
	}
	p, list, err := s.doors.Cycle.Evaluation(r.Context(), callerFrom(r), pid)
	respondEvaluation(w, r, p, list, err)
}

// respondEvaluation answers a participation's evaluation with its ETag.
func respondEvaluation(w http.ResponseWriter, r *http.Request, p cycle.Participation, list []cycle.Assessment, err error) {
	if err != nil {
		failCycle(w, r, err, "participation")
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
	pid, err := pathID(r, "participation")
	if err != nil {
		fail(w, r, err)
		return
	}
	var b assessBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	in := cycle.AssessmentInput{Evaluation: ck.required("evaluation", b.Evaluation), Comment: ck.optional(b.Comment)}
	ck.enum("evaluation", &in.Evaluation, vocab.Evaluations.Keys()...)
	ck.maxLen("comment", in.Comment, 2000)
	role := ck.optional(b.ByRole)
	ck.enum("by_role", role, vocab.AssessorRoles.Keys()...)
	c := callerFrom(r)
	var fe *access.FieldError
	if in.ByRole, fe = cycle.AssessorRole(c, role); fe != nil {
		ck.add(fe.Field, fe.Rule, fe.Message)
	}
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	out, list, err := s.doors.Cycle.Assess(r.Context(), c, pid, in)
	respondEvaluation(w, r, out, list, err)
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

func viewYearSummary(y cycle.YearSummary) yearSummaryView {
	return yearSummaryView{ID: y.ID, Edition: y.EditionID, SchoolID: y.SchoolID, SchoolCode: y.SchoolCode,
		Content: y.Content, Submitted: y.SubmittedAt != nil, SubmittedAt: y.SubmittedAt, CreatedAt: y.CreatedAt,
		UpdatedAt: y.UpdatedAt, Version: y.Version}
}

type yearSummaryBody struct {
	Edition    *string `json:"edition"`
	SchoolCode *string `json:"school_code"`
	Content    *string `json:"content"`
}

func yearSummaryID(y cycle.YearSummary) int64 { return y.ID }

func yearSummaryVersion(y cycle.YearSummary) int { return y.Version }

func (s *server) listYearSummaries(w http.ResponseWriter, r *http.Request) {
	schoolPage(w, r, nil, func(_ *query, p pageQuery) cycle.YearSummaryFilter {
		return cycle.YearSummaryFilter{Edition: p.Edition, AfterID: p.AfterID, Limit: p.Limit}
	}, s.doors.Cycle.ListYearSummaries, yearSummaryID, viewYearSummary)
}

func (s *server) getYearSummary(w http.ResponseWriter, r *http.Request) {
	cycleGet(w, r, "year summary", s.doors.Cycle.GetYearSummary, yearSummaryVersion, viewYearSummary)
}

func (s *server) createYearSummary(w http.ResponseWriter, r *http.Request) {
	var b yearSummaryBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	ed, school, content := ck.required("edition", b.Edition), s.schoolCodeFor(r, b.SchoolCode, &ck), ck.required("content", b.Content)
	ck.maxLen("content", &content, 20000)
	if err := ck.err(); err != nil {
		fail(w, r, err)
		return
	}
	y, err := s.doors.Cycle.CreateYearSummary(r.Context(), callerFrom(r), ed, school, content)
	respondCycleCreated(w, r, "year summary", y, err, func(y cycle.YearSummary) string {
		return fmt.Sprintf("/api/v1/year-summaries/%d", y.ID)
	}, yearSummaryVersion, viewYearSummary)
}

func (s *server) updateYearSummary(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "year summary", true)
	if !ok {
		return
	}
	out, err := s.doors.Cycle.EditYearSummary(r.Context(), callerFrom(r), id, *version, func(y cycle.YearSummary) (string, error) {
		b := yearSummaryBody{Edition: &y.EditionID, SchoolCode: &y.SchoolCode, Content: &y.Content}
		if err := s.decode(w, r, &b); err != nil {
			return "", err
		}
		var ck checker
		content := ck.required("content", b.Content)
		ck.maxLen("content", &content, 20000)
		if b.Edition == nil || *b.Edition != y.EditionID || b.SchoolCode == nil || *b.SchoolCode != y.SchoolCode {
			ck.add("edition", "immutable", "年度总结的年度和学校不能更改 / the edition and school of a year summary cannot change")
		}
		return content, ck.err()
	})
	respondCycle(w, r, "year summary", http.StatusOK, out, err, yearSummaryVersion, viewYearSummary)
}

func (s *server) submitYearSummary(w http.ResponseWriter, r *http.Request) {
	id, version, ok := target(w, r, "year summary", false)
	if !ok {
		return
	}
	out, err := s.doors.Cycle.SubmitYearSummary(r.Context(), callerFrom(r), id, version)
	respondCycle(w, r, "year summary", http.StatusOK, out, err, yearSummaryVersion, viewYearSummary)
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

func viewExchange(x cycle.Exchange) exchangeView {
	return exchangeView{ID: x.ID, ParticipationID: x.ParticipationID, PersonID: x.PersonID, Edition: x.EditionID,
		SchoolCode: x.SchoolCode, Activity: x.Activity, RecommendedOn: dateString(x.RecommendedOn),
		RecommendedBy: x.RecommendedBy, CreatedAt: x.CreatedAt}
}

type exchangeBody struct {
	ParticipationID *int64  `json:"participation_id"`
	Activity        *string `json:"activity"`
	RecommendedOn   *string `json:"recommended_on"`
}

func exchangeID(x cycle.Exchange) int64 { return x.ID }

func (s *server) listExchanges(w http.ResponseWriter, r *http.Request) {
	schoolPage(w, r, nil, func(_ *query, p pageQuery) cycle.ExchangeFilter {
		return cycle.ExchangeFilter{Edition: p.Edition, AfterID: p.AfterID, Limit: p.Limit}
	}, s.doors.Cycle.ListExchanges, exchangeID, viewExchange)
}

// createExchange is the office's recommendation of a participant to an exchange activity.
func (s *server) createExchange(w http.ResponseWriter, r *http.Request) {
	var b exchangeBody
	if !s.decoded(w, r, &b) {
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
	x, err := s.doors.Cycle.RecommendExchange(r.Context(), callerFrom(r), *b.ParticipationID, activity, on)
	respondCycleCreated(w, r, "participation", x, err, func(x cycle.Exchange) string {
		return fmt.Sprintf("/api/v1/exchange-recommendations?edition=%s", x.EditionID)
	}, nil, viewExchange)
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

func viewCase(c cycle.TypicalCase) caseView {
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

func caseID(x cycle.TypicalCase) int64 { return x.ID }

func (s *server) listCases(w http.ResponseWriter, r *http.Request) {
	schoolPage(w, r, []string{"person"}, func(q *query, p pageQuery) cycle.TypicalCaseFilter {
		return cycle.TypicalCaseFilter{Edition: p.Edition, PersonID: q.int("person"), AfterID: p.AfterID, Limit: p.Limit}
	}, s.doors.Cycle.ListCases, caseID, viewCase)
}

func (s *server) getCase(w http.ResponseWriter, r *http.Request) {
	cycleGet(w, r, "typical case", s.doors.Cycle.GetCase, func(x cycle.TypicalCase) int { return x.Version }, viewCase)
}

// createCase records a typical case: the office (any school, or none), or a school (its
// own, naming its own people).
func (s *server) createCase(w http.ResponseWriter, r *http.Request) {
	var b caseBody
	if !s.decoded(w, r, &b) {
		return
	}
	var ck checker
	in := cycle.TypicalCaseInput{EditionID: ck.optional(b.Edition), SchoolCode: ck.optional(b.SchoolCode),
		Title: ck.required("title", b.Title), Body: ck.required("body", b.Body), PersonIDs: b.PersonIDs}
	if callerFrom(r).Role == access.RoleSchoolOperator {
		code := s.schoolCodeFor(r, in.SchoolCode, &ck)
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
	x, err := s.doors.Cycle.RecordCase(r.Context(), callerFrom(r), in)
	respondCycleCreated(w, r, "typical case", x, err, func(x cycle.TypicalCase) string {
		return fmt.Sprintf("/api/v1/typical-cases/%d", x.ID)
	}, func(x cycle.TypicalCase) int { return x.Version }, viewCase)
}
