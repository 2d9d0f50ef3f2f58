package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"talentdb/internal/auth"
)

// TestCorrections: a school operator edits an award at the version the page read, deletes
// it and restores it; an edit over a newer version is refused in words with what was
// typed kept; a form with several mistakes shows each next to its field.
func TestCorrections(t *testing.T) {
	t.Parallel()
	f, c, pid, day := operatorOnDuePerson(t)
	id := strconv.FormatInt(pid, 10)
	c.post("/persons/"+id+"/awards", url.Values{"competition": {"青少年科技创新大赛"}, "level": {"provincial"},
		"awarded_on": {day}}, http.StatusSeeOther)
	awards, err := f.st.AwardList(context.Background(), pid, true)
	if err != nil || len(awards) == 0 {
		t.Fatalf("awards: %v %v", awards, err)
	}
	aw := awards[len(awards)-1]
	for _, a := range awards {
		if a.Competition == "青少年科技创新大赛" {
			aw = a
		}
	}
	base := "/persons/" + id + "/records/award/" + strconv.FormatInt(aw.ID, 10)
	page := c.get("/persons/"+id, http.StatusOK)
	contains(t, page, `id="records"`, `action="`+base+`"`, "青少年科技创新大赛")

	// two mistakes, two errors
	res := c.post(base, url.Values{"version": {strconv.Itoa(aw.Version)}, "competition": {""}, "level": {"provincial"},
		"awarded_on": {"2999-01-01"}}, http.StatusUnprocessableEntity)
	body := res.Body.String()
	contains(t, body, "此项必填。", "日期不能晚于今天。")
	if n := strings.Count(body, `class="field-error"`); n < 2 {
		t.Errorf("%d field errors, want 2", n)
	}

	// the edit at the version read
	res = c.post(base, url.Values{"version": {strconv.Itoa(aw.Version)}, "competition": {"青少年科技创新大赛（更正）"},
		"level": {"national"}, "awarded_on": {day}}, http.StatusSeeOther)
	if loc := res.Header().Get("Location"); !strings.Contains(loc, "done=record_saved") {
		t.Errorf("after the edit: %q", loc)
	}
	got, err := f.st.AwardGet(context.Background(), aw.ID)
	if err != nil || got.Competition != "青少年科技创新大赛（更正）" || got.Level != "national" {
		t.Fatalf("after the edit: %+v %v", got, err)
	}

	// a stale edit: refused in words, what was typed kept
	res = c.post(base, url.Values{"version": {strconv.Itoa(aw.Version)}, "competition": {"我输入的名称"},
		"level": {"national"}, "awarded_on": {day}}, http.StatusPreconditionFailed)
	contains(t, res.Body.String(), "此记录已被他人修改，请刷新后重试", `value="我输入的名称"`,
		`name="version" value="`+strconv.Itoa(got.Version)+`"`)

	// delete and restore
	c.post(base+"/delete", url.Values{"version": {strconv.Itoa(got.Version)}}, http.StatusSeeOther)
	del, _ := f.st.AwardGet(context.Background(), aw.ID)
	if del.DeletedAt == nil {
		t.Fatal("not deleted")
	}
	page = c.get("/persons/"+id, http.StatusOK)
	contains(t, page, `action="`+base+`/restore"`)
	c.post(base+"/restore", url.Values{"version": {strconv.Itoa(del.Version)}}, http.StatusSeeOther)
	if back, _ := f.st.AwardGet(context.Background(), aw.ID); back.DeletedAt != nil {
		t.Fatal("not restored")
	}

	// an analyst may not correct
	an := f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
	an.post(base+"/delete", url.Values{"version": {"1"}}, http.StatusForbidden)
}

// TestQuickFormsCheckLikeTheAPI: the quick forms write through the tracking door, so a
// value the page lets through but the door refuses (a rank longer than the API takes)
// comes back next to its field with the door's message, and nothing is written.
func TestQuickFormsCheckLikeTheAPI(t *testing.T) {
	t.Parallel()
	f, c, person, day := operatorOnDuePerson(t)
	id := strconv.FormatInt(person, 10)
	before, err := f.st.AwardList(context.Background(), person, true)
	if err != nil {
		t.Fatal(err)
	}
	res := c.post("/persons/"+id+"/awards", url.Values{"competition": {"青少年科技创新大赛"}, "level": {"provincial"},
		"rank": {strings.Repeat("一", 60)}, "awarded_on": {day}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), "等次 不能超过 50 个字符", "field-error")
	if after, err := f.st.AwardList(context.Background(), person, true); err != nil || len(after) != len(before) {
		t.Errorf("awards %d → %d (%v); want none written", len(before), len(after), err)
	}
}
