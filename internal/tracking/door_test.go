package tracking_test

import (
	"errors"
	"slices"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/doortest"
	"talentdb/internal/store"
	"talentdb/internal/tracking"
)

// records is one live record of each kind for f.person, recorded by the office.
type records struct {
	award store.Award
	dest  store.Destination
	move  store.CareerMove
	fu    store.FollowUp
}

func (f fixture) records(t *testing.T) records {
	t.Helper()
	var r records
	var err error
	if r.award, err = f.svc.CreateAward(f.ctx, f.caller, f.person, tracking.AwardDraft{Competition: sp("全国青少年科技创新大赛"),
		Level: sp("provincial"), AwardedOn: sp("2024-05-20")}); err != nil {
		t.Fatal(err)
	}
	if r.dest, err = f.svc.CreateDestination(f.ctx, f.caller, f.person, tracking.DestinationDraft{Type: sp("university"),
		OrgName: sp("四川大学"), StartedOn: sp("2003-09-01")}); err != nil {
		t.Fatal(err)
	}
	if r.move, err = f.svc.CreateCareerMove(f.ctx, f.caller, f.person, tracking.CareerMoveDraft{OrgCode: sp("BS01"),
		Position: sp("teacher"), StartedOn: sp("2010-09-01")}); err != nil {
		t.Fatal(err)
	}
	if r.fu, err = f.svc.CreateFollowUp(f.ctx, f.caller, f.person, tracking.FollowUpDraft{ContactedOn: sp("2025-06-01"),
		Channel: sp("phone"), Outcome: sp("reached")}); err != nil {
		t.Fatal(err)
	}
	return r
}

// count returns the number of rows sql counts.
func (f fixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return doortest.Count(t, f.st, sql, args...)
}

// written counts the tracking rows of every kind and the audit rows: what a refused call
// must leave as it was.
func (f fixture) written(t *testing.T) int {
	return f.count(t, `SELECT (SELECT count(*) FROM awards) + (SELECT count(*) FROM destinations)
		+ (SELECT count(*) FROM career_moves) + (SELECT count(*) FROM follow_ups) + (SELECT count(*) FROM audit_log)`)
}

// op is one method of the door, called as c, with the action it must authorize.
type op = doortest.Op

func (f fixture) ops(t *testing.T, r records, edited *bool) []op {
	t.Helper()
	ctx, p := f.ctx, f.person
	v := func(n int) *int { return &n }
	award := tracking.AwardDraft{Competition: sp("另一个比赛"), Level: sp("national"), AwardedOn: sp("2025-01-01")}
	dest := tracking.DestinationDraft{Type: sp("university"), OrgName: sp("某大学"), StartedOn: sp("2004-09-01")}
	move := tracking.CareerMoveDraft{OrgName: sp("某中学"), Position: sp("teacher"), StartedOn: sp("2020-09-01")}
	fu := tracking.FollowUpDraft{ContactedOn: sp("2026-01-05"), Channel: sp("wechat"), Outcome: sp("reached")}
	err := doortest.Err
	return []op{
		{Name: "CreateAward", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.CreateAward(ctx, c, p, award)) }},
		{Name: "UpdateAward", Act: access.TrackingWrite, Call: func(c access.Caller) error {
			return err(f.svc.UpdateAward(ctx, c, r.award.ID, r.award.Version, func(tracking.Award) (tracking.AwardDraft, error) {
				*edited = true
				return award, nil
			}))
		}},
		{Name: "VerifyAward", Act: access.AwardVerify, Call: func(c access.Caller) error {
			return err(f.svc.VerifyAward(ctx, c, r.award.ID, v(r.award.Version), tracking.VerifyDraft{State: sp("verified")}))
		}},
		{Name: "DeleteAward", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.DeleteAward(ctx, c, r.award.ID, nil)) }},
		{Name: "RestoreAward", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.RestoreAward(ctx, c, r.award.ID, nil)) }},
		{Name: "ListAwards", Act: access.TrackingRead, Call: func(c access.Caller) error { return err(f.svc.ListAwards(ctx, c, p, true)) }},
		{Name: "GetAward", Act: access.TrackingRead, Call: func(c access.Caller) error { return err(f.svc.GetAward(ctx, c, r.award.ID)) }},

		{Name: "CreateDestination", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.CreateDestination(ctx, c, p, dest)) }},
		{Name: "UpdateDestination", Act: access.TrackingWrite, Call: func(c access.Caller) error {
			return err(f.svc.UpdateDestination(ctx, c, r.dest.ID, r.dest.Version, func(tracking.Destination) (tracking.DestinationDraft, error) {
				*edited = true
				return dest, nil
			}))
		}},
		{Name: "DeleteDestination", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.DeleteDestination(ctx, c, r.dest.ID, nil)) }},
		{Name: "RestoreDestination", Act: access.TrackingWrite, Call: func(c access.Caller) error {
			return err(f.svc.RestoreDestination(ctx, c, r.dest.ID, nil))
		}},
		{Name: "ListDestinations", Act: access.TrackingRead, Call: func(c access.Caller) error { return err(f.svc.ListDestinations(ctx, c, p, false)) }},
		{Name: "GetDestination", Act: access.TrackingRead, Call: func(c access.Caller) error { return err(f.svc.GetDestination(ctx, c, r.dest.ID)) }},

		{Name: "CreateCareerMove", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.CreateCareerMove(ctx, c, p, move)) }},
		{Name: "UpdateCareerMove", Act: access.TrackingWrite, Call: func(c access.Caller) error {
			return err(f.svc.UpdateCareerMove(ctx, c, r.move.ID, r.move.Version, func(tracking.CareerMove) (tracking.CareerMoveDraft, error) {
				*edited = true
				return move, nil
			}))
		}},
		{Name: "DeleteCareerMove", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.DeleteCareerMove(ctx, c, r.move.ID, nil)) }},
		{Name: "RestoreCareerMove", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.RestoreCareerMove(ctx, c, r.move.ID, nil)) }},
		{Name: "ListCareerMoves", Act: access.TrackingRead, Call: func(c access.Caller) error { return err(f.svc.ListCareerMoves(ctx, c, p, false)) }},
		{Name: "GetCareerMove", Act: access.TrackingRead, Call: func(c access.Caller) error { return err(f.svc.GetCareerMove(ctx, c, r.move.ID)) }},
		{Name: "CareerOnDate", Act: access.PersonRead, Call: func(c access.Caller) error { return err(f.svc.CareerOnDate(ctx, c, p, nil)) }},
		{Name: "TeachersInEducation", Act: access.StatsRead, Call: func(c access.Caller) error {
			return err(f.svc.TeachersInEducation(ctx, c, nil, nil, nil))
		}},

		{Name: "CreateFollowUp", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.CreateFollowUp(ctx, c, p, fu)) }},
		{Name: "UpdateFollowUp", Act: access.TrackingWrite, Call: func(c access.Caller) error {
			return err(f.svc.UpdateFollowUp(ctx, c, r.fu.ID, r.fu.Version, func(tracking.FollowUp) (tracking.FollowUpDraft, error) {
				*edited = true
				return fu, nil
			}))
		}},
		{Name: "DeleteFollowUp", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.DeleteFollowUp(ctx, c, r.fu.ID, nil)) }},
		{Name: "RestoreFollowUp", Act: access.TrackingWrite, Call: func(c access.Caller) error { return err(f.svc.RestoreFollowUp(ctx, c, r.fu.ID, nil)) }},
		{Name: "ListFollowUps", Act: access.TrackingRead, Call: func(c access.Caller) error { return err(f.svc.ListFollowUps(ctx, c, p, false)) }},
		{Name: "GetFollowUp", Act: access.TrackingRead, Call: func(c access.Caller) error { return err(f.svc.GetFollowUp(ctx, c, r.fu.ID)) }},
		{Name: "FollowUpCoverage", Act: access.StatsRead, Call: func(c access.Caller) error {
			return err(f.svc.FollowUpCoverage(ctx, c, nil, nil, nil))
		}},
	}
}

// callers is one caller of every role, each with the scope column its role needs, and a
// caller without a role.
func (f fixture) callers() []access.Caller { return doortest.Callers(f.school) }

// TestDoorRefusesRolesThePolicyDoesNotName: every method, called by every role its action's
// policy row does not name (and by a caller without a role), is access.ErrForbidden and
// writes nothing — not even an audit row; an edit is never asked for.
func TestDoorRefusesRolesThePolicyDoesNotName(t *testing.T) {
	t.Parallel()
	f := setup(t)
	r := f.records(t)
	var edited bool
	before := f.written(t)
	doortest.Refused(t, f.ops(t, r, &edited), f.callers(), &edited)
	if after := f.written(t); after != before {
		t.Errorf("refused calls changed %d rows", after-before)
	}
	// the brief's two cases by name: a mentor reports no award, an analyst verifies none
	mentor, analyst := f.callers()[4], f.callers()[1]
	if _, err := f.svc.CreateAward(f.ctx, mentor, f.person, tracking.AwardDraft{Competition: sp("x"), Level: sp("national"),
		AwardedOn: sp("2025-01-01")}); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("a mentor creating an award: %v, want ErrForbidden", err)
	}
	if _, err := f.svc.VerifyAward(f.ctx, analyst, r.award.ID, nil, tracking.VerifyDraft{State: sp("verified")}); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("an analyst verifying an award: %v, want ErrForbidden", err)
	}
}

// TestDoorHoldsWritesToTheConsentGate: a person whose guardian has not consented (or has
// withdrawn) is refused every tracking write at the door — by role and scope alone the
// school could write — with the consent state; reads stay open, and a granted consent
// opens the writes again.
func TestDoorHoldsWritesToTheConsentGate(t *testing.T) {
	t.Parallel()
	f := setup(t)
	r := f.records(t)
	school := f.callers()[3]
	state := func(s string) {
		t.Helper()
		if _, err := f.st.Pool.Exec(f.ctx, `UPDATE persons SET consent_state = $2 WHERE id = $1`, f.person, s); err != nil {
			t.Fatal(err)
		}
	}
	var edited bool
	ops := f.ops(t, r, &edited)
	refused := func(who access.Caller, want string) {
		t.Helper()
		before := f.written(t)
		for _, o := range ops {
			if o.Act != access.TrackingWrite && o.Act != access.AwardVerify || !slices.Contains(access.Policy[o.Act].Roles, who.Role) {
				continue
			}
			edited = false
			err := o.Call(who)
			var ce *access.ConsentError
			if !errors.As(err, &ce) || ce.State != want || !errors.Is(err, access.ErrConflict) {
				t.Errorf("%s as %s with consent %s: err = %v, want a ConsentError", o.Name, who.Role, want, err)
			}
			if edited {
				t.Errorf("%s as %s with consent %s: the edit was asked for", o.Name, who.Role, want)
			}
		}
		if after := f.written(t); after != before {
			t.Errorf("consent %s: refused writes changed %d rows", want, after-before)
		}
	}

	state("pending")
	refused(school, "pending")
	refused(f.caller, "pending") // the office too: the gate is the person's, not the role's
	if _, err := f.svc.ListAwards(f.ctx, school, f.person, false); err != nil {
		t.Errorf("the school reading a pending person's awards: %v", err)
	}

	state("withdrawn")
	refused(f.caller, "withdrawn")
	// a withdrawal withholds the person from the school altogether: not found, like elsewhere
	if _, err := f.svc.CreateFollowUp(f.ctx, school, f.person, tracking.FollowUpDraft{ContactedOn: sp("2026-01-05"),
		Channel: sp("phone"), Outcome: sp("reached")}); !errors.Is(err, access.ErrNotFound) {
		t.Errorf("the school writing for a withdrawn person: %v, want ErrNotFound", err)
	}
	if _, err := f.svc.GetAward(f.ctx, school, r.award.ID); !errors.Is(err, access.ErrNotFound) {
		t.Errorf("the school reading a withdrawn person's award: %v, want ErrNotFound", err)
	}

	state("granted")
	if _, err := f.svc.CreateFollowUp(f.ctx, school, f.person, tracking.FollowUpDraft{ContactedOn: sp("2026-01-05"),
		Channel: sp("phone"), Outcome: sp("reached")}); err != nil {
		t.Errorf("the school writing for a person with consent granted: %v", err)
	}
}

// TestDoorKeepsCallersInTheirScope: another school's operator finds neither the person nor
// their records, for reads and writes alike.
func TestDoorKeepsCallersInTheirScope(t *testing.T) {
	t.Parallel()
	f := setup(t)
	r := f.records(t)
	other := access.Caller{Username: "other", Role: access.RoleSchoolOperator, SchoolID: f.other}
	var edited bool
	before := f.written(t)
	for _, o := range f.ops(t, r, &edited) {
		if !slices.Contains(access.Policy[o.Act].Roles, other.Role) || o.Act == access.StatsRead {
			continue
		}
		if err := o.Call(other); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("%s by another school: err = %v, want ErrNotFound", o.Name, err)
		}
	}
	if edited {
		t.Error("an edit was asked for outside the caller's scope")
	}
	if after := f.written(t); after != before {
		t.Errorf("calls outside the scope changed %d rows", after-before)
	}
	if _, err := f.svc.GetAward(f.ctx, f.caller, r.award.ID+1000); !errors.Is(err, access.ErrNotFound) {
		t.Errorf("an award that does not exist: %v, want ErrNotFound", err)
	}
}

// TestDoorWritesAsTheCaller: the school records an award (reported_by and the audit actor
// are the caller, whatever the input says), corrects it through an edit of the current
// award, and the office verifies it and re-opens it; a stale version asks for no edit.
// Reading records writes no audit row, as before the door.
func TestDoorWritesAsTheCaller(t *testing.T) {
	t.Parallel()
	f := setup(t)
	school := access.Caller{Username: "bs01-op", Role: access.RoleSchoolOperator, SchoolID: f.school, RequestID: "req-1"}
	draft := tracking.AwardDraft{Competition: sp("青少年机器人竞赛"), Level: sp("municipal"), AwardedOn: sp("2025-05-01"),
		ReportedBy: sp("someone else")}
	if _, err := f.svc.CreateAward(f.ctx, school, f.person, draft); len(check.All(err)) != 1 ||
		check.All(err)[0].Field != "reported_by" {
		t.Fatalf("an award reported by someone else: %v, want a field error on reported_by", err)
	}
	draft.ReportedBy = nil
	a, err := f.svc.CreateAward(f.ctx, school, f.person, draft)
	if err != nil {
		t.Fatal(err)
	}
	if a.ReportedBy == nil || *a.ReportedBy != "bs01-op" {
		t.Errorf("reported_by %v, want the caller", a.ReportedBy)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'award' AND action = 'create'
		AND actor = 'bs01-op' AND actor_role = 'school_operator' AND request_id = 'req-1'`); n != 1 {
		t.Errorf("%d create rows with the caller as actor, want 1", n)
	}

	called := false
	_, err = f.svc.UpdateAward(f.ctx, school, a.ID, a.Version+1, func(tracking.Award) (tracking.AwardDraft, error) {
		called = true
		return tracking.AwardDraft{}, nil
	})
	if !errors.Is(err, access.ErrStale) || called {
		t.Errorf("a stale version: err = %v, edit asked for %v; want ErrStale and no edit", err, called)
	}
	a, err = f.svc.UpdateAward(f.ctx, school, a.ID, a.Version, func(cur tracking.Award) (tracking.AwardDraft, error) {
		d := tracking.AwardDraftOf(cur)
		d.Rank = sp("一等奖")
		return d, nil
	})
	if err != nil || a.Rank == nil || *a.Rank != "一等奖" || a.Competition != "青少年机器人竞赛" {
		t.Fatalf("edit of the current award: %+v, %v", a, err)
	}
	// the edit's own refusal comes back as it is
	refusal := errors.New("the body does not parse")
	if _, err := f.svc.UpdateAward(f.ctx, school, a.ID, a.Version, func(tracking.Award) (tracking.AwardDraft, error) {
		return tracking.AwardDraft{}, refusal
	}); err != refusal {
		t.Errorf("edit refusal: %v", err)
	}

	if _, err := f.svc.VerifyAward(f.ctx, school, a.ID, nil, tracking.VerifyDraft{State: sp("verified")}); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("the school verifying: %v, want ErrForbidden", err)
	}
	office := access.CLI("ops")
	v, err := f.svc.VerifyAward(f.ctx, office, a.ID, &a.Version, tracking.VerifyDraft{State: sp("verified"), Note: sp("证书已查验")})
	if err != nil || v.Verification != "verified" || v.VerifiedBy == nil || *v.VerifiedBy != "cli:ops" {
		t.Fatalf("verified: %+v, %v", v, err)
	}
	// re-opening is the office's: the door knows the caller is the office
	if v, err = f.svc.VerifyAward(f.ctx, office, a.ID, nil, tracking.VerifyDraft{State: sp("reported")}); err != nil || v.Verification != "reported" {
		t.Fatalf("re-opened: %+v, %v", v, err)
	}

	reads := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'read'`)
	list, err := f.svc.ListAwards(f.ctx, school, f.person, false)
	if err != nil || len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("list: %v, %v", list, err)
	}
	if _, err := f.svc.GetAward(f.ctx, school, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'read'`); n != reads {
		t.Errorf("reading awards wrote %d audit rows, want none", n-reads)
	}
	on, err := f.svc.CareerOnDate(f.ctx, school, f.person, nil)
	if err != nil || on.Move != nil || !on.On.Equal(f.svc.Today()) {
		t.Errorf("career today without moves: %+v, %v", on, err)
	}
	if _, err := f.svc.CareerOnDate(f.ctx, school, f.person+1000, nil); !errors.Is(err, access.ErrNotFound) {
		t.Errorf("career of no such person: %v, want ErrNotFound", err)
	}
}
