package tracking_test

import (
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/doortest"
	"talentdb/internal/tracking"
)

// TestAwardQueue: a reported award waits in the queue with the person's and the school's
// names, of its level only when a level is asked; once verified it leaves the queue, and a
// deleted award is never in it. Every role but the office is refused the queue.
func TestAwardQueue(t *testing.T) {
	t.Parallel()
	f := setup(t)
	r := f.records(t)
	doortest.Refused(t, []op{{Name: "AwardQueue", Act: access.AwardVerify, Call: func(c access.Caller) error {
		return doortest.Err(f.svc.AwardQueue(f.ctx, c, tracking.QueueFilter{Limit: 10}))
	}}}, f.callers(), new(bool))
	queued := func(level *string) []tracking.QueuedAward {
		t.Helper()
		q, err := f.svc.AwardQueue(f.ctx, f.caller, tracking.QueueFilter{Level: level, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if q.Total != len(q.Rows) {
			t.Errorf("total %d of %d rows", q.Total, len(q.Rows))
		}
		return q.Rows
	}
	q := queued(nil)
	if len(q) != 1 || q[0].ID != r.award.ID || q[0].PersonName == "" || q[0].SchoolName == nil || *q[0].SchoolName != "成都市第一小学" {
		t.Fatalf("queue: %+v", q)
	}
	if q := queued(sp("national")); len(q) != 0 {
		t.Errorf("national awards: %d, want none", len(q))
	}
	if q := queued(sp("provincial")); len(q) != 1 {
		t.Errorf("provincial awards: %d, want 1", len(q))
	}
	if _, err := f.svc.VerifyAward(f.ctx, f.caller, r.award.ID, nil, tracking.VerifyDraft{State: sp("verified")}); err != nil {
		t.Fatal(err)
	}
	if q := queued(nil); len(q) != 0 {
		t.Errorf("after verification: %d in the queue", len(q))
	}
	v, err := f.svc.AwardQueue(f.ctx, f.caller, tracking.QueueFilter{Verification: "verified", Limit: 10})
	if err != nil || v.Total != 1 || v.Rows[0].ID != r.award.ID {
		t.Errorf("the verified awards: %+v (%v)", v, err)
	}
	a, err := f.svc.CreateAward(f.ctx, f.caller, f.person, tracking.AwardDraft{Competition: sp("市级科技节"), Level: sp("municipal"),
		AwardedOn: sp("2025-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DeleteAward(f.ctx, f.caller, a.ID, nil); err != nil {
		t.Fatal(err)
	}
	if q := queued(nil); len(q) != 0 {
		t.Errorf("a deleted award is in the queue: %+v", q)
	}
}
