package cycle

import (
	"context"
	"testing"
	"time"

	"talentdb/internal/doortest"
	"talentdb/internal/store"
)

var (
	d  = doortest.Date
	sp = doortest.Ptr[string]
)

func ruleOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	if _, ok := err.(*ForbiddenError); ok {
		return "forbidden"
	}
	re, ok := IsRule(err)
	if !ok {
		t.Fatalf("not a rule error: %v", err)
	}
	return re.Field + ":" + re.Rule
}

func TestCheckEligible(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		program     string
		grade, role *string
		want        string
	}{
		{"jingke", sp("K"), nil, ""},
		{"jingke", sp("4"), nil, ""},
		{"jingke", sp("8"), nil, ""},
		{"jingke", sp("V3"), nil, ""},
		{"jingke", sp("9"), nil, "grade:grade_not_eligible"},
		{"jingke", sp("3"), nil, "grade:grade_not_eligible"},
		{"jingke", nil, nil, "grade:grade_required"},
		{"jindaoshi", nil, sp("counsellor"), ""},
		{"jindaoshi", nil, nil, "teacher_role:teacher_role_required"},
	} {
		if got := ruleOf(t, CheckEligible(c.program, c.grade, c.role)); got != c.want {
			t.Errorf("%s %v %v: %q, want %q", c.program, c.grade, c.role, got, c.want)
		}
	}
}

func TestCheckPhases(t *testing.T) {
	t.Parallel()
	ed := store.Edition{ID: "jingke-2024", StartsOn: d("2024-03-01"), EndsOn: d("2025-02-28")}
	ph := func(name, from, to string) store.ApplicationPhase {
		return store.ApplicationPhase{Phase: name, Content: "x", StartsOn: d(from), EndsOn: d(to)}
	}
	good := []store.ApplicationPhase{ph("selection", "2024-03-01", "2024-04-15"),
		ph("daily_management", "2024-04-16", "2025-01-31"), ph("summary_evaluation", "2025-02-01", "2025-02-28")}
	for _, c := range []struct {
		name   string
		phases []store.ApplicationPhase
		want   string
	}{
		{"the whole year, edges included", good, ""},
		{"none yet (a draft)", nil, ""},
		{"starts before the edition", []store.ApplicationPhase{ph("selection", "2024-02-29", "2024-04-15")},
			"phases.selection.starts_on:within_edition"},
		{"ends after the edition", []store.ApplicationPhase{ph("summary_evaluation", "2025-02-01", "2025-03-01")},
			"phases.summary_evaluation.ends_on:within_edition"},
		{"ends before it starts", []store.ApplicationPhase{ph("selection", "2024-04-15", "2024-04-01")},
			"phases.selection.ends_on:after_start"},
		{"out of order", []store.ApplicationPhase{ph("selection", "2024-05-01", "2024-05-15"),
			ph("daily_management", "2024-04-16", "2025-01-31")}, "phases.daily_management.starts_on:phase_order"},
	} {
		if got := ruleOf(t, CheckPhases(c.phases, ed)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCheckComplete(t *testing.T) {
	t.Parallel()
	full := func() store.ApplicationForm {
		return store.ApplicationForm{UnitName: "学校",
			Head: store.Contact{Name: sp("甲"), Title: sp("校长"), Mobile: sp("13800000000")},
			Lead: store.Contact{Name: sp("乙"), Title: sp("教师"), OfficePhone: sp("028-1")},
			Phases: []store.ApplicationPhase{{Phase: "selection", Content: "a"}, {Phase: "daily_management", Content: "b"},
				{Phase: "summary_evaluation", Content: "c"}},
			Conditions: store.ApplicationConditions{Funding: sp("5万元")}}
	}
	for _, c := range []struct {
		name string
		edit func(*store.ApplicationForm)
		want string
	}{
		{"complete", func(*store.ApplicationForm) {}, ""},
		{"no head", func(f *store.ApplicationForm) { f.Head.Name = nil }, "head.name:required_to_submit"},
		{"lead without phone", func(f *store.ApplicationForm) { f.Lead.OfficePhone = nil }, "lead.mobile:required_to_submit"},
		{"lead without title", func(f *store.ApplicationForm) { f.Lead.Title = sp("") }, "lead.title:required_to_submit"},
		{"a phase missing", func(f *store.ApplicationForm) { f.Phases = f.Phases[:2] }, "phases.summary_evaluation:required_to_submit"},
		{"no conditions", func(f *store.ApplicationForm) { f.Conditions = store.ApplicationConditions{} }, "conditions:required_to_submit"},
	} {
		f := full()
		c.edit(&f)
		if got := ruleOf(t, CheckComplete(f)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestDecideStep(t *testing.T) {
	t.Parallel()
	inst, other := int64(7), int64(8)
	notice := &store.NoticeRef{ID: 3, StartsOn: d("2024-03-20"), EndsOn: d("2024-03-26")}
	mentor := &store.MentorRef{ID: 5, InstitutionID: &inst, InstitutionCode: sp("INST1")}
	facts := func(status string, edit func(*store.SelectionFacts)) store.SelectionFacts {
		f := store.SelectionFacts{Participation: store.Participation{Status: status}}
		if edit != nil {
			edit(&f)
		}
		return f
	}
	for _, c := range []struct {
		name   string
		f      store.SelectionFacts
		in     StepInput
		office bool
		today  string
		want   string
	}{
		{"review", facts("registered", nil), StepInput{To: "reviewed"}, false, "2024-03-05", ""},
		{"skip a step", facts("registered", nil), StepInput{To: "publicized"}, false, "2024-03-05", "to:transition"},
		{"backwards", facts("publicized", nil), StepInput{To: "reviewed"}, false, "2024-03-05", "to:transition"},
		{"publicize without a notice", facts("reviewed", nil), StepInput{To: "publicized"}, false, "2024-03-05",
			"notice_id:notice_not_open"},
		{"publicize during the notice", facts("reviewed", func(f *store.SelectionFacts) { f.OpenNotice = notice }),
			StepInput{To: "publicized"}, false, "2024-03-20", ""},
		{"recommend on the notice's last day", facts("publicized", func(f *store.SelectionFacts) { f.Notice = notice }),
			StepInput{To: "recommended"}, false, "2024-03-26", "notice_id:notice_running"},
		{"recommend the day after", facts("publicized", func(f *store.SelectionFacts) { f.Notice = notice }),
			StepInput{To: "recommended"}, false, "2024-03-27", ""},
		{"recommend with an open objection", facts("publicized", func(f *store.SelectionFacts) {
			f.Notice, f.OpenObjections = notice, 1
		}), StepInput{To: "recommended"}, false, "2024-03-27", "objections:objection_unresolved"},
		{"recommend with an upheld objection", facts("publicized", func(f *store.SelectionFacts) {
			f.Notice, f.UpheldObjections = notice, 1
		}), StepInput{To: "recommended"}, false, "2024-03-27", "objections:objection_upheld"},
		{"admit without a mentor", facts("recommended", nil), StepInput{To: "admitted"}, true, "2024-04-01", "mentor_id:required"},
		{"admit with the mentor's institution", facts("recommended", func(f *store.SelectionFacts) { f.Mentor = mentor }),
			StepInput{To: "admitted"}, true, "2024-04-01", ""},
		{"admit at another institution", facts("recommended", func(f *store.SelectionFacts) {
			f.Mentor, f.InstitutionID = mentor, &other
		}), StepInput{To: "admitted"}, true, "2024-04-01", "institution_code:mentor_institution"},
		{"admit, mentor without institution", facts("recommended", func(f *store.SelectionFacts) {
			f.Mentor = &store.MentorRef{ID: 6}
		}), StepInput{To: "admitted"}, true, "2024-04-01", "institution_code:required"},
		{"reject without a note", facts("reviewed", nil), StepInput{To: "rejected"}, false, "2024-04-01", "note:required"},
		{"school rejects a recommended nominee", facts("recommended", nil), StepInput{To: "rejected", Note: sp("x")},
			false, "2024-04-01", "forbidden"},
		{"office rejects a recommended nominee", facts("recommended", nil), StepInput{To: "rejected", Note: sp("x")},
			true, "2024-04-01", ""},
		{"withdraw an admitted participant", facts("admitted", nil), StepInput{To: "withdrawn", Note: sp("转学")},
			false, "2024-06-01", ""},
		{"reject an admitted participant", facts("admitted", nil), StepInput{To: "rejected", Note: sp("x")},
			true, "2024-06-01", "to:transition"},
		{"complete by a step", facts("admitted", nil), StepInput{To: "completed"}, true, "2025-02-01", "to:by_evaluation"},
		{"anything after completion", facts("completed", nil), StepInput{To: "withdrawn", Note: sp("x")}, true,
			"2025-02-01", "to:transition"},
	} {
		step, err := DecideStep(c.f, c.in, c.office, d(c.today))
		if got := ruleOf(t, err); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
			continue
		}
		if err == nil && c.in.To == "publicized" && (step.LinkNotice == nil || *step.LinkNotice != notice.ID) {
			t.Errorf("%s: notice not linked: %+v", c.name, step)
		}
		if err == nil && c.in.To == "admitted" && (step.InstitutionID == nil || *step.InstitutionID != inst) {
			t.Errorf("%s: institution %v", c.name, step.InstitutionID)
		}
	}
}

func TestDecideAssessment(t *testing.T) {
	t.Parallel()
	mentorID := int64(5)
	summary := d("2025-01-11")
	app := &store.ApplicationStatus{Status: "approved", SummaryStartsOn: &summary}
	mk := func(status string, withMentor, mentorDone bool) store.EvaluationFacts {
		f := store.EvaluationFacts{ParticipationFacts: store.ParticipationFacts{
			Participation: store.Participation{Status: status}, Application: app}}
		if withMentor {
			f.Participation.MentorID = &mentorID
		}
		if mentorDone {
			f.Mentor = &store.Assessment{ByRole: "mentor", Evaluation: "pass"}
		}
		return f
	}
	for _, c := range []struct {
		name      string
		f         store.EvaluationFacts
		in        AssessmentInput
		today     string
		want      string
		final     bool
		completes bool
	}{
		{"before the summary phase", mk("admitted", true, false), AssessmentInput{ByRole: "mentor", Evaluation: "pass"},
			"2025-01-10", "evaluation:evaluation_not_open", false, false},
		{"mentor on the first day", mk("admitted", true, false), AssessmentInput{ByRole: "mentor", Evaluation: "pass"},
			"2025-01-11", "", false, false},
		{"school before the mentor", mk("admitted", true, false), AssessmentInput{ByRole: "school", Evaluation: "pass"},
			"2025-01-20", "evaluation:mentor_first", false, false},
		{"school pass completes", mk("admitted", true, true), AssessmentInput{ByRole: "school", Evaluation: "pass"},
			"2025-01-20", "", true, true},
		{"school excellent completes", mk("admitted", true, true), AssessmentInput{ByRole: "school", Evaluation: "excellent"},
			"2025-01-20", "", true, true},
		{"school fail stays admitted", mk("admitted", true, true), AssessmentInput{ByRole: "school", Evaluation: "fail"},
			"2025-01-20", "", true, false},
		{"no mentor: the school alone", mk("admitted", false, false), AssessmentInput{ByRole: "school", Evaluation: "pass"},
			"2025-01-20", "", true, true},
		{"completed is final", mk("completed", true, true), AssessmentInput{ByRole: "school", Evaluation: "fail"},
			"2025-01-20", "evaluation:evaluation_final", false, false},
		{"mentor may still correct", mk("completed", true, true), AssessmentInput{ByRole: "mentor", Evaluation: "excellent"},
			"2025-01-20", "", false, false},
		{"not admitted", mk("recommended", true, false), AssessmentInput{ByRole: "mentor", Evaluation: "pass"},
			"2025-01-20", "status:not_admitted", false, false},
	} {
		got, err := DecideAssessment(c.f, c.in, d(c.today))
		if r := ruleOf(t, err); r != c.want {
			t.Errorf("%s: %q, want %q", c.name, r, c.want)
			continue
		}
		if got.Final != c.final || (got.To == "completed") != c.completes {
			t.Errorf("%s: %+v, want final %v completes %v", c.name, got, c.final, c.completes)
		}
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	// 2024-02-29 23:30 UTC is already March 1 in China
	at := time.Date(2024, 2, 29, 23, 30, 0, 0, time.UTC)
	ctx := WithClock(context.Background(), func() time.Time { return at })
	if got := Today(ctx); !got.Equal(d("2024-03-01")) {
		t.Fatalf("today %v", got)
	}
	if Now(context.Background()).IsZero() {
		t.Fatal("no clock in the context must read the real time")
	}
}
