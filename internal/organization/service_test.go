package organization_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/dbtest"
	"talentdb/internal/organization"
	"talentdb/internal/store"
)

type fixture struct {
	st    *store.Store
	svc   *organization.Service
	ctx   context.Context
	admin access.Caller
}

func setup(t *testing.T) fixture {
	t.Helper()
	st := dbtest.New(t)
	return fixture{st: st, svc: organization.New(st), ctx: context.Background(),
		admin: access.Caller{UserID: 1, Username: "office.admin", Role: access.RoleOfficeAdmin, Via: access.ViaSession,
			RequestID: "req-1"}}
}

// callerAs is a caller of role with the scope column its role needs.
func callerAs(role string, school int64) access.Caller {
	c := access.Caller{UserID: 9, Username: role + ".user", Role: role, Via: access.ViaToken}
	switch role {
	case access.RoleSchoolOperator:
		c.SchoolID = school
	case access.RoleCityCoordinator:
		c.CityCode = "510100"
	case access.RoleMentor:
		c.MentorID = 1
	}
	return c
}

func sp(s string) *string { return &s }

func school(code string) store.OrganizationInput {
	return store.OrganizationInput{Code: code, Name: "成都市泡桐树小学", Kind: "school", Type: sp("primary"),
		RegionCode: "510104"}
}

func (f fixture) auditRows(t *testing.T, id int64) []string {
	t.Helper()
	rows, err := f.st.Pool.Query(f.ctx, `SELECT action || ' by ' || actor || ' (' || coalesce(actor_role, '') || ')'
		FROM audit_log WHERE entity = 'organization' AND entity_id = $1 ORDER BY id`, fmt.Sprint(id))
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
	return out
}

// TestRefusedToRolesThePolicyDoesNotName: every role without reference.write may not
// create, change or delete an organization, and nothing is written; every role without
// reference.read may not read one.
func TestRefusedToRolesThePolicyDoesNotName(t *testing.T) {
	t.Parallel()
	f := setup(t)
	o, err := f.svc.Create(f.ctx, f.admin, school("BS01"))
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range access.Roles {
		c := callerAs(role, o.ID)
		if !access.Allowed(role, access.ReferenceWrite) {
			if _, err := f.svc.Create(f.ctx, c, school("X-"+role)); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s creates an organization: %v, want ErrForbidden", role, err)
			}
			patched := false
			_, err := f.svc.Update(f.ctx, c, o.ID, o.Version, func(cur store.Organization) (store.OrganizationInput, error) {
				patched = true
				return school("BS01"), nil
			})
			if !errors.Is(err, access.ErrForbidden) || patched {
				t.Errorf("%s updates an organization: %v (patch ran: %v), want ErrForbidden", role, err, patched)
			}
			if err := f.svc.Delete(f.ctx, c, o.ID, nil); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s deletes an organization: %v, want ErrForbidden", role, err)
			}
		}
		if !access.Allowed(role, access.ReferenceRead) {
			if _, err := f.svc.Get(f.ctx, c, o.ID); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s reads an organization: %v, want ErrForbidden", role, err)
			}
			if _, err := f.svc.List(f.ctx, c, store.OrganizationFilter{Limit: 10}); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s lists organizations: %v, want ErrForbidden", role, err)
			}
		}
	}
	var n int
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT count(*) FROM organizations`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d organizations (%v), want only the office's", n, err)
	}
	if got := fmt.Sprint(f.auditRows(t, o.ID)); got != "[create by office.admin (office_admin)]" {
		t.Fatalf("audit %s", got)
	}
}

// TestOrganizationLifecycle: the office creates (trimmed, audited as the caller), every
// reader reads, a patch sees the current row, a stale version is refused before the patch
// runs, and a free organization is deleted.
func TestOrganizationLifecycle(t *testing.T) {
	t.Parallel()
	f := setup(t)
	in := school("  BS01 ")
	in.Address, in.PostalCode = sp("  "), sp("610031")
	in.Head = store.Contact{Name: sp(" 王校长 "), Mobile: sp("")}
	o, err := f.svc.Create(f.ctx, f.admin, in)
	if err != nil {
		t.Fatal(err)
	}
	if o.Code != "BS01" || o.CityCode != "510100" || o.Address != nil || *o.Head.Name != "王校长" || o.Head.Mobile != nil ||
		o.Version != 1 {
		t.Fatalf("created %+v", o)
	}
	for _, role := range access.Roles {
		if !access.Allowed(role, access.ReferenceRead) {
			continue
		}
		got, err := f.svc.Get(f.ctx, callerAs(role, o.ID), o.ID)
		if err != nil || got.Name != "成都市泡桐树小学" {
			t.Errorf("%s reads %+v: %v", role, got, err)
		}
	}
	rows, err := f.svc.List(f.ctx, callerAs(access.RoleMentor, 0), store.OrganizationFilter{Code: sp("BS01"), Limit: 2})
	if err != nil || len(rows) != 1 {
		t.Fatalf("list: %d rows, %v", len(rows), err)
	}

	if _, err := f.svc.Update(f.ctx, f.admin, o.ID, 7, func(store.Organization) (store.OrganizationInput, error) {
		t.Error("the patch ran on a stale version")
		return store.OrganizationInput{}, nil
	}); !errors.Is(err, access.ErrStale) {
		t.Fatalf("stale update: %v", err)
	}
	up, err := f.svc.Update(f.ctx, f.admin, o.ID, 1, func(cur store.Organization) (store.OrganizationInput, error) {
		return store.OrganizationInput{Code: cur.Code, Name: "泡桐树小学", Kind: cur.Kind, Type: cur.Type,
			RegionCode: cur.RegionCode, Head: cur.Head}, nil
	})
	if err != nil || up.Name != "泡桐树小学" || up.Version != 2 || up.PostalCode != nil || *up.Head.Name != "王校长" {
		t.Fatalf("updated %+v: %v", up, err)
	}
	decodeErr := errors.New("the body is not JSON")
	if _, err := f.svc.Update(f.ctx, f.admin, o.ID, 2, func(store.Organization) (store.OrganizationInput, error) {
		return store.OrganizationInput{}, decodeErr
	}); !errors.Is(err, decodeErr) {
		t.Fatalf("the patch's own error: %v", err)
	}
	if _, err := f.svc.Update(f.ctx, f.admin, 999999, 1, nil); !errors.Is(err, access.ErrNotFound) {
		t.Fatalf("update of nothing: %v", err)
	}
	if err := f.svc.Delete(f.ctx, f.admin, o.ID, &o.Version); !errors.Is(err, access.ErrStale) {
		t.Fatalf("delete at version 1: %v", err)
	}
	if err := f.svc.Delete(f.ctx, f.admin, o.ID, &up.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(f.ctx, f.admin, o.ID); !errors.Is(err, access.ErrNotFound) {
		t.Fatalf("deleted, then read: %v", err)
	}
	want := "[create by office.admin (office_admin) update by office.admin (office_admin) delete by office.admin (office_admin)]"
	if got := fmt.Sprint(f.auditRows(t, o.ID)); got != want {
		t.Fatalf("audit %s, want %s", got, want)
	}
}

// TestEveryInvalidFieldAtOnce: the rules of an organization, each field named, all in
// one answer; nothing reaches the database.
func TestEveryInvalidFieldAtOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	long := strings.Repeat("邮", 101)
	cases := []struct {
		name string
		in   store.OrganizationInput
		want string
	}{
		{"blank", store.OrganizationInput{Name: " ", Kind: "school", RegionCode: "51"},
			"[code:required name:required region_code:format]"},
		{"words", store.OrganizationInput{Code: "B S", Name: "某校", Kind: "castle", Type: sp("palace"),
			RegionCode: "510104", PostalCode: sp("61003")},
			"[code:format kind:enum type:enum postal_code:format]"},
		{"lengths", store.OrganizationInput{Code: "BS09", Name: strings.Repeat("校", 201), Kind: "school",
			RegionCode: "510104", Lead: store.Contact{Email: &long}},
			"[name:max_length lead.email:max_length]"},
	}
	for _, c := range cases {
		_, err := f.svc.Create(f.ctx, f.admin, c.in)
		var got []string
		for _, fe := range check.All(err) {
			got = append(got, fe.Field+":"+fe.Rule)
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("%s: %v (%v), want %s", c.name, got, err, c.want)
		}
	}
	var n int
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT count(*) FROM organizations`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d organizations written (%v)", n, err)
	}
}
