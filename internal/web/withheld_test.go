package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"talentdb/internal/auth"
)

// TestWithheldPersonsOnPages: the school workspace, the persons list and the person page
// hold back a person whose guardian's consent is pending or withdrawn, as the API does;
// the withdrawn person's page is not found for the school.
func TestWithheldPersonsOnPages(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code, due, _, _ := f.dueSchool()
	ctx := context.Background()
	// two of the school's due alumni lose their consent: one pending, one withdrawn
	pending, withdrawn := due.Persons[0], due.Persons[1]
	for _, x := range []struct {
		id    int64
		state string
		name  string
	}{{pending.PersonID, "pending", "待同意某某"}, {withdrawn.PersonID, "withdrawn", "已撤回某某"}} {
		if _, err := f.st.Pool.Exec(ctx, `UPDATE persons SET consent_state = $2, name = $3 WHERE id = $1`,
			x.id, x.state, x.name); err != nil {
			t.Fatal(err)
		}
	}
	op := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code}))
	for _, page := range []string{"/school", "/persons", "/persons?q=待同意", "/persons?q=已撤回"} {
		body := op.get(page, http.StatusOK)
		for _, name := range []string{"待同意某某", "已撤回某某"} {
			if strings.Contains(body, name) {
				t.Errorf("%s names %s", page, name)
			}
		}
	}
	op.get(fmt.Sprintf("/persons/%d", withdrawn.PersonID), http.StatusNotFound)
}
