package selfreport_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/dbtest"
	"talentdb/internal/doors"
	"talentdb/internal/doortest"
	"talentdb/internal/identity"
	"talentdb/internal/report"
	"talentdb/internal/seed"
	"talentdb/internal/selfreport"
	"talentdb/internal/store"
)

// tiny is a demo scale small enough to seed each test's database in a second or two.
var tiny = seed.Scale{Name: "tiny", Schools: 40, Institutions: 4, MentorsPerInstitution: 2, Persons: 800}

type fixture struct {
	t      *testing.T
	ctx    context.Context
	st     *store.Store
	d      *doors.Doors
	school access.Caller // the operator of the school with the most alumni due
	code   string
	today  time.Time
}

func setup(t *testing.T) *fixture {
	t.Helper()
	st := dbtest.New(t)
	if _, err := seed.Run(context.Background(), st, identity.TestKeys(), seed.Options{Scale: tiny, Seed: 1}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	d := doors.New(st, identity.TestKeys(), doors.Options{})
	f := &fixture{t: t, ctx: context.Background(), st: st, d: d, today: d.Reports.Today()}
	codes := doortest.Strings(t, st, `SELECT o.code FROM due_state d JOIN organizations o ON o.id = d.school_id
		GROUP BY o.code ORDER BY count(*) DESC, o.code LIMIT 1`)
	f.code = codes[0]
	var id int64
	if err := st.Pool.QueryRow(f.ctx, `SELECT id FROM organizations WHERE code = $1`, f.code).Scan(&id); err != nil {
		t.Fatal(err)
	}
	f.school = access.Caller{Username: "school.op", Role: access.RoleSchoolOperator, SchoolID: id, Via: access.ViaSession}
	return f
}

func (f *fixture) due() report.DueReport {
	f.t.Helper()
	r, err := f.d.Reports.FollowUpsDue(f.ctx, f.school, report.DueFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

var phone = netip.MustParseAddr("192.0.2.7")

func respondent() access.Caller { return access.Respondent("req-1", &phone) }

func yes() *bool { b := true; return &b }

// birthOf is the birth date of person id.
func (f *fixture) birthOf(id int64) time.Time {
	var b time.Time
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT birth_date FROM persons WHERE id = $1`, id).Scan(&b); err != nil {
		f.t.Fatal(err)
	}
	return b
}

// TestLinksForTheDueListAnswerAccept: the school makes links for its whole due list; one
// alumnus opens theirs (given name and school only) and answers; the school accepts; the
// person has left the due list, with a survey follow-up dated the day of the answer, the
// destination and the prize recorded and the link used up.
func TestLinksForTheDueListAnswerAccept(t *testing.T) {
	t.Parallel()
	f := setup(t)
	before := f.due()
	made, err := f.d.SelfReports.MakeLinks(f.ctx, f.school, selfreport.MakeInput{Due: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(made) != len(before.Persons) || len(made) == 0 {
		t.Fatalf("%d links for %d due", len(made), len(before.Persons))
	}
	// an alumnus of 14 or more answers for themselves
	var m selfreport.Made
	for _, x := range made {
		if !f.birthOf(x.PersonID).AddDate(14, 0, 0).After(f.today) {
			m = x
			break
		}
	}
	if m.Token == "" || !strings.HasPrefix(m.URL, "/r/") {
		t.Fatalf("no adult alumnus among the links, or a bad URL: %+v", m)
	}
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM self_report_links WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, m.Token); n != 1 {
		t.Fatalf("the link's hash is not stored: %d", n)
	}
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM self_report_links l WHERE position($1 IN encode(l.token_hash, 'escape')) > 0`, m.Token); n != 0 {
		t.Fatal("the token is stored")
	}
	o, err := f.d.SelfReports.Open(f.ctx, respondent(), m.Token)
	if err != nil {
		t.Fatal(err)
	}
	if o.Guardian || o.GivenName == "" || !strings.HasSuffix(m.PersonName, o.GivenName) || o.GivenName == m.PersonName || o.SchoolName == "" {
		t.Fatalf("opening %+v of %s", o, m.PersonName)
	}
	started := f.today.AddDate(0, -2, 0).Format(time.DateOnly)
	prizeOn := f.today.AddDate(0, -1, 0).Format(time.DateOnly)
	d := selfreport.AnswerDraft{DestType: doortest.Ptr("高校"), DestOrgName: doortest.Ptr("四川大学"),
		DestStartedOn: &started, ContactAgain: yes(),
		Prizes: []selfreport.PrizeDraft{{Competition: doortest.Ptr("全国青少年科技创新大赛"), Level: doortest.Ptr("省级"),
			AwardedOn: &prizeOn}, {}}}
	if err := f.d.SelfReports.Answer(f.ctx, respondent(), m.Token, d); err != nil {
		t.Fatal(err)
	}
	// a reused token is refused, and answers like a dead link
	if err := f.d.SelfReports.Answer(f.ctx, respondent(), m.Token, d); !errors.Is(err, selfreport.ErrLinkDead) {
		t.Fatalf("a second answer: %v", err)
	}
	if _, err := f.d.SelfReports.Open(f.ctx, respondent(), m.Token); !errors.Is(err, selfreport.ErrLinkDead) {
		t.Fatalf("opening a used link: %v", err)
	}
	q, err := f.d.SelfReports.Queue(f.ctx, f.school, "", "", 0)
	if err != nil || len(q) != 1 || q[0].PersonID != m.PersonID || q[0].Respondent != "self" {
		t.Fatalf("queue: %v %+v", err, q)
	}
	// nothing is recorded before the school accepts
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM follow_ups WHERE person_id = $1 AND channel = 'survey'`, m.PersonID); n != 0 {
		t.Fatalf("%d survey follow-ups before the acceptance", n)
	}
	acc, err := f.d.SelfReports.Accept(f.ctx, f.school, q[0].ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acc.Status != "accepted" || acc.FollowUpID == nil || acc.DestinationID == nil || len(acc.AwardIDs) != 1 {
		t.Fatalf("accepted: %+v", acc)
	}
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM follow_ups WHERE id = $1 AND person_id = $2 AND channel = 'survey'
		AND outcome = 'reached' AND contacted_on = $3 AND made_by = 'school.op'`, *acc.FollowUpID, m.PersonID, f.today); n != 1 {
		t.Fatal("the survey follow-up is not as answered")
	}
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM destinations WHERE id = $1 AND type = 'university' AND org_name = '四川大学'`,
		*acc.DestinationID); n != 1 {
		t.Fatal("the destination is not as answered")
	}
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM awards WHERE id = $1 AND level = 'provincial' AND verification = 'reported'`,
		acc.AwardIDs[0]); n != 1 {
		t.Fatal("the award is not as answered, awaiting verification")
	}
	after := f.due()
	for _, p := range after.Persons {
		if p.PersonID == m.PersonID {
			t.Fatal("the person is still on the due list")
		}
	}
	if len(after.Persons) != len(before.Persons)-1 {
		t.Errorf("due list %d → %d", len(before.Persons), len(after.Persons))
	}
	// a second review is refused
	if _, err := f.d.SelfReports.Accept(f.ctx, f.school, q[0].ID, nil); !errors.Is(err, access.ErrConflict) {
		t.Errorf("accepting twice: %v", err)
	}
	// every step left its audit row
	for _, a := range []string{"create self_report_link", "create self_report", "transition self_report",
		"read self_report", "create follow_up", "create destination", "create award"} {
		if n := doortest.Count(t, f.st, `SELECT count(*) FROM audit_log WHERE action || ' ' || entity = $1`, a); n == 0 {
			t.Errorf("no audit row %q", a)
		}
	}
}

// TestGuardianAnswers: for a person under 14 the page addresses the guardian, who must
// give their name and confirm; the answer records them as the respondent.
func TestGuardianAnswers(t *testing.T) {
	t.Parallel()
	f := setup(t)
	// a child whose consent the guardian gave, and the operator of their school
	var id int64
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT p.id, p.school_id FROM persons p
		WHERE p.birth_date > $1 AND p.consent_state = 'granted' AND p.merged_into IS NULL AND p.school_id IS NOT NULL
		ORDER BY p.id LIMIT 1`, f.today.AddDate(-14, 0, 0)).Scan(&id, &f.school.SchoolID); err != nil {
		t.Fatalf("a child with consent in the tiny data set: %v", err)
	}
	made, err := f.d.SelfReports.MakeLinks(f.ctx, f.school, selfreport.MakeInput{PersonIDs: []int64{id}})
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.d.SelfReports.Open(f.ctx, respondent(), made[0].Token)
	if err != nil || !o.Guardian {
		t.Fatalf("opening for a child: %+v %v", o, err)
	}
	no := false
	err = f.d.SelfReports.Answer(f.ctx, respondent(), made[0].Token, selfreport.AnswerDraft{ContactAgain: &no})
	fields := map[string]bool{}
	for _, fe := range check.All(err) {
		fields[fe.Field] = true
	}
	if !fields["guardian_name"] || !fields["guardian_confirm"] {
		t.Fatalf("a child's answer without the guardian: %v", err)
	}
	if err := f.d.SelfReports.Answer(f.ctx, respondent(), made[0].Token, selfreport.AnswerDraft{ContactAgain: &no,
		GuardianName: doortest.Ptr("王芳"), GuardianConfirm: true}); err != nil {
		t.Fatal(err)
	}
	q, err := f.d.SelfReports.Queue(f.ctx, f.school, "", "", 0)
	if err != nil || len(q) != 1 || q[0].Respondent != "guardian" || q[0].GuardianName == nil || *q[0].GuardianName != "王芳" {
		t.Fatalf("queue: %v %+v", err, q)
	}
	acc, err := f.d.SelfReports.Accept(f.ctx, f.school, q[0].ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	// they asked not to be contacted again: the follow-up records the opt-out
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM follow_ups WHERE id = $1 AND outcome = 'opted_out' AND channel = 'survey'`,
		*acc.FollowUpID); n != 1 {
		t.Error("the opt-out is not recorded")
	}
}

// TestDeadLinksAnswerAlike: unknown, forged, expired, revoked and used links all answer
// ErrLinkDead, with the same message.
func TestDeadLinksAnswerAlike(t *testing.T) {
	t.Parallel()
	f := setup(t)
	due := f.due()
	if len(due.Persons) < 3 {
		t.Fatal("too few due")
	}
	mk := func(i int) selfreport.Made {
		m, err := f.d.SelfReports.MakeLinks(f.ctx, f.school, selfreport.MakeInput{PersonIDs: []int64{due.Persons[i].PersonID}})
		if err != nil {
			t.Fatal(err)
		}
		return m[0]
	}
	used, revoked, expired := mk(0), mk(1), mk(2)
	if err := f.d.SelfReports.Answer(f.ctx, respondent(), used.Token, selfreport.AnswerDraft{ContactAgain: yes(),
		GuardianName: doortest.Ptr("家长"), GuardianConfirm: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.d.SelfReports.Revoke(f.ctx, f.school, revoked.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Pool.Exec(f.ctx, `UPDATE self_report_links SET made_at = now() - interval '40 days',
		expires_at = now() - interval '10 days' WHERE id = $1`, expired.ID); err != nil {
		t.Fatal(err)
	}
	forged := used.Token[:len(used.Token)-2] + "AA"
	unknown := strings.Repeat("A", 40)
	var msgs []string
	for _, tok := range []string{used.Token, revoked.Token, expired.Token, forged, unknown, "", "../../etc"} {
		_, err := f.d.SelfReports.Open(f.ctx, respondent(), tok)
		if !errors.Is(err, selfreport.ErrLinkDead) {
			t.Errorf("open %q: %v", tok, err)
		}
		err2 := f.d.SelfReports.Answer(f.ctx, respondent(), tok, selfreport.AnswerDraft{ContactAgain: yes()})
		if !errors.Is(err2, selfreport.ErrLinkDead) {
			t.Errorf("answer %q: %v", tok, err2)
		}
		if err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	for _, m := range msgs {
		if m != msgs[0] {
			t.Errorf("dead links answer differently: %q vs %q", m, msgs[0])
		}
	}
	// revoking twice, or a used link, is not found
	if _, err := f.d.SelfReports.Revoke(f.ctx, f.school, used.ID); !errors.Is(err, access.ErrNotFound) {
		t.Errorf("revoking a used link: %v", err)
	}
}

// TestAnswerValidation: the answer is checked by the API's rules, every field at once,
// named by its place: enumerations, dates (none in the future), the required choice.
func TestAnswerValidation(t *testing.T) {
	t.Parallel()
	f := setup(t)
	due := f.due()
	m, err := f.d.SelfReports.MakeLinks(f.ctx, f.school, selfreport.MakeInput{PersonIDs: []int64{due.Persons[0].PersonID}})
	if err != nil {
		t.Fatal(err)
	}
	tomorrow := f.today.AddDate(0, 0, 1).Format(time.DateOnly)
	err = f.d.SelfReports.Answer(f.ctx, respondent(), m[0].Token, selfreport.AnswerDraft{
		GuardianName: doortest.Ptr("家长"), GuardianConfirm: true,
		DestType: doortest.Ptr("火星"), DestStartedOn: doortest.Ptr("2025-09-01"),
		Prizes: []selfreport.PrizeDraft{{Competition: doortest.Ptr("市赛"), Level: doortest.Ptr("市级"), AwardedOn: &tomorrow},
			{Competition: doortest.Ptr("省赛"), Level: doortest.Ptr("宇宙级"), AwardedOn: doortest.Ptr("2025-13-01")}}})
	got := map[string]string{}
	for _, fe := range check.All(err) {
		got[fe.Field] = fe.Message
	}
	for _, want := range []string{"destination.type", "prizes[0].awarded_on", "prizes[1].level", "prizes[1].awarded_on", "contact_again"} {
		if got[want] == "" {
			t.Errorf("no error on %s (got %v)", want, got)
		}
	}
	if msg := got["prizes[0].awarded_on"]; !strings.Contains(msg, "不能晚于今天") || !strings.Contains(msg, "cannot be after today") {
		t.Errorf("the future date's message: %q", msg)
	}
	// nothing was recorded, and the link still works
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM self_reports`); n != 0 {
		t.Errorf("%d answers after a refused one", n)
	}
	if _, err := f.d.SelfReports.Open(f.ctx, respondent(), m[0].Token); err != nil {
		t.Errorf("the link after a refused answer: %v", err)
	}
}

// TestConcurrentAnswersOneWins: of two answers through one link at once, one lands.
func TestConcurrentAnswersOneWins(t *testing.T) {
	t.Parallel()
	f := setup(t)
	m, err := f.d.SelfReports.MakeLinks(f.ctx, f.school, selfreport.MakeInput{PersonIDs: []int64{f.due().Persons[0].PersonID}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.d.SelfReports.Answer(f.ctx, respondent(), m[0].Token, selfreport.AnswerDraft{ContactAgain: yes(),
				GuardianName: doortest.Ptr("家长"), GuardianConfirm: true})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, selfreport.ErrLinkDead):
			t.Errorf("a concurrent answer: %v", err)
		}
	}
	if ok != 1 || doortest.Count(t, f.st, `SELECT count(*) FROM self_reports`) != 1 {
		t.Errorf("%d answers landed", ok)
	}
}

// TestRateLimitedPerToken: a token asked more often than TokenRate allows is refused for
// a while, before any query.
func TestRateLimitedPerToken(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var rl *selfreport.RateLimitedError
	tok := strings.Repeat("B", 40)
	for i := range selfreport.TokenRate.Burst + 1 {
		_, err := f.d.SelfReports.Open(f.ctx, respondent(), tok)
		if i < selfreport.TokenRate.Burst && !errors.Is(err, selfreport.ErrLinkDead) {
			t.Fatalf("use %d: %v", i, err)
		}
		if i == selfreport.TokenRate.Burst && !errors.As(err, &rl) {
			t.Fatalf("use %d past the rate: %v", i, err)
		}
	}
}

// TestRefusedToRolesThePolicyDoesNotName: every method refuses every role its action's
// policy row does not name; the respondent may only open and answer.
func TestRefusedToRolesThePolicyDoesNotName(t *testing.T) {
	t.Parallel()
	f := setup(t)
	s := f.d.SelfReports
	edited := false
	ops := []doortest.Op{
		{Name: "MakeLinks", Act: access.SelfReportLink, Call: func(c access.Caller) error {
			return doortest.Err(s.MakeLinks(f.ctx, c, selfreport.MakeInput{School: f.code, Due: true}))
		}},
		{Name: "Links", Act: access.SelfReportLink, Call: func(c access.Caller) error {
			return doortest.Err(s.Links(f.ctx, c, f.code, 0, 10))
		}},
		{Name: "Revoke", Act: access.SelfReportLink, Call: func(c access.Caller) error { return doortest.Err(s.Revoke(f.ctx, c, 1)) }},
		{Name: "Queue", Act: access.SelfReportReview, Call: func(c access.Caller) error {
			return doortest.Err(s.Queue(f.ctx, c, f.code, "", 10))
		}},
		{Name: "Accept", Act: access.SelfReportReview, Call: func(c access.Caller) error { return doortest.Err(s.Accept(f.ctx, c, 1, nil)) }},
		{Name: "Reject", Act: access.SelfReportReview, Call: func(c access.Caller) error {
			return doortest.Err(s.Reject(f.ctx, c, 1, "no"))
		}},
		{Name: "Open", Act: access.SelfReportAnswer, Call: func(c access.Caller) error {
			return doortest.Err(s.Open(f.ctx, c, strings.Repeat("C", 40)))
		}},
		{Name: "Answer", Act: access.SelfReportAnswer, Call: func(c access.Caller) error {
			return s.Answer(f.ctx, c, strings.Repeat("C", 40), selfreport.AnswerDraft{})
		}},
	}
	callers := append(doortest.Callers(f.school.SchoolID), respondent())
	doortest.Refused(t, ops, callers, &edited)
}

// TestRespondentScopeSeesNothing: the holder of a link reads no row of any personal
// table in its own transactions; the link's person is reachable only through the link's
// functions, and only with its token's hash.
func TestRespondentScopeSeesNothing(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := store.WithScope(f.ctx, store.ScopeFor(respondent()))
	for _, table := range []string{"persons", "participations", "follow_ups", "awards", "destinations", "self_report_links",
		"self_reports", "due_state", "audit_log", "consents"} {
		var n int
		if err := f.st.InTx(ctx, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n)
		}); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if n != 0 {
			t.Errorf("the respondent sees %d rows of %s", n, table)
		}
	}
	// nor does a school read its links' hashes
	school := store.WithScope(f.ctx, store.ScopeFor(f.school))
	if _, err := f.d.SelfReports.MakeLinks(f.ctx, f.school, selfreport.MakeInput{Due: true}); err != nil {
		t.Fatal(err)
	}
	err0 := f.st.InTx(school, func(tx pgx.Tx) error {
		var h []byte
		return tx.QueryRow(school, "SELECT token_hash FROM self_report_links LIMIT 1").Scan(&h)
	})
	if err0 == nil || !strings.Contains(err0.Error(), "permission denied") {
		t.Errorf("a school reads a link's hash: %v", err0)
	}
	// another person's link cannot be answered without its token
	if _, err := f.st.SelfReportOpen(ctx, make([]byte, 32)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("opening an unknown hash: %v", err)
	}
	// the respondent cannot write the tables directly
	err := f.st.InTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO self_reports (link_id, person_id, school_id, answered_on, respondent, contact_again)
			SELECT id, person_id, school_id, now()::date, 'self', true FROM self_report_links LIMIT 1`)
		return err
	})
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM self_reports`); n != 0 {
		t.Errorf("the respondent wrote an answer directly (%v)", err)
	}
}
