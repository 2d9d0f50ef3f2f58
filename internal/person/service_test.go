package person_test

import (
	"errors"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/audit"
	"talentdb/internal/doortest"
	"talentdb/internal/identity"
	"talentdb/internal/person"
	"talentdb/internal/store"
)

// fixture is a database with the person door over it, whose today is 2026-03-02.
type fixture struct {
	doortest.Fixture[*person.Service]
}

func setup(t *testing.T) fixture {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
	return fixture{doortest.Setup(t, func(st *store.Store) *person.Service { return person.New(st, identity.TestKeys(), now) })}
}

// idNumber is a valid identity number of someone born on birth (YYYYMMDD).
func idNumber(t *testing.T, birth, seq string) string {
	t.Helper()
	first := "110105" + birth + seq
	c, err := identity.CheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

func set(v string) person.Field { return person.Field{Set: true, Value: &v} }

func (f fixture) create(t *testing.T, birth, seq string) person.Person {
	t.Helper()
	p, err := f.Svc.Create(f.Ctx, f.Admin, person.Input{IDNumber: set(idNumber(t, birth, seq)), Name: set("王小明")})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f fixture) audited(t *testing.T, entity string) int {
	t.Helper()
	var n int
	if err := f.St.Pool.QueryRow(f.Ctx, `SELECT count(*) FROM audit_log WHERE action = 'read' AND entity = $1`,
		entity).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRefusedToRolesThePolicyDoesNotName: every method refuses a role its action's
// policy row does not name, before anything is read or written.
func TestRefusedToRolesThePolicyDoesNotName(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p := f.create(t, "20100101", "001")
	one := int64(1)
	calls := map[access.Action]func(c access.Caller) error{
		access.PersonWrite: func(c access.Caller) error {
			_, err := f.Svc.Create(f.Ctx, c, person.Input{Name: set("x")})
			if !errors.Is(err, access.ErrForbidden) {
				return err
			}
			_, err = f.Svc.Update(f.Ctx, c, p.ID, p.Version, func(person.Person) (person.Input, error) {
				t.Error("the edit ran for a refused caller")
				return person.Input{}, nil
			})
			if !errors.Is(err, access.ErrForbidden) {
				return err
			}
			return f.Svc.Delete(f.Ctx, c, p.ID, nil)
		},
		access.PersonReveal: func(c access.Caller) error {
			_, err := f.Svc.Reveal(f.Ctx, c, p.ID, []string{"id_number"}, "核对身份信息")
			return err
		},
		access.ConsentRead: func(c access.Caller) error { _, err := f.Svc.Consents(f.Ctx, c, p.ID); return err },
		access.ConsentWrite: func(c access.Caller) error {
			_, err := f.Svc.CreateConsent(f.Ctx, c, p.ID, person.ConsentInput{})
			if !errors.Is(err, access.ErrForbidden) {
				return err
			}
			_, err = f.Svc.WithdrawConsent(f.Ctx, c, p.ID, 1, nil)
			return err
		},
		access.IdentityRead: func(c access.Caller) error {
			if _, err := f.Svc.Candidates(f.Ctx, c, 0, 10); !errors.Is(err, access.ErrForbidden) {
				return err
			}
			_, err := f.Svc.Merges(f.Ctx, c, p.ID)
			return err
		},
		access.IdentityResolve: func(c access.Caller) error {
			if _, err := f.Svc.DismissCandidate(f.Ctx, c, 1); !errors.Is(err, access.ErrForbidden) {
				return err
			}
			if _, err := f.Svc.Merge(f.Ctx, c, p.ID, &one); !errors.Is(err, access.ErrForbidden) {
				return err
			}
			_, err := f.Svc.Unmerge(f.Ctx, c, p.ID, 1)
			return err
		},
		access.AuditRead: func(c access.Caller) error {
			_, err := audit.New(f.St).List(f.Ctx, c, audit.Filter{Limit: 10})
			return err
		},
	}
	for act, call := range calls {
		for _, role := range access.Roles {
			if access.Allowed(role, act) {
				continue
			}
			c := access.Caller{UserID: 9, Username: role + ".user", Role: role, Via: access.ViaToken, SchoolID: 1,
				CityCode: "510100", MentorID: 1}
			if err := call(c); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s: %s: %v, want ErrForbidden", act, role, err)
			}
		}
	}
}

// TestConsentsAndAuditLogReadsAreAudited: listing a person's consents and reading the
// audit log each leave their read row, in the same unit of work as the read.
func TestConsentsAndAuditLogReadsAreAudited(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p := f.create(t, "20150302", "002") // under 14: pending until a guardian consents
	if p.ConsentState != "pending" {
		t.Fatalf("a child starts %s", p.ConsentState)
	}
	con, err := f.Svc.CreateConsent(f.Ctx, f.Admin, p.ID, person.ConsentInput{GuardianName: ptr("王大明"),
		Relationship: ptr("father"), Method: ptr("paper"), Scope: ptr("参加项目"), GrantedOn: ptr("2026-03-03")})
	if fe := (*access.FieldError)(nil); !errors.As(err, &fe) || fe.Field != "granted_on" || fe.Rule != "future" {
		t.Fatalf("a consent granted tomorrow: %v (%+v)", err, con)
	}
	if _, err := f.Svc.CreateConsent(f.Ctx, f.Admin, p.ID, person.ConsentInput{GuardianName: ptr("王大明"),
		Relationship: ptr("father"), Method: ptr("paper"), Scope: ptr("参加项目"), GrantedOn: ptr("2026-03-02")}); err != nil {
		t.Fatal(err)
	}
	cs, err := f.Svc.Consents(f.Ctx, f.Admin, p.ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("consents: %v %+v", err, cs)
	}
	if n := f.audited(t, "consent"); n != 1 {
		t.Errorf("%d read rows of consents, want 1", n)
	}
	if _, err := audit.New(f.St).List(f.Ctx, f.Admin, audit.Filter{Limit: 11}); err != nil {
		t.Fatal(err)
	}
	if n := f.audited(t, "audit_log"); n != 1 {
		t.Errorf("%d read rows of the audit log, want 1", n)
	}
}

func ptr(s string) *string { return &s }
