package access

import (
	"errors"
	"testing"
)

// TestDenyByDefault: an action the table does not name, and a role it does not know, are
// refused; every named action names only known roles.
func TestDenyByDefault(t *testing.T) {
	t.Parallel()
	if Allowed(RoleOfficeAdmin, Action("nothing.here")) {
		t.Error("an action without a policy row is allowed")
	}
	if Allowed("root", PersonRead) {
		t.Error("an unknown role is allowed")
	}
	err := Authorize(Caller{Role: RoleMentor}, PersonWrite)
	if !errors.Is(err, ErrForbidden) {
		t.Errorf("a mentor writing a person: %v, want ErrForbidden", err)
	}
	known := map[string]bool{RoleRespondent: true}
	for _, r := range Roles {
		known[r] = true
	}
	for a, r := range Policy {
		if len(r.Roles) == 0 {
			t.Errorf("%s names no role", a)
		}
		for _, role := range r.Roles {
			if !known[role] {
				t.Errorf("%s names unknown role %q", a, role)
			}
		}
	}
}

// TestAuditorReadsTheLogOnly: the auditor's only action besides signing in is the log.
func TestAuditorReadsTheLogOnly(t *testing.T) {
	t.Parallel()
	for a := range Policy {
		if Allowed(RoleAuditor, a) != (a == AuditRead || a == SignIn || a == AccountSelf || a == APIDocument) {
			t.Errorf("auditor and %s: allowed %v", a, Allowed(RoleAuditor, a))
		}
	}
}

// TestRespondentOnlyAnswers: a self-report link's holder may answer through it and take no
// other action; no account role may answer for a link.
func TestRespondentOnlyAnswers(t *testing.T) {
	t.Parallel()
	for a := range Policy {
		if Allowed(RoleRespondent, a) != (a == SelfReportAnswer) {
			t.Errorf("respondent and %s: allowed %v", a, Allowed(RoleRespondent, a))
		}
	}
	for _, r := range Roles {
		if Allowed(r, SelfReportAnswer) {
			t.Errorf("%s may answer a self-report link", r)
		}
	}
}
