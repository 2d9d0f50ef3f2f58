package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// Summary evaluation (总结评估): assessments and the final evaluation, year summaries,
// exchange recommendations, typical cases.

// Assessment is the mentor's or the school's assessment of a participant.
type Assessment struct {
	ID              int64
	ParticipationID int64
	SchoolID        int64
	ByRole          string // mentor | school
	Evaluation      string // excellent | pass | fail
	Comment         *string
	AssessedBy      string
	AssessedAt      time.Time
	Version         int
}

func assessmentFrom(r db.ParticipationAssessment) Assessment {
	return Assessment{ID: r.ID, ParticipationID: r.ParticipationID, SchoolID: r.SchoolID, ByRole: r.ByRole,
		Evaluation: r.Evaluation, Comment: r.Comment, AssessedBy: r.AssessedBy, AssessedAt: r.AssessedAt,
		Version: int(r.Version)}
}

// AssessmentList returns the assessments of a participation (mentor, school).
func (s *Store) AssessmentList(ctx context.Context, pid int64) ([]Assessment, error) {
	rows, err := s.q.CycleAssessmentList(ctx, s.scoped(), pid)
	if err != nil {
		return nil, mapErr("list assessments", err)
	}
	out := make([]Assessment, len(rows))
	for i, r := range rows {
		out[i] = assessmentFrom(r)
	}
	return out, nil
}

// EvaluationFacts is what the evaluation rules need: the participation's facts and the
// assessments already recorded.
type EvaluationFacts struct {
	ParticipationFacts
	Mentor *Assessment
	School *Assessment
}

// Evaluated is a decided assessment: whether it is the final one (mirrored on the
// participation) and the status the participation moves to ("" keeps it).
type Evaluated struct {
	Final bool
	To    string
}

// AssessmentInput is one assessment to record.
type AssessmentInput struct {
	ByRole     string
	Evaluation string
	Comment    *string
	At         time.Time
}

// AssessmentRecord records (or replaces) the ByRole assessment of participation pid after
// decide accepted it, in one transaction with the participation locked: the final one is
// copied onto the participation, and a completion is a transition. Everything is audited.
func (s *Store) AssessmentRecord(ctx context.Context, a Actor, pid int64, in AssessmentInput,
	decide func(EvaluationFacts) (Evaluated, error)) (Participation, []Assessment, error) {
	var (
		out  Participation
		list []Assessment
	)
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		pf, err := s.participationFacts(ctx, tx, pid, true)
		if err != nil {
			return err
		}
		f := EvaluationFacts{ParticipationFacts: pf}
		rows, err := s.q.CycleAssessmentList(ctx, tx, pid)
		if err != nil {
			return err
		}
		var before *Assessment
		for _, r := range rows {
			x := assessmentFrom(r)
			switch x.ByRole {
			case "mentor":
				f.Mentor = &x
			case "school":
				f.School = &x
			}
			if x.ByRole == in.ByRole {
				before = &x
			}
		}
		d, err := decide(f)
		if err != nil {
			return err
		}
		if err := s.q.CycleAssessmentUpsert(ctx, tx, db.CycleAssessmentUpsertParams{ParticipationID: pid,
			SchoolID: pf.Participation.SchoolID, ByRole: in.ByRole, Evaluation: in.Evaluation, Comment: in.Comment,
			AssessedBy: a.Name, At: in.At}); err != nil {
			return err
		}
		p := pf.Participation
		action := "create"
		if before != nil {
			action = "update"
		}
		snap := func(x *Assessment) any {
			if x == nil {
				return nil
			}
			return map[string]any{"by_role": x.ByRole, "evaluation": x.Evaluation, "comment": x.Comment}
		}
		if err := s.Audit(ctx, tx, a, AuditEntry{Action: action, Entity: "assessment", EntityID: fmt.Sprint(pid),
			PersonID: &p.PersonID, SchoolID: &p.SchoolID, Before: snap(before),
			After: map[string]any{"by_role": in.ByRole, "evaluation": in.Evaluation, "comment": in.Comment}}); err != nil {
			return err
		}
		if d.Final {
			if err := s.q.CycleParticipationEvaluate(ctx, tx, db.CycleParticipationEvaluateParams{ID: pid,
				Evaluation: in.Evaluation, Comment: in.Comment, At: &in.At}); err != nil {
				return err
			}
			if d.To != "" && d.To != p.Status {
				if err := s.q.CycleParticipationStep(ctx, tx, db.CycleParticipationStepParams{ID: pid, Status: d.To,
					At: in.At}); err != nil {
					return err
				}
			}
		}
		r, err := s.q.ParticipationGet(ctx, tx, pid)
		if err != nil {
			return err
		}
		out = participationFrom(r)
		if d.Final {
			e := AuditEntry{Action: "update", Entity: "participation", EntityID: fmt.Sprint(pid),
				PersonID: &out.PersonID, SchoolID: &out.SchoolID,
				Before: map[string]any{"status": p.Status, "evaluation": p.Evaluation, "evaluation_comment": p.EvaluationComment},
				After:  map[string]any{"status": out.Status, "evaluation": out.Evaluation, "evaluation_comment": out.EvaluationComment}}
			if out.Status != p.Status {
				e.Action = "transition"
			}
			if err := s.Audit(ctx, tx, a, e); err != nil {
				return err
			}
		}
		rows, err = s.q.CycleAssessmentList(ctx, tx, pid)
		if err != nil {
			return err
		}
		for _, r := range rows {
			list = append(list, assessmentFrom(r))
		}
		return nil
	})
	if err != nil {
		return Participation{}, nil, writeErr("record assessment", "", err)
	}
	return out, list, nil
}

// YearSummary is a school's summary (年度总结) of its work in an edition.
type YearSummary struct {
	ID          int64
	EditionID   string
	SchoolID    int64
	SchoolCode  string
	CityCode    string
	Content     string
	SubmittedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}

// YearSummaryFilter selects one page of year summaries.
type YearSummaryFilter = SchoolFilter

func yearSummaryFrom(r db.CycleYearSummaryGetRow) YearSummary {
	return YearSummary{ID: r.ID, EditionID: r.EditionID, SchoolID: r.SchoolID, SchoolCode: r.SchoolCode,
		CityCode: deref(r.SchoolCityCode), Content: r.Content, SubmittedAt: r.SubmittedAt, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

func yearSummaryAudit(y YearSummary) map[string]any {
	return map[string]any{"edition": y.EditionID, "school_code": y.SchoolCode, "content": y.Content,
		"submitted_at": y.SubmittedAt}
}

// YearSummaryGet returns one year summary or ErrNotFound.
func (s *Store) YearSummaryGet(ctx context.Context, id int64) (YearSummary, error) {
	return rowOf(ctx, s, "get year summary", id, getter(s.q.CycleYearSummaryGet, yearSummaryFrom))
}

// YearSummaryList returns up to f.Limit year summaries with id > f.AfterID, by id.
func (s *Store) YearSummaryList(ctx context.Context, f YearSummaryFilter) ([]YearSummary, error) {
	rows, err := s.q.CycleYearSummaryList(ctx, s.scoped(), db.CycleYearSummaryListParams{AfterID: f.AfterID,
		Edition: f.Edition, SchoolID: f.SchoolID, CityCode: f.CityCode, Lim: int32(f.Limit)})
	return rowsOf("list year summaries", rows, err, func(r db.CycleYearSummaryListRow) YearSummary { return yearSummaryFrom(db.CycleYearSummaryGetRow(r)) })
}

// YearSummaryCreate records the year summary of school schoolCode for editionID after
// check accepted the facts; one per school and edition (year_summaries_key, 409).
func (s *Store) YearSummaryCreate(ctx context.Context, a Actor, editionID, schoolCode, content string,
	check func(NoticeFacts) error) (YearSummary, error) {
	return insertRow(ctx, s, a, newRow[NoticeFacts, YearSummary]{op: "create year summary", entity: "year_summary",
		facts: s.schoolFactsOf(editionID, schoolCode), check: check, get: getter(s.q.CycleYearSummaryGet, yearSummaryFrom),
		insert: func(ctx context.Context, tx pgx.Tx, f NoticeFacts) (int64, error) {
			return s.q.CycleYearSummaryInsert(ctx, tx, db.CycleYearSummaryInsertParams{EditionID: editionID,
				SchoolID: f.SchoolID, Content: content})
		},
		audit: func(f NoticeFacts, y YearSummary) AuditEntry {
			return AuditEntry{SchoolID: &f.SchoolID, After: yearSummaryAudit(y)}
		}})
}

// YearSummaryUpdate locks a year summary, checks the version when given, lets apply
// change it (content, submission) and audits it with action ("update" or "transition").
func (s *Store) YearSummaryUpdate(ctx context.Context, a Actor, id int64, version *int, action string,
	apply func(cur *YearSummary) error) (YearSummary, error) {
	return updateLocked(ctx, s, a, id, version, lockedWrite[int64, YearSummary]{op: "update year summary",
		entity: "year_summary", lock: s.q.CycleYearSummaryLock, get: getter(s.q.CycleYearSummaryGet, yearSummaryFrom),
		write: func(ctx context.Context, tx pgx.Tx, next YearSummary) (*YearSummary, error) {
			if err := apply(&next); err != nil {
				return nil, err
			}
			return nil, s.q.CycleYearSummaryUpdate(ctx, tx, db.CycleYearSummaryUpdateParams{ID: id,
				Content: next.Content, SubmittedAt: next.SubmittedAt})
		},
		audit: func(before, after YearSummary) AuditEntry {
			return AuditEntry{Action: action, SchoolID: &after.SchoolID, Before: yearSummaryAudit(before),
				After: yearSummaryAudit(after)}
		}})
}

// Exchange is a recommendation of a participant to a science exchange activity.
type Exchange struct {
	ID int64
	Participant
	SchoolCode    string
	CityCode      string
	Activity      string
	RecommendedOn time.Time
	RecommendedBy *string
	CreatedAt     time.Time
}

// ExchangeFilter selects one page of recommendations; SchoolID, CityCode and MentorID
// restrict to a scope.
type ExchangeFilter struct {
	Edition  *string
	SchoolID *int64
	CityCode *string
	MentorID *int64
	AfterID  int64
	Limit    int
}

func exchangeFrom(r db.CycleExchangeGetRow) Exchange {
	return Exchange{ID: r.ID, Participant: participantOf(r.ParticipationID, r.PersonID, r.EditionID, r.SchoolID, r.MentorID),
		SchoolCode: r.SchoolCode, CityCode: deref(r.SchoolCityCode),
		Activity: r.Activity, RecommendedOn: r.RecommendedOn, RecommendedBy: r.RecommendedBy, CreatedAt: r.CreatedAt}
}

// ExchangeList returns up to f.Limit recommendations with id > f.AfterID, by id.
func (s *Store) ExchangeList(ctx context.Context, f ExchangeFilter) ([]Exchange, error) {
	rows, err := s.q.CycleExchangeList(ctx, s.scoped(), db.CycleExchangeListParams{AfterID: f.AfterID,
		Edition: f.Edition, SchoolID: f.SchoolID, CityCode: f.CityCode, MentorID: f.MentorID, Lim: int32(f.Limit)})
	return rowsOf("list exchange recommendations", rows, err, func(r db.CycleExchangeListRow) Exchange { return exchangeFrom(db.CycleExchangeGetRow(r)) })
}

// ExchangeCreate recommends participation pid to an activity after check accepted the
// participation's facts; the same participant and activity twice is a *ConstraintError
// (exchange_recommendations_key).
func (s *Store) ExchangeCreate(ctx context.Context, a Actor, pid int64, activity string, on time.Time,
	check func(ParticipationFacts) error) (Exchange, error) {
	return insertRow(ctx, s, a, newRow[ParticipationFacts, Exchange]{op: "create exchange recommendation",
		entity: "exchange_recommendation", check: check, get: getter(s.q.CycleExchangeGet, exchangeFrom),
		facts: func(ctx context.Context, tx pgx.Tx) (ParticipationFacts, error) {
			f, err := s.participationFacts(ctx, tx, pid, false)
			return f, missing(err, "participation_id", "参与记录不存在 / no participation has this participation_id")
		},
		insert: func(ctx context.Context, tx pgx.Tx, f ParticipationFacts) (int64, error) {
			return s.q.CycleExchangeInsert(ctx, tx, db.CycleExchangeInsertParams{ParticipationID: pid,
				SchoolID: f.Participation.SchoolID, Activity: activity, RecommendedOn: on, RecommendedBy: actorName(a)})
		},
		audit: func(_ ParticipationFacts, x Exchange) AuditEntry {
			return AuditEntry{PersonID: &x.PersonID, SchoolID: &x.SchoolID, After: map[string]any{"participation_id": pid,
				"activity": activity, "recommended_on": on.Format(time.DateOnly)}}
		}})
}

// TypicalCase is a typical case (典型案例) for publicity, linked to persons.
type TypicalCase struct {
	ID         int64
	EditionID  *string
	SchoolID   *int64
	SchoolCode *string
	CityCode   *string
	Title      string
	Body       string
	ReportedOn time.Time
	ReportedBy *string
	PersonIDs  []int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
}

// TypicalCaseFilter selects one page of cases; SchoolID and CityCode restrict to a scope.
type TypicalCaseFilter struct {
	Edition  *string
	PersonID *int64
	SchoolID *int64
	CityCode *string
	AfterID  int64
	Limit    int
}

// TypicalCaseInput is a new case: the edition and school are optional (an office story).
type TypicalCaseInput struct {
	EditionID  *string
	SchoolCode *string
	Title      string
	Body       string
	ReportedOn time.Time
	PersonIDs  []int64
}

// CasePerson is a person a case names, with their responsible school.
type CasePerson struct {
	ID       int64
	SchoolID *int64
}

func typicalCaseFrom(r db.CycleCaseGetRow) TypicalCase {
	ids := r.PersonIds
	if ids == nil {
		ids = []int64{}
	}
	return TypicalCase{ID: r.ID, EditionID: r.EditionID, SchoolID: r.SchoolID, SchoolCode: r.SchoolCode,
		CityCode: r.SchoolCityCode, Title: r.Title, Body: r.Body, ReportedOn: r.ReportedOn, ReportedBy: r.ReportedBy,
		PersonIDs: ids, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: int(r.Version)}
}

// TypicalCaseGet returns one case or ErrNotFound.
func (s *Store) TypicalCaseGet(ctx context.Context, id int64) (TypicalCase, error) {
	return rowOf(ctx, s, "get typical case", id, getter(s.q.CycleCaseGet, typicalCaseFrom))
}

// TypicalCaseList returns up to f.Limit cases with id > f.AfterID, by id.
func (s *Store) TypicalCaseList(ctx context.Context, f TypicalCaseFilter) ([]TypicalCase, error) {
	rows, err := s.q.CycleCaseList(ctx, s.scoped(), db.CycleCaseListParams{AfterID: f.AfterID, Edition: f.Edition,
		SchoolID: f.SchoolID, CityCode: f.CityCode, PersonID: f.PersonID, Lim: int32(f.Limit)})
	return rowsOf("list typical cases", rows, err, func(r db.CycleCaseListRow) TypicalCase { return typicalCaseFrom(db.CycleCaseGetRow(r)) })
}

// TypicalCaseCreate records a case and its persons after check accepted the school (nil
// for none) and the persons found; a person id that does not exist is a *FieldError on
// person_ids.
func (s *Store) TypicalCaseCreate(ctx context.Context, a Actor, in TypicalCaseInput,
	check func(schoolID *int64, persons []CasePerson) error) (TypicalCase, error) {
	var out TypicalCase
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		if in.EditionID != nil {
			if _, err := s.editionNamed(ctx, tx, *in.EditionID); err != nil {
				return err
			}
		}
		var schoolID *int64
		if in.SchoolCode != nil {
			id, err := s.organizationByCode(ctx, tx, "school_code", *in.SchoolCode, "school")
			if err != nil {
				return err
			}
			schoolID = &id
		}
		ids := slices.Compact(slices.Sorted(slices.Values(in.PersonIDs)))
		rows, err := s.q.CycleCasePersonSchools(ctx, tx, ids)
		if err != nil {
			return err
		}
		persons := make([]CasePerson, len(rows))
		for i, r := range rows {
			persons[i] = CasePerson{ID: r.ID, SchoolID: r.SchoolID}
		}
		if len(persons) != len(ids) {
			for _, id := range ids {
				if !slices.ContainsFunc(persons, func(p CasePerson) bool { return p.ID == id }) {
					return &FieldError{Field: "person_ids", Rule: "exists",
						Message: fmt.Sprintf("人员 %d 不存在 / no person has id %d", id, id)}
				}
			}
		}
		if err := check(schoolID, persons); err != nil {
			return err
		}
		var by *string
		if a.Name != "" {
			by = &a.Name
		}
		id, err := s.q.CycleCaseInsert(ctx, tx, db.CycleCaseInsertParams{EditionID: in.EditionID, SchoolID: schoolID,
			Title: in.Title, Body: in.Body, ReportedOn: in.ReportedOn, ReportedBy: by})
		if err != nil {
			return err
		}
		if err := s.q.CycleCasePersonsAdd(ctx, tx, db.CycleCasePersonsAddParams{CaseID: id, PersonIds: ids}); err != nil {
			return err
		}
		r, err := s.q.CycleCaseGet(ctx, tx, id)
		if err != nil {
			return err
		}
		out = typicalCaseFrom(r)
		after := map[string]any{"edition": in.EditionID, "school_code": in.SchoolCode, "title": in.Title,
			"reported_on": in.ReportedOn.Format(time.DateOnly), "person_ids": out.PersonIDs}
		if err := s.Audit(ctx, tx, a, AuditEntry{Action: "create", Entity: "typical_case", EntityID: fmt.Sprint(id),
			SchoolID: schoolID, After: after}); err != nil {
			return err
		}
		// one row per person too, so the case is in each person's audit history
		for _, pid := range out.PersonIDs {
			if err := s.Audit(ctx, tx, a, AuditEntry{Action: "update", Entity: "typical_case", EntityID: fmt.Sprint(id),
				PersonID: &pid, SchoolID: schoolID, After: map[string]any{"typical_case": in.Title}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return TypicalCase{}, writeErr("create typical case", "", err)
	}
	return out, nil
}

// SchoolCity returns the city code of an organization (for a coordinator's scope check).
func (s *Store) SchoolCity(ctx context.Context, id int64) (string, error) {
	c, err := s.q.CycleSchoolCity(ctx, s.scoped(), id)
	if err != nil {
		return "", mapErr("school city", err)
	}
	return deref(c), nil
}
