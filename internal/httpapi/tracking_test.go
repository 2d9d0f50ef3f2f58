package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// trackingFixture is a school BS01 (Chengdu), a second school BS02 and one student born
// 2012-05-06.
func trackingSetup(t *testing.T) (*fixture, int64) {
	t.Helper()
	f := setup(t)
	f.mkOrg("BS01", "school", "510104")
	f.mkOrg("BS02", "school", "510107")
	p := f.mkPerson("张晓明", "20120506", "011")
	return f, num(p["id"])
}

func tomorrow() string { return dateString(vocab.DateOf(time.Now()).AddDate(0, 0, 1)) }

func TestAwardLifecycle(t *testing.T) {
	t.Parallel()
	f, pid := trackingSetup(t)
	awards := fmt.Sprintf("/api/v1/persons/%d/awards", pid)
	body := map[string]any{"competition": "全国青少年科技创新大赛", "level": "省级", "rank": "一等奖",
		"awarded_on": "2024-05-20", "organizer": "四川省科协", "category": "机器人", "evidence": "https://example.org/cert.pdf"}

	r := f.do("POST", awards, body).want(http.StatusCreated)
	a := r.json()
	id := num(a["id"])
	path := fmt.Sprintf("/api/v1/awards/%d", id)
	if r.Header().Get("Location") != path || r.Header().Get("ETag") != `"1"` {
		t.Fatalf("headers %v", r.Header())
	}
	if a["level"] != "provincial" || a["category"] != "robotics" || a["verification"] != "reported" ||
		a["reported_by"] != f.admin || a["awarded_on"] != "2024-05-20" || a["deleted"] != false {
		t.Fatalf("created %v", a)
	}

	// the same award twice is one award: 409 pointing at the first
	dup := f.do("POST", awards, body).problem(http.StatusConflict, "conflict", "competition")
	if num(dup["existing_id"]) != id || dup["existing"] != path {
		t.Fatalf("duplicate does not point at the existing award: %v", dup)
	}
	// edges: unknown person, future, before birth, bad enumeration, missing fields
	f.do("POST", "/api/v1/persons/999999/awards", body).problem(http.StatusNotFound, "not-found", "")
	f.do("POST", awards, with(body, "awarded_on", tomorrow())).problem(http.StatusUnprocessableEntity, "rule-violation", "awarded_on")
	f.do("POST", awards, with(body, "awarded_on", "2012-05-05")).problem(http.StatusUnprocessableEntity, "rule-violation", "awarded_on")
	f.do("POST", awards, with(body, "level", "宇宙级")).problem(http.StatusBadRequest, "validation", "level")
	f.do("POST", awards, with(body, "category", "烹饪")).problem(http.StatusBadRequest, "validation", "category")
	f.do("POST", awards, map[string]any{"level": "national"}).problem(http.StatusBadRequest, "validation", "competition")
	f.do("POST", awards, with(body, "awarded_on", "2024-13-01")).problem(http.StatusBadRequest, "validation", "awarded_on")

	// PATCH needs a current If-Match
	f.do("PATCH", path, map[string]any{"rank": "二等奖"}).problem(http.StatusPreconditionRequired, "if-match-required", "")
	f.do("PATCH", path, map[string]any{"rank": "二等奖"}, "If-Match", `"7"`).problem(http.StatusPreconditionFailed, "stale", "")
	up := f.do("PATCH", path, map[string]any{"rank": "二等奖", "organizer": nil}, "If-Match", `"1"`).want(http.StatusOK).json()
	if up["rank"] != "二等奖" || up["organizer"] != nil || up["competition"] != body["competition"] || num(up["version"]) != 2 {
		t.Fatalf("patched %v", up)
	}
	f.do("PATCH", path, map[string]any{"awarded_on": tomorrow()}, "If-Match", `"2"`).
		problem(http.StatusUnprocessableEntity, "rule-violation", "awarded_on")

	// verification: reported → verified, terminal except the office's re-open
	verify := path + "/verify"
	v := f.do("POST", verify, map[string]any{"state": "已核实", "note": "证书已查验"}).want(http.StatusOK).json()
	if v["verification"] != "verified" || v["verified_by"] != f.admin || v["verified_at"] == nil || v["verification_note"] != "证书已查验" {
		t.Fatalf("verified %v", v)
	}
	f.do("POST", verify, map[string]any{"state": "rejected"}).problem(http.StatusUnprocessableEntity, "rule-violation", "state")
	f.do("POST", verify, map[string]any{"state": "approved"}).problem(http.StatusBadRequest, "validation", "state")
	f.do("POST", verify, map[string]any{"state": "reported"}, "If-Match", `"1"`).problem(http.StatusPreconditionFailed, "stale", "")
	v = f.do("POST", verify, map[string]any{"state": "reported"}).want(http.StatusOK).json()
	if v["verification"] != "reported" || v["verified_by"] != nil {
		t.Fatalf("re-opened %v", v)
	}
	v = f.do("POST", verify, map[string]any{"state": "verified"}).want(http.StatusOK).json()
	// changing what was verified puts the award back to reported
	up = f.do("PATCH", path, map[string]any{"level": "national"}, "If-Match", fmt.Sprintf(`"%d"`, num(v["version"]))).
		want(http.StatusOK).json()
	if up["verification"] != "reported" || up["level"] != "national" {
		t.Fatalf("material change kept the verification: %v", up)
	}

	// soft delete and restore; history is kept
	del := f.do("DELETE", path, nil).want(http.StatusOK).json()
	if del["deleted"] != true || del["deleted_at"] == nil {
		t.Fatalf("deleted %v", del)
	}
	if items, _ := f.do("GET", awards, nil).items(); len(items) != 0 {
		t.Fatalf("deleted award listed: %v", items)
	}
	if items, _ := f.do("GET", awards+"?include_deleted=true", nil).items(); len(items) != 1 || items[0]["deleted"] != true {
		t.Fatalf("include_deleted: %v", items)
	}
	f.do("PATCH", path, map[string]any{"rank": "三等奖"}, "If-Match", fmt.Sprintf(`"%d"`, num(del["version"]))).
		problem(http.StatusConflict, "conflict", "")
	f.do("POST", awards, body).problem(http.StatusConflict, "conflict", "competition") // still the same award
	res := f.do("POST", path+"/restore", nil).want(http.StatusOK).json()
	if res["deleted"] != false {
		t.Fatalf("restored %v", res)
	}
	f.do("GET", "/api/v1/awards/999999", nil).problem(http.StatusNotFound, "not-found", "")
	f.do("GET", awards+"?deleted=1", nil).problem(http.StatusBadRequest, "validation", "deleted")

	// every change is in the audit log with before and after, in the same transaction
	var n int
	if err := f.st.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log
		WHERE entity = 'award' AND entity_id = $1 AND person_id = $2 AND (action = 'create' OR before IS NOT NULL AND after IS NOT NULL)`,
		fmt.Sprint(id), pid).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 8 { // create, patch, verify, re-open, verify, patch, delete, restore
		t.Fatalf("%d audit rows for the award, want 8", n)
	}
}

func with(m map[string]any, k string, v any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for kk, vv := range m {
		out[kk] = vv
	}
	out[k] = v
	return out
}

func TestDestinations(t *testing.T) {
	t.Parallel()
	f, pid := trackingSetup(t)
	dests := fmt.Sprintf("/api/v1/persons/%d/destinations", pid)

	f.do("POST", dests, map[string]any{"type": "junior_high", "org_code": "BS02", "started_on": "2012-05-01"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "started_on")
	f.do("POST", dests, map[string]any{"type": "junior_high", "org_code": "BS02", "started_on": tomorrow()}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "started_on")
	f.do("POST", dests, map[string]any{"type": "junior_high", "org_code": "NOPE", "started_on": "2024-09-01"}).
		problem(http.StatusBadRequest, "validation", "org_code")
	f.do("POST", dests, map[string]any{"type": "graduate", "started_on": "2024-09-01"}).
		problem(http.StatusBadRequest, "validation", "type")

	d := f.do("POST", dests, map[string]any{"type": "初中", "org_code": "BS02", "started_on": "2024-09-01"}).
		want(http.StatusCreated).json()
	if d["type"] != "junior_high" || d["org_code"] != "BS02" || d["reported_by"] != f.admin {
		t.Fatalf("created %v", d)
	}
	schoolYear := func() (int, string) {
		var y int
		var code string
		err := f.st.Pool.QueryRow(context.Background(), `SELECT ps.school_year, o.code FROM person_schools ps
			JOIN organizations o ON o.id = ps.school_id WHERE ps.person_id = $1 AND ps.source = 'destination'`, pid).Scan(&y, &code)
		if err != nil {
			return 0, err.Error()
		}
		return y, code
	}
	if y, code := schoolYear(); y != 2024 || code != "BS02" {
		t.Fatalf("school history continues at %s in %d, want BS02 in 2024", code, y)
	}
	f.do("POST", dests, map[string]any{"type": "junior_high", "org_code": "BS01", "started_on": "2024-09-01"}).
		problem(http.StatusConflict, "conflict", "started_on")

	// an unlinked destination (英才计划) makes no school history; 409 on a soft-deleted one
	y := f.do("POST", dests, map[string]any{"type": "英才计划", "org_name": "四川大学", "major": "物理",
		"started_on": "2026-03-01"}).want(http.StatusCreated).json()
	if y["type"] != "yingcai" || y["org_code"] != nil {
		t.Fatalf("yingcai %v", y)
	}
	path := fmt.Sprintf("/api/v1/destinations/%d", num(d["id"]))
	f.do("DELETE", path, nil, "If-Match", `"1"`).want(http.StatusOK)
	if _, code := schoolYear(); code != "no rows in result set" {
		t.Fatalf("school history kept after delete: %s", code)
	}
	r := f.do("POST", path+"/restore", nil).want(http.StatusOK)
	if y, _ := schoolYear(); y != 2024 {
		t.Fatalf("school history not back after restore")
	}
	up := f.do("PATCH", path, map[string]any{"started_on": "2025-09-01"}, "If-Match", r.Header().Get("ETag")).
		want(http.StatusOK).json()
	if up["started_on"] != "2025-09-01" {
		t.Fatalf("patched %v", up)
	}
	if y, _ := schoolYear(); y != 2025 {
		t.Fatalf("school history did not move with the destination: %d", y)
	}
	if items, _ := f.do("GET", dests, nil).items(); len(items) != 2 || items[0]["started_on"] != "2025-09-01" {
		t.Fatalf("list %v", items)
	}
}

func TestCareerMoves(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("BS01", "school", "510104")
	f.mkOrg("BS02", "school", "510107")
	f.mkEdition("jindaoshi-2023")
	teacher := num(f.mkPerson("李老师", "19850402", "022")["id"])
	moves := fmt.Sprintf("/api/v1/persons/%d/career-moves", teacher)
	add := func(body map[string]any) resp { return f.do("POST", moves, body) }

	a := add(map[string]any{"org_code": "BS01", "position": "教师", "title": "二级教师", "started_on": "2010-09-01"}).
		want(http.StatusCreated).json()
	if a["position"] != "teacher" || a["title"] != "level2" || a["ended_on"] != nil {
		t.Fatalf("first move %v", a)
	}
	c := add(map[string]any{"org_code": "BS02", "position": "counsellor", "started_on": "2020-09-01", "reason": "调动"}).
		want(http.StatusCreated).json()
	// the open interval closes at the new start
	if got := f.do("GET", fmt.Sprintf("/api/v1/career-moves/%d", num(a["id"])), nil).json(); got["ended_on"] != "2020-09-01" {
		t.Fatalf("open interval not closed: %v", got)
	}
	// inserted between: re-links both sides
	b := add(map[string]any{"org_code": "BS01", "position": "teacher", "title": "level1", "started_on": "2015-09-01",
		"reason": "promotion"}).want(http.StatusCreated).json()
	if b["ended_on"] != "2020-09-01" {
		t.Fatalf("inserted move ends %v, want 2020-09-01", b["ended_on"])
	}
	if got := f.do("GET", fmt.Sprintf("/api/v1/career-moves/%d", num(a["id"])), nil).json(); got["ended_on"] != "2015-09-01" {
		t.Fatalf("previous move not re-linked: %v", got)
	}
	// an explicit interval, then a move overlapping it
	add(map[string]any{"org_name": "区教研室", "position": "researcher", "started_on": "2022-01-01", "ended_on": "2023-01-01"}).
		want(http.StatusCreated)
	f.do("POST", moves, map[string]any{"org_code": "BS02", "position": "teacher", "started_on": "2022-06-01"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "started_on")
	f.do("POST", moves, map[string]any{"org_code": "BS02", "position": "teacher", "started_on": "2021-06-01", "ended_on": "2022-06-01"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "ended_on")
	f.do("POST", moves, map[string]any{"position": "teacher", "started_on": "2024-01-01"}).
		problem(http.StatusBadRequest, "validation", "org_name")
	f.do("POST", moves, map[string]any{"org_code": "BS02", "position": "teacher", "started_on": "2015-09-01"}).
		problem(http.StatusConflict, "conflict", "started_on")
	f.do("POST", moves, map[string]any{"org_code": "BS02", "position": "teacher", "started_on": tomorrow()}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "started_on")
	// left education in 2024
	add(map[string]any{"org_name": "某科技公司", "position": "left_education", "started_on": "2024-03-01", "reason": "离职"}).
		want(http.StatusCreated)

	on := func(date string) map[string]any {
		return f.do("GET", fmt.Sprintf("/api/v1/persons/%d/career?on=%s", teacher, date), nil).want(http.StatusOK).json()
	}
	if m := on("2016-01-01")["move"].(map[string]any); m["started_on"] != "2015-09-01" || m["title"] != "level1" {
		t.Fatalf("on 2016-01-01: %v", m)
	}
	if m := on("2023-06-01"); m["move"] != nil { // after the explicit end, before the next move
		t.Fatalf("on 2023-06-01: %v", m)
	}
	if m := on("2020-09-01")["move"].(map[string]any); num(m["id"]) != num(c["id"]) {
		t.Fatalf("on the day of a move: %v", m)
	}

	// trained teachers still in science education
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": teacher, "edition": "jindaoshi-2023",
		"school_code": "BS01", "category": "research", "teacher_role": "young", "status": "completed"}).want(http.StatusCreated)
	stats := func(q string) map[string]any {
		return f.do("GET", "/api/v1/stats/teachers-in-education?"+q, nil).want(http.StatusOK).json()
	}
	if s := stats("on=2023-06-01"); num(s["trained"]) != 1 || num(s["in_education"]) != 1 || num(s["with_position"]) != 0 {
		t.Fatalf("2023: %v", s)
	}
	if s := stats("on=2025-01-01&region=510100"); num(s["trained"]) != 1 || num(s["in_education"]) != 0 || num(s["left_education"]) != 1 {
		t.Fatalf("2025: %v", s)
	}
	if s := stats("on=2025-01-01&school=BS02"); num(s["trained"]) != 0 {
		t.Fatalf("2025 at BS02: %v", s)
	}
	f.do("GET", "/api/v1/stats/teachers-in-education?school=NOPE", nil).problem(http.StatusBadRequest, "validation", "school")
	f.do("GET", "/api/v1/stats/teachers-in-education?on=yesterday", nil).problem(http.StatusBadRequest, "validation", "on")
}

func TestFollowUpOptOut(t *testing.T) {
	t.Parallel()
	f, pid := trackingSetup(t)
	fus := fmt.Sprintf("/api/v1/persons/%d/follow-ups", pid)
	f.do("POST", fus, map[string]any{"contacted_on": "2025-03-01", "channel": "电话", "outcome": "reached"}).want(http.StatusCreated)
	// an opt-out may not predate a recorded contact
	f.do("POST", fus, map[string]any{"contacted_on": "2025-02-01", "channel": "wechat", "outcome": "opted_out"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "contacted_on")
	out := f.do("POST", fus, map[string]any{"contacted_on": "2025-06-01", "channel": "wechat", "outcome": "不再联系",
		"notes": "家长要求不再联系"}).want(http.StatusCreated).json()
	if out["outcome"] != "opted_out" || out["made_by"] != f.admin {
		t.Fatalf("opt-out %v", out)
	}
	// nothing after the opt-out
	f.do("POST", fus, map[string]any{"contacted_on": "2025-09-01", "channel": "phone", "outcome": "unreachable"}).
		problem(http.StatusUnprocessableEntity, "rule-violation", "contacted_on")
	// but correcting the opt-out itself is allowed; then contacts may follow again
	path := fmt.Sprintf("/api/v1/follow-ups/%d", num(out["id"]))
	fixed := f.do("PATCH", path, map[string]any{"outcome": "declined"}, "If-Match", `"1"`).want(http.StatusOK).json()
	if fixed["outcome"] != "declined" {
		t.Fatalf("corrected %v", fixed)
	}
	later := f.do("POST", fus, map[string]any{"contacted_on": "2025-09-01", "channel": "phone", "outcome": "reached"}).
		want(http.StatusCreated).json()
	// re-marking the old contact as an opt-out now predates a later contact
	f.do("PATCH", path, map[string]any{"outcome": "opted_out"}, "If-Match", `"2"`).
		problem(http.StatusUnprocessableEntity, "rule-violation", "contacted_on")
	// a deleted later contact no longer blocks it; restoring the contact is then refused
	f.do("DELETE", fmt.Sprintf("/api/v1/follow-ups/%d", num(later["id"])), nil).want(http.StatusOK)
	f.do("PATCH", path, map[string]any{"outcome": "opted_out"}, "If-Match", `"2"`).want(http.StatusOK)
	f.do("POST", fmt.Sprintf("/api/v1/follow-ups/%d/restore", num(later["id"])), nil).
		problem(http.StatusUnprocessableEntity, "rule-violation", "contacted_on")
	f.do("POST", fus, map[string]any{"contacted_on": "2025-03-01", "channel": "phone", "outcome": "reached"}).
		problem(http.StatusConflict, "conflict", "contacted_on")
	f.do("POST", fus, map[string]any{"contacted_on": "2025-03-01", "channel": "fax", "outcome": "reached"}).
		problem(http.StatusBadRequest, "validation", "channel")
	if items, _ := f.do("GET", fus, nil).items(); len(items) != 2 {
		t.Fatalf("follow-ups %v", items)
	}
}

func TestTimeline(t *testing.T) {
	t.Parallel()
	f, pid := trackingSetup(t)
	ctx := context.Background()
	f.mkEdition("jingke-2023")
	part := f.do("POST", "/api/v1/participations", map[string]any{"person_id": pid, "edition": "jingke-2023",
		"school_code": "BS01", "category": "robotics", "grade": "5", "status": "completed"}).want(http.StatusCreated).json()
	// the selection steps as they happened in 2023 (the API stamps them with the time of the call)
	if _, err := f.st.Pool.Exec(ctx, `UPDATE participations SET registered_at = '2023-03-10 09:00+08',
		reviewed_at = '2023-04-01 10:00+08', publicized_at = '2023-04-10 10:00+08', recommended_at = '2023-04-20 10:00+08',
		admitted_at = '2023-05-01 10:00+08', completed_at = '2024-02-20 10:00+08', evaluated_at = '2024-02-21 10:00+08',
		evaluation = 'excellent' WHERE id = $1`, num(part["id"])); err != nil {
		t.Fatal(err)
	}
	awards := fmt.Sprintf("/api/v1/persons/%d/awards", pid)
	edited := f.do("POST", awards, map[string]any{"competition": "市青少年机器人竞赛", "level": "municipal", "rank": "二等奖",
		"awarded_on": "2023-11-05"}).want(http.StatusCreated).json()
	f.do("PATCH", fmt.Sprintf("/api/v1/awards/%d", num(edited["id"])), map[string]any{"rank": "一等奖"}, "If-Match", `"1"`).
		want(http.StatusOK)
	gone := f.do("POST", awards, map[string]any{"competition": "误报的比赛", "level": "school", "awarded_on": "2024-06-01"}).
		want(http.StatusCreated).json()
	f.do("DELETE", fmt.Sprintf("/api/v1/awards/%d", num(gone["id"])), nil).want(http.StatusOK)
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/destinations", pid), map[string]any{"type": "junior_high",
		"org_code": "BS02", "started_on": "2024-09-01"}).want(http.StatusCreated)
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/follow-ups", pid), map[string]any{"contacted_on": "2025-04-02",
		"channel": "wechat", "outcome": "reached"}).want(http.StatusCreated)

	tl := f.do("GET", fmt.Sprintf("/api/v1/persons/%d/timeline", pid), nil).want(http.StatusOK).json()
	events := tl["events"].([]any)
	var kinds []string
	prev := ""
	var edit, deleted map[string]any
	for _, e := range events {
		ev := e.(map[string]any)
		on := ev["on"].(string)
		if on < prev {
			t.Fatalf("timeline out of order: %s after %s", on, prev)
		}
		prev = on
		kind := ev["kind"].(string)
		if on < "2026-01-01" {
			kinds = append(kinds, on+" "+kind)
		}
		if kind == "edit.update" && ev["entity"] == "award" {
			edit = ev
		}
		// every step carries the participation; only the evaluation step its evaluation
		if strings.HasPrefix(kind, "participation.") {
			d := ev["detail"].(map[string]any)
			wantEval := any(nil)
			if kind == "participation.evaluated" {
				wantEval = "excellent"
			}
			if d["edition"] != "jingke-2023" || d["school_code"] != "BS01" || d["category"] != "robotics" ||
				d["status"] != "completed" || d["evaluation"] != wantEval {
				t.Errorf("%s: detail %v", kind, d)
			}
		}
		if kind == "award" && ev["deleted"] == true {
			deleted = ev
		}
	}
	want := []string{"2023-03-10 participation.registered", "2023-04-01 participation.reviewed",
		"2023-04-10 participation.publicized", "2023-04-20 participation.recommended", "2023-05-01 participation.admitted",
		"2023-11-05 award", "2024-02-20 participation.completed", "2024-02-21 participation.evaluated", "2024-06-01 award", "2024-09-01 school_year",
		"2024-09-01 destination", "2025-04-02 follow_up"}
	// school history the participation itself may add (school year 2022 or 2023 at BS01) is allowed
	var got []string
	for _, k := range kinds {
		if k != "2022-09-01 school_year" && k != "2023-09-01 school_year" {
			got = append(got, k)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("timeline\n got %v\nwant %v", got, want)
	}
	if deleted == nil || num(deleted["entity_id"]) != num(gone["id"]) {
		t.Fatalf("soft-deleted award not marked in the timeline")
	}
	if edit == nil || edit["actor"] != f.admin {
		t.Fatalf("award edit missing or without actor: %v", edit)
	}
	rank := edit["detail"].(map[string]any)["changes"].(map[string]any)["rank"].(map[string]any)
	if rank["from"] != "二等奖" || rank["to"] != "一等奖" {
		t.Fatalf("edit does not say from what to what: %v", rank)
	}
	// the delete is an edit too, and the last event is today's
	last := events[len(events)-1].(map[string]any)
	if last["on"] != dateString(vocab.DateOf(time.Now())) || last["kind"] != "edit.delete" {
		t.Fatalf("last event %v", last)
	}
	f.do("GET", "/api/v1/persons/999999/timeline", nil).problem(http.StatusNotFound, "not-found", "")
}

func TestFollowUpCoverageAgreesWithTheDueList(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	f.mkOrg("BS01", "school", "510104")
	f.mkOrg("MY01", "school", "510703")
	f.mkEdition("jingke-2023") // windows: k=2 2025-03-01…2026-02-28, k=3 2026-03-01…2027-02-28
	contact := func(pid int64, on, outcome string) {
		f.do("POST", fmt.Sprintf("/api/v1/persons/%d/follow-ups", pid), map[string]any{"contacted_on": on,
			"channel": "phone", "outcome": outcome}).want(http.StatusCreated)
	}
	person := func(name, seq, school string) int64 {
		id := num(f.mkPerson(name, "20080101", seq)["id"])
		f.do("POST", "/api/v1/participations", map[string]any{"person_id": id, "edition": "jingke-2023",
			"school_code": school, "category": "math", "grade": "9", "status": "completed"}).want(http.StatusCreated)
		return id
	}
	met := person("甲", "011", "BS01")
	contact(met, "2026-04-01", "reached")
	person("乙", "021", "BS01") // never contacted: due, and window 2 ended unmet
	due := person("丙", "031", "BS01")
	contact(due, "2025-05-01", "declined") // window 2 met, window 3 not yet
	opted := person("丁", "041", "BS01")
	contact(opted, "2025-05-01", "opted_out")
	far := person("戊", "051", "MY01")
	contact(far, "2026-03-02", "unreachable")

	cov := f.do("GET", "/api/v1/follow-ups/coverage?as_of=2026-06-30", nil).want(http.StatusOK).json()
	total := cov["total"].(map[string]any)
	if num(total["scheduled"]) != 4 || num(total["met"]) != 1 || num(total["due"]) != 3 || num(total["overdue"]) != 2 ||
		num(total["opted_out"]) != 1 || total["rate"] != 0.25 {
		t.Fatalf("total %v", total)
	}
	cities := cov["by_city"].([]any)
	schools := cov["by_school"].([]any)
	if len(cities) != 2 || len(schools) != 2 {
		t.Fatalf("by_city %v by_school %v", cities, schools)
	}
	bs01 := schools[0].(map[string]any)
	if bs01["school_code"] != "BS01" || bs01["city_code"] != "510100" || num(bs01["scheduled"]) != 3 || num(bs01["due"]) != 2 {
		t.Fatalf("BS01 %v", bs01)
	}
	// the due list of the report package says the same, overall and per school
	for _, school := range []string{"", "BS01", "MY01"} {
		rep, err := report.FollowUpsDue(ctx, f.st, report.DueFilter{SchoolCode: school, AsOf: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		q := "/api/v1/follow-ups/coverage?as_of=2026-06-30"
		if school != "" {
			q += "&school=" + school
		}
		tot := f.do("GET", q, nil).want(http.StatusOK).json()["total"].(map[string]any)
		if int(num(tot["due"])) != rep.DueCount || int(num(tot["overdue"])) != rep.OverdueCount {
			t.Fatalf("school %q: coverage due %v overdue %v, due list %d / %d", school, tot["due"], tot["overdue"],
				rep.DueCount, rep.OverdueCount)
		}
	}
	region := f.do("GET", "/api/v1/follow-ups/coverage?as_of=2026-06-30&region=510703", nil).want(http.StatusOK).json()
	if num(region["total"].(map[string]any)["scheduled"]) != 1 {
		t.Fatalf("region filter %v", region)
	}
	f.do("GET", "/api/v1/follow-ups/coverage?school=NOPE", nil).problem(http.StatusBadRequest, "validation", "school")
	f.do("GET", "/api/v1/follow-ups/coverage?region=51", nil).problem(http.StatusBadRequest, "validation", "region")
	empty := f.do("GET", "/api/v1/follow-ups/coverage?as_of=2020-01-01", nil).want(http.StatusOK).json()
	if num(empty["total"].(map[string]any)["scheduled"]) != 0 || len(empty["by_school"].([]any)) != 0 {
		t.Fatalf("before any alumni: %v", empty)
	}
}

func TestFollowUpsDue(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.mkOrg("BS01", "school", "510104")
	f.mkEdition("jingke-2023")
	id := num(f.mkPerson("张晓明", "20080101", "011")["id"])
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": id, "edition": "jingke-2023",
		"school_code": "BS01", "category": "math", "grade": "9", "status": "completed"}).want(http.StatusCreated)
	f.do("POST", fmt.Sprintf("/api/v1/persons/%d/follow-ups", id), map[string]any{"contacted_on": "2025-04-02",
		"channel": "phone", "outcome": "reached"}).want(http.StatusCreated)

	got := f.do("GET", "/api/v1/follow-ups/due?school=BS01&as_of=2026-06-30", nil).want(http.StatusOK).Body.String()
	want := `{"as_of":"2026-06-30","school":"BS01","due_count":1,"overdue_count":0,"persons":[{"id_number_masked":"5101**************",` +
		`"name":"张晓明","edition":"jingke-2023","k":3,"window_from":"2026-03-01","window_to":"2027-02-28","due":true,` +
		`"overdue":false,"last_contacted_on":"2025-04-02"}]}` + "\n"
	masked := f.do("GET", fmt.Sprintf("/api/v1/persons/%d", id), nil).json()["id_number_masked"].(string)
	want = strings.Replace(want, "5101**************", masked, 1)
	if got != want {
		t.Fatalf("due list\n got %s\nwant %s", got, want)
	}
	f.do("GET", "/api/v1/follow-ups/due?school=NOPE", nil).problem(http.StatusBadRequest, "validation", "school")
	f.do("GET", "/api/v1/follow-ups/due?region=5101", nil).problem(http.StatusBadRequest, "validation", "region")
	f.do("GET", "/api/v1/follow-ups/due?region=999999", nil).problem(http.StatusBadRequest, "validation", "region")
	if r := f.do("GET", "/api/v1/follow-ups/due?as_of=2026-06-30&region=510100", nil).json(); num(r["due_count"]) != 1 || r["region"] != "510100" {
		t.Fatalf("by region %v", r)
	}
}
