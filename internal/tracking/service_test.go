package tracking_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/dbtest"
	"talentdb/internal/doortest"
	"talentdb/internal/store"
	"talentdb/internal/tracking"
)

type fixture struct {
	st     *store.Store
	svc    *tracking.Service
	ctx    context.Context
	caller access.Caller // the office
	school int64
	other  int64
	person int64
}

var (
	d, dp = doortest.Date, doortest.DatePtr
	sp    = doortest.Ptr[string]
)

// set is an edit that replaces a record's fields with in, whatever the record says.
func set[R, I any](in I) func(R) (I, error) { return func(R) (I, error) { return in, nil } }

// setup makes a database with two schools and one person born 1985-04-02, and a Service
// whose today is 2026-06-30.
func setup(t *testing.T) fixture {
	t.Helper()
	f := fixture{st: dbtest.New(t), ctx: context.Background(), caller: access.Caller{Username: "tester", Role: access.RoleOfficeAdmin}}
	f.svc = tracking.New(f.st, func() time.Time { return time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC) })
	q := func(sql string, args ...any) int64 {
		var id int64
		if err := f.st.Pool.QueryRow(f.ctx, sql, args...).Scan(&id); err != nil {
			t.Fatalf("fixture: %v", err)
		}
		return id
	}
	f.school = q(`INSERT INTO organizations (code, name, kind, type, region_code)
		VALUES ('BS01', '成都市第一小学', 'school', 'primary', '510104') RETURNING id`)
	f.other = q(`INSERT INTO organizations (code, name, kind, type, region_code)
		VALUES ('BS02', '成都市第七中学', 'school', 'senior_high', '510104') RETURNING id`)
	f.person = q(`INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date, school_id)
		VALUES (decode(repeat('ab', 32), 'hex'), '\x00', '5101**************', '王老师', 'female', '1985-04-02', $1)
		RETURNING id`, f.school)
	return f
}

func (f fixture) moves(t *testing.T) map[string]string {
	t.Helper()
	ms, err := f.st.CareerMoveList(f.ctx, f.person, false)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range ms {
		end := "open"
		if m.EndedOn != nil {
			end = m.EndedOn.Format(time.DateOnly)
		}
		out[m.StartedOn.Format(time.DateOnly)] = end
	}
	return out
}

func TestCareerMovesLinkAndRelink(t *testing.T) {
	t.Parallel()
	f := setup(t)
	add := func(start string, end *time.Time) (store.CareerMove, error) {
		var ended *string
		if end != nil {
			ended = sp(end.Format(time.DateOnly))
		}
		return f.svc.CreateCareerMove(f.ctx, f.caller, f.person, tracking.CareerMoveDraft{OrgCode: sp("BS01"),
			Position: sp("teacher"), StartedOn: sp(start), EndedOn: ended})
	}
	if _, err := add("2010-09-01", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := add("2020-09-01", nil); err != nil { // closes the open one
		t.Fatal(err)
	}
	mid, err := add("2015-09-01", nil) // between: re-links
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"2010-09-01": "2015-09-01", "2015-09-01": "2020-09-01", "2020-09-01": "open"}
	if got := f.moves(t); !equal(got, want) {
		t.Fatalf("after insert between: %v, want %v", got, want)
	}
	// an explicit interval in the last open stretch, and one overlapping it
	if _, err := add("2022-01-01", dp("2023-01-01")); err != nil {
		t.Fatal(err)
	}
	_, err = add("2022-06-01", nil)
	if re, ok := tracking.IsRule(err); !ok || re.Rule != "overlap" {
		t.Fatalf("overlapping move: err = %v, want overlap", err)
	}
	// deleting the middle one re-links its neighbours; restoring splits them again
	if _, err := f.svc.DeleteCareerMove(f.ctx, f.caller, mid.ID, nil); err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"2010-09-01": "2020-09-01", "2020-09-01": "2022-01-01", "2022-01-01": "2023-01-01"}
	if got := f.moves(t); !equal(got, want) {
		t.Fatalf("after delete: %v, want %v", got, want)
	}
	if _, err := f.svc.RestoreCareerMove(f.ctx, f.caller, mid.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got := f.moves(t)["2010-09-01"]; got != "2015-09-01" {
		t.Fatalf("after restore: 2010 move ends %s, want 2015-09-01", got)
	}
	// where was the teacher on a date
	m, err := f.st.CareerMoveOn(f.ctx, f.person, d("2016-01-01"))
	if err != nil || !m.StartedOn.Equal(d("2015-09-01")) {
		t.Fatalf("on 2016-01-01: %v %v", m.StartedOn, err)
	}
	if _, err := f.st.CareerMoveOn(f.ctx, f.person, d("2023-06-01")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("on 2023-06-01 (after an explicit end): err = %v, want not found", err)
	}
	// same start twice
	if _, err := add("2015-09-01", nil); !errors.As(err, new(*store.DuplicateError)) {
		t.Fatalf("same start: err = %v, want duplicate", err)
	}
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestDestinationContinuesSchoolHistory(t *testing.T) {
	t.Parallel()
	f := setup(t)
	year := func() (int, int64, string) {
		var y int
		var school int64
		var source string
		err := f.st.Pool.QueryRow(f.ctx, `SELECT school_year, school_id, source FROM person_schools WHERE person_id = $1`,
			f.person).Scan(&y, &school, &source)
		if err != nil {
			return 0, 0, err.Error()
		}
		return y, school, source
	}
	dest, err := f.svc.CreateDestination(f.ctx, f.caller, f.person, tracking.DestinationDraft{Type: sp("senior_high"),
		OrgName: sp("成都市第七中学"), StartedOn: sp("2025-09-01")})
	if err != nil {
		t.Fatal(err)
	}
	if dest.OrgID == nil || *dest.OrgID != f.other {
		t.Fatalf("destination not linked by its unique name: org_id %v", dest.OrgID)
	}
	if y, school, src := year(); y != 2025 || school != f.other || src != "destination" {
		t.Fatalf("school history: %d %d %s", y, school, src)
	}
	// moving the start before August moves the school year back
	dest, err = f.svc.UpdateDestination(f.ctx, f.caller, dest.ID, dest.Version, set[store.Destination](tracking.DestinationDraft{
		Type: sp("senior_high"), OrgCode: sp("BS02"), StartedOn: sp("2025-07-15")}))
	if err != nil {
		t.Fatal(err)
	}
	if y, _, _ := year(); y != 2024 {
		t.Fatalf("school year after moving the start to July: %d, want 2024", y)
	}
	if _, err := f.svc.DeleteDestination(f.ctx, f.caller, dest.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, src := year(); src != "no rows in result set" {
		t.Fatalf("school history after delete: %s", src)
	}
	if _, err := f.svc.RestoreDestination(f.ctx, f.caller, dest.ID, nil); err != nil {
		t.Fatal(err)
	}
	if y, _, _ := year(); y != 2024 {
		t.Fatalf("school history after restore: %d", y)
	}
}

func TestTeachersInEducation(t *testing.T) {
	t.Parallel()
	f := setup(t)
	if _, err := f.st.Pool.Exec(f.ctx, `INSERT INTO editions (id, program, year, starts_on, ends_on)
		VALUES ('jindaoshi-2023', 'jindaoshi', 2023, '2023-03-01', '2024-02-29')`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Pool.Exec(f.ctx, `INSERT INTO participations (person_id, edition_id, program, school_id, category_code, teacher_role, status)
		SELECT $1, 'jindaoshi-2023', 'jindaoshi', $2, code, 'young', 'completed' FROM categories WHERE program = 'jindaoshi' LIMIT 1`,
		f.person, f.school); err != nil {
		t.Fatal(err)
	}
	for _, m := range []tracking.CareerMoveDraft{
		{OrgCode: sp("BS01"), Position: sp("teacher"), StartedOn: sp("2010-09-01")},
		{OrgName: sp("某科技公司"), Position: sp("left_education"), StartedOn: sp("2025-01-01")},
	} {
		if _, err := f.svc.CreateCareerMove(f.ctx, f.caller, f.person, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		on            string
		trained, left int64
	}{{"2022-01-01", 0, 0}, {"2024-06-01", 1, 0}, {"2025-06-01", 1, 1}} {
		got, err := f.st.TeachersInEducationOn(f.ctx, d(c.on), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Trained != c.trained || got.LeftEducation != c.left || got.InEducation != c.trained-c.left {
			t.Errorf("on %s: %+v, want trained %d left %d", c.on, got, c.trained, c.left)
		}
	}
}

// Two writes that each pass the rules alone but not together never both succeed: the
// per-person lock serialises them.
func TestConcurrentWritesKeepTheRules(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for round := 0; round < 5; round++ {
		year := 2000 + 2*round
		results := make(chan error, 2)
		go func() {
			_, err := f.svc.CreateCareerMove(f.ctx, f.caller, f.person, tracking.CareerMoveDraft{OrgCode: sp("BS01"),
				Position: sp("teacher"), StartedOn: sp(fmt.Sprintf("%d-01-01", year)),
				EndedOn: sp(fmt.Sprintf("%d-01-01", year+1))})
			results <- err
		}()
		go func() {
			_, err := f.svc.CreateCareerMove(f.ctx, f.caller, f.person, tracking.CareerMoveDraft{OrgCode: sp("BS02"),
				Position: sp("teacher"), StartedOn: sp(fmt.Sprintf("%d-06-01", year)),
				EndedOn: sp(fmt.Sprintf("%d-06-01", year+1))})
			results <- err
		}()
		var ok, refused int
		for range 2 {
			err := <-results
			switch _, rule := tracking.IsRule(err); {
			case err == nil:
				ok++
			case rule:
				refused++
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if ok != 1 || refused != 1 {
			t.Fatalf("round %d: %d accepted, %d refused; want one each", round, ok, refused)
		}
	}

	// an opt-out and a later contact, concurrently: never both
	for round := 0; round < 5; round++ {
		day := time.Date(2020+round, 3, 1, 0, 0, 0, 0, time.UTC)
		results := make(chan error, 2)
		go func() {
			_, err := f.svc.CreateFollowUp(f.ctx, f.caller, f.person, tracking.FollowUpDraft{ContactedOn: sp(day.Format(time.DateOnly)),
				Channel: sp("phone"), Outcome: sp("opted_out")})
			results <- err
		}()
		go func() {
			_, err := f.svc.CreateFollowUp(f.ctx, f.caller, f.person, tracking.FollowUpDraft{ContactedOn: sp(day.AddDate(0, 1, 0).Format(time.DateOnly)),
				Channel: sp("wechat"), Outcome: sp("reached")})
			results <- err
		}()
		var ok int
		for range 2 {
			if err := <-results; err == nil {
				ok++
			} else if _, rule := tracking.IsRule(err); !rule {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d of the opt-out and the later contact accepted, want 1", round, ok)
		}
		// undo the round's opt-out, if it won, so the next round starts contactable
		fus, err := f.st.FollowUpList(f.ctx, f.person, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, fu := range fus {
			if fu.Outcome == "opted_out" {
				if _, err := f.svc.DeleteFollowUp(f.ctx, f.caller, fu.ID, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
