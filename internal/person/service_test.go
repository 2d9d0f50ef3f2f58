package person_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/audit"
	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/person"
	"talentdb/internal/store"
)

type fixture struct {
	st    *store.Store
	svc   *person.Service
	ctx   context.Context
	admin access.Caller
}

func setup(t *testing.T) fixture {
	t.Helper()
	st := dbtest.New(t)
	now := func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
	return fixture{st: st, svc: person.New(st, identity.TestKeys(), now), ctx: context.Background(),
		admin: access.Caller{UserID: 1, Username: "office.admin", Role: access.RoleOfficeAdmin, Via: access.ViaSession,
			RequestID: "req-1"}}
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
	p, err := f.svc.Create(f.ctx, f.admin, person.Input{IDNumber: set(idNumber(t, birth, seq)), Name: set("王小明")})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f fixture) audited(t *testing.T, entity string) int {
	t.Helper()
	var n int
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT count(*) FROM audit_log WHERE action = 'read' AND entity = $1`,
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
			_, err := f.svc.Create(f.ctx, c, person.Input{Name: set("x")})
			if !errors.Is(err, access.ErrForbidden) {
				return err
			}
			_, err = f.svc.Update(f.ctx, c, p.ID, p.Version, func(person.Person) (person.Input, error) {
				t.Error("the edit ran for a refused caller")
				return person.Input{}, nil
			})
			if !errors.Is(err, access.ErrForbidden) {
				return err
			}
			return f.svc.Delete(f.ctx, c, p.ID, nil)
		},
		access.PersonReveal: func(c access.Caller) error {
			_, err := f.svc.Reveal(f.ctx, c, p.ID, []string{"id_number"}, "核对身份信息")
			return err
		},
		access.ConsentRead: func(c access.Caller) error { _, err := f.svc.Consents(f.ctx, c, p.ID); return err },
		access.ConsentWrite: func(c access.Caller) error {
			_, err := f.svc.CreateConsent(f.ctx, c, p.ID, person.ConsentInput{})
			if !errors.Is(err, access.ErrForbidden) {
				return err
			}
			_, err = f.svc.WithdrawConsent(f.ctx, c, p.ID, 1, nil)
			return err
		},
		access.IdentityRead: func(c access.Caller) error {
			if _, err := f.svc.Candidates(f.ctx, c, 0, 10); !errors.Is(err, access.ErrForbidden) {
				return err
			}
			_, err := f.svc.Merges(f.ctx, c, p.ID)
			return err
		},
		access.IdentityResolve: func(c access.Caller) error {
			if _, err := f.svc.DismissCandidate(f.ctx, c, 1); !errors.Is(err, access.ErrForbidden) {
				return err
			}
			if _, err := f.svc.Merge(f.ctx, c, p.ID, &one); !errors.Is(err, access.ErrForbidden) {
				return err
			}
			_, err := f.svc.Unmerge(f.ctx, c, p.ID, 1)
			return err
		},
		access.AuditRead: func(c access.Caller) error {
			_, err := audit.New(f.st).List(f.ctx, c, audit.Filter{Limit: 10})
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
	con, err := f.svc.CreateConsent(f.ctx, f.admin, p.ID, person.ConsentInput{GuardianName: ptr("王大明"),
		Relationship: ptr("father"), Method: ptr("paper"), Scope: ptr("参加项目"), GrantedOn: ptr("2026-03-03")})
	if fe := (*access.FieldError)(nil); !errors.As(err, &fe) || fe.Field != "granted_on" || fe.Rule != "future" {
		t.Fatalf("a consent granted tomorrow: %v (%+v)", err, con)
	}
	if _, err := f.svc.CreateConsent(f.ctx, f.admin, p.ID, person.ConsentInput{GuardianName: ptr("王大明"),
		Relationship: ptr("father"), Method: ptr("paper"), Scope: ptr("参加项目"), GrantedOn: ptr("2026-03-02")}); err != nil {
		t.Fatal(err)
	}
	cs, err := f.svc.Consents(f.ctx, f.admin, p.ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("consents: %v %+v", err, cs)
	}
	if n := f.audited(t, "consent"); n != 1 {
		t.Errorf("%d read rows of consents, want 1", n)
	}
	if _, err := audit.New(f.st).List(f.ctx, f.admin, audit.Filter{Limit: 11}); err != nil {
		t.Fatal(err)
	}
	if n := f.audited(t, "audit_log"); n != 1 {
		t.Errorf("%d read rows of the audit log, want 1", n)
	}
}

func ptr(s string) *string { return &s }
