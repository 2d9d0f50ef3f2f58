package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"talentdb/internal/auth"
	"talentdb/internal/vocab"
)

// codeMarkup is where a page shows a code on purpose, beside the name it belongs to
// (<span class="code">): left out of the scan.
var codeMarkup = regexp.MustCompile(`(?s)<span class="code">[^<]*</span>`)

// internalCodes are what a Chinese page must never show as text: edition ids, account
// role keys, school codes in a name's place, and snake_case keys of any kind.
var internalCodes = []*regexp.Regexp{
	regexp.MustCompile(`\b(jingke|jindaoshi)-\d{4}\b`),
	regexp.MustCompile(`\b(office_admin|office_analyst|city_coordinator|school_operator)\b`),
	regexp.MustCompile(`\bS\d{9}\b`),
	regexp.MustCompile(`\b[a-z]+(_[a-z]+)+\b`),
}

// vocabKeys are the keys of the enumerations a page names (longer than two letters, as
// shorter ones occur in ordinary text).
func vocabKeys() map[string]bool {
	out := map[string]bool{}
	for _, e := range []vocab.Enum{vocab.Statuses, vocab.Categories, vocab.Levels, vocab.Verifications,
		vocab.DestinationTypes, vocab.Positions, vocab.Titles, vocab.Reasons, vocab.Channels, vocab.Outcomes,
		vocab.Roles, vocab.Evaluations, vocab.ConsentStates, vocab.Grades, vocab.TeacherRoles, vocab.Programs,
		vocab.AuditActions} {
		for _, k := range e.Keys() {
			if len(k) > 2 {
				out[k] = true
			}
		}
	}
	return out
}

var (
	tagRE  = regexp.MustCompile(`(?s)<script.*?</script>|<[^>]*>`)
	wordRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*(-\d{4})?`)
)

// visibleText is a page's text as a reader sees it: no markup, no attributes.
func visibleText(body string) string {
	return tagRE.ReplaceAllString(codeMarkup.ReplaceAllString(body, " "), " ")
}

// codesIn lists the internal codes in a page's text.
func codesIn(body string, keys map[string]bool) []string {
	text := visibleText(body)
	found := map[string]bool{}
	for _, re := range internalCodes {
		for _, m := range re.FindAllString(text, -1) {
			found[m] = true
		}
	}
	for _, w := range wordRE.FindAllString(text, -1) {
		if keys[w] {
			found[w] = true
		}
	}
	var out []string
	for k := range found {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestPagesNameNotCode renders every page of every role in Chinese and fails on an
// internal code shown where a name belongs.
func TestPagesNameNotCode(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	code, due, _, _ := f.dueSchool()
	var mentor, mentee int64
	if err := f.st.Pool.QueryRow(ctx, `SELECT mentor_id, person_id FROM participations
		WHERE mentor_id IS NOT NULL ORDER BY id LIMIT 1`).Scan(&mentor, &mentee); err != nil {
		t.Fatal(err)
	}
	person := fmt.Sprint(due.Persons[0].PersonID)
	var teacher string // a teacher of the school, if it has one, else the person
	if err := f.st.Pool.QueryRow(ctx, `SELECT coalesce(min(p.id)::text, $2) FROM persons p JOIN organizations o ON o.id = p.school_id
		JOIN participations pa ON pa.person_id = p.id AND pa.program = 'jindaoshi'
		WHERE o.code = $1 AND p.consent_state IN ('not_required', 'granted')`, code, person).Scan(&teacher); err != nil {
		t.Fatal(err)
	}
	var codeCity string // the city of the school, whose coordinator reads its pages
	if err := f.st.Pool.QueryRow(ctx, `SELECT city_code FROM organizations WHERE code = $1`, code).Scan(&codeCity); err != nil {
		t.Fatal(err)
	}
	office := []string{"/dashboard", "/cohorts?edition=jingke-2023&edition=jindaoshi-2023", "/reports?year=2025",
		"/persons", "/persons?edition=jingke-2023", "/persons/" + person, "/school?school=" + code, "/account/tokens",
		// analysts
		"/cohorts?edition=jingke-2022&edition=jindaoshi-2024&within=2&region=510100", "/cohorts/teachers?within=5",
		"/reports/print?year=2025"}
	roles := []struct {
		role  string
		nu    auth.NewUser
		pages []string
	}{
		{auth.RoleOfficeAdmin, auth.NewUser{}, append(office, "/imports", "/admin/users", "/admin/audit")},
		{auth.RoleOfficeAnalyst, auth.NewUser{}, office},
		{auth.RoleCityCoordinator, auth.NewUser{CityCode: codeCity}, []string{"/dashboard", "/reports?year=2025", "/persons",
			"/school?school=" + code, "/reports/print?year=2025", "/cohorts/teachers"}},
		{auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code}, []string{"/school", "/persons", "/persons/" + person, "/imports", "/account/tokens",
			// the school's cycle, and a teacher's page with the career-move form
			"/school/cycle", "/school/cycle?edition=jindaoshi-2026", "/persons/" + teacher}},
		{auth.RoleMentor, auth.NewUser{MentorID: mentor}, []string{"/persons", fmt.Sprintf("/persons/%d", mentee)}},
		{auth.RoleAuditor, auth.NewUser{}, []string{"/admin/audit", "/account/tokens"}},
	}
	// a record corrected and deleted puts edits on the person's history
	op := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code}))
	day := vocab.DateOf(time.Now()).AddDate(0, -1, 0).Format(time.DateOnly)
	op.post("/persons/"+person+"/awards", url.Values{"competition": {"科技创新大赛"}, "level": {"provincial"},
		"awarded_on": {day}}, http.StatusSeeOther)
	aws, err := f.st.AwardList(ctx, due.Persons[0].PersonID, false)
	if err != nil || len(aws) == 0 {
		t.Fatal(err)
	}
	aw := aws[len(aws)-1]
	base := fmt.Sprintf("/persons/%s/records/award/%d", person, aw.ID)
	op.post(base, url.Values{"version": {fmt.Sprint(aw.Version)}, "competition": {"科技创新大赛（更正）"},
		"level": {"national"}, "awarded_on": {day}}, http.StatusSeeOther)
	op.post(base+"/delete", url.Values{"version": {fmt.Sprint(aw.Version + 1)}}, http.StatusSeeOther)

	keys := vocabKeys()
	for _, r := range roles {
		c := f.login(f.user(r.role, r.nu))
		for _, p := range r.pages {
			if codes := codesIn(c.get(p, http.StatusOK), keys); len(codes) > 0 {
				t.Errorf("%s %s shows codes: %s", r.role, p, strings.Join(codes, ", "))
			}
		}
	}
}
