package cycle

import (
	"context"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/store"
)

// The door's methods, one per endpoint of the cycle: each authorizes the caller's action,
// resolves the record it names to one the caller may see (access.ErrNotFound otherwise),
// refuses a write the caller's role may not make of that record (*ForbiddenError), and runs
// the write's rules in one scoped unit of work of the store, its audit row inside.

func applicationSchool(a Application) int64 { return a.SchoolID }

// ListApplications returns one page of the applications c sees, of school (a code) when given.
func (s *Service) ListApplications(ctx context.Context, c access.Caller, f ApplicationFilter, school *string) ([]Application, error) {
	return listed(ctx, s, c, access.CycleRead, school, &f.SchoolID, &f.CityCode,
		func(ctx context.Context) ([]Application, error) { return s.store.ApplicationList(ctx, f) })
}

// Applications is a page of applications and how many the filter matches in all.
type Applications struct {
	Rows  []Application
	Total int
}

// ApplicationPage is ListApplications with the total of the applications f matches for
// c (f.AfterID aside): the office's review list, its total and its export.
func (s *Service) ApplicationPage(ctx context.Context, c access.Caller, f ApplicationFilter, school *string) (Applications, error) {
	out := Applications{}
	rows, err := listed(ctx, s, c, access.CycleRead, school, &f.SchoolID, &f.CityCode,
		func(ctx context.Context) ([]Application, error) {
			rows, err := s.store.ApplicationList(ctx, f)
			if err != nil {
				return nil, err
			}
			out.Total, err = s.store.ApplicationCount(ctx, f)
			return rows, err
		})
	out.Rows = rows
	return out, err
}

// GetApplication returns application id.
func (s *Service) GetApplication(ctx context.Context, c access.Caller, id int64) (Application, error) {
	return read(ctx, s, c, access.CycleRead, id, s.store.ApplicationGet, applicationSchool, nil)
}

// CreateApplication records a draft application of a school (a school operator's own) for
// an edition.
func (s *Service) CreateApplication(ctx context.Context, c access.Caller, in ApplicationInput) (Application, error) {
	ctx, err := s.writing(ctx, c, &in.SchoolCode)
	if err != nil {
		return Application{}, err
	}
	return s.createApplication(ctx, store.ActorFor(c), in)
}

// writing authorizes a school-level write of c and points *code at the school it is for.
func (s *Service) writing(ctx context.Context, c access.Caller, code *string) (context.Context, error) {
	ctx, err := scoped(ctx, c, access.CycleWrite)
	if err != nil {
		return ctx, err
	}
	return ctx, s.ownSchool(ctx, c, code)
}

// UpdateApplication replaces the form of application id, still at version, with what edit
// derives from the application as it stands (edit's error is returned as is): the school's
// own or the office.
func (s *Service) UpdateApplication(ctx context.Context, c access.Caller, id int64, version int,
	edit func(cur Application) (ApplicationForm, error)) (Application, error) {
	ctx, cur, err := s.application(ctx, c, access.CycleWrite, id,
		"只有本校或管理办公室可以修改申报书 / only the school or the office edits its application")
	if err != nil {
		return Application{}, err
	}
	if cur.Version != version {
		return Application{}, access.ErrStale
	}
	form, err := edit(cur)
	if err != nil {
		return Application{}, err
	}
	return s.updateApplication(ctx, store.ActorFor(c), id, version, form)
}

// application is application id as c sees it, for a write of act that only its school and
// the office make (else msg).
func (s *Service) application(ctx context.Context, c access.Caller, act access.Action, id int64,
	msg string) (context.Context, Application, error) {
	ctx, err := scoped(ctx, c, act)
	if err != nil {
		return ctx, Application{}, err
	}
	cur, err := visible(ctx, s, c, id, s.store.ApplicationGet, applicationSchool, nil)
	if err == nil {
		err = officeOrSchool(c, cur.SchoolID, msg)
	}
	return ctx, cur, err
}

// SubmitApplication submits application id (at version, when given): the school's own or
// the office.
func (s *Service) SubmitApplication(ctx context.Context, c access.Caller, id int64, version *int) (Application, error) {
	ctx, _, err := s.application(ctx, c, access.CycleWrite, id,
		"只有本校或管理办公室可以提交申报书 / only the school or the office submits its application")
	if err != nil {
		return Application{}, err
	}
	return s.submitApplication(ctx, store.ActorFor(c), id, version)
}

// ReviewApplication is the office's decision on application id: approve, reject or return.
func (s *Service) ReviewApplication(ctx context.Context, c access.Caller, id int64, version *int,
	decision string, comment *string) (Application, error) {
	ctx, err := scoped(ctx, c, access.CycleReview)
	if err != nil {
		return Application{}, err
	}
	if _, err := visible(ctx, s, c, id, s.store.ApplicationGet, applicationSchool, nil); err != nil {
		return Application{}, err
	}
	return s.reviewApplication(ctx, store.ActorFor(c), c.Office(), id, version, decision, comment)
}

// Nominate registers a nominee of a school (a school operator's own) for an edition.
func (s *Service) Nominate(ctx context.Context, c access.Caller, in NominationInput) (Participation, error) {
	ctx, err := s.writing(ctx, c, &in.SchoolCode)
	if err != nil {
		return Participation{}, err
	}
	return s.Register(ctx, store.ActorFor(c), in)
}

// participant is participation id as c sees it, for a write of act that check allows.
func (s *Service) participant(ctx context.Context, c access.Caller, act access.Action, id int64,
	check func(Participation) error) (context.Context, Participation, error) {
	ctx, err := scoped(ctx, c, act)
	if err != nil {
		return ctx, Participation{}, err
	}
	p, err := s.participation(ctx, c, id)
	if err == nil && check != nil {
		err = check(p)
	}
	return ctx, p, err
}

// Step moves nominee id (at version, when given) one step of the selection: the
// nominating school or the office.
func (s *Service) Step(ctx context.Context, c access.Caller, id int64, version *int, in StepInput) (Participation, error) {
	ctx, _, err := s.participant(ctx, c, access.CycleWrite, id, func(p Participation) error {
		return officeOrSchool(c, p.SchoolID, "只有本校或管理办公室可以办理选拔 / only the nominating school or the office moves a nominee")
	})
	if err != nil {
		return Participation{}, err
	}
	if err := checkStep(in); err != nil {
		return Participation{}, err
	}
	return s.step(ctx, store.ActorFor(c), c.Office(), id, version, in)
}

// checkStep refuses a step that lacks what its target needs: admission a mentor, a
// rejection or withdrawal a note (*access.FieldError, before any rule reads the nominee).
func checkStep(in StepInput) error {
	switch {
	case in.To == "admitted" && in.MentorID == nil:
		return &access.FieldError{Field: "mentor_id", Rule: "required", Message: "录取须指定导师 / mentor_id is required to admit"}
	case (in.To == "rejected" || in.To == "withdrawn") && in.Note == nil:
		return &access.FieldError{Field: "note", Rule: "required", Message: "未通过或退出须说明理由 / a note is required to reject or withdraw"}
	}
	return nil
}

func noticeSchool(n Notice) int64 { return n.SchoolID }

// ListNotices returns one page of the public notices c sees, of school when given.
func (s *Service) ListNotices(ctx context.Context, c access.Caller, f NoticeFilter, school *string) ([]Notice, error) {
	return listed(ctx, s, c, access.CycleRead, school, &f.SchoolID, &f.CityCode,
		func(ctx context.Context) ([]Notice, error) { return s.store.NoticeList(ctx, f) })
}

// GetNotice returns public notice id.
func (s *Service) GetNotice(ctx context.Context, c access.Caller, id int64) (Notice, error) {
	return read(ctx, s, c, access.CycleRead, id, s.store.NoticeGet, noticeSchool, nil)
}

// CreateNotice posts a public notice of a school's (a school operator's own) nominees.
func (s *Service) CreateNotice(ctx context.Context, c access.Caller, editionID, schoolCode string, startsOn, endsOn time.Time) (Notice, error) {
	ctx, err := s.writing(ctx, c, &schoolCode)
	if err != nil {
		return Notice{}, err
	}
	return s.createNotice(ctx, store.ActorFor(c), editionID, schoolCode, startsOn, endsOn)
}

func objectionSchool(o Objection) int64 { return o.SchoolID }

// ListObjections returns one page of the objections c sees, of school when given.
func (s *Service) ListObjections(ctx context.Context, c access.Caller, f ObjectionFilter, school *string) ([]Objection, error) {
	return listed(ctx, s, c, access.CycleRead, school, &f.SchoolID, &f.CityCode,
		func(ctx context.Context) ([]Objection, error) { return s.store.ObjectionList(ctx, f) })
}

// GetObjection returns objection id.
func (s *Service) GetObjection(ctx context.Context, c access.Caller, id int64) (Objection, error) {
	return read(ctx, s, c, access.CycleRead, id, s.store.ObjectionGet, objectionSchool, nil)
}

// LodgeObjection records an objection against nominee pid: the nominating school or the
// office records what was lodged with them during the notice.
func (s *Service) LodgeObjection(ctx context.Context, c access.Caller, pid int64, lodgedOn time.Time, content string) (Objection, error) {
	ctx, _, err := s.participant(ctx, c, access.CycleWrite, pid, func(p Participation) error {
		return officeOrSchool(c, p.SchoolID, "只有本校或管理办公室可以登记异议 / only the nominating school or the office records objections")
	})
	if err != nil {
		return Objection{}, err
	}
	return s.lodgeObjection(ctx, store.ActorFor(c), pid, lodgedOn, content)
}

// ResolveObjection resolves objection id (at version, when given): the nominating school or
// the office.
func (s *Service) ResolveObjection(ctx context.Context, c access.Caller, id int64, version *int, outcome, resolution string) (Objection, error) {
	ctx, err := scoped(ctx, c, access.CycleWrite)
	if err != nil {
		return Objection{}, err
	}
	o, err := visible(ctx, s, c, id, s.store.ObjectionGet, objectionSchool, nil)
	if err == nil {
		err = officeOrSchool(c, o.SchoolID, "只有本校或管理办公室可以处理异议 / only the nominating school or the office resolves objections")
	}
	if err != nil {
		return Objection{}, err
	}
	return s.resolveObjection(ctx, store.ActorFor(c), id, version, outcome, resolution)
}

// GrowthLogs returns the growth log of participation pid.
func (s *Service) GrowthLogs(ctx context.Context, c access.Caller, pid int64) ([]GrowthLog, error) {
	ctx, p, err := s.participant(ctx, c, access.ParticipantRead, pid, nil)
	if err != nil {
		return nil, err
	}
	return s.store.GrowthLogList(ctx, p.ID)
}

// AddGrowthLog adds an entry to the growth log of participation pid: the student's school
// or the office.
func (s *Service) AddGrowthLog(ctx context.Context, c access.Caller, pid int64, entryOn time.Time, content string) (GrowthLog, error) {
	ctx, _, err := s.participant(ctx, c, access.CycleWrite, pid, func(p Participation) error {
		return officeOrSchool(c, p.SchoolID, "成长日志由学生所在学校填写 / the student's school writes the growth log")
	})
	if err != nil {
		return GrowthLog{}, err
	}
	return s.addGrowthLog(ctx, store.ActorFor(c), pid, entryOn, content)
}

// growthLog is growth-log entry id as c sees it (by the school's scope or as the mentor),
// for a write of act that check allows.
func (s *Service) growthLog(ctx context.Context, c access.Caller, act access.Action, id int64,
	check func(GrowthLog) error) (context.Context, GrowthLog, error) {
	ctx, err := scoped(ctx, c, act)
	if err != nil {
		return ctx, GrowthLog{}, err
	}
	g, err := visible(ctx, s, c, id, s.store.GrowthLogGet, func(g GrowthLog) int64 { return g.SchoolID },
		func(g GrowthLog) *int64 { return g.MentorID })
	if err == nil {
		err = check(g)
	}
	return ctx, g, err
}

// EditGrowthLog corrects entry id (at version) with the date and content edit derives from
// it as it stands: the student's school or the office.
func (s *Service) EditGrowthLog(ctx context.Context, c access.Caller, id int64, version int,
	edit func(cur GrowthLog) (time.Time, string, error)) (GrowthLog, error) {
	ctx, cur, err := s.growthLog(ctx, c, access.CycleWrite, id, func(g GrowthLog) error {
		return officeOrSchool(c, g.SchoolID, "成长日志由学生所在学校修改 / the student's school edits the growth log")
	})
	if err != nil {
		return GrowthLog{}, err
	}
	on, content, err := edit(cur)
	if err != nil {
		return GrowthLog{}, err
	}
	return s.editGrowthLog(ctx, store.ActorFor(c), id, version, on, content)
}

// FeedbackGrowthLog records the mentor's feedback on entry id: the participant's mentor
// or the office.
func (s *Service) FeedbackGrowthLog(ctx context.Context, c access.Caller, id int64, version *int, feedback string) (GrowthLog, error) {
	ctx, _, err := s.growthLog(ctx, c, access.MentorWrite, id, func(g GrowthLog) error {
		return officeOrMentor(c, g.MentorID, "只有该学员的导师可以反馈 / only the participant's mentor gives feedback")
	})
	if err != nil {
		return GrowthLog{}, err
	}
	return s.feedbackGrowthLog(ctx, store.ActorFor(c), id, version, feedback)
}

// Tasks returns the tasks of participation pid.
func (s *Service) Tasks(ctx context.Context, c access.Caller, pid int64) ([]Task, error) {
	ctx, p, err := s.participant(ctx, c, access.ParticipantRead, pid, nil)
	if err != nil {
		return nil, err
	}
	return s.store.TaskList(ctx, p.ID)
}

// AddTask sets participation pid a task: the participant's mentor or the office.
func (s *Service) AddTask(ctx context.Context, c access.Caller, pid int64, title string, dueOn time.Time) (Task, error) {
	ctx, _, err := s.participant(ctx, c, access.MentorWrite, pid, func(p Participation) error {
		return officeOrMentor(c, p.MentorID, "只有该学员的导师可以布置任务 / only the participant's mentor sets tasks")
	})
	if err != nil {
		return Task{}, err
	}
	return s.addTask(ctx, store.ActorFor(c), pid, title, dueOn)
}

// task is task id as c sees it (by the school's scope or as the participant's mentor), for
// a write of act that check allows.
func (s *Service) task(ctx context.Context, c access.Caller, act access.Action, id int64,
	check func(Task) error) (context.Context, Task, error) {
	ctx, err := scoped(ctx, c, act)
	if err != nil {
		return ctx, Task{}, err
	}
	t, err := visible(ctx, s, c, id, s.store.TaskGet, func(t Task) int64 { return t.SchoolID },
		func(t Task) *int64 { return t.ParticipationMentorID })
	if err == nil {
		err = check(t)
	}
	return ctx, t, err
}

// EditTask changes task id (at version) to the title and due date edit derives from it as
// it stands: the participant's mentor or the office.
func (s *Service) EditTask(ctx context.Context, c access.Caller, id int64, version int,
	edit func(cur Task) (string, time.Time, error)) (Task, error) {
	ctx, cur, err := s.task(ctx, c, access.MentorWrite, id, func(t Task) error {
		return officeOrMentor(c, t.ParticipationMentorID, "只有该学员的导师可以修改任务 / only the participant's mentor edits tasks")
	})
	if err != nil {
		return Task{}, err
	}
	title, due, err := edit(cur)
	if err != nil {
		return Task{}, err
	}
	return s.editTask(ctx, store.ActorFor(c), id, version, title, due)
}

// CompleteTask marks task id done on on (nil: today), or open again when done is false:
// the participant's mentor, the school or the office.
func (s *Service) CompleteTask(ctx context.Context, c access.Caller, id int64, version *int, done bool, on *time.Time) (Task, error) {
	ctx, _, err := s.task(ctx, c, access.StaffWrite, id, func(t Task) error {
		if c.Office() || mentorOf(c, t.ParticipationMentorID) || ofSchool(c, t.SchoolID) {
			return nil
		}
		return forbidden("只有导师、学校或管理办公室可以登记完成 / only the mentor, the school or the office records completion")
	})
	if err != nil {
		return Task{}, err
	}
	switch {
	case !done:
		on = nil
	case on == nil:
		today := Today(ctx)
		on = &today
	}
	return s.completeTask(ctx, store.ActorFor(c), id, version, on)
}

func trainingSchool(t Training) int64 { return t.SchoolID }

// ListTrainings returns one page of the training sessions c sees, of school when given.
func (s *Service) ListTrainings(ctx context.Context, c access.Caller, f TrainingFilter, school *string) ([]Training, error) {
	return listed(ctx, s, c, access.CycleRead, school, &f.SchoolID, &f.CityCode,
		func(ctx context.Context) ([]Training, error) { return s.store.TrainingList(ctx, f) })
}

// GetTraining returns training session id.
func (s *Service) GetTraining(ctx context.Context, c access.Caller, id int64) (Training, error) {
	return read(ctx, s, c, access.CycleRead, id, s.store.TrainingGet, trainingSchool, nil)
}

// AddTraining records a session of a school (a school operator's own).
func (s *Service) AddTraining(ctx context.Context, c access.Caller, editionID, schoolCode, kind string, heldOn time.Time, topic string) (Training, error) {
	ctx, err := s.writing(ctx, c, &schoolCode)
	if err != nil {
		return Training{}, err
	}
	return s.addTraining(ctx, store.ActorFor(c), editionID, schoolCode, kind, heldOn, topic)
}

// SetAttendance replaces who attended session id: the school or the office.
func (s *Service) SetAttendance(ctx context.Context, c access.Caller, id int64, ids []int64) (Training, error) {
	ctx, err := scoped(ctx, c, access.CycleWrite)
	if err != nil {
		return Training{}, err
	}
	t, err := visible(ctx, s, c, id, s.store.TrainingGet, trainingSchool, nil)
	if err == nil {
		err = officeOrSchool(c, t.SchoolID, "只有本校或管理办公室可以登记出勤 / only the school or the office records attendance")
	}
	if err != nil {
		return Training{}, err
	}
	return s.setAttendance(ctx, store.ActorFor(c), t, ids)
}

// Behind answers who is behind in f's edition on asOf (nil: today), and that day: a mentor
// sees their participants, the others the schools of their scope (of school when given).
func (s *Service) Behind(ctx context.Context, c access.Caller, f BehindFilter, school *string, asOf *time.Time) ([]BehindRow, time.Time, error) {
	day := Today(ctx)
	if asOf != nil {
		day = *asOf
	}
	ctx, err := scoped(ctx, c, access.ParticipantRead)
	if err != nil {
		return nil, day, err
	}
	empty := false
	if c.Role == access.RoleMentor {
		empty = school != nil || (f.MentorID != nil && *f.MentorID != c.MentorID)
		id := c.MentorID
		f.MentorID = &id
	} else if f.SchoolID, f.CityCode, empty, err = s.schoolScope(ctx, c, school); err != nil {
		return nil, day, err
	}
	if empty {
		return nil, day, nil
	}
	return s.behind(ctx, f, asOf)
}

// Evaluation returns participation pid with its assessments.
func (s *Service) Evaluation(ctx context.Context, c access.Caller, pid int64) (Participation, []Assessment, error) {
	ctx, p, err := s.participant(ctx, c, access.ParticipantRead, pid, nil)
	if err != nil {
		return p, nil, err
	}
	list, err := s.store.AssessmentList(ctx, p.ID)
	return p, list, err
}

// AssessorRole is the capacity in which c assesses: a mentor as the mentor, a school
// operator as the school, the office as it says (role). The problem is a
// *access.FieldError on by_role; Assess refuses an assessment in another's capacity.
func AssessorRole(c access.Caller, role *string) (string, *access.FieldError) {
	var by string
	switch {
	case c.Role == access.RoleMentor:
		by = "mentor"
	case c.Role == access.RoleSchoolOperator:
		by = "school"
	case role != nil:
		by = *role
	default:
		return "", &access.FieldError{Field: "by_role", Rule: "required", Message: "by_role 必填（mentor 或 school） / by_role is required (mentor or school)"}
	}
	if role != nil && *role != by {
		return by, &access.FieldError{Field: "by_role", Rule: "scope", Message: "您只能以自己的身份评价 / you assess in your own capacity"}
	}
	return by, nil
}

// Assess records an assessment of participation pid: the mentor's by the participant's
// mentor, the school's by its school, either by the office.
func (s *Service) Assess(ctx context.Context, c access.Caller, pid int64, in AssessmentInput) (Participation, []Assessment, error) {
	ctx, p, err := s.participant(ctx, c, access.StaffWrite, pid, func(p Participation) error {
		switch {
		case c.Office():
		case in.ByRole == "mentor" && mentorOf(c, p.MentorID):
		case in.ByRole == "school" && ofSchool(c, p.SchoolID):
		default:
			return forbidden("只有该学员的导师和学校可以评价 / only the participant's mentor and school assess them")
		}
		return nil
	})
	if err != nil {
		return p, nil, err
	}
	return s.assess(ctx, store.ActorFor(c), pid, in)
}

func yearSummarySchool(y YearSummary) int64 { return y.SchoolID }

// ListYearSummaries returns one page of the year summaries c sees, of school when given.
func (s *Service) ListYearSummaries(ctx context.Context, c access.Caller, f YearSummaryFilter, school *string) ([]YearSummary, error) {
	return listed(ctx, s, c, access.CycleRead, school, &f.SchoolID, &f.CityCode,
		func(ctx context.Context) ([]YearSummary, error) { return s.store.YearSummaryList(ctx, f) })
}

// GetYearSummary returns year summary id.
func (s *Service) GetYearSummary(ctx context.Context, c access.Caller, id int64) (YearSummary, error) {
	return read(ctx, s, c, access.CycleRead, id, s.store.YearSummaryGet, yearSummarySchool, nil)
}

// CreateYearSummary records the year summary of a school (a school operator's own).
func (s *Service) CreateYearSummary(ctx context.Context, c access.Caller, editionID, schoolCode, content string) (YearSummary, error) {
	ctx, err := s.writing(ctx, c, &schoolCode)
	if err != nil {
		return YearSummary{}, err
	}
	return s.createYearSummary(ctx, store.ActorFor(c), editionID, schoolCode, content)
}

// yearSummary is year summary id as c sees it, for a write only its school and the office
// make (else msg).
func (s *Service) yearSummary(ctx context.Context, c access.Caller, id int64, msg string) (context.Context, YearSummary, error) {
	ctx, err := scoped(ctx, c, access.CycleWrite)
	if err != nil {
		return ctx, YearSummary{}, err
	}
	y, err := visible(ctx, s, c, id, s.store.YearSummaryGet, yearSummarySchool, nil)
	if err == nil {
		err = officeOrSchool(c, y.SchoolID, msg)
	}
	return ctx, y, err
}

// EditYearSummary changes summary id (at version) to the content edit derives from it as
// it stands: the school or the office.
func (s *Service) EditYearSummary(ctx context.Context, c access.Caller, id int64, version int,
	edit func(cur YearSummary) (string, error)) (YearSummary, error) {
	ctx, cur, err := s.yearSummary(ctx, c, id, "年度总结由本校修改 / the school edits its year summary")
	if err != nil {
		return YearSummary{}, err
	}
	content, err := edit(cur)
	if err != nil {
		return YearSummary{}, err
	}
	return s.editYearSummary(ctx, store.ActorFor(c), id, version, content)
}

// SubmitYearSummary submits summary id (at version, when given): the school or the office.
func (s *Service) SubmitYearSummary(ctx context.Context, c access.Caller, id int64, version *int) (YearSummary, error) {
	ctx, _, err := s.yearSummary(ctx, c, id, "年度总结由本校提交 / the school submits its year summary")
	if err != nil {
		return YearSummary{}, err
	}
	return s.submitYearSummary(ctx, store.ActorFor(c), id, version)
}

// ListExchanges returns one page of the exchange recommendations c sees (a mentor: of
// their participants), of school when given.
func (s *Service) ListExchanges(ctx context.Context, c access.Caller, f ExchangeFilter, school *string) ([]Exchange, error) {
	if c.Role == access.RoleMentor {
		id := c.MentorID
		f.MentorID = &id
	}
	return listed(ctx, s, c, access.ParticipantRead, school, &f.SchoolID, &f.CityCode,
		func(ctx context.Context) ([]Exchange, error) { return s.store.ExchangeList(ctx, f) })
}

// RecommendExchange is the office's recommendation of participation pid to an exchange
// activity on on (nil: today).
func (s *Service) RecommendExchange(ctx context.Context, c access.Caller, pid int64, activity string, on *time.Time) (Exchange, error) {
	ctx, err := scoped(ctx, c, access.CycleReview)
	if err != nil {
		return Exchange{}, err
	}
	if !c.Office() {
		return Exchange{}, forbidden("只有管理办公室推荐参加科技交流活动 / only the office recommends to exchange activities")
	}
	return s.recommendExchange(ctx, store.ActorFor(c), pid, activity, on)
}

// ListCases returns one page of the typical cases c sees, of school when given.
func (s *Service) ListCases(ctx context.Context, c access.Caller, f TypicalCaseFilter, school *string) ([]TypicalCase, error) {
	return listed(ctx, s, c, access.CycleRead, school, &f.SchoolID, &f.CityCode,
		func(ctx context.Context) ([]TypicalCase, error) { return s.store.TypicalCaseList(ctx, f) })
}

// GetCase returns typical case id: province-wide readers see every case, the others the
// cases of the schools in their scope.
func (s *Service) GetCase(ctx context.Context, c access.Caller, id int64) (TypicalCase, error) {
	ctx, err := scoped(ctx, c, access.CycleRead)
	if err != nil {
		return TypicalCase{}, err
	}
	x, err := s.store.TypicalCaseGet(ctx, id)
	if err != nil {
		return x, err
	}
	ok := c.ProvinceWide()
	if !ok && x.SchoolID != nil {
		if ok, err = s.seesSchool(ctx, c, *x.SchoolID); err != nil {
			return TypicalCase{}, err
		}
	}
	if !ok {
		return TypicalCase{}, access.ErrNotFound
	}
	return x, nil
}

// RecordCase records a typical case: the office's of any school or none, a school
// operator's of their own school naming only its people.
func (s *Service) RecordCase(ctx context.Context, c access.Caller, tc TypicalCaseInput) (TypicalCase, error) {
	ctx, err := scoped(ctx, c, access.CycleWrite)
	if err != nil {
		return TypicalCase{}, err
	}
	var schoolID *int64
	if c.Role == access.RoleSchoolOperator {
		own, fe := s.OwnSchool(ctx, c, tc.SchoolCode)
		if fe != nil {
			return TypicalCase{}, fe
		}
		tc.SchoolCode, schoolID = &own, &c.SchoolID
	}
	return s.recordCase(ctx, store.ActorFor(c), tc, schoolID)
}

// SchoolNominees returns up to limit nominees of school schoolID in the editions, newest
// edition first, then by name.
func (s *Service) SchoolNominees(ctx context.Context, c access.Caller, schoolID int64, editionIDs []string, limit int) ([]Nominee, error) {
	ctx, err := scoped(ctx, c, access.CycleRead)
	if err != nil {
		return nil, err
	}
	return s.store.SchoolNominees(ctx, schoolID, editionIDs, limit)
}
