package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/identity"
	"talentdb/internal/remind"
	"talentdb/internal/report"
	"talentdb/internal/seed"
)

// TestRemindDryRun: `remind --dry-run` prints what would be sent, to whom and the text,
// and sends and records nothing; `remind` then sends, and a second run sends nothing.
func TestRemindDryRun(t *testing.T) {
	url, st := testDB(t)
	ctx := context.Background()
	tiny := seed.Scale{Name: "tiny", Schools: 40, Institutions: 4, MentorsPerInstitution: 2, Persons: 800}
	if _, err := seed.Run(ctx, st, identity.TestKeys(), seed.Options{Scale: tiny, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var posts atomic.Int32
	robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		posts.Add(1)
		_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	defer robot.Close()
	var code string
	if err := st.Pool.QueryRow(ctx, `SELECT o.code FROM due_state d JOIN organizations o ON o.id = d.school_id
		WHERE d.listed GROUP BY o.code ORDER BY count(*) DESC, o.code LIMIT 1`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	reports := report.New(st, nil)
	office := access.CLI("test")
	due, err := reports.DueCounts(ctx, office, report.DueFilter{SchoolCode: code})
	if err != nil || due.Due == 0 {
		t.Fatalf("school %s: %+v, %v", code, due, err)
	}
	svc := remind.New(st, reports, remind.Config{WebhookHosts: []string{"127.0.0.1"}}, nil)
	if _, err := svc.SaveSettings(ctx, office, code, 0, remind.SettingsInput{Enabled: true, WebhookKind: "wecom",
		WebhookURL: robot.URL + "/cgi-bin/webhook/send?key=SECRET"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PUBLIC_BASE_URL", "https://talentdb.example.cn")
	t.Setenv("REMIND_WEBHOOK_HOSTS", "qyapi.weixin.qq.com, 127.0.0.1")

	rc, out, errOut := runArgs("", "remind", "--dry-run", "--database-url", url)
	if rc != 0 {
		t.Fatalf("remind --dry-run: %d %s", rc, errOut)
	}
	for _, want := range []string{"dry run: nothing sent", code, "wecom", robot.URL + "/cgi-bin/webhook/send?…", "would_send",
		"待联系往届学生：**" + strconv.Itoa(due.Due) + "** 人", "https://talentdb.example.cn/school?school=" + code} {
		if !strings.Contains(out, want) {
			t.Errorf("the dry run does not print %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "SECRET") {
		t.Errorf("the dry run prints the robot's key:\n%s", out)
	}
	var sends int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM reminder_sends`).Scan(&sends); err != nil {
		t.Fatal(err)
	}
	if posts.Load() != 0 || sends != 0 {
		t.Fatalf("the dry run sent %d posts and recorded %d sends", posts.Load(), sends)
	}

	if rc, out, errOut = runArgs("", "remind", "--database-url", url); rc != 0 || posts.Load() != 1 || !strings.Contains(out, "1 sent") {
		t.Fatalf("remind: %d, %d posts\n%s%s", rc, posts.Load(), out, errOut)
	}
	if rc, out, _ = runArgs("", "remind", "--database-url", url); rc != 0 || posts.Load() != 1 || !strings.Contains(out, "already sent today") {
		t.Errorf("a second run: %d, %d posts\n%s", rc, posts.Load(), out)
	}
	if rc, _, errOut = runArgs("", "remind", "--as-of", "2026-13-01", "--database-url", url); rc != 2 {
		t.Errorf("a bad --as-of: exit %d %s", rc, errOut)
	}
}
