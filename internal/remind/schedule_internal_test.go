package remind

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/dbtest"
	"talentdb/internal/report"
)

// syncBuffer is a log the job writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestDailyRunsAndStops: the daily job runs when its time comes, logs the run's figures,
// runs again at the next time, and stops with its context; a caller who may not send gets
// the refusal logged, not a crash.
func TestDailyRunsAndStops(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	s := New(st, report.New(st, nil), Config{}, nil)
	var out syncBuffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.daily(ctx, access.CLI("test"), func() time.Time { return time.Now().Add(5 * time.Millisecond) }, log)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(out.String(), "remind: daily run") < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the daily job did not stop with its context")
	}
	if got := out.String(); strings.Count(got, "remind: daily run") < 2 || !strings.Contains(got, "sent=0") {
		t.Errorf("the job's log:\n%s", got)
	}

	out = syncBuffer{}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	go s.daily(ctx, access.Caller{Role: access.RoleSchoolOperator, SchoolID: 1}, func() time.Time { return time.Now().Add(5 * time.Millisecond) }, log)
	for !strings.Contains(out.String(), "level=ERROR") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "may not remind.send") {
		t.Errorf("a refused run is not logged:\n%s", out.String())
	}
}
