package report_test

import (
	"errors"
	"slices"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/report"
)

// TestServiceRefusesRoles: every read of the door is refused to each role the policy does
// not give stats.read, freezing to each role without report.freeze, and nothing is written.
func TestServiceRefusesRoles(t *testing.T) {
	t.Parallel()
	d := dueData(t)
	svc := report.New(d.st, nil)
	q := report.Query{AsOf: day("2026-06-30")}
	err := func(_ any, err error) error { return err }
	ops := []struct {
		name string
		act  access.Action
		call func(c access.Caller) error
	}{
		{"Cohort", access.StatsRead, func(c access.Caller) error { return err(svc.Cohort(d.ctx, c, "jingke-2023", q)) }},
		{"Annual", access.StatsRead, func(c access.Caller) error { return err(svc.Annual(d.ctx, c, 2025, q)) }},
		{"CohortComparison", access.StatsRead, func(c access.Caller) error {
			return err(svc.CohortComparison(d.ctx, c, []string{"jingke-2023", "jingke-2024"}, q))
		}},
		{"YingcaiPipeline", access.StatsRead, func(c access.Caller) error { return err(svc.YingcaiPipeline(d.ctx, c, "jingke", 3, q)) }},
		{"SchoolLeague", access.StatsRead, func(c access.Caller) error { return err(svc.SchoolLeague(d.ctx, c, q)) }},
		{"TeacherTrajectories", access.StatsRead, func(c access.Caller) error { return err(svc.TeacherTrajectories(d.ctx, c, 3, q)) }},
		{"AwardsOverTime", access.StatsRead, func(c access.Caller) error { return err(svc.AwardsOverTime(d.ctx, c, nil, nil, "", q)) }},
		{"FollowUpsDue", access.StatsRead, func(c access.Caller) error {
			return err(svc.FollowUpsDue(d.ctx, c, report.DueFilter{AsOf: q.AsOf}))
		}},
		{"DueCounts", access.StatsRead, func(c access.Caller) error {
			return err(svc.DueCounts(d.ctx, c, report.DueFilter{AsOf: q.AsOf}))
		}},
		{"FrozenList", access.StatsRead, func(c access.Caller) error { return err(svc.FrozenList(d.ctx, c, report.FrozenFilter{Limit: 10})) }},
		{"FrozenGet", access.StatsRead, func(c access.Caller) error { return err(svc.FrozenGet(d.ctx, c, 1)) }},
		{"Diff", access.StatsRead, func(c access.Caller) error { return err(svc.Diff(d.ctx, c, 1)) }},
		{"Regions", access.StatsRead, func(c access.Caller) error { return err(svc.Regions(d.ctx, c)) }},
		{"Compute", access.StatsRead, func(c access.Caller) error {
			return err(svc.Compute(d.ctx, c, report.KindAnnual, report.Params{Year: 2025}, q.AsOf))
		}},
		{"Freeze", access.ReportFreeze, func(c access.Caller) error {
			_, _, e := svc.Freeze(d.ctx, c, report.KindAnnual, report.Params{Year: 2025}, q.AsOf)
			return e
		}},
	}
	audit := func() int { return int(d.id(`SELECT count(*) FROM audit_log`)) }
	before := audit()
	for _, op := range ops {
		for _, role := range access.Roles {
			if slices.Contains(access.Policy[op.act].Roles, role) {
				continue
			}
			if e := op.call(access.Caller{Username: "u", Role: role}); !errors.Is(e, access.ErrForbidden) {
				t.Errorf("%s as %s: %v, want ErrForbidden", op.name, role, e)
			}
		}
	}
	if n := audit(); n != before {
		t.Errorf("refused calls wrote %d audit rows", n-before)
	}
}

// TestServiceDueScope: the follow-up schedule is narrowed to a school operator's school
// and a city coordinator's city, another school or city reads as not found, and every
// schedule returned is audited.
func TestServiceDueScope(t *testing.T) {
	t.Parallel()
	d := dueData(t)
	svc := report.New(d.st, nil)
	asOf := day("2026-06-30")
	school := d.id(`SELECT id FROM organizations WHERE code = 'BS02'`)
	op := access.Caller{Username: "bs02", Role: access.RoleSchoolOperator, SchoolID: school}
	rep, err := svc.FollowUpsDue(d.ctx, op, report.DueFilter{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if rep.School != "BS02" || len(rep.Persons) == 0 {
		t.Errorf("school operator's schedule: school %q, %d persons", rep.School, len(rep.Persons))
	}
	if _, err := svc.FollowUpsDue(d.ctx, op, report.DueFilter{AsOf: asOf, SchoolCode: "BS01"}); !errors.Is(err, access.ErrNotFound) {
		t.Errorf("another school: %v, want ErrNotFound", err)
	}
	city := access.Caller{Username: "cd", Role: access.RoleCityCoordinator, CityCode: "510700"}
	if rep, err = svc.FollowUpsDue(d.ctx, city, report.DueFilter{AsOf: asOf}); err != nil || rep.Region != "510700" {
		t.Errorf("city coordinator's schedule: region %q, %v", rep.Region, err)
	}
	if _, err := svc.FollowUpsDue(d.ctx, city, report.DueFilter{AsOf: asOf, RegionCode: "510104"}); !errors.Is(err, access.ErrNotFound) {
		t.Errorf("another city: %v, want ErrNotFound", err)
	}
	// the counts are the schedule's, in the same scope, and name nobody, so are not audited
	n, err := svc.DueCounts(d.ctx, op, report.DueFilter{AsOf: asOf})
	own, _ := svc.FollowUpsDue(d.ctx, op, report.DueFilter{AsOf: asOf})
	if err != nil || n.Due != own.DueCount || n.Overdue != own.OverdueCount || n.AsOf != "2026-06-30" {
		t.Errorf("DueCounts %+v, %v; the schedule has %d due, %d overdue", n, err, own.DueCount, own.OverdueCount)
	}
	if _, err := svc.DueCounts(d.ctx, op, report.DueFilter{AsOf: asOf, SchoolCode: "BS01"}); !errors.Is(err, access.ErrNotFound) {
		t.Errorf("another school's counts: %v, want ErrNotFound", err)
	}
	if n := d.id(`SELECT count(*) FROM audit_log WHERE entity = 'follow_up_schedule' AND action = 'read'`); n != 3 {
		t.Errorf("%d audit rows of the schedule, want 3 (one per schedule returned)", n)
	}
}
