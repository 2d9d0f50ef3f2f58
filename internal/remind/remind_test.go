package remind_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/dbtest"
	"talentdb/internal/doors"
	"talentdb/internal/doortest"
	"talentdb/internal/identity"
	"talentdb/internal/remind"
	"talentdb/internal/report"
	"talentdb/internal/seed"
	"talentdb/internal/store"
)

// tiny is a demo scale small enough to seed each test's database in a second or two.
var tiny = seed.Scale{Name: "tiny", Schools: 40, Institutions: 4, MentorsPerInstitution: 2, Persons: 800}

// fixture is tiny demo data with the doors over it, the digests' links under base,
// mail to a sink on loopback and retries a millisecond apart.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	st    *store.Store
	d     *doors.Doors
	sink  *smtpSink
	today time.Time
}

const base = "https://talentdb.example.cn"

// testHosts are the webhook hosts of the tests: the robots' own and the loopback address
// of the tests' robots.
var testHosts = []string{"qyapi.weixin.qq.com", "oapi.dingtalk.com", "127.0.0.1"}

func setup(t *testing.T) *fixture {
	t.Helper()
	st := dbtest.New(t)
	if _, err := seed.Run(context.Background(), st, identity.TestKeys(), seed.Options{Scale: tiny, Seed: 1}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	sink := newSMTPSink(t)
	d := doors.New(st, identity.TestKeys(), doors.Options{Remind: remind.Config{BaseURL: base + "/", WebhookHosts: testHosts,
		SMTP:  remind.SMTP{Addr: sink.Addr, From: "talentdb@example.cn"},
		Retry: remind.Retry{Tries: 3, Waits: []time.Duration{time.Millisecond}}}})
	return &fixture{t: t, ctx: context.Background(), st: st, d: d, sink: sink, today: d.Reports.Today()}
}

// schools returns n school codes with alumni due today, the most first.
func (f *fixture) schools(n int) []string {
	f.t.Helper()
	codes := doortest.Strings(f.t, f.st, `SELECT o.code FROM due_state d JOIN organizations o ON o.id = d.school_id
		WHERE d.listed GROUP BY o.code ORDER BY count(*) DESC, o.code LIMIT 20`)
	var out []string
	for _, c := range codes {
		if n, err := f.d.Reports.DueCounts(f.ctx, doortest.Office, report.DueFilter{SchoolCode: c}); err == nil && n.Due > 0 {
			out = append(out, c)
		}
		if len(out) == n {
			return out
		}
	}
	f.t.Fatalf("fewer than %d schools with alumni due", n)
	return nil
}

// schoolID is the id of the school with code.
func (f *fixture) schoolID(code string) int64 {
	f.t.Helper()
	var id int64
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT id FROM organizations WHERE code = $1`, code).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// set saves the settings of school code ("" the office's) as the office.
func (f *fixture) set(code string, in remind.SettingsInput) {
	f.t.Helper()
	cur, _, err := f.d.Reminders.Settings(f.ctx, doortest.Office, code)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.d.Reminders.SaveSettings(f.ctx, doortest.Office, code, cur.Version, in); err != nil {
		f.t.Fatalf("save settings of %q: %v", code, err)
	}
}

// due is the school's due list as its page shows it (the report door, as the office).
func (f *fixture) due(code string) report.DueReport {
	f.t.Helper()
	r, err := f.d.Reports.FollowUpsDue(f.ctx, doortest.Office, report.DueFilter{SchoolCode: code})
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// sends are the recorded sends: school code, channel, status, attempts, each a line.
func (f *fixture) sends() []string {
	return doortest.Strings(f.t, f.st, `SELECT o.code || ' ' || s.channel || ' ' || s.status || ' ' || s.attempts
		FROM reminder_sends s JOIN organizations o ON o.id = s.school_id ORDER BY s.id`)
}

// noNames fails when body holds the name of anyone on the schools' due lists.
func (f *fixture) noNames(what, body string, codes ...string) {
	f.t.Helper()
	for _, c := range codes {
		for _, p := range f.due(c).Persons {
			if strings.Contains(body, p.Name) || strings.Contains(body, p.IDNumberMasked) {
				f.t.Errorf("%s names %s of %s's due list: %s", what, p.Name, c, body)
			}
		}
	}
}

// TestDigestsReachRobotsAndMail: a school's digest reaches its 企业微信 robot, another's
// its 钉钉 robot and its mailbox, the office's province digest its mailbox — with the due
// list page's figures and link and nobody's name; a second run the same day sends
// nothing; --force sends again.
func TestDigestsReachRobotsAndMail(t *testing.T) {
	t.Parallel()
	f := setup(t)
	codes := f.schools(2)
	a, b := codes[0], codes[1]
	wecom, ding := newRobot(t, 200, `{"errcode":0,"errmsg":"ok"}`), newRobot(t, 200, `{"errcode":0,"errmsg":"ok"}`)
	f.set(a, remind.SettingsInput{Enabled: true, WebhookKind: "wecom", WebhookURL: wecom.URL + "/cgi-bin/webhook/send?key=SECRET"})
	f.set(b, remind.SettingsInput{Enabled: true, WebhookKind: "dingtalk", WebhookURL: ding.URL + "/robot/send?access_token=T",
		Emails: []string{"school-b@example.cn"}})
	f.set("", remind.SettingsInput{Enabled: true, Emails: []string{"office@example.cn"}})

	rep, err := f.d.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 4 || rep.Failed != 0 {
		t.Fatalf("sent %d failed %d, want 4 and 0: %+v", rep.Sent, rep.Failed, rep.Items)
	}
	for _, it := range rep.Items {
		if strings.Contains(strings.Join(it.To, " "), "SECRET") {
			t.Errorf("the report shows the robot's key: %v", it.To)
		}
	}

	// 企业微信: {"msgtype":"markdown","markdown":{"content":…}} with school A's figures
	dueA := f.due(a)
	if len(wecom.Bodies()) != 1 {
		t.Fatalf("wecom robot got %d posts", len(wecom.Bodies()))
	}
	var w struct {
		MsgType  string `json:"msgtype"`
		Markdown struct{ Content, Title, Text string }
	}
	if err := json.Unmarshal([]byte(wecom.Bodies()[0]), &w); err != nil || w.MsgType != "markdown" || w.Markdown.Content == "" {
		t.Fatalf("wecom body %s: %v", wecom.Bodies()[0], err)
	}
	for _, want := range []string{fmt.Sprintf("待联系往届学生：**%d** 人", dueA.DueCount),
		fmt.Sprintf("其中逾期：**%d** 人", dueA.OverdueCount), base + "/school?school=" + a} {
		if !strings.Contains(w.Markdown.Content, want) {
			t.Errorf("wecom content lacks %q:\n%s", want, w.Markdown.Content)
		}
	}
	f.noNames("the wecom post", wecom.Bodies()[0], a)

	// 钉钉: {"msgtype":"markdown","markdown":{"title":…,"text":…}}
	var dg struct {
		MsgType  string `json:"msgtype"`
		Markdown struct{ Title, Text string }
	}
	if err := json.Unmarshal([]byte(ding.Bodies()[0]), &dg); err != nil || dg.MsgType != "markdown" || dg.Markdown.Title == "" ||
		!strings.Contains(dg.Markdown.Text, fmt.Sprintf("**%d** 人", f.due(b).DueCount)) {
		t.Fatalf("dingtalk body %s: %v", ding.Bodies()[0], err)
	}
	f.noNames("the dingtalk post", ding.Bodies()[0], b)

	// e-mail: school B's and the office's, on the SMTP server on loopback
	msgs := f.sink.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	byTo := map[string]mailMsg{}
	for _, m := range msgs {
		byTo[strings.Join(m.To, ",")] = m
	}
	mb, mo := byTo["school-b@example.cn"], byTo["office@example.cn"]
	if body := mb.Body(t); !strings.Contains(body, fmt.Sprintf("待联系往届学生 %d 人，其中逾期 %d 人", f.due(b).DueCount, f.due(b).OverdueCount)) ||
		!strings.Contains(body, base+"/school?school="+b) {
		t.Errorf("school B's mail:\n%s", body)
	}
	f.noNames("school B's mail", mb.Raw+mb.Body(t), b)
	all, err := f.d.Reports.DueCounts(f.ctx, doortest.Office, report.DueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if body := mo.Body(t); !strings.Contains(body, fmt.Sprintf("全省合计：待联系 %d 人，逾期 %d 人", all.Due, all.Overdue)) ||
		!strings.Contains(body, "成都市：待联系") || !strings.Contains(body, base+"/dashboard") {
		t.Errorf("the office's mail:\n%s", body)
	}
	f.noNames("the office's mail", mo.Raw+mo.Body(t), a, b)

	// recorded, and idempotent for the day
	if got, oc := f.sends(), officeCode(t, f); !sameSet(got, []string{a + " wecom sent 1", b + " dingtalk sent 1",
		b + " email sent 1", oc + " email sent 1"}) {
		t.Errorf("sends: %q", got)
	}
	again, err := f.d.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Sent != 0 || again.Skipped != 4 || len(wecom.Bodies()) != 1 || len(f.sink.Messages()) != 2 || len(f.sends()) != 4 {
		t.Errorf("second run: sent %d skipped %d, %d posts, %d mails, %d sends", again.Sent, again.Skipped,
			len(wecom.Bodies()), len(f.sink.Messages()), len(f.sends()))
	}
	forced, err := f.d.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if forced.Sent != 4 || len(wecom.Bodies()) != 2 || len(f.sends()) != 8 {
		t.Errorf("forced run: sent %d, %d posts, %d sends", forced.Sent, len(wecom.Bodies()), len(f.sends()))
	}
}

func officeCode(t *testing.T, f *fixture) string {
	t.Helper()
	return doortest.Strings(t, f.st, `SELECT code FROM organizations WHERE kind = 'office' ORDER BY id LIMIT 1`)[0]
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// TestFailingWebhookIsRetriedAndRecorded: a robot answering 500 is tried three times and
// the send recorded as failed with its error; one answering 200 with an errcode fails too;
// the next run of the day tries a failed channel again.
func TestFailingWebhookIsRetriedAndRecorded(t *testing.T) {
	t.Parallel()
	f := setup(t)
	codes := f.schools(2)
	down, refusing := newRobot(t, 500, "oops"), newRobot(t, 200, `{"errcode":93000,"errmsg":"invalid webhook url"}`)
	f.set(codes[0], remind.SettingsInput{Enabled: true, WebhookKind: "wecom", WebhookURL: down.URL + "/send?key=K"})
	f.set(codes[1], remind.SettingsInput{Enabled: true, WebhookKind: "dingtalk", WebhookURL: refusing.URL + "/send?access_token=K"})
	rep, err := f.d.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 2 || rep.Sent != 0 || len(down.Bodies()) != 3 || len(refusing.Bodies()) != 3 {
		t.Fatalf("failed %d sent %d; posts %d and %d, want 2, 0, 3, 3", rep.Failed, rep.Sent, len(down.Bodies()), len(refusing.Bodies()))
	}
	got := doortest.Strings(t, f.st, `SELECT o.code || ' ' || s.status || ' ' || s.attempts || ' ' || s.error
		FROM reminder_sends s JOIN organizations o ON o.id = s.school_id ORDER BY o.code = $1 DESC`, codes[0])
	want := []string{codes[0] + " failed 3 HTTP 500", codes[1] + " failed 3 errcode 93000: invalid webhook url"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sends %q, want %q", got, want)
	}
	down.status, down.answer = 200, `{"errcode":0}`
	if rep, err = f.d.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{}); err != nil || rep.Sent != 1 {
		t.Errorf("the next run: sent %d, %v; want the failed channel sent", rep.Sent, err)
	}
}

// TestDryRunSendsNothing: a dry run says what would go where and sends and records nothing.
func TestDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code := f.schools(1)[0]
	rb := newRobot(t, 200, `{"errcode":0}`)
	f.set(code, remind.SettingsInput{Enabled: true, WebhookKind: "wecom", WebhookURL: rb.URL + "/send?key=K", Emails: []string{"a@example.cn"}})
	rep, err := f.d.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Items) != 2 || rep.Items[0].Outcome != remind.OutcomeWould || rep.Items[1].Outcome != remind.OutcomeWould ||
		!strings.Contains(rep.Items[1].Text, fmt.Sprintf("待联系往届学生 %d 人", f.due(code).DueCount)) {
		t.Fatalf("dry run: %+v", rep.Items)
	}
	if len(rb.Bodies()) != 0 || len(f.sink.Messages()) != 0 || len(f.sends()) != 0 {
		t.Errorf("a dry run sent: %d posts, %d mails, %d sends", len(rb.Bodies()), len(f.sink.Messages()), len(f.sends()))
	}
}

// TestSettingsScope: a school sets its own settings (audited, with the operator as
// actor) and may neither read nor change another school's; a stale save is refused.
func TestSettingsScope(t *testing.T) {
	t.Parallel()
	f := setup(t)
	codes := f.schools(2)
	own, other := f.schoolID(codes[0]), codes[1]
	op := doortest.As(access.RoleSchoolOperator, own)
	in := remind.SettingsInput{Enabled: true, Emails: []string{"ops@example.cn"}}
	s, err := f.d.Reminders.SaveSettings(f.ctx, op, "", 0, in)
	if err != nil || !s.Enabled || s.SchoolCode != codes[0] || s.Version != 1 {
		t.Fatalf("own settings: %+v, %v", s, err)
	}
	if _, err := f.d.Reminders.SaveSettings(f.ctx, op, codes[0], 0, in); !errors.Is(err, access.ErrStale) {
		t.Errorf("a save at an old version: %v, want ErrStale", err)
	}
	if _, err := f.d.Reminders.SaveSettings(f.ctx, op, other, 0, in); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("another school's settings: %v, want ErrForbidden", err)
	}
	if _, _, err := f.d.Reminders.Settings(f.ctx, op, other); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("reading another school's settings: %v, want ErrForbidden", err)
	}
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM reminder_settings WHERE school_id = $1`, f.schoolID(other)); n != 0 {
		t.Errorf("another school's settings were written")
	}
	if got := doortest.Strings(t, f.st, `SELECT action || ' by ' || actor FROM audit_log WHERE entity = 'reminder_settings'
		AND entity_id = $1`, fmt.Sprint(own)); strings.Join(got, ",") != "create by school_operator.user" {
		t.Errorf("audit: %q", got)
	}
	// the audit image keeps a robot's address but not its key
	hook := remind.SettingsInput{Enabled: true, WebhookKind: "wecom", WebhookURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET"}
	if _, err := f.d.Reminders.SaveSettings(f.ctx, op, "", 1, hook); err != nil {
		t.Fatal(err)
	}
	if got := doortest.Strings(t, f.st, `SELECT coalesce(after->>'webhook_url', '') || ' ' || coalesce(before->>'webhook_url', 'none')
		FROM audit_log WHERE entity = 'reminder_settings' AND action = 'update' AND entity_id = $1`, fmt.Sprint(own)); len(got) != 1 ||
		got[0] != "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?… none" {
		t.Errorf("audit of the webhook: %q", got)
	}
	// the office may set any school's
	if _, err := f.d.Reminders.SaveSettings(f.ctx, doortest.Office, other, 0, in); err != nil {
		t.Errorf("the office setting a school's: %v", err)
	}
	// and the run is the office's only
	if _, err := f.d.Reminders.Run(f.ctx, op, remind.RunOptions{DryRun: true}); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("a school running the reminders: %v", err)
	}
}

// TestSettingsValidation: every invalid field at once, and nothing written.
func TestSettingsValidation(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	d := doors.New(st, identity.TestKeys(), doors.Options{Remind: remind.Config{WebhookHosts: testHosts}})
	for _, c := range []struct {
		in     remind.SettingsInput
		fields []string
	}{
		{remind.SettingsInput{Enabled: true}, []string{"enabled"}},
		{remind.SettingsInput{WebhookKind: "wecom", WebhookURL: "http://qyapi.weixin.qq.com/send?key=K"}, []string{"webhook_url"}},
		{remind.SettingsInput{WebhookKind: "slack", WebhookURL: "https://oapi.dingtalk.com/robot/send"}, []string{"webhook_kind"}},
		{remind.SettingsInput{WebhookURL: "https://oapi.dingtalk.com/robot/send"}, []string{"webhook_kind"}},
		{remind.SettingsInput{Emails: []string{"a@example.cn", "不是邮箱", "B <b@example.cn>"}}, []string{"emails", "emails"}},
		{remind.SettingsInput{WebhookKind: "wecom", WebhookURL: "javascript:alert(1)", Emails: []string{"x@"}}, []string{"webhook_url", "emails"}},
	} {
		_, err := d.Reminders.SaveSettings(context.Background(), doortest.Office, "", 0, c.in)
		var got []string
		for _, fe := range check.All(err) {
			got = append(got, fe.Field)
		}
		if strings.Join(got, ",") != strings.Join(c.fields, ",") {
			t.Errorf("%+v: fields %v (%v), want %v", c.in, got, err, c.fields)
		}
	}
	// valid: refused only for the version given, which is checked after the fields
	for _, ok := range []string{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", "http://127.0.0.1:8080/hook", "https://oapi.dingtalk.com/robot/send?access_token=T"} {
		if _, err := d.Reminders.SaveSettings(context.Background(), doortest.Office, "", -1, remind.SettingsInput{WebhookKind: "wecom", WebhookURL: ok}); check.All(err) != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	if n := doortest.Count(t, st, `SELECT count(*) FROM reminder_settings`); n != 0 {
		t.Errorf("%d settings written", n)
	}
}

// TestRefusedToRolesThePolicyDoesNotName: every role without remind.read, remind.write or
// remind.send is refused.
func TestRefusedToRolesThePolicyDoesNotName(t *testing.T) {
	t.Parallel()
	f := doortest.Setup(t, func(st *store.Store) *remind.Service {
		return remind.New(st, report.New(st, nil), remind.Config{}, nil)
	})
	var edited bool
	doortest.Refused(t, []doortest.Op{
		{Name: "Settings", Act: access.RemindRead, Call: func(c access.Caller) error { _, _, err := f.Svc.Settings(f.Ctx, c, ""); return err }},
		{Name: "SaveSettings", Act: access.RemindWrite, Call: func(c access.Caller) error {
			return doortest.Err(f.Svc.SaveSettings(f.Ctx, c, "", 0, remind.SettingsInput{}))
		}},
		{Name: "Run", Act: access.RemindSend, Call: func(c access.Caller) error {
			return doortest.Err(f.Svc.Run(f.Ctx, c, remind.RunOptions{DryRun: true}))
		}},
	}, doortest.Callers(1), &edited)
}

// TestNextRun: the daily job's next run is today at the time in China, or tomorrow once
// it has passed, whatever the server's zone.
func TestNextRun(t *testing.T) {
	t.Parallel()
	at, on, err := remind.ParseDailyAt("08:30")
	if err != nil || !on {
		t.Fatal(at, on, err)
	}
	for now, want := range map[string]string{
		"2026-12-02T00:00:00Z": "2026-12-02T00:30:00Z", // 08:00 in China: 08:30 today
		"2026-12-02T00:30:00Z": "2026-12-03T00:30:00Z", // 08:30 exactly: tomorrow
		"2026-12-01T23:00:00Z": "2026-12-02T00:30:00Z", // 07:00 on the 2nd in China
		"2026-12-02T10:00:00Z": "2026-12-03T00:30:00Z",
	} {
		n, _ := time.Parse(time.RFC3339, now)
		if got := remind.NextRun(n, at).UTC().Format(time.RFC3339); got != want {
			t.Errorf("NextRun(%s) = %s, want %s", now, got, want)
		}
	}
	for _, s := range []string{"", "off"} {
		if _, on, err := remind.ParseDailyAt(s); on || err != nil {
			t.Errorf("%q: on %v, %v", s, on, err)
		}
	}
	if _, _, err := remind.ParseDailyAt("8h30"); err == nil {
		t.Error("8h30 accepted")
	}
}

// TestWebhookHostsAllowList: a webhook is saved only to a host of REMIND_WEBHOOK_HOSTS
// (by default the two robots'), loopback only when the list names it, and the field error
// names the field and the hosts; a webhook saved before the list changed is not posted to.
func TestWebhookHostsAllowList(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	def := doors.New(st, identity.TestKeys(), doors.Options{}) // REMIND_WEBHOOK_HOSTS unset: the default
	for _, bad := range []string{"https://evil.example.com/hook", "https://qyapi.weixin.qq.com.evil.example/x",
		"http://127.0.0.1:8080/hook", "http://localhost/x", "https://127.0.0.1/x", "https://[::1]/x",
		"https://169.254.169.254/latest/meta-data", "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=K"} {
		_, err := def.Reminders.SaveSettings(context.Background(), doortest.Office, "", 0,
			remind.SettingsInput{WebhookKind: "wecom", WebhookURL: bad})
		fes := check.All(err)
		if len(fes) != 1 || fes[0].Field != "webhook_url" {
			t.Errorf("%s: %v, want a webhook_url error", bad, err)
			continue
		}
		for _, want := range []string{"机器人地址", "webhook URL", "qyapi.weixin.qq.com", "oapi.dingtalk.com"} {
			if !strings.Contains(fes[0].Message, want) {
				t.Errorf("%s: the error %q does not say %q", bad, fes[0].Message, want)
			}
		}
	}
	for _, ok := range []string{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", "https://OAPI.dingtalk.com:443/robot/send?access_token=T"} {
		if _, err := def.Reminders.SaveSettings(context.Background(), doortest.Office, "", -1,
			remind.SettingsInput{WebhookKind: "wecom", WebhookURL: ok}); check.All(err) != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	if n := doortest.Count(t, st, `SELECT count(*) FROM reminder_settings`); n != 0 {
		t.Errorf("%d settings written", n)
	}
}

// TestSenderChecksTheAllowList: a webhook saved while the list named its host is not
// posted to once the list no longer does; the send is recorded as failed, not tried, and
// the school's e-mail still goes out.
func TestSenderChecksTheAllowList(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code := f.schools(1)[0]
	rb := newRobot(t, 200, `{"errcode":0}`)
	f.set(code, remind.SettingsInput{Enabled: true, WebhookKind: "wecom", WebhookURL: rb.URL + "/send?key=K", Emails: []string{"a@example.cn"}})
	later := doors.New(f.st, identity.TestKeys(), doors.Options{Remind: remind.Config{BaseURL: base,
		SMTP:  remind.SMTP{Addr: f.sink.Addr, From: "talentdb@example.cn"},
		Retry: remind.Retry{Tries: 3, Waits: []time.Duration{time.Millisecond}}}}) // the default list: no loopback
	dry, err := later.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{DryRun: true})
	if err != nil || len(dry.Items) != 2 || dry.Items[0].Outcome != remind.OutcomeFailed || dry.Items[1].Outcome != remind.OutcomeWould {
		t.Errorf("dry run with the host off the list: %+v, %v", dry.Items, err)
	}
	rep, err := later.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rb.Bodies()) != 0 || rep.Failed != 1 || rep.Sent != 1 || len(f.sink.Messages()) != 1 {
		t.Fatalf("posted %d times, failed %d, sent %d, %d mails; want 0, 1, 1, 1: %+v", len(rb.Bodies()), rep.Failed, rep.Sent,
			len(f.sink.Messages()), rep.Items)
	}
	if got := doortest.Strings(t, f.st, `SELECT s.channel || ' ' || s.status || ' ' || s.attempts || ' ' || coalesce(s.error, '')
		FROM reminder_sends s ORDER BY s.channel`); len(got) != 2 || got[0] != "email sent 1 " ||
		!strings.HasPrefix(got[1], "wecom failed 0 ") || !strings.Contains(got[1], "REMIND_WEBHOOK_HOSTS") || strings.Contains(got[1], "key=K") {
		t.Errorf("sends: %q", got)
	}
}

// TestConcurrentRunsSendOnce: two runs at the same moment (cron's and the server's daily
// job) send each digest once; a forced run sends again and is recorded as forced.
func TestConcurrentRunsSendOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	codes := f.schools(2)
	wecom, ding := newRobot(t, 200, `{"errcode":0}`), newRobot(t, 200, `{"errcode":0}`)
	wecom.delay, ding.delay = 300*time.Millisecond, 300*time.Millisecond
	f.set(codes[0], remind.SettingsInput{Enabled: true, WebhookKind: "wecom", WebhookURL: wecom.URL + "/send?key=K"})
	f.set(codes[1], remind.SettingsInput{Enabled: true, WebhookKind: "dingtalk", WebhookURL: ding.URL + "/send?access_token=T",
		Emails: []string{"b@example.cn"}})
	reps := make([]remind.RunReport, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			reps[i], errs[i] = f.d.Reminders.Run(f.ctx, access.CLI(fmt.Sprint("run", i)), remind.RunOptions{})
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	if len(wecom.Bodies()) != 1 || len(ding.Bodies()) != 1 || len(f.sink.Messages()) != 1 {
		t.Errorf("two runs at once: %d wecom posts, %d dingtalk posts, %d mails; want one each",
			len(wecom.Bodies()), len(ding.Bodies()), len(f.sink.Messages()))
	}
	if sent, skipped := reps[0].Sent+reps[1].Sent, reps[0].Skipped+reps[1].Skipped; sent != 3 || skipped != 3 {
		t.Errorf("sent %d skipped %d, want 3 and 3: %+v %+v", sent, skipped, reps[0].Items, reps[1].Items)
	}
	if got := doortest.Strings(t, f.st, `SELECT s.channel || ' ' || s.status || ' ' || s.forced FROM reminder_sends s
		ORDER BY s.channel`); strings.Join(got, "|") != "dingtalk sent false|email sent false|wecom sent false" {
		t.Errorf("sends: %q", got)
	}
	forced, err := f.d.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{Force: true})
	if err != nil || forced.Sent != 3 || len(wecom.Bodies()) != 2 {
		t.Errorf("forced: sent %d, %d wecom posts, %v", forced.Sent, len(wecom.Bodies()), err)
	}
	if n := doortest.Count(t, f.st, `SELECT count(*) FROM reminder_sends WHERE forced AND status = 'sent'`); n != 3 {
		t.Errorf("%d forced sends recorded, want 3", n)
	}
}

// TestAbandonedClaimIsSentByTheNextRun: a run that claimed a send and stopped before it
// recorded the outcome (a crash mid-send) holds the day only for remind.ClaimLease; the
// next run after it records the claim as failed, abandoned, and sends. A claim younger
// than the lease still holds the day: its run may be posting now.
func TestAbandonedClaimIsSentByTheNextRun(t *testing.T) {
	t.Parallel()
	f := setup(t)
	code := f.schools(1)[0]
	rb := newRobot(t, 200, `{"errcode":0}`)
	f.set(code, remind.SettingsInput{Enabled: true, WebhookKind: "wecom", WebhookURL: rb.URL + "/send?key=K"})
	claim := func(age time.Duration) {
		t.Helper()
		if _, err := f.st.Pool.Exec(f.ctx, `INSERT INTO reminder_sends (school_id, day, channel, status, attempts, sent_at)
			SELECT id, $2, 'wecom', 'sending', 0, now() - $3::interval FROM organizations WHERE code = $1`,
			code, f.today, fmt.Sprintf("%d seconds", int(age.Seconds()))); err != nil {
			t.Fatal(err)
		}
	}
	claim(time.Minute) // a run posting now
	rep, err := f.d.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Items) != 1 || rep.Items[0].Outcome != remind.OutcomeSkipped || len(rb.Bodies()) != 0 {
		t.Fatalf("a fresh claim of another run: %+v, %d posts", rep.Items, len(rb.Bodies()))
	}
	// the run that claimed it stopped mid-send: the claim ages past the lease
	if tag, err := f.st.Pool.Exec(f.ctx, `UPDATE reminder_sends SET sent_at = now() - $1::interval`,
		fmt.Sprintf("%d seconds", int((remind.ClaimLease+time.Minute).Seconds()))); err != nil || tag.RowsAffected() != 1 {
		t.Fatal(tag, err)
	}
	if rep, err = f.d.Reminders.Run(f.ctx, access.CLI("test"), remind.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(rep.Items) != 1 || rep.Items[0].Outcome != remind.OutcomeSent || len(rb.Bodies()) != 1 {
		t.Fatalf("after an abandoned claim: %+v, %d posts", rep.Items, len(rb.Bodies()))
	}
	if got := f.sends(); len(got) != 2 || got[0] != code+" wecom failed 0" || got[1] != code+" wecom sent 1" {
		t.Errorf("sends: %v", got)
	}
	if msg := doortest.Strings(t, f.st, `SELECT error FROM reminder_sends WHERE status = 'failed'`); len(msg) != 1 ||
		!strings.Contains(msg[0], "abandoned") {
		t.Errorf("the abandoned claim's error: %v", msg)
	}
}
