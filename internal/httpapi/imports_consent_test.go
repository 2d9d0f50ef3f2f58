package httpapi

import (
	"net/http"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
)

// A school operator's persons file with guardian_consent_on records the consent under the
// school (row-level security lets the school write it for its own person), makes the
// person granted, and a second upload of the file changes nothing.
func TestImportGuardianConsentBySchool(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.upload("/api/v1/imports/organizations", "o.csv", []byte("code,name,kind,region_code\nS1,学校一,学校,510104\n")).
		summary(http.StatusOK)
	s1 := "Bearer " + authtest.Token(t, f.st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "S1"})
	file := []byte("身份证号,姓名,性别,出生日期,监护人姓名,监护人同意日期\n" +
		idNumber(t, "20170510", "701") + ",陈小雨,女,2017-05-10,陈刚,2024-09-01\n")
	if s := f.upload("/api/v1/imports/persons", "p.csv", file, "Authorization", s1).summary(http.StatusOK); s.Inserted != 1 {
		t.Fatalf("first upload: %+v", s)
	}
	if s := f.upload("/api/v1/imports/persons", "p.csv", file, "Authorization", s1).summary(http.StatusOK); s.Unchanged != 1 {
		t.Fatalf("second upload: %+v", s)
	}
	if n := f.count(`SELECT count(*) FROM consents c JOIN persons p ON p.id = c.person_id
		JOIN organizations o ON o.id = c.school_id
		WHERE p.name = '陈小雨' AND p.consent_state = 'granted' AND o.code = 'S1' AND c.guardian_name = '陈刚'
		  AND c.granted_on = '2024-09-01'`); n != 1 {
		t.Fatalf("%d consents of the school's person, want 1", n)
	}
}
