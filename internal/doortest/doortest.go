// Package doortest holds what the door packages' tests share: a fixture over a fresh
// database, callers of each role, the sweep that every role a policy row does not name is
// refused, and small value helpers. It is imported by tests only and never by the product.
package doortest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/dbtest"
	"talentdb/internal/store"
)

// Office is the office's administrator, signed in to the web app.
var Office = access.Caller{UserID: 1, Username: "office.admin", Role: access.RoleOfficeAdmin, Via: access.ViaSession,
	RequestID: "req-1"}

// Fixture is what a door's test works with: a fresh migrated database, the door's service
// on it, a background context and the office's administrator.
type Fixture[S any] struct {
	St    *store.Store
	Svc   S
	Ctx   context.Context
	Admin access.Caller
}

// Setup returns a Fixture on a database of t's own, with the service newSvc makes over it.
func Setup[S any](t *testing.T, newSvc func(*store.Store) S) Fixture[S] {
	t.Helper()
	st := dbtest.New(t)
	return Fixture[S]{St: st, Svc: newSvc(st), Ctx: context.Background(), Admin: Office}
}

// As is a caller of role, by token, with the scope column its role needs: school for a
// school operator, Chengdu for a city coordinator, mentor 1 for a mentor.
func As(role string, school int64) access.Caller {
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

// Callers is one caller of each role, in the order of access.Roles (the school operator of
// school), and last one without a role.
func Callers(school int64) []access.Caller {
	return []access.Caller{
		{Username: "admin", Role: access.RoleOfficeAdmin},
		{Username: "analyst", Role: access.RoleOfficeAnalyst},
		{Username: "city", Role: access.RoleCityCoordinator, CityCode: "510100"},
		{Username: "school", Role: access.RoleSchoolOperator, SchoolID: school},
		{Username: "mentor", Role: access.RoleMentor, MentorID: 1},
		{Username: "auditor", Role: access.RoleAuditor},
		{Username: "nobody"},
	}
}

// Op is one method of a door, called as c, with the action it must authorize.
type Op struct {
	Name string
	Act  access.Action
	Call func(c access.Caller) error
}

// Err is the error of a call that also returns a value, for an Op's Call.
func Err(_ any, err error) error { return err }

// Refused calls every op as every caller whose role the op's action's policy row does not
// name, and fails t unless the call is access.ErrForbidden and left *edited false (an edit
// is never asked for of a refused caller).
func Refused(t *testing.T, ops []Op, callers []access.Caller, edited *bool) {
	t.Helper()
	for _, o := range ops {
		for _, c := range callers {
			if slices.Contains(access.Policy[o.Act].Roles, c.Role) {
				continue
			}
			*edited = false
			if err := o.Call(c); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("%s as %q: err = %v, want ErrForbidden (%s)", o.Name, c.Role, err, o.Act)
			}
			if *edited {
				t.Errorf("%s as %q: the edit was asked for", o.Name, c.Role)
			}
		}
	}
}

// Count returns the number sql counts in st's database, as the office sees it.
func Count(t *testing.T, st *store.Store, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := st.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Strings returns the single text column of the rows sql selects in st's database.
func Strings(t *testing.T, st *store.Store, sql string, args ...any) []string {
	t.Helper()
	rows, err := st.Pool.Query(context.Background(), sql, args...)
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

// Date is the date s (YYYY-MM-DD) as midnight UTC; it panics on anything else.
func Date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// DatePtr is a pointer to Date(s).
func DatePtr(s string) *time.Time { t := Date(s); return &t }

// Ptr is a pointer to a copy of v.
func Ptr[T any](v T) *T { return &v }
