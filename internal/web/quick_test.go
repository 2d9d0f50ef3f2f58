package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"talentdb/internal/vocab"
)

// TestQuickFormsCheckLikeTheAPI: the quick forms write through the tracking door, so a
// value the page lets through but the door refuses (a rank longer than the API takes)
// comes back next to its field with the door's message, and nothing is written.
func TestQuickFormsCheckLikeTheAPI(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c, _, due := f.dueOperator()
	id := strconv.FormatInt(due.Persons[0].PersonID, 10)
	day := vocab.DateOf(time.Now()).AddDate(0, -1, 0).Format(time.DateOnly)
	person := due.Persons[0].PersonID
	before, err := f.st.AwardList(context.Background(), person, true)
	if err != nil {
		t.Fatal(err)
	}
	res := c.post("/persons/"+id+"/awards", url.Values{"competition": {"青少年科技创新大赛"}, "level": {"provincial"},
		"rank": {strings.Repeat("一", 60)}, "awarded_on": {day}}, http.StatusUnprocessableEntity)
	contains(t, res.Body.String(), "rank 不能超过 50 个字符", "field-error")
	if after, err := f.st.AwardList(context.Background(), person, true); err != nil || len(after) != len(before) {
		t.Errorf("awards %d → %d (%v); want none written", len(before), len(after), err)
	}
}
