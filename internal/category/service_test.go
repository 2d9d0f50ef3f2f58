package category_test

import (
	"context"
	"errors"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/category"
	"talentdb/internal/dbtest"
	"talentdb/internal/doortest"
	"talentdb/internal/store"
)

// TestReadersAndTheRest: every role reference.read names reads the categories in their
// order; every other role is refused.
func TestReadersAndTheRest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := category.New(dbtest.New(t))
	jindaoshi := "jindaoshi"
	for _, role := range access.Roles {
		c := callerAs(role)
		all, lerr := svc.List(ctx, c, store.CategoryFilter{Limit: 100})
		teachers, terr := svc.List(ctx, c, store.CategoryFilter{Program: &jindaoshi, Limit: 100})
		robotics, gerr := svc.Get(ctx, c, "robotics")
		if !access.Allowed(role, access.ReferenceRead) {
			for _, err := range []error{lerr, terr, gerr} {
				if !errors.Is(err, access.ErrForbidden) {
					t.Errorf("%s reads categories: %v, want ErrForbidden", role, err)
				}
			}
			continue
		}
		if lerr != nil || terr != nil || gerr != nil {
			t.Fatalf("%s: %v %v %v", role, lerr, terr, gerr)
		}
		if len(all) != 29 || all[0].Code != "math" || all[28].Code != "guidance_capacity" || len(teachers) != 6 {
			t.Errorf("%s: %d categories (first %s), %d of jindaoshi", role, len(all), all[0].Code, len(teachers))
		}
		if robotics.NameZh != "机器人" || robotics.Program != "jingke" || robotics.GroupZh != "科技创新" {
			t.Errorf("%s: robotics %+v", role, robotics)
		}
	}
	if _, err := svc.Get(ctx, access.CLI("operator"), "alchemy"); !errors.Is(err, access.ErrNotFound) {
		t.Fatalf("an unknown code: %v", err)
	}
}

// callerAs is a caller of role with the scope column its role needs.
func callerAs(role string) access.Caller { return doortest.As(role, 1) }
