package edition_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/dbtest"
	"talentdb/internal/edition"
	"talentdb/internal/store"
)

type fixture struct {
	st    *store.Store
	svc   *edition.Service
	ctx   context.Context
	admin access.Caller
}

func setup(t *testing.T) fixture {
	t.Helper()
	st := dbtest.New(t)
	return fixture{st: st, svc: edition.New(st), ctx: context.Background(),
		admin: access.Caller{UserID: 1, Username: "office.admin", Role: access.RoleOfficeAdmin, Via: access.ViaSession}}
}

// callerAs is a caller of role with the scope column its role needs.
func callerAs(role string) access.Caller {
	c := access.Caller{UserID: 9, Username: role + ".user", Role: role, Via: access.ViaToken}
	switch role {
	case access.RoleSchoolOperator:
		c.SchoolID = 1
	case access.RoleCityCoordinator:
		c.CityCode = "510100"
	case access.RoleMentor:
		c.MentorID = 1
	}
	return c
}

func day(e store.Edition) string {
	return e.StartsOn.Format(time.DateOnly) + " … " + e.EndsOn.Format(time.DateOnly)
}

func (f fixture) audit(t *testing.T, id string) string {
	t.Helper()
	rows, err := f.st.Pool.Query(f.ctx, `SELECT action || ' by ' || actor FROM audit_log
		WHERE entity = 'edition' AND entity_id = $1 ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(out)
}

// TestRefusedToRolesThePolicyDoesNotName: every role without reference.write may not
// create, ensure, change or delete an edition; every role without reference.read may not
// read one. Nothing is written.
func TestRefusedToRolesThePolicyDoesNotName(t *testing.T) {
	t.Parallel()
	f := setup(t)
	e, err := f.svc.Create(f.ctx, f.admin, "jingke-2023", edition.Input{})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range access.Roles {
		c := callerAs(role)
		if !access.Allowed(role, access.ReferenceWrite) {
			if _, err := f.svc.Create(f.ctx, c, "jingke-2030", edition.Input{}); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s creates an edition: %v, want ErrForbidden", role, err)
			}
			if _, _, err := f.svc.Ensure(f.ctx, c, "jingke-2031", edition.Input{}); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s ensures an edition: %v, want ErrForbidden", role, err)
			}
			if _, err := f.svc.Update(f.ctx, c, e.ID, e.Version, func(store.Edition) (edition.Input, error) {
				t.Errorf("%s: the patch ran", role)
				return edition.Input{}, nil
			}); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s updates an edition: %v, want ErrForbidden", role, err)
			}
			if err := f.svc.Delete(f.ctx, c, e.ID, nil); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s deletes an edition: %v, want ErrForbidden", role, err)
			}
		}
		if !access.Allowed(role, access.ReferenceRead) {
			if _, err := f.svc.Get(f.ctx, c, e.ID); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s reads an edition: %v, want ErrForbidden", role, err)
			}
			if _, err := f.svc.List(f.ctx, c, store.EditionFilter{Limit: 10}); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s lists editions: %v, want ErrForbidden", role, err)
			}
		}
	}
	rows, err := f.svc.List(f.ctx, f.admin, store.EditionFilter{Limit: 10})
	if err != nil || len(rows) != 1 || rows[0].Version != 1 {
		t.Fatalf("editions after the refusals: %+v (%v)", rows, err)
	}
}

// TestEditionLifecycle: defaults (a leap day), the readers, a patch over the current
// edition, a stale version refused before the patch runs, the audit rows, delete.
func TestEditionLifecycle(t *testing.T) {
	t.Parallel()
	f := setup(t)
	e, err := f.svc.Create(f.ctx, f.admin, " jingke-2023 ", edition.Input{})
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "jingke-2023" || e.Program != "jingke" || e.Year != 2023 || day(e) != "2023-03-01 … 2024-02-29" ||
		e.Status != "planned" {
		t.Fatalf("created %+v", e)
	}
	for _, role := range access.Roles {
		if access.Allowed(role, access.ReferenceRead) {
			if got, err := f.svc.Get(f.ctx, callerAs(role), "jingke-2023"); err != nil || got.Year != 2023 {
				t.Errorf("%s reads %+v: %v", role, got, err)
			}
		}
	}
	if _, err := f.svc.Create(f.ctx, f.admin, "jingke-2023", edition.Input{}); !errors.Is(err, access.ErrConflict) {
		t.Fatalf("created twice: %v", err)
	}

	if _, err := f.svc.Update(f.ctx, f.admin, e.ID, 2, func(store.Edition) (edition.Input, error) {
		t.Error("the patch ran on a stale version")
		return edition.Input{}, nil
	}); !errors.Is(err, access.ErrStale) {
		t.Fatalf("stale: %v", err)
	}
	up, err := f.svc.Update(f.ctx, f.admin, e.ID, 1, func(cur store.Edition) (edition.Input, error) {
		return edition.Input{StartsOn: cur.StartsOn.Format(time.DateOnly), EndsOn: "2024-03-31", Status: "open"}, nil
	})
	if err != nil || up.Status != "open" || day(up) != "2023-03-01 … 2024-03-31" || up.Version != 2 {
		t.Fatalf("updated %+v: %v", up, err)
	}
	// on update nothing is defaulted: a cleared field is required
	_, err = f.svc.Update(f.ctx, f.admin, e.ID, 2, func(store.Edition) (edition.Input, error) {
		return edition.Input{StartsOn: "2023-03-01", EndsOn: "2023-01-01"}, nil
	})
	if got := fields(err); got != "[status:required ends_on:after]" {
		t.Fatalf("update refused with %s (%v)", got, err)
	}
	if err := f.svc.Delete(f.ctx, f.admin, e.ID, &up.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(f.ctx, f.admin, e.ID); !errors.Is(err, access.ErrNotFound) {
		t.Fatalf("deleted, then read: %v", err)
	}
	if got := f.audit(t, e.ID); got != "[create by office.admin update by office.admin delete by office.admin]" {
		t.Fatalf("audit %s", got)
	}
}

// TestEnsure: the command line's add runs twice without harm; other dates are refused;
// the creation is audited as the command's caller.
func TestEnsure(t *testing.T) {
	t.Parallel()
	f := setup(t)
	cli := access.CLI("operator")
	e, created, err := f.svc.Ensure(f.ctx, cli, "jindaoshi-2024", edition.Input{StartsOn: "2024-04-01", EndsOn: "2025-03-31"})
	if err != nil || !created || day(e) != "2024-04-01 … 2025-03-31" {
		t.Fatalf("first: %+v created %v: %v", e, created, err)
	}
	again, created, err := f.svc.Ensure(f.ctx, cli, "jindaoshi-2024", edition.Input{StartsOn: "2024-04-01", EndsOn: "2025-03-31"})
	if err != nil || created || again.Version != 1 {
		t.Fatalf("again: %+v created %v: %v", again, created, err)
	}
	if _, _, err := f.svc.Ensure(f.ctx, cli, "jindaoshi-2024", edition.Input{}); !errors.Is(err, store.ErrEditionDates) {
		t.Fatalf("other dates: %v", err)
	}
	if got := f.audit(t, "jindaoshi-2024"); got != "[create by cli:operator]" {
		t.Fatalf("audit %s", got)
	}
}

// TestEveryInvalidFieldAtOnce: the rules of a new edition, each field named, in one
// answer.
func TestEveryInvalidFieldAtOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	cases := []struct {
		id   string
		in   edition.Input
		want string
	}{
		{"", edition.Input{}, "[id:required]"},
		{"physics-2023", edition.Input{Status: "done"}, "[id:format status:enum]"},
		{"jingke-2025", edition.Input{StartsOn: "2025-05-01", EndsOn: "2025-04-01"}, "[ends_on:after]"},
		{"jingke-2025", edition.Input{StartsOn: "2025-13-01", EndsOn: "2025-02-30"}, "[starts_on:date ends_on:date]"},
		{"jingke-2025", edition.Input{EndsOn: "2025-02-28"}, "[ends_on:after]"},
	}
	for _, c := range cases {
		_, err := f.svc.Create(f.ctx, f.admin, c.id, c.in)
		if got := fields(err); got != c.want {
			t.Errorf("%q %+v: %s (%v), want %s", c.id, c.in, got, err, c.want)
		}
	}
}

func fields(err error) string {
	var out []string
	for _, fe := range check.All(err) {
		out = append(out, fe.Field+":"+fe.Rule)
	}
	return fmt.Sprint(out)
}
