package importer_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// A child is 9 on any day this test runs in the years around 2026.
var (
	idChild   = idNumber("20170510", 411)                      // 陈小雨, born 2017-05-10
	idChild2  = idNumber("20170820", 412)                      // 刘小川, born 2017-08-20
	consentAt = time.Date(2026, 6, 30, 16, 30, 0, 0, time.UTC) // 2026-07-01 in China
)

// A person under 14 imported without guardian_consent_on is withheld for consent
// (consent_state pending), exactly as one created through the API. The database sets it
// (a trigger on persons, migration 00090), not the importer.
func TestImportMinorWithoutConsentIsPending(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustApply("persons", "id_number,name,gender,birth_date,guardian_name\n"+idChild+",陈小雨,女,2017-05-10,陈刚\n")
	if got := b.str("SELECT consent_state FROM persons WHERE name = '陈小雨'"); got != "pending" {
		t.Fatalf("a 9-year-old imported without a guardian's consent: consent_state %s, want pending", got)
	}
	if n := b.count("SELECT count(*) FROM consents"); n != 0 {
		t.Fatalf("%d consents recorded without guardian_consent_on", n)
	}
}

// guardian_consent_on records a guardian's consent: one consents row (the row's guardian,
// on paper, recorded by the actor) and consent_state granted. Importing the same file
// again changes nothing and counts the row unchanged; a later file that adds the date for
// a person already imported records it and counts the row updated.
func TestImportGuardianConsent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	file := "id_number,name,gender,birth_date,guardian_name,guardian_consent_on\n" +
		idChild + ",陈小雨,女,2017-05-10,陈刚,2026-06-01\n"
	wantCounts(t, b.runAt(consentAt, "persons", file), 1, 1, 0, 0)
	check := func(name, guardian, on string) {
		t.Helper()
		if got := b.str("SELECT consent_state FROM persons WHERE name = $1", name); got != "granted" {
			t.Fatalf("%s: consent_state %s, want granted", name, got)
		}
		if n := b.count(`SELECT count(*) FROM consents c JOIN persons p ON p.id = c.person_id
			WHERE p.name = $1`, name); n != 1 {
			t.Fatalf("%s: %d consents, want 1", name, n)
		}
		got := b.str(`SELECT concat_ws('|', c.guardian_name, c.relationship, c.method, c.granted_on::text,
				c.recorded_by, c.withdrawn_on::text, (c.scope <> '')::text)
			FROM consents c JOIN persons p ON p.id = c.person_id WHERE p.name = $1`, name)
		if want := guardian + "|legal_guardian|paper|" + on + "|test|true"; got != want {
			t.Fatalf("%s: consent %s, want %s", name, got, want)
		}
		if n := b.count(`SELECT count(*) FROM audit_log a JOIN persons p ON p.id = a.person_id
			WHERE a.entity = 'consent' AND a.action = 'create' AND p.name = $1`, name); n != 1 {
			t.Fatalf("%s: %d audit rows for the consent", name, n)
		}
	}
	check("陈小雨", "陈刚", "2026-06-01")

	// the same file again: nothing changes
	wantCounts(t, b.runAt(consentAt, "persons", file), 1, 0, 0, 1)
	check("陈小雨", "陈刚", "2026-06-01")

	// a person imported without the date, then a file with it (Chinese header, no guardian
	// name in the file or on record): the consent is recorded, the row counted updated
	b.mustApply("persons", "id_number,name,gender,birth_date\n"+idChild2+",刘小川,男,2017-08-20\n")
	later := "身份证号,姓名,性别,出生日期,监护人同意日期\n" + idChild2 + ",刘小川,男,2017-08-20,2026/7/1\n"
	wantCounts(t, b.runAt(consentAt, "persons", later), 1, 0, 1, 0)
	check("刘小川", "监护人", "2026-07-01")
	wantCounts(t, b.runAt(consentAt, "persons", later), 1, 0, 0, 1)
	if n := b.count("SELECT count(*) FROM consents"); n != 2 {
		t.Fatalf("%d consents in all, want 2", n)
	}
}

// guardian_consent_on after today (China's date) or before the person's birth is an error
// for its row, and nothing of the file is written.
func TestImportGuardianConsentDates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sum := b.runAt(consentAt, "persons", "id_number,name,gender,birth_date,guardian_consent_on\n"+
		idChild+",陈小雨,女,2017-05-10,2026-07-02\n"+
		idChild2+",刘小川,男,2017-08-20,2017-08-19\n")
	if sum.Applied || len(sum.Errors) != 2 || !hasError(sum, 2, "guardian_consent_on") ||
		!hasError(sum, 3, "guardian_consent_on") ||
		!strings.Contains(sum.Errors[0].Error, "guardian_consent_on 不能晚于今天（2026-07-01）") ||
		!strings.Contains(sum.Errors[1].Error, "早于该人员的出生日期（2017-08-20）") {
		t.Fatalf("consent dates: %+v", sum)
	}
	if n := b.count("SELECT count(*) FROM persons") + b.count("SELECT count(*) FROM consents"); n != 0 {
		t.Fatalf("%d rows written from a refused file", n)
	}
}

// The persons template has the column, by its Chinese label.
func TestTemplateGuardianConsentColumn(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var buf bytes.Buffer
	if err := b.im.Template(b.ctx, "persons", &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) == 0 {
		t.Fatalf("template rows: %v", err)
	}
	found := false
	for _, h := range rows[0] {
		found = found || h == "监护人同意日期"
	}
	if !found {
		t.Fatalf("persons template header %v lacks 监护人同意日期", rows[0])
	}
}
