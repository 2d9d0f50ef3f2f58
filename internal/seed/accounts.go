package seed

import (
	"context"
	"fmt"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/store"
)

// DemoAccount is one account the demo seed creates, with its password in clear: it is
// shown once to whoever ran the seed and stored only as an argon2id hash.
type DemoAccount struct {
	Username string `json:"username"`
	Role     string `json:"role"`
	Scope    string `json:"scope,omitempty"`
	Password string `json:"-"`
}

// CreateDemoAccounts creates one account per role on freshly seeded data, each with a
// random password, so that the demo can be signed in to at once while nothing ships with
// a fixed password. Scoped roles get the school with the most alumni, its city, and the
// busiest mentor.
func CreateDemoAccounts(ctx context.Context, st *store.Store, svc *auth.Service) ([]DemoAccount, error) {
	sc, err := st.SeedDemoAccountScopes(ctx)
	if err != nil {
		return nil, err
	}
	want := []struct {
		user auth.NewUser
		desc string
	}{
		{auth.NewUser{Username: "demo.admin", Role: auth.RoleOfficeAdmin, DisplayName: "演示 · 办公室管理员"}, ""},
		{auth.NewUser{Username: "demo.analyst", Role: auth.RoleOfficeAnalyst, DisplayName: "演示 · 分析人员"}, ""},
		{auth.NewUser{Username: "demo.city", Role: auth.RoleCityCoordinator, CityCode: sc.CityCode,
			DisplayName: "演示 · 市州联络员"}, "city " + sc.CityCode},
		{auth.NewUser{Username: "demo.school", Role: auth.RoleSchoolOperator, SchoolCode: sc.SchoolCode,
			DisplayName: "演示 · 学校操作员"}, "school " + sc.SchoolCode},
		{auth.NewUser{Username: "demo.mentor", Role: auth.RoleMentor, MentorID: sc.MentorID,
			DisplayName: "演示 · 导师"}, fmt.Sprintf("mentor %d", sc.MentorID)},
		{auth.NewUser{Username: "demo.auditor", Role: auth.RoleAuditor, DisplayName: "演示 · 审计员"}, ""},
	}
	actor := access.Caller{Username: "seed", Role: access.RoleOfficeAdmin}
	out := make([]DemoAccount, 0, len(want))
	for _, w := range want {
		if (w.user.Role == auth.RoleCityCoordinator && sc.CityCode == "") ||
			(w.user.Role == auth.RoleSchoolOperator && sc.SchoolCode == "") ||
			(w.user.Role == auth.RoleMentor && sc.MentorID == 0) {
			continue // the data has nothing this role could be scoped to
		}
		_, pw, err := svc.CreateUser(ctx, actor, w.user)
		if err != nil {
			return out, fmt.Errorf("seed: demo account %s: %w", w.user.Username, err)
		}
		out = append(out, DemoAccount{Username: w.user.Username, Role: w.user.Role, Scope: w.desc, Password: pw})
	}
	return out, nil
}
