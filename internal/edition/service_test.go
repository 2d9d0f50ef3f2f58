package edition_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/doortest"
	"talentdb/internal/edition"
	"talentdb/internal/store"
)

// callerAs is a caller of role with the scope column its role needs.
func callerAs(role string) access.Caller { return doortest.As(role, 1) }

func day(e store.Edition) string {
	return e.StartsOn.Format(time.DateOnly) + " … " + e.EndsOn.Format(time.DateOnly)
}

// audit is the audit trail of edition id: each row's action and actor.
func audit(t *testing.T, st *store.Store, id string) string {
	t.Helper()
	return fmt.Sprint(doortest.Strings(t, st, `SELECT action || ' by ' || actor FROM audit_log
		WHERE entity = 'edition' AND entity_id = $1 ORDER BY id`, id))
}

// TestRefusedToRolesThePolicyDoesNotName: every role without reference.write may not
// create, ensure, change or delete an edition; every role without reference.read may not
// read one. Nothing is written.
func TestRefusedToRolesThePolicyDoesNotName(t *testing.T) {
	t.Parallel()
	f := doortest.Setup(t, edition.New)
	e, err := f.Svc.Create(f.Ctx, f.Admin, "jingke-2023", edition.Input{})
	if err != nil {
		t.Fatal(err)
	}
	err1 := doortest.Err
	var patched bool
	ops := []doortest.Op{
		{Name: "Create", Act: access.ReferenceWrite, Call: func(c access.Caller) error {
			return err1(f.Svc.Create(f.Ctx, c, "jingke-2030", edition.Input{}))
		}},
		{Name: "Ensure", Act: access.ReferenceWrite, Call: func(c access.Caller) error {
			_, _, err := f.Svc.Ensure(f.Ctx, c, "jingke-2031", edition.Input{})
			return err
		}},
		{Name: "Update", Act: access.ReferenceWrite, Call: func(c access.Caller) error {
			return err1(f.Svc.Update(f.Ctx, c, e.ID, e.Version, func(store.Edition) (edition.Input, error) {
				patched = true
				return edition.Input{}, nil
			}))
		}},
		{Name: "Delete", Act: access.ReferenceWrite, Call: func(c access.Caller) error { return f.Svc.Delete(f.Ctx, c, e.ID, nil) }},
		{Name: "Get", Act: access.ReferenceRead, Call: func(c access.Caller) error { return err1(f.Svc.Get(f.Ctx, c, e.ID)) }},
		{Name: "List", Act: access.ReferenceRead, Call: func(c access.Caller) error {
			return err1(f.Svc.List(f.Ctx, c, store.EditionFilter{Limit: 10}))
		}},
	}
	doortest.Refused(t, ops, doortest.Callers(1), &patched)
	rows, err := f.Svc.List(f.Ctx, f.Admin, store.EditionFilter{Limit: 10})
	if err != nil || len(rows) != 1 || rows[0].Version != 1 {
		t.Fatalf("editions after the refusals: %+v (%v)", rows, err)
	}
}

// TestEditionLifecycle: defaults (a leap day), the readers, a patch over the current
// edition, a stale version refused before the patch runs, the audit rows, delete.
func TestEditionLifecycle(t *testing.T) {
	t.Parallel()
	f := doortest.Setup(t, edition.New)
	e, err := f.Svc.Create(f.Ctx, f.Admin, " jingke-2023 ", edition.Input{})
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "jingke-2023" || e.Program != "jingke" || e.Year != 2023 || day(e) != "2023-03-01 … 2024-02-29" ||
		e.Status != "planned" {
		t.Fatalf("created %+v", e)
	}
	for _, role := range access.Roles {
		if access.Allowed(role, access.ReferenceRead) {
			if got, err := f.Svc.Get(f.Ctx, callerAs(role), "jingke-2023"); err != nil || got.Year != 2023 {
				t.Errorf("%s reads %+v: %v", role, got, err)
			}
		}
	}
	if _, err := f.Svc.Create(f.Ctx, f.Admin, "jingke-2023", edition.Input{}); !errors.Is(err, access.ErrConflict) {
		t.Fatalf("created twice: %v", err)
	}

	if _, err := f.Svc.Update(f.Ctx, f.Admin, e.ID, 2, func(store.Edition) (edition.Input, error) {
		t.Error("the patch ran on a stale version")
		return edition.Input{}, nil
	}); !errors.Is(err, access.ErrStale) {
		t.Fatalf("stale: %v", err)
	}
	up, err := f.Svc.Update(f.Ctx, f.Admin, e.ID, 1, func(cur store.Edition) (edition.Input, error) {
		return edition.Input{StartsOn: cur.StartsOn.Format(time.DateOnly), EndsOn: "2024-03-31", Status: "open"}, nil
	})
	if err != nil || up.Status != "open" || day(up) != "2023-03-01 … 2024-03-31" || up.Version != 2 {
		t.Fatalf("updated %+v: %v", up, err)
	}
	// on update nothing is defaulted: a cleared field is required
	_, err = f.Svc.Update(f.Ctx, f.Admin, e.ID, 2, func(store.Edition) (edition.Input, error) {
		return edition.Input{StartsOn: "2023-03-01", EndsOn: "2023-01-01"}, nil
	})
	if got := fields(err); got != "[status:required ends_on:after]" {
		t.Fatalf("update refused with %s (%v)", got, err)
	}
	if err := f.Svc.Delete(f.Ctx, f.Admin, e.ID, &up.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.Get(f.Ctx, f.Admin, e.ID); !errors.Is(err, access.ErrNotFound) {
		t.Fatalf("deleted, then read: %v", err)
	}
	if got := audit(t, f.St, e.ID); got != "[create by office.admin update by office.admin delete by office.admin]" {
		t.Fatalf("audit %s", got)
	}
}

// TestEnsure: the command line's add runs twice without harm; other dates are refused;
// the creation is audited as the command's caller.
func TestEnsure(t *testing.T) {
	t.Parallel()
	f := doortest.Setup(t, edition.New)
	cli := access.CLI("operator")
	e, created, err := f.Svc.Ensure(f.Ctx, cli, "jindaoshi-2024", edition.Input{StartsOn: "2024-04-01", EndsOn: "2025-03-31"})
	if err != nil || !created || day(e) != "2024-04-01 … 2025-03-31" {
		t.Fatalf("first: %+v created %v: %v", e, created, err)
	}
	again, created, err := f.Svc.Ensure(f.Ctx, cli, "jindaoshi-2024", edition.Input{StartsOn: "2024-04-01", EndsOn: "2025-03-31"})
	if err != nil || created || again.Version != 1 {
		t.Fatalf("again: %+v created %v: %v", again, created, err)
	}
	if _, _, err := f.Svc.Ensure(f.Ctx, cli, "jindaoshi-2024", edition.Input{}); !errors.Is(err, store.ErrEditionDates) {
		t.Fatalf("other dates: %v", err)
	}
	if got := audit(t, f.St, "jindaoshi-2024"); got != "[create by cli:operator]" {
		t.Fatalf("audit %s", got)
	}
}

// TestEveryInvalidFieldAtOnce: the rules of a new edition, each field named, in one
// answer.
func TestEveryInvalidFieldAtOnce(t *testing.T) {
	t.Parallel()
	f := doortest.Setup(t, edition.New)
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
		_, err := f.Svc.Create(f.Ctx, f.Admin, c.id, c.in)
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
