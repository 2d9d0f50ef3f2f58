package organization_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/doortest"
	"talentdb/internal/organization"
	"talentdb/internal/store"
)

// callerAs is a caller of role with the scope column its role needs.
var callerAs = doortest.As

var sp = doortest.Ptr[string]

func school(code string) store.OrganizationInput {
	return store.OrganizationInput{Code: code, Name: "成都市泡桐树小学", Kind: "school", Type: sp("primary"),
		RegionCode: "510104"}
}

// auditRows is the audit trail of organization id: each row's action, actor and role.
func auditRows(t *testing.T, st *store.Store, id int64) []string {
	t.Helper()
	return doortest.Strings(t, st, `SELECT action || ' by ' || actor || ' (' || coalesce(actor_role, '') || ')'
		FROM audit_log WHERE entity = 'organization' AND entity_id = $1 ORDER BY id`, fmt.Sprint(id))
}

// TestRefusedToRolesThePolicyDoesNotName: every role without reference.write may not
// create, change or delete an organization, and nothing is written; every role without
// reference.read may not read one.
func TestRefusedToRolesThePolicyDoesNotName(t *testing.T) {
	t.Parallel()
	f := doortest.Setup(t, organization.New)
	o, err := f.Svc.Create(f.Ctx, f.Admin, school("BS01"))
	if err != nil {
		t.Fatal(err)
	}
	err1 := doortest.Err
	var patched bool
	ops := []doortest.Op{
		{Name: "Create", Act: access.ReferenceWrite, Call: func(c access.Caller) error {
			return err1(f.Svc.Create(f.Ctx, c, school("X-"+c.Role)))
		}},
		{Name: "Update", Act: access.ReferenceWrite, Call: func(c access.Caller) error {
			return err1(f.Svc.Update(f.Ctx, c, o.ID, o.Version, func(store.Organization) (store.OrganizationInput, error) {
				patched = true
				return school("BS01"), nil
			}))
		}},
		{Name: "Delete", Act: access.ReferenceWrite, Call: func(c access.Caller) error { return f.Svc.Delete(f.Ctx, c, o.ID, nil) }},
		{Name: "Get", Act: access.ReferenceRead, Call: func(c access.Caller) error { return err1(f.Svc.Get(f.Ctx, c, o.ID)) }},
		{Name: "List", Act: access.ReferenceRead, Call: func(c access.Caller) error {
			return err1(f.Svc.List(f.Ctx, c, store.OrganizationFilter{Limit: 10}))
		}},
	}
	doortest.Refused(t, ops, doortest.Callers(o.ID), &patched)
	var n int
	if err := f.St.Pool.QueryRow(f.Ctx, `SELECT count(*) FROM organizations`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d organizations (%v), want only the office's", n, err)
	}
	if got := fmt.Sprint(auditRows(t, f.St, o.ID)); got != "[create by office.admin (office_admin)]" {
		t.Fatalf("audit %s", got)
	}
}

// TestOrganizationLifecycle: the office creates (trimmed, audited as the caller), every
// reader reads, a patch sees the current row, a stale version is refused before the patch
// runs, and a free organization is deleted.
func TestOrganizationLifecycle(t *testing.T) {
	t.Parallel()
	f := doortest.Setup(t, organization.New)
	in := school("  BS01 ")
	in.Address, in.PostalCode = sp("  "), sp("610031")
	in.Head = store.Contact{Name: sp(" 王校长 "), Mobile: sp("")}
	o, err := f.Svc.Create(f.Ctx, f.Admin, in)
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
		got, err := f.Svc.Get(f.Ctx, callerAs(role, o.ID), o.ID)
		if err != nil || got.Name != "成都市泡桐树小学" {
			t.Errorf("%s reads %+v: %v", role, got, err)
		}
	}
	rows, err := f.Svc.List(f.Ctx, callerAs(access.RoleMentor, 0), store.OrganizationFilter{Code: sp("BS01"), Limit: 2})
	if err != nil || len(rows) != 1 {
		t.Fatalf("list: %d rows, %v", len(rows), err)
	}

	if _, err := f.Svc.Update(f.Ctx, f.Admin, o.ID, 7, func(store.Organization) (store.OrganizationInput, error) {
		t.Error("the patch ran on a stale version")
		return store.OrganizationInput{}, nil
	}); !errors.Is(err, access.ErrStale) {
		t.Fatalf("stale update: %v", err)
	}
	up, err := f.Svc.Update(f.Ctx, f.Admin, o.ID, 1, func(cur store.Organization) (store.OrganizationInput, error) {
		return store.OrganizationInput{Code: cur.Code, Name: "泡桐树小学", Kind: cur.Kind, Type: cur.Type,
			RegionCode: cur.RegionCode, Head: cur.Head}, nil
	})
	if err != nil || up.Name != "泡桐树小学" || up.Version != 2 || up.PostalCode != nil || *up.Head.Name != "王校长" {
		t.Fatalf("updated %+v: %v", up, err)
	}
	decodeErr := errors.New("the body is not JSON")
	if _, err := f.Svc.Update(f.Ctx, f.Admin, o.ID, 2, func(store.Organization) (store.OrganizationInput, error) {
		return store.OrganizationInput{}, decodeErr
	}); !errors.Is(err, decodeErr) {
		t.Fatalf("the patch's own error: %v", err)
	}
	if _, err := f.Svc.Update(f.Ctx, f.Admin, 999999, 1, nil); !errors.Is(err, access.ErrNotFound) {
		t.Fatalf("update of nothing: %v", err)
	}
	if err := f.Svc.Delete(f.Ctx, f.Admin, o.ID, &o.Version); !errors.Is(err, access.ErrStale) {
		t.Fatalf("delete at version 1: %v", err)
	}
	if err := f.Svc.Delete(f.Ctx, f.Admin, o.ID, &up.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.Get(f.Ctx, f.Admin, o.ID); !errors.Is(err, access.ErrNotFound) {
		t.Fatalf("deleted, then read: %v", err)
	}
	want := "[create by office.admin (office_admin) update by office.admin (office_admin) delete by office.admin (office_admin)]"
	if got := fmt.Sprint(auditRows(t, f.St, o.ID)); got != want {
		t.Fatalf("audit %s, want %s", got, want)
	}
}

// TestEveryInvalidFieldAtOnce: the rules of an organization, each field named, all in
// one answer; nothing reaches the database.
func TestEveryInvalidFieldAtOnce(t *testing.T) {
	t.Parallel()
	f := doortest.Setup(t, organization.New)
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
		{"outside Sichuan", store.OrganizationInput{Code: "BS10", Name: "某校", Kind: "school", RegionCode: "110101"},
			"[region_code:exists]"},
		{"no such city", store.OrganizationInput{Code: "", Name: "某校", Kind: "school", RegionCode: "511200"},
			"[code:required region_code:exists]"},
	}
	for _, c := range cases {
		_, err := f.Svc.Create(f.Ctx, f.Admin, c.in)
		var got []string
		for _, fe := range check.All(err) {
			got = append(got, fe.Field+":"+fe.Rule)
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("%s: %v (%v), want %s", c.name, got, err, c.want)
		}
	}
	var n int
	if err := f.St.Pool.QueryRow(f.Ctx, `SELECT count(*) FROM organizations`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d organizations written (%v)", n, err)
	}
}

// TestRegionCodes: the province, a city, a listed county and a code within a city that the
// county list does not know (a division newer than the list) are all accepted, as the
// contract reads; the school's city is the code's first four digits and 00.
func TestRegionCodes(t *testing.T) {
	t.Parallel()
	f := doortest.Setup(t, organization.New)
	for i, code := range []string{"510000", "513400", "510118", "510199"} {
		in := school(fmt.Sprint("R", i))
		in.RegionCode = code
		o, err := f.Svc.Create(f.Ctx, f.Admin, in)
		if err != nil || o.CityCode != code[:4]+"00" {
			t.Errorf("region %s: %+v, %v", code, o, err)
		}
	}
}
