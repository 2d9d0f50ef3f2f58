package participation_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/dbtest"
	"talentdb/internal/doortest"
	"talentdb/internal/participation"
	"talentdb/internal/store"
)

type fixture struct {
	st     *store.Store
	svc    *participation.Service
	ctx    context.Context
	office access.Caller
	school access.Caller // the operator of BS01
	other  access.Caller // the operator of BS02
	person int64         // a student of BS01
}

var sp = doortest.Ptr[string]

// setup makes a database with two schools of one city, the editions jingke-2023 (open,
// BS01's application approved) and jingke-2024 (open, no application), and one student
// of BS01.
func setup(t *testing.T) fixture {
	t.Helper()
	f := fixture{st: dbtest.New(t), ctx: context.Background()}
	f.svc = participation.New(f.st)
	q := func(sql string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := f.st.Pool.QueryRow(f.ctx, sql, args...).Scan(&id); err != nil {
			t.Fatalf("fixture: %v", err)
		}
		return id
	}
	bs01 := q(`INSERT INTO organizations (code, name, kind, type, region_code)
		VALUES ('BS01', '成都市第一小学', 'school', 'primary', '510104') RETURNING id`)
	bs02 := q(`INSERT INTO organizations (code, name, kind, type, region_code)
		VALUES ('BS02', '成都市第七中学', 'school', 'junior_high', '510104') RETURNING id`)
	if _, err := f.st.Pool.Exec(f.ctx, `INSERT INTO editions (id, program, year, starts_on, ends_on, status) VALUES
		('jingke-2023', 'jingke', 2023, '2023-03-01', '2024-02-28', 'open'),
		('jingke-2024', 'jingke', 2024, '2024-03-01', '2025-02-28', 'open')`); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	q(`INSERT INTO applications (edition_id, school_id, status, unit_name)
		VALUES ('jingke-2023', $1, 'approved', '成都市第一小学') RETURNING id`, bs01)
	f.person = q(`INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date, school_id)
		VALUES (decode(repeat('ab', 32), 'hex'), '\x00', '5101**************', '张晓明', 'male', '2008-05-06', $1)
		RETURNING id`, bs01)
	f.office = access.Caller{Username: "office", Role: access.RoleOfficeAdmin}
	f.school = access.Caller{Username: "bs01", Role: access.RoleSchoolOperator, SchoolID: bs01}
	f.other = access.Caller{Username: "bs02", Role: access.RoleSchoolOperator, SchoolID: bs02}
	return f
}

// nomination is a school's new participation of the fixture's student.
func (f fixture) nomination(editionID, school string) participation.Input {
	return participation.Input{PersonID: &f.person, Edition: &editionID, SchoolCode: &school,
		Category: sp("robotics"), Grade: sp("5")}
}

// count returns a number from the database, as the office sees it.
func (f fixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return doortest.Count(t, f.st, sql, args...)
}

// TestRolesThePolicyDoesNotName: every role the policy table does not name for an action
// is refused it with access.ErrForbidden, and nothing is written.
func TestRolesThePolicyDoesNotName(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p, err := f.svc.Create(f.ctx, f.office, f.nomination("jingke-2023", "BS01"))
	if err != nil {
		t.Fatal(err)
	}
	callers := map[string]access.Caller{
		access.RoleOfficeAdmin:     f.office,
		access.RoleOfficeAnalyst:   {Username: "analyst", Role: access.RoleOfficeAnalyst},
		access.RoleCityCoordinator: {Username: "city", Role: access.RoleCityCoordinator, CityCode: "510100"},
		access.RoleSchoolOperator:  f.school,
		access.RoleMentor:          {Username: "mentor", Role: access.RoleMentor, MentorID: 1},
		access.RoleAuditor:         {Username: "auditor", Role: access.RoleAuditor},
	}
	calls := []struct {
		action access.Action
		name   string
		call   func(c access.Caller) error
	}{
		{access.ParticipationWrite, "create", func(c access.Caller) error {
			_, err := f.svc.Create(f.ctx, c, f.nomination("jingke-2024", "BS01"))
			return err
		}},
		{access.ParticipationWrite, "update", func(c access.Caller) error {
			_, err := f.svc.Update(f.ctx, c, p.ID, p.Version, func(in *participation.Input) error {
				in.Category = sp("math")
				return nil
			})
			return err
		}},
		{access.ParticipationWrite, "delete", func(c access.Caller) error { return f.svc.Delete(f.ctx, c, p.ID, nil) }},
		{access.ParticipationRead, "get", func(c access.Caller) error { _, err := f.svc.Get(f.ctx, c, p.ID); return err }},
		{access.ParticipationRead, "list", func(c access.Caller) error {
			_, err := f.svc.List(f.ctx, c, store.ParticipationFilter{Limit: 10})
			return err
		}},
	}
	refused := 0
	for _, role := range access.Roles {
		for _, k := range calls {
			if access.Allowed(role, k.action) {
				continue
			}
			refused++
			if err := k.call(callers[role]); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s may not %s, yet %s: err = %v, want access.ErrForbidden", role, k.action, k.name, err)
			}
		}
	}
	if refused == 0 {
		t.Fatal("the policy names every role for every action: nothing refused was tested")
	}
	if n := f.count(t, `SELECT count(*) FROM participations`); n != 1 {
		t.Errorf("%d participations after the refused writes, want 1", n)
	}
	if got, err := f.svc.Get(f.ctx, f.office, p.ID); err != nil || got.Version != p.Version || got.CategoryCode != "robotics" {
		t.Errorf("after the refused writes: %+v, %v", got, err)
	}
}

// TestSchoolNominatesItsOwnStudents: a school operator naming another school's code, on
// create or by moving a participation, is refused with the reason, and nothing is written.
func TestSchoolNominatesItsOwnStudents(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, err := f.svc.Create(f.ctx, f.school, f.nomination("jingke-2023", "BS02"))
	var fe *participation.ForbiddenError
	if !errors.Is(err, access.ErrForbidden) || !errors.As(err, &fe) || fe.Message == "" {
		t.Fatalf("BS01 naming BS02: err = %v, want a *ForbiddenError", err)
	}
	// BS02's operator cannot take over BS01's student by naming BS01 either
	if _, err := f.svc.Create(f.ctx, f.other, f.nomination("jingke-2023", "BS01")); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("BS02 naming BS01: err = %v, want access.ErrForbidden", err)
	}
	if n := f.count(t, `SELECT count(*) FROM participations`); n != 0 {
		t.Fatalf("%d participations after the refused nominations", n)
	}
	p, err := f.svc.Create(f.ctx, f.school, f.nomination("jingke-2023", "BS01"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Update(f.ctx, f.school, p.ID, p.Version, func(in *participation.Input) error {
		in.SchoolCode = sp("BS02")
		return nil
	})
	if !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("BS01 moving its nominee to BS02: err = %v, want access.ErrForbidden", err)
	}
	if got, err := f.svc.Get(f.ctx, f.office, p.ID); err != nil || got.SchoolCode != "BS01" || got.Version != p.Version {
		t.Fatalf("after the refused move: %+v, %v", got, err)
	}
}

// TestParticipationDoor: the happy path through the door, and the rules it keeps: a
// school's participation is a nomination under the cycle's rules, invalid fields are
// named together, status changes only by the cycle's steps, another school sees nothing.
func TestParticipationDoor(t *testing.T) {
	t.Parallel()
	f := setup(t)

	// every invalid field at once, in the order checked
	bad := f.nomination("jingke-2023", "BS01")
	bad.Category, bad.Status, bad.Grade = nil, sp("graduated"), sp("X")
	_, err := f.svc.Create(f.ctx, f.school, bad)
	var inv *participation.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("invalid nomination: err = %v, want an *InvalidError", err)
	}
	var fields []string
	for _, fe := range inv.Fields {
		fields = append(fields, fe.Field+"/"+fe.Rule)
	}
	if want := "[category/required status/enum grade/enum]"; fmt.Sprint(fields) != want {
		t.Errorf("invalid fields %v, want %s", fields, want)
	}

	// without an approved application the cycle refuses the nomination
	_, err = f.svc.Create(f.ctx, f.school, f.nomination("jingke-2024", "BS01"))
	var re *access.RuleError
	if !errors.As(err, &re) || re.Rule != "application_not_approved" {
		t.Fatalf("nomination without an approved application: err = %v", err)
	}
	// a school's participation starts registered, without mentor or institution
	admitted := f.nomination("jingke-2023", "BS01")
	admitted.Status = sp("admitted")
	if _, err := f.svc.Create(f.ctx, f.school, admitted); !errors.As(err, &re) || re.Rule != "use_transition" {
		t.Fatalf("a school recording an admitted participation: err = %v", err)
	}

	p, err := f.svc.Create(f.ctx, f.school, f.nomination("jingke-2023", "BS01"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != "registered" || p.SchoolCode != "BS01" || p.RegisteredAt == nil || p.MentorID != nil {
		t.Fatalf("nominated %+v", p)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'participation' AND action = 'create'
		AND actor = 'bs01' AND actor_role = 'school_operator' AND entity_id = $1`, fmt.Sprint(p.ID)); n != 1 {
		t.Errorf("%d create audit rows by bs01, want 1", n)
	}

	// the school reads it; the other school does not see it at all
	if got, err := f.svc.Get(f.ctx, f.school, p.ID); err != nil || got.ID != p.ID {
		t.Fatalf("BS01 reading its nominee: %+v, %v", got, err)
	}
	if _, err := f.svc.Get(f.ctx, f.other, p.ID); !errors.Is(err, access.ErrNotFound) {
		t.Fatalf("BS02 reading BS01's nominee: err = %v, want access.ErrNotFound", err)
	}
	listed := func(c access.Caller) int {
		t.Helper()
		rows, err := f.svc.List(f.ctx, c, store.ParticipationFilter{PersonID: &f.person, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	if n, m := listed(f.school), listed(f.other); n != 1 || m != 0 {
		t.Fatalf("listed by BS01 %d, by BS02 %d; want 1 and 0", n, m)
	}

	// status and evaluation change by the cycle's steps; a correction goes through
	_, err = f.svc.Update(f.ctx, f.school, p.ID, p.Version, func(in *participation.Input) error {
		in.Status = sp("admitted")
		return nil
	})
	if !errors.As(err, &re) || re.Field != "status" || re.Rule != "use_transition" {
		t.Fatalf("status by correction: err = %v", err)
	}
	u, err := f.svc.Update(f.ctx, f.school, p.ID, p.Version, func(in *participation.Input) error {
		in.Category = sp("math")
		return nil
	})
	if err != nil || u.CategoryCode != "math" || u.Version != p.Version+1 || u.Status != "registered" {
		t.Fatalf("corrected: %+v, %v", u, err)
	}
	if _, err := f.svc.Update(f.ctx, f.school, p.ID, p.Version, func(*participation.Input) error {
		t.Error("a stale correction reached its patch")
		return nil
	}); !errors.Is(err, access.ErrStale) {
		t.Fatalf("stale correction: err = %v, want access.ErrStale", err)
	}

	if err := f.svc.Delete(f.ctx, f.school, p.ID, &u.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(f.ctx, f.office, p.ID); !errors.Is(err, access.ErrNotFound) {
		t.Fatalf("after delete: err = %v, want access.ErrNotFound", err)
	}
}
