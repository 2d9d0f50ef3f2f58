// Package e2e drives the web app in headless Chromium: e2e.mjs (playwright-core) against
// the whole service served on a database with the small demo data. It needs Chromium
// (Debian's chromium, or CHROMIUM=path) and `npm ci` in this folder; without them the test
// is skipped, saying why. .ci/run installs both, so CI runs it.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/cli"
	"talentdb/internal/config"
	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/report"
	"talentdb/internal/seed"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

const password = "Kexue-Chuangxin-2026"

// chromiumPath finds the browser: $CHROMIUM, else Debian's.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("e2e: skipped with -short")
	}
	browser := chromiumPath()
	if browser == "" {
		t.Skip("e2e: Chromium not found (apt-get install chromium, or set CHROMIUM); skipping the browser test")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("e2e: node not found; skipping the browser test")
	}
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "playwright-core")); err != nil {
		t.Skip("e2e: playwright-core not installed (run `npm ci` in internal/web/e2e); skipping the browser test")
	}
	shots := filepath.Join(dir, "screenshots")
	_ = os.RemoveAll(shots)

	ctx := context.Background()
	st := dbtest.New(t)
	keys := identity.TestKeys()
	if _, err := seed.Run(ctx, st, keys, seed.Options{Scale: seed.Scales[0], Seed: 1}); err != nil {
		t.Fatalf("seed demo --scale small: %v", err)
	}
	svc := authtest.NewService(st)
	school, otherPerson := dueSchool(t, st)
	mentor, participant := mentorWithLog(t, st)
	users := map[string]auth.NewUser{
		"OPERATOR": {Username: "e2e_school", Role: auth.RoleSchoolOperator, SchoolCode: school},
		"ANALYST":  {Username: "e2e_analyst", Role: auth.RoleOfficeAnalyst},
		"ADMIN":    {Username: "e2e_admin", Role: auth.RoleOfficeAdmin},
		"AUDITOR":  {Username: "e2e_auditor", Role: auth.RoleAuditor},
		"MENTOR":   {Username: "e2e_mentor", Role: auth.RoleMentor, MentorID: mentor},
	}
	// the city coordinator of the operator's school, and a school of another city
	city, otherCitySchool := schoolCity(t, st, school)
	users["CITY"] = auth.NewUser{Username: "e2e_city", Role: auth.RoleCityCoordinator, CityCode: city}
	for _, u := range users {
		u.Password = password
		if _, _, err := svc.CreateUser(ctx, access.Caller{Username: "e2e", Role: access.RoleOfficeAdmin}, u); err != nil {
			t.Fatalf("create %s: %v", u.Username, err)
		}
	}

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	h := cli.Mount(st, keys, svc, log, prometheus.NewRegistry(), config.Config{})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadHeaderTimeout = 10 * time.Second
	srv.Start()
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	// "localhost" is a secure context for Chromium, so it keeps the __Host- (Secure) cookies
	base := "http://localhost:" + port
	if res, err := http.Get(base + "/login"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the server does not answer on %s: %v", base, err)
	}

	rctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(rctx, node, "e2e.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "BASE_URL="+base, "PASSWORD="+password, "SCREENSHOT_DIR="+shots,
		"CHROMIUM="+browser, fmt.Sprintf("OTHER_PERSON=%d", otherPerson),
		fmt.Sprintf("MENTOR_PARTICIPANT=%d", participant), "OTHER_CITY_SCHOOL="+otherCitySchool)
	for k, u := range users {
		cmd.Env = append(cmd.Env, k+"="+u.Username)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var steps []string
	for sc.Scan() {
		steps = append(steps, sc.Text())
		t.Log(sc.Text())
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("e2e.mjs failed after %s: %v\nsteps:\n%s\n%s", time.Since(start).Round(time.Second), err,
			strings.Join(steps, "\n"), stderr.String())
	}
	// what the browser did is in the database: the operator's contact, with them as actor
	var n int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM follow_ups WHERE notes = 'e2e：微信回访' AND made_by = 'e2e_school'
		AND channel = 'wechat'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the follow-up recorded in the browser: %d rows, %v", n, err)
	}
	// the mentor's feedback, with them as its author
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM growth_logs WHERE participation_id = $1
		AND mentor_feedback LIKE 'e2e：%' AND feedback_by = 'e2e_mentor'`, participant).Scan(&n); err != nil || n != 1 {
		t.Errorf("the feedback given in the browser: %d rows, %v", n, err)
	}
	// the answer given on the phone, accepted by the operator: a survey follow-up dated the
	// day of the answer, with them as its author
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM self_reports r JOIN follow_ups f ON f.id = r.follow_up_id
		WHERE r.status = 'accepted' AND r.reviewed_by = 'e2e_school' AND f.channel = 'survey' AND f.outcome = 'reached'
		AND f.contacted_on = r.answered_on AND r.dest_org_name = '成都市第七中学初中学校'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the self-report answered in the browser: %d accepted, %v", n, err)
	}
	files, _ := filepath.Glob(filepath.Join(shots, "*.png"))
	if len(files) < 15 {
		t.Errorf("only %d screenshots in %s", len(files), shots)
	}
	fmt.Printf("e2e: %d screenshots (desktop 1366 px, phone 375 px) in %s\n", len(files), shots)
}

// dueSchool picks the school with the most alumni due today, and a person of another school.
func dueSchool(t *testing.T, st *store.Store) (code string, other int64) {
	t.Helper()
	ctx := context.Background()
	all, err := report.FollowUpsDue(ctx, st, report.DueFilter{AsOf: vocab.DateOf(time.Now())})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	of := map[int64]string{}
	for _, p := range all.Persons {
		per, err := st.PersonGet(ctx, p.PersonID)
		if err != nil || per.SchoolCode == nil {
			continue
		}
		count[*per.SchoolCode]++
		of[p.PersonID] = *per.SchoolCode
	}
	for c, n := range count {
		if n >= 3 && (code == "" || n > count[code] || (n == count[code] && c < code)) {
			code = c
		}
	}
	for id, c := range of {
		if c != code {
			return code, id
		}
	}
	t.Fatal("the demo data has no second school with persons")
	return "", 0
}

// mentorWithLog picks a mentor and one of their admitted participants with a growth log.
func mentorWithLog(t *testing.T, st *store.Store) (mentor, participation int64) {
	t.Helper()
	err := st.Pool.QueryRow(context.Background(), `SELECT pa.mentor_id, pa.id FROM growth_logs g
		JOIN participations pa ON pa.id = g.participation_id JOIN persons p ON p.id = pa.person_id
		WHERE pa.status = 'admitted' AND p.consent_state IN ('not_required', 'granted')
		ORDER BY g.id LIMIT 1`).Scan(&mentor, &participation)
	if err != nil {
		t.Fatalf("the demo data has no mentor with a growth log to answer: %v", err)
	}
	return mentor, participation
}

// schoolCity is the city of the school with code, and the code of a school in another city.
func schoolCity(t *testing.T, st *store.Store, code string) (city, other string) {
	t.Helper()
	ctx := context.Background()
	if err := st.Pool.QueryRow(ctx, `SELECT city_code FROM organizations WHERE code = $1`, code).Scan(&city); err != nil {
		t.Fatal(err)
	}
	if err := st.Pool.QueryRow(ctx, `SELECT code FROM organizations WHERE kind = 'school' AND city_code <> $1
		ORDER BY id LIMIT 1`, city).Scan(&other); err != nil {
		t.Fatalf("the demo data has no school outside %s: %v", city, err)
	}
	return city, other
}
