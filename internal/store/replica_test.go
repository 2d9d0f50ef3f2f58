package store_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/dbtest"
	"talentdb/internal/dbtest/pgcluster"
	"talentdb/internal/doors"
	"talentdb/internal/httpapi"
	"talentdb/internal/identity"
	"talentdb/internal/report"
	"talentdb/internal/seed"
	"talentdb/internal/store"
)

// syncBuffer is a log sink the health check goroutine and the test may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestReplica runs a primary and a streaming standby (pg_basebackup -R) as private
// clusters: the reports run on the standby and agree with the primary, a write on the
// primary shows up on the standby, and when the standby stops the reports fall back to
// the primary (talentdb_replica_up 0, one log line), coming back when it restarts.
// It takes a few seconds and needs the server programs; .ci/run sets
// TALENTDB_REPLICA_TEST=1 to run it.
func TestReplica(t *testing.T) {
	if os.Getenv("TALENTDB_REPLICA_TEST") == "" {
		t.Skip("set TALENTDB_REPLICA_TEST=1 to run the streaming-replica test (starts two private PostgreSQL clusters)")
	}
	t.Parallel()
	ctx := context.Background()
	primary := pgcluster.New(t, pgcluster.Options{})
	office := store.WithDefaultScope(store.OfficeScope) // as the CLI: reports see every school
	st := dbtest.OpenMigrated(t, primary.URL(""), office)
	small, _ := seed.ScaleByName("small")
	if _, err := seed.Run(ctx, st, identity.TestKeys(), seed.Options{Scale: small, Seed: 1}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	onPrimary := store.New(st.Pool, office) // the same database without a replica

	standby := primary.Standby(t)
	var logs syncBuffer
	err := st.AttachReplica(ctx, standby.URL(""), store.ReplicaOptions{Interval: 100 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if s := st.ReplicaStatus(); !s.Configured || !s.Up || !s.InRecovery {
		t.Fatalf("replica status after attach = %+v, want configured, up, in recovery\n%s", s, logs.String())
	}
	h := httpapi.New(httpapi.Deps{Doors: doors.New(st, identity.TestKeys(), doors.Options{}), Registry: prometheus.NewRegistry()})
	metric := func() string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		for _, line := range strings.Split(rec.Body.String(), "\n") {
			if strings.HasPrefix(line, "talentdb_replica_up ") {
				return strings.TrimPrefix(line, "talentdb_replica_up ")
			}
		}
		return "absent"
	}
	if got := metric(); got != "1" {
		t.Errorf("talentdb_replica_up = %s with the standby up, want 1", got)
	}

	// the view Replica returns is the standby
	var inRecovery bool
	if err := st.Replica().Pool.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&inRecovery); err != nil || !inRecovery {
		t.Fatalf("Replica() does not reach the standby: in recovery %v, %v", inRecovery, err)
	}

	asOf := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	reports := func(st *store.Store) (report.CohortReport, report.AnnualReport, report.DueReport) {
		t.Helper()
		c, err := report.Cohort(ctx, st, "jingke-2023", asOf)
		if err != nil {
			t.Fatalf("cohort: %v", err)
		}
		a, err := report.Annual(ctx, st, 2024, asOf)
		if err != nil {
			t.Fatalf("annual: %v", err)
		}
		d, err := report.FollowUpsDue(ctx, st, report.DueFilter{AsOf: asOf, RegionCode: "510100"})
		if err != nil {
			t.Fatalf("due: %v", err)
		}
		return c, a, d
	}
	wantC, wantA, wantD := reports(onPrimary)
	if wantC.CohortSize == 0 || wantD.DueCount == 0 {
		t.Fatalf("the seeded data gives empty reports (cohort %d, due %d); the comparison would prove nothing",
			wantC.CohortSize, wantD.DueCount)
	}
	before := st.ReplicaPool().Stat().AcquireCount()
	gotC, gotA, gotD := reports(st)
	if n := st.ReplicaPool().Stat().AcquireCount() - before; n < 3 {
		t.Errorf("the reports acquired %d connections of the replica, want at least 3", n)
	}
	if !reflect.DeepEqual(gotC, wantC) || !reflect.DeepEqual(gotA, wantA) || !reflect.DeepEqual(gotD, wantD) {
		t.Errorf("reports on the replica differ from the primary")
	}

	// a write on the primary reaches the standby
	if _, err := st.Pool.Exec(ctx, `INSERT INTO organizations (code, name, kind, type, region_code)
		VALUES ('REPL01', '复制测试学校', 'school', 'primary', '510104')`); err != nil {
		t.Fatal(err)
	}
	seen := pgcluster.WaitFor(10*time.Second, func() bool {
		var n int
		err := st.Replica().Pool.QueryRow(ctx, "SELECT count(*) FROM organizations WHERE code = 'REPL01'").Scan(&n)
		return err == nil && n == 1
	})
	if !seen {
		t.Fatalf("a row written on the primary did not reach the standby within 10 s\n%s", standby.LogTail())
	}

	// the standby stops: reads fall back to the primary
	standby.Stop(t)
	if !pgcluster.WaitFor(5*time.Second, func() bool { return !st.ReplicaStatus().Up }) {
		t.Fatal("the replica is still marked up 5 s after it stopped")
	}
	if st.Replica() != st {
		t.Error("Replica() routes to a replica that is down")
	}
	if got := metric(); got != "0" {
		t.Errorf("talentdb_replica_up = %s with the standby stopped, want 0", got)
	}
	gotC, gotA, gotD = reports(st)
	wantD.DueCount, gotD.DueCount = 0, 0 // the new school changes nothing, but compare whole reports
	if !reflect.DeepEqual(gotC, wantC) || !reflect.DeepEqual(gotA, wantA) || !reflect.DeepEqual(gotD, wantD) {
		t.Errorf("reports on the primary after the fallback differ")
	}
	if !strings.Contains(logs.String(), "replica down") {
		t.Errorf("no log line for the replica going down:\n%s", logs.String())
	}

	// and it comes back
	standby.Start(t)
	if !pgcluster.WaitFor(10*time.Second, func() bool { return st.ReplicaStatus().Up }) {
		t.Fatalf("the replica is not used again 10 s after it restarted\n%s", logs.String())
	}
	if n := strings.Count(logs.String(), "replica up"); n != 2 {
		t.Errorf("%d 'replica up' log lines, want 2 (attach, return):\n%s", n, logs.String())
	}
}
