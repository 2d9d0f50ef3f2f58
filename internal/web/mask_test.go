package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/identity"
)

// api sends a JSON request to the API with the Authorization header cred and returns the
// decoded object, failing unless the status is want.
func (f *fixture) api(method, path, cred string, body map[string]any, want int, headers ...string) map[string]any {
	f.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		f.t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", cred)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != want {
		f.t.Fatalf("%s %s: status %d, want %d: %s", method, path, rec.Code, want, rec.Body.String())
	}
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	return out
}

// xNumber is a valid identity number of region 510104 born on birth (YYYYMMDD) whose check
// character is X, with the smallest sequence from seq on — so that its last four
// characters cannot turn up on a page by chance.
func xNumber(t *testing.T, birth string, seq int) (string, int) {
	t.Helper()
	for ; seq < 1000; seq++ {
		first := fmt.Sprintf("510104%s%03d", birth, seq)
		if c, err := identity.CheckChar(first); err == nil && c == 'X' {
			return first + "X", seq
		}
	}
	t.Fatalf("no sequence from %d gives check character X", seq)
	return "", 0
}

var maskLikeRE = regexp.MustCompile(`[0-9]{4}\*{6,}[0-9X]*`)

// hidesDigits fails unless page shows none of digits 5-18 of each number, and every masked
// identity number on it keeps the first four digits and nothing else.
func hidesDigits(t *testing.T, what, page string, numbers ...string) {
	t.Helper()
	for _, n := range numbers {
		if strings.Contains(page, n[4:14]) || strings.Contains(page, n[14:]) {
			t.Errorf("%s shows digits the mask hides of %s…", what, n[:4])
		}
	}
	for _, m := range maskLikeRE.FindAllString(page, -1) {
		if !regexp.MustCompile(`^[0-9]{4}\*{14}$`).MatchString(m) {
			t.Errorf("%s has the masked form %q, want four digits and 14 stars", what, m)
		}
	}
}

// TestPagesHideAllButTheRegion: the person page (with the edit of the number in its
// timeline), the persons list and the school's follow-up page show a school operator the
// first four digits of an identity number only.
func TestPagesHideAllButTheRegion(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var code string
	if err := f.st.Pool.QueryRow(context.Background(),
		"SELECT code FROM organizations WHERE kind = 'school' ORDER BY code LIMIT 1").Scan(&code); err != nil {
		t.Fatal(err)
	}
	office := authtest.Bearer(t, f.st, auth.RoleOfficeAdmin)
	first, seq := xNumber(t, "20080101", 0)
	second, _ := xNumber(t, "20080101", seq+1)
	p := f.api("POST", "/api/v1/persons", office, map[string]any{"id_number": first, "name": "掩码测试",
		"school_code": code}, http.StatusCreated)
	id := strconv.FormatInt(int64(p["id"].(float64)), 10)
	f.api("PATCH", "/api/v1/persons/"+id, office, map[string]any{"id_number": second}, http.StatusOK,
		"If-Match", fmt.Sprintf(`"%v"`, p["version"]))

	c := f.login(f.user(auth.RoleSchoolOperator, auth.NewUser{SchoolCode: code}))
	page := c.get("/persons/"+id, http.StatusOK)
	contains(t, page, "5101**************", "掩码测试")
	hidesDigits(t, "the person page", page, first, second)
	list := c.get("/persons?name="+"掩码测试", http.StatusOK)
	contains(t, list, `href="/persons/`+id+`"`, "5101**************")
	hidesDigits(t, "the persons list", list, first, second)
	hidesDigits(t, "the school page", c.get("/school", http.StatusOK))
}
