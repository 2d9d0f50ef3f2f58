package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/identity"
	"talentdb/internal/report"
)

// numberEndingInX is a valid identity number of region (6 digits) born on birth whose
// check character is X, with the smallest sequence from 000 on: its last four characters
// ("…X") cannot turn up by chance in a timestamp or an id, so a test can look for them.
func numberEndingInX(t *testing.T, region, birth string) string {
	t.Helper()
	for seq := 0; seq < 1000; seq++ {
		first := fmt.Sprintf("%s%s%03d", region, birth, seq)
		if c, err := identity.CheckChar(first); err == nil && c == 'X' {
			return first + "X"
		}
	}
	t.Fatalf("no sequence gives check character X")
	return ""
}

// maskLikeRE matches what looks like a masked identity number, in the old form or the new.
var (
	maskLikeRE = regexp.MustCompile(`[0-9]{4}\*{6,}[0-9X]*`)
	newMaskRE  = regexp.MustCompile(`^[0-9]{4}\*{14}$`)
)

// noHiddenDigits fails unless body shows none of what the mask hides of each number: not
// digits 5-14 (county and birth date run together), not digits 15-18 (sequence and check),
// and every masked form in it keeps the first four digits only.
func noHiddenDigits(t *testing.T, what, body string, numbers ...string) {
	t.Helper()
	for _, n := range numbers {
		if strings.Contains(body, n[4:14]) || strings.Contains(body, n[14:]) {
			t.Errorf("%s shows digits the mask hides of %s…: %.3000s", what, n[:4], body)
		}
	}
	for _, m := range maskLikeRE.FindAllString(body, -1) {
		if !newMaskRE.MatchString(m) {
			t.Errorf("%s has the masked form %q, want four digits and 14 stars", what, m)
		}
	}
}

// TestMaskHidesAllButTheRegion: whoever short of the office reads a person — the person,
// the list, the follow-up schedule and its CSV and XLSX exports, the timeline's edits, the
// audit log — learns of the identity number only its first four digits, even where an
// edit replaced one number by another; the office's reveal still gives the number.
func TestMaskHidesAllButTheRegion(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	f.mkOrg("BS01", "school", "510104")
	f.mkEdition("jingke-2023")
	first := numberEndingInX(t, "510104", "20080101")
	second := numberEndingInX(t, "510703", "20080101") // another city: the mask changes too

	p := f.do("POST", "/api/v1/persons", map[string]any{"id_number": first, "name": "张晓明", "school_code": "BS01"}).
		want(http.StatusCreated).json()
	id := num(p["id"])
	path := fmt.Sprintf("/api/v1/persons/%d", id)
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": id, "edition": "jingke-2023",
		"school_code": "BS01", "category": "math", "grade": "9", "status": "completed"}).want(http.StatusCreated)
	f.do("POST", path+"/follow-ups", map[string]any{"contacted_on": "2025-04-02", "channel": "phone",
		"outcome": "reached"}).want(http.StatusCreated)
	// a corrected number: the audit row's before and after hold both masked forms, and the
	// timeline shows the change
	cur := f.do("GET", path, nil).want(http.StatusOK).json()
	f.do("PATCH", path, map[string]any{"id_number": second}, ifMatch(cur["version"])...).want(http.StatusOK)

	readers := map[string]string{
		"school operator":  f.as(auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "BS01"}),
		"city coordinator": f.as(auth.RoleCityCoordinator, authtest.Scope{CityCode: "510100"}),
		"analyst":          f.as(auth.RoleOfficeAnalyst),
	}
	for who, cred := range readers {
		got := f.do("GET", path, nil, "Authorization", cred).want(http.StatusOK)
		if m := got.json()["id_number_masked"]; m != "5107**************" {
			t.Errorf("%s: id_number_masked %v", who, m)
		}
		noHiddenDigits(t, who+": GET "+path, got.Body.String(), first, second)
		list := f.do("GET", "/api/v1/persons", nil, "Authorization", cred).want(http.StatusOK).Body.String()
		if !strings.Contains(list, `"id_number_masked":"5107**************"`) {
			t.Errorf("%s: the person is not in the list: %s", who, list)
		}
		noHiddenDigits(t, who+": GET /api/v1/persons", list, first, second)
		due := f.do("GET", "/api/v1/follow-ups/due?as_of=2026-06-30", nil, "Authorization", cred).want(http.StatusOK)
		if num(due.json()["due_count"]) != 1 {
			t.Errorf("%s: the person is not due: %s", who, due.Body.String())
		}
		noHiddenDigits(t, who+": GET /api/v1/follow-ups/due", due.Body.String(), first, second)
		tl := f.do("GET", path+"/timeline", nil, "Authorization", cred).want(http.StatusOK).Body.String()
		if !strings.Contains(tl, `"id_number_masked":{"to":"5107**************","from":"5101**************"}`) {
			t.Errorf("%s: the timeline lacks the edit of the number: %s", who, tl)
		}
		noHiddenDigits(t, who+": GET "+path+"/timeline", tl, first, second)
	}

	// the schedule's exports, as `talentdb follow-ups due --format csv|xlsx` writes them
	rep, err := report.FollowUpsDue(ctx, f.st, report.DueFilter{SchoolCode: "BS01",
		AsOf: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var csv, xlsx bytes.Buffer
	if err := rep.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), "5107**************,张晓明") {
		t.Errorf("CSV lacks the person: %s", csv.String())
	}
	noHiddenDigits(t, "due CSV", csv.String(), first, second)
	if err := rep.WriteXLSX(&xlsx); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	var cells strings.Builder
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			cells.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	if !strings.Contains(cells.String(), "5107**************") {
		t.Errorf("XLSX lacks the person: %s", cells.String())
	}
	noHiddenDigits(t, "due XLSX", cells.String(), first, second)

	// the auditor reads the audit rows themselves
	audit := f.do("GET", fmt.Sprintf("/api/v1/audit?person=%d", id), nil, "Authorization", f.as(auth.RoleAuditor)).
		want(http.StatusOK).Body.String()
	if !strings.Contains(audit, `"id_number_masked":"5101**************"`) ||
		!strings.Contains(audit, `"id_number_masked":"5107**************"`) {
		t.Errorf("the audit log lacks the person's rows: %s", audit)
	}
	noHiddenDigits(t, "GET /api/v1/audit", audit, first, second)

	// the office still sees the number when it asks
	r := f.do("POST", path+"/reveal", map[string]any{"fields": []string{"id_number"}, "reason": "核对获奖证书"}).
		want(http.StatusOK).json()
	if r["id_number"] != second {
		t.Fatalf("revealed %v, want the current number", r["id_number"])
	}
}
