package cycle_test

import (
	"context"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/cycle"
	"talentdb/internal/dbtest"
	"talentdb/internal/doortest"
)

// op is one method of the door, called as c, with the action it must authorize.
type op = doortest.Op

func ops(ctx context.Context, svc *cycle.Service, edited *bool) []op {
	err := doortest.Err
	err3 := func(_, _ any, err error) error { return err }
	day := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	v := func(n int) *int { return &n }
	return []op{
		{Name: "ListApplications", Act: access.CycleRead, Call: func(c access.Caller) error {
			return err(svc.ListApplications(ctx, c, cycle.ApplicationFilter{Limit: 10}, nil))
		}},
		{Name: "GetApplication", Act: access.CycleRead, Call: func(c access.Caller) error { return err(svc.GetApplication(ctx, c, 1)) }},
		{Name: "CreateApplication", Act: access.CycleWrite, Call: func(c access.Caller) error {
			return err(svc.CreateApplication(ctx, c, cycle.ApplicationInput{EditionID: "jingke-2026", SchoolCode: "SA"}))
		}},
		{Name: "UpdateApplication", Act: access.CycleWrite, Call: func(c access.Caller) error {
			return err(svc.UpdateApplication(ctx, c, 1, 1, func(cycle.Application) (cycle.ApplicationForm, error) {
				*edited = true
				return cycle.ApplicationForm{}, nil
			}))
		}},
		{Name: "SubmitApplication", Act: access.CycleWrite, Call: func(c access.Caller) error { return err(svc.SubmitApplication(ctx, c, 1, nil)) }},
		{Name: "ReviewApplication", Act: access.CycleReview, Call: func(c access.Caller) error {
			return err(svc.ReviewApplication(ctx, c, 1, nil, "approve", nil))
		}},
		{Name: "Nominate", Act: access.CycleWrite, Call: func(c access.Caller) error {
			return err(svc.Nominate(ctx, c, cycle.NominationInput{PersonID: 1, EditionID: "jingke-2026", SchoolCode: "SA"}))
		}},
		{Name: "Step", Act: access.CycleWrite, Call: func(c access.Caller) error { return err(svc.Step(ctx, c, 1, nil, cycle.StepInput{To: "reviewed"})) }},
		{Name: "ListNotices", Act: access.CycleRead, Call: func(c access.Caller) error {
			return err(svc.ListNotices(ctx, c, cycle.NoticeFilter{Limit: 10}, nil))
		}},
		{Name: "GetNotice", Act: access.CycleRead, Call: func(c access.Caller) error { return err(svc.GetNotice(ctx, c, 1)) }},
		{Name: "CreateNotice", Act: access.CycleWrite, Call: func(c access.Caller) error {
			return err(svc.CreateNotice(ctx, c, "jingke-2026", "SA", day, day.AddDate(0, 0, 6)))
		}},
		{Name: "ListObjections", Act: access.CycleRead, Call: func(c access.Caller) error {
			return err(svc.ListObjections(ctx, c, cycle.ObjectionFilter{Limit: 10}, nil))
		}},
		{Name: "GetObjection", Act: access.CycleRead, Call: func(c access.Caller) error { return err(svc.GetObjection(ctx, c, 1)) }},
		{Name: "LodgeObjection", Act: access.CycleWrite, Call: func(c access.Caller) error { return err(svc.LodgeObjection(ctx, c, 1, day, "x")) }},
		{Name: "ResolveObjection", Act: access.CycleWrite, Call: func(c access.Caller) error {
			return err(svc.ResolveObjection(ctx, c, 1, nil, "dismissed", "x"))
		}},
		{Name: "GrowthLogs", Act: access.ParticipantRead, Call: func(c access.Caller) error { return err(svc.GrowthLogs(ctx, c, 1)) }},
		{Name: "AddGrowthLog", Act: access.CycleWrite, Call: func(c access.Caller) error { return err(svc.AddGrowthLog(ctx, c, 1, day, "x")) }},
		{Name: "EditGrowthLog", Act: access.CycleWrite, Call: func(c access.Caller) error {
			return err(svc.EditGrowthLog(ctx, c, 1, 1, func(cycle.GrowthLog) (time.Time, string, error) {
				*edited = true
				return day, "x", nil
			}))
		}},
		{Name: "FeedbackGrowthLog", Act: access.MentorWrite, Call: func(c access.Caller) error { return err(svc.FeedbackGrowthLog(ctx, c, 1, v(1), "x")) }},
		{Name: "Tasks", Act: access.ParticipantRead, Call: func(c access.Caller) error { return err(svc.Tasks(ctx, c, 1)) }},
		{Name: "AddTask", Act: access.MentorWrite, Call: func(c access.Caller) error { return err(svc.AddTask(ctx, c, 1, "x", day)) }},
		{Name: "EditTask", Act: access.MentorWrite, Call: func(c access.Caller) error {
			return err(svc.EditTask(ctx, c, 1, 1, func(cycle.Task) (string, time.Time, error) {
				*edited = true
				return "x", day, nil
			}))
		}},
		{Name: "CompleteTask", Act: access.StaffWrite, Call: func(c access.Caller) error { return err(svc.CompleteTask(ctx, c, 1, nil, true, nil)) }},
		{Name: "ListTrainings", Act: access.CycleRead, Call: func(c access.Caller) error {
			return err(svc.ListTrainings(ctx, c, cycle.TrainingFilter{Limit: 10}, nil))
		}},
		{Name: "GetTraining", Act: access.CycleRead, Call: func(c access.Caller) error { return err(svc.GetTraining(ctx, c, 1)) }},
		{Name: "AddTraining", Act: access.CycleWrite, Call: func(c access.Caller) error {
			return err(svc.AddTraining(ctx, c, "jingke-2026", "SA", "training", day, "x"))
		}},
		{Name: "SetAttendance", Act: access.CycleWrite, Call: func(c access.Caller) error { return err(svc.SetAttendance(ctx, c, 1, []int64{})) }},
		{Name: "Behind", Act: access.ParticipantRead, Call: func(c access.Caller) error {
			return err3(svc.Behind(ctx, c, cycle.BehindFilter{Edition: "jingke-2026"}, nil, nil))
		}},
		{Name: "Evaluation", Act: access.ParticipantRead, Call: func(c access.Caller) error { return err3(svc.Evaluation(ctx, c, 1)) }},
		{Name: "Assess", Act: access.StaffWrite, Call: func(c access.Caller) error {
			return err3(svc.Assess(ctx, c, 1, cycle.AssessmentInput{ByRole: "school", Evaluation: "pass"}))
		}},
		{Name: "ListYearSummaries", Act: access.CycleRead, Call: func(c access.Caller) error {
			return err(svc.ListYearSummaries(ctx, c, cycle.YearSummaryFilter{Limit: 10}, nil))
		}},
		{Name: "GetYearSummary", Act: access.CycleRead, Call: func(c access.Caller) error { return err(svc.GetYearSummary(ctx, c, 1)) }},
		{Name: "CreateYearSummary", Act: access.CycleWrite, Call: func(c access.Caller) error {
			return err(svc.CreateYearSummary(ctx, c, "jingke-2026", "SA", "x"))
		}},
		{Name: "EditYearSummary", Act: access.CycleWrite, Call: func(c access.Caller) error {
			return err(svc.EditYearSummary(ctx, c, 1, 1, func(cycle.YearSummary) (string, error) {
				*edited = true
				return "x", nil
			}))
		}},
		{Name: "SubmitYearSummary", Act: access.CycleWrite, Call: func(c access.Caller) error { return err(svc.SubmitYearSummary(ctx, c, 1, nil)) }},
		{Name: "ListExchanges", Act: access.ParticipantRead, Call: func(c access.Caller) error {
			return err(svc.ListExchanges(ctx, c, cycle.ExchangeFilter{Limit: 10}, nil))
		}},
		{Name: "RecommendExchange", Act: access.CycleReview, Call: func(c access.Caller) error {
			return err(svc.RecommendExchange(ctx, c, 1, "x", nil))
		}},
		{Name: "ListCases", Act: access.CycleRead, Call: func(c access.Caller) error {
			return err(svc.ListCases(ctx, c, cycle.TypicalCaseFilter{Limit: 10}, nil))
		}},
		{Name: "GetCase", Act: access.CycleRead, Call: func(c access.Caller) error { return err(svc.GetCase(ctx, c, 1)) }},
		{Name: "RecordCase", Act: access.CycleWrite, Call: func(c access.Caller) error {
			return err(svc.RecordCase(ctx, c, cycle.TypicalCaseInput{Title: "x", Body: "x", ReportedOn: day, PersonIDs: []int64{1}}))
		}},
		{Name: "SchoolNominees", Act: access.CycleRead, Call: func(c access.Caller) error {
			return err(svc.SchoolNominees(ctx, c, 1, []string{"jingke-2026"}, 10))
		}},
	}
}

// TestDoorRefusesRolesThePolicyDoesNotName: every method of the cycle's door, called by
// every role its action's policy row does not name (and by a caller without a role), is
// access.ErrForbidden and writes nothing — not even an audit row; an edit is never asked for.
func TestDoorRefusesRolesThePolicyDoesNotName(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	svc := cycle.New(st)
	count := func() int { return doortest.Count(t, st, `SELECT count(*) FROM audit_log`) }
	before := count()
	var edited bool
	doortest.Refused(t, ops(ctx, svc, &edited), doortest.Callers(1), &edited)
	if after := count(); after != before {
		t.Errorf("refused calls wrote %d audit rows", after-before)
	}
}
