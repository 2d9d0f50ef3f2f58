package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"talentdb/internal/auth"
	"talentdb/internal/vocab"
)

var linkRE = regexp.MustCompile(`value="(https?://[^"]+/r/([A-Za-z0-9_-]{40}))"`)

// TestSelfReportPages: a school makes links for its due list from its workspace (a page of
// them with QR codes, or a CSV sheet); a link's page, without an account, shows the given
// name and the school only; the answer comes back next to its fields when invalid, lands
// once, and a second visit is the neutral page; the school accepts it on its queue and the
// person leaves its due list. Roles outside the policy are refused the school's pages.
func TestSelfReportPages(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code, due, _, _ := f.dueSchool()
	op := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code}))
	school := op.get("/school", http.StatusOK)
	if !strings.Contains(school, `id="make-links-all"`) || !strings.Contains(school, `id="make-link-`) {
		t.Fatal("the workspace has no buttons to make self-report links")
	}
	if !strings.Contains(school, `href="/school/self-reports"`) {
		t.Error("no way to the queue from the workspace or the navigation")
	}
	res := op.post("/school/self-report-links", url.Values{"due": {"1"}, "format": {"page"}}, http.StatusOK)
	page := res.Body.String()
	links := linkRE.FindAllStringSubmatch(page, -1)
	if len(links) != len(due.Persons) || !strings.Contains(page, "<svg class=\"qr\"") {
		t.Fatalf("%d links for %d due, QR codes: %v", len(links), len(due.Persons), strings.Contains(page, "<svg"))
	}
	if res.Header().Get("Cache-Control") != "no-store" {
		t.Error("the page of tokens may be cached")
	}
	csv := op.post("/school/self-report-links", url.Values{"due": {"1"}, "format": {"csv"}}, http.StatusOK)
	if ct := csv.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") ||
		strings.Count(csv.Body.String(), "/r/") != len(due.Persons) {
		t.Errorf("the CSV sheet: %s\n%s", ct, csv.Body.String())
	}

	// the page of one link: an alumnus 14 or older
	var path, name string
	for _, l := range links {
		p := "/r/" + l[2]
		var birth time.Time
		if err := f.st.Pool.QueryRow(t.Context(), `SELECT p.birth_date, p.name FROM self_report_links k
			JOIN persons p ON p.id = k.person_id WHERE k.token_hash = sha256(convert_to($1, 'UTF8'))`, l[2]).Scan(&birth, &name); err != nil {
			t.Fatal(err)
		}
		if !vocab.UnderConsentAge(birth, vocab.DateOf(time.Now())) {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no alumnus of 14 or more on the due list")
	}
	anon := f.raw("GET", path, nil, nil)
	body := anon.Body.String()
	given := string([]rune(name)[1:])
	if anon.Code != http.StatusOK || !strings.Contains(body, given+"，你好") || strings.Contains(body, name) ||
		strings.Contains(body, "<nav") {
		t.Fatalf("the link's page (%d) for %s:\n%s", anon.Code, name, body)
	}
	// an invalid answer: next to its fields, nothing recorded
	tomorrow := time.Now().In(vocab.China).AddDate(0, 0, 2).Format(time.DateOnly)
	origin := map[string]string{"Origin": "http://example.com", "Content-Type": "application/x-www-form-urlencoded"}
	bad := f.raw("POST", path, url.Values{"prize_competition_0": {"市赛"}, "prize_level_0": {"municipal"},
		"prize_awarded_on_0": {tomorrow}}, origin)
	if bad.Code != http.StatusUnprocessableEntity || !strings.Contains(bad.Body.String(), `id="prize_awarded_on_0-err"`) ||
		!strings.Contains(bad.Body.String(), `id="contact_again-err"`) {
		t.Fatalf("an invalid answer (%d):\n%s", bad.Code, bad.Body.String())
	}
	// another site's form is refused
	if r := f.raw("POST", path, url.Values{"contact_again": {"yes"}}, map[string]string{"Origin": "https://evil.example",
		"Content-Type": "application/x-www-form-urlencoded"}); r.Code != http.StatusForbidden {
		t.Errorf("a cross-site post: %d", r.Code)
	}
	ok := f.raw("POST", path, url.Values{"contact_again": {"yes"}, "destination_type": {"senior_high"},
		"destination_org_name": {"成都七中"}, "destination_started_on": {"2025-09-01"}}, origin)
	if ok.Code != http.StatusOK || !strings.Contains(ok.Body.String(), `id="sr-thanks"`) {
		t.Fatalf("the answer (%d):\n%s", ok.Code, ok.Body.String())
	}
	again := f.raw("GET", path, nil, nil)
	unknown := "/r/" + strings.Repeat("A", 40)
	dead := f.raw("GET", unknown, nil, nil)
	// the same page but for its own address (the language switch links to it)
	if again.Code != http.StatusNotFound || dead.Code != http.StatusNotFound ||
		strings.ReplaceAll(again.Body.String(), path, "/r/T") != strings.ReplaceAll(dead.Body.String(), unknown, "/r/T") {
		t.Errorf("a used link (%d) and an unknown one (%d) differ:\n%s\n%s", again.Code, dead.Code, again.Body.String(), dead.Body.String())
	}

	// the school's queue: accept
	q := op.get("/school/self-reports", http.StatusOK)
	m := regexp.MustCompile(`action="/school/self-reports/(\d+)/accept"`).FindStringSubmatch(q)
	if m == nil || !strings.Contains(q, "成都七中") {
		t.Fatalf("the queue:\n%s", q)
	}
	if codes := codesIn(q, vocabKeys()); len(codes) > 0 {
		t.Errorf("the queue shows codes: %v", codes)
	}
	op.post("/school/self-reports/"+m[1]+"/accept", url.Values{"return": {"/school/self-reports"}}, http.StatusSeeOther)
	var n int
	if err := f.st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM follow_ups f JOIN self_reports r ON r.follow_up_id = f.id
		WHERE r.id = $1 AND f.channel = 'survey' AND f.outcome = 'reached'`, m[1]).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the accepted answer's follow-up: %d %v", n, err)
	}
	if strings.Contains(op.get("/school", http.StatusOK), ">"+name+"<") {
		t.Error("the person is still on the due list")
	}
	// the queue and the links are the school's pages only
	for _, role := range []string{auth.RoleOfficeAnalyst, auth.RoleCityCoordinator, auth.RoleMentor, auth.RoleAuditor} {
		nu := auth.NewUser{}
		switch role {
		case auth.RoleCityCoordinator:
			nu.CityCode = "510100"
		case auth.RoleMentor:
			nu.MentorID = 1
		}
		c := f.login(f.user(role, nu))
		c.get("/school/self-reports", http.StatusForbidden)
		c.post("/school/self-report-links", url.Values{"due": {"1"}, "school": {code}}, http.StatusForbidden)
	}
}
