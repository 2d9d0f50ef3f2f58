package cycle_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/cycle"
	"talentdb/internal/dbtest"
)

// op is one method of the door, called as c, with the action it must authorize.
type op struct {
	name string
	act  access.Action
	call func(c access.Caller) error
}

func ops(ctx context.Context, svc *cycle.Service, edited *bool) []op {
	err := func(_ any, err error) error { return err }
	err3 := func(_, _ any, err error) error { return err }
	day := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	v := func(n int) *int { return &n }
	return []op{
		{"ListApplications", access.CycleRead, func(c access.Caller) error {
			return err(svc.ListApplications(ctx, c, cycle.ApplicationFilter{Limit: 10}, nil))
		}},
		{"GetApplication", access.CycleRead, func(c access.Caller) error { return err(svc.GetApplication(ctx, c, 1)) }},
		{"CreateApplication", access.CycleWrite, func(c access.Caller) error {
			return err(svc.CreateApplication(ctx, c, cycle.ApplicationInput{EditionID: "jingke-2026", SchoolCode: "SA"}))
		}},
		{"UpdateApplication", access.CycleWrite, func(c access.Caller) error {
			return err(svc.UpdateApplication(ctx, c, 1, 1, func(cycle.Application) (cycle.ApplicationForm, error) {
				*edited = true
				return cycle.ApplicationForm{}, nil
			}))
		}},
		{"SubmitApplication", access.CycleWrite, func(c access.Caller) error { return err(svc.SubmitApplication(ctx, c, 1, nil)) }},
		{"ReviewApplication", access.CycleReview, func(c access.Caller) error {
			return err(svc.ReviewApplication(ctx, c, 1, nil, "approve", nil))
		}},
		{"Nominate", access.CycleWrite, func(c access.Caller) error {
			return err(svc.Nominate(ctx, c, cycle.NominationInput{PersonID: 1, EditionID: "jingke-2026", SchoolCode: "SA"}))
		}},
		{"Step", access.CycleWrite, func(c access.Caller) error { return err(svc.Step(ctx, c, 1, nil, cycle.StepInput{To: "reviewed"})) }},
		{"ListNotices", access.CycleRead, func(c access.Caller) error {
			return err(svc.ListNotices(ctx, c, cycle.NoticeFilter{Limit: 10}, nil))
		}},
		{"GetNotice", access.CycleRead, func(c access.Caller) error { return err(svc.GetNotice(ctx, c, 1)) }},
		{"CreateNotice", access.CycleWrite, func(c access.Caller) error {
			return err(svc.CreateNotice(ctx, c, "jingke-2026", "SA", day, day.AddDate(0, 0, 6)))
		}},
		{"ListObjections", access.CycleRead, func(c access.Caller) error {
			return err(svc.ListObjections(ctx, c, cycle.ObjectionFilter{Limit: 10}, nil))
		}},
		{"GetObjection", access.CycleRead, func(c access.Caller) error { return err(svc.GetObjection(ctx, c, 1)) }},
		{"LodgeObjection", access.CycleWrite, func(c access.Caller) error { return err(svc.LodgeObjection(ctx, c, 1, day, "x")) }},
		{"ResolveObjection", access.CycleWrite, func(c access.Caller) error {
			return err(svc.ResolveObjection(ctx, c, 1, nil, "dismissed", "x"))
		}},
		{"GrowthLogs", access.ParticipantRead, func(c access.Caller) error { return err(svc.GrowthLogs(ctx, c, 1)) }},
		{"AddGrowthLog", access.CycleWrite, func(c access.Caller) error { return err(svc.AddGrowthLog(ctx, c, 1, day, "x")) }},
		{"EditGrowthLog", access.CycleWrite, func(c access.Caller) error {
			return err(svc.EditGrowthLog(ctx, c, 1, 1, func(cycle.GrowthLog) (time.Time, string, error) {
				*edited = true
				return day, "x", nil
			}))
		}},
		{"FeedbackGrowthLog", access.MentorWrite, func(c access.Caller) error { return err(svc.FeedbackGrowthLog(ctx, c, 1, v(1), "x")) }},
		{"Tasks", access.ParticipantRead, func(c access.Caller) error { return err(svc.Tasks(ctx, c, 1)) }},
		{"AddTask", access.MentorWrite, func(c access.Caller) error { return err(svc.AddTask(ctx, c, 1, "x", day)) }},
		{"EditTask", access.MentorWrite, func(c access.Caller) error {
			return err(svc.EditTask(ctx, c, 1, 1, func(cycle.Task) (string, time.Time, error) {
				*edited = true
				return "x", day, nil
			}))
		}},
		{"CompleteTask", access.StaffWrite, func(c access.Caller) error { return err(svc.CompleteTask(ctx, c, 1, nil, true, nil)) }},
		{"ListTrainings", access.CycleRead, func(c access.Caller) error {
			return err(svc.ListTrainings(ctx, c, cycle.TrainingFilter{Limit: 10}, nil))
		}},
		{"GetTraining", access.CycleRead, func(c access.Caller) error { return err(svc.GetTraining(ctx, c, 1)) }},
		{"AddTraining", access.CycleWrite, func(c access.Caller) error {
			return err(svc.AddTraining(ctx, c, "jingke-2026", "SA", "training", day, "x"))
		}},
		{"SetAttendance", access.CycleWrite, func(c access.Caller) error { return err(svc.SetAttendance(ctx, c, 1, []int64{})) }},
		{"Behind", access.ParticipantRead, func(c access.Caller) error {
			return err3(svc.Behind(ctx, c, cycle.BehindFilter{Edition: "jingke-2026"}, nil, nil))
		}},
		{"Evaluation", access.ParticipantRead, func(c access.Caller) error { return err3(svc.Evaluation(ctx, c, 1)) }},
		{"Assess", access.StaffWrite, func(c access.Caller) error {
			return err3(svc.Assess(ctx, c, 1, cycle.AssessmentInput{ByRole: "school", Evaluation: "pass"}))
		}},
		{"ListYearSummaries", access.CycleRead, func(c access.Caller) error {
			return err(svc.ListYearSummaries(ctx, c, cycle.YearSummaryFilter{Limit: 10}, nil))
		}},
		{"GetYearSummary", access.CycleRead, func(c access.Caller) error { return err(svc.GetYearSummary(ctx, c, 1)) }},
		{"CreateYearSummary", access.CycleWrite, func(c access.Caller) error {
			return err(svc.CreateYearSummary(ctx, c, "jingke-2026", "SA", "x"))
		}},
		{"EditYearSummary", access.CycleWrite, func(c access.Caller) error {
			return err(svc.EditYearSummary(ctx, c, 1, 1, func(cycle.YearSummary) (string, error) {
				*edited = true
				return "x", nil
			}))
		}},
		{"SubmitYearSummary", access.CycleWrite, func(c access.Caller) error { return err(svc.SubmitYearSummary(ctx, c, 1, nil)) }},
		{"ListExchanges", access.ParticipantRead, func(c access.Caller) error {
			return err(svc.ListExchanges(ctx, c, cycle.ExchangeFilter{Limit: 10}, nil))
		}},
		{"RecommendExchange", access.CycleReview, func(c access.Caller) error {
			return err(svc.RecommendExchange(ctx, c, 1, "x", nil))
		}},
		{"ListCases", access.CycleRead, func(c access.Caller) error {
			return err(svc.ListCases(ctx, c, cycle.TypicalCaseFilter{Limit: 10}, nil))
		}},
		{"GetCase", access.CycleRead, func(c access.Caller) error { return err(svc.GetCase(ctx, c, 1)) }},
		{"RecordCase", access.CycleWrite, func(c access.Caller) error {
			return err(svc.RecordCase(ctx, c, cycle.TypicalCaseInput{Title: "x", Body: "x", ReportedOn: day, PersonIDs: []int64{1}}))
		}},
		{"SchoolNominees", access.CycleRead, func(c access.Caller) error {
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
	count := func() int {
		var n int
		if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	callers := []access.Caller{
		{Username: "admin", Role: access.RoleOfficeAdmin},
		{Username: "analyst", Role: access.RoleOfficeAnalyst},
		{Username: "city", Role: access.RoleCityCoordinator, CityCode: "510100"},
		{Username: "school", Role: access.RoleSchoolOperator, SchoolID: 1},
		{Username: "mentor", Role: access.RoleMentor, MentorID: 1},
		{Username: "auditor", Role: access.RoleAuditor},
		{Username: "nobody"},
	}
	before := count()
	var edited bool
	for _, o := range ops(ctx, svc, &edited) {
		for _, c := range callers {
			if slices.Contains(access.Policy[o.act].Roles, c.Role) {
				continue
			}
			edited = false
			if err := o.call(c); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s as %q: err = %v, want ErrForbidden (%s)", o.name, c.Role, err, o.act)
			}
			if edited {
				t.Errorf("%s as %q: the edit was asked for", o.name, c.Role)
			}
		}
	}
	if after := count(); after != before {
		t.Errorf("refused calls wrote %d audit rows", after-before)
	}
}
