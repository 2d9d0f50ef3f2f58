package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/config"
	"talentdb/internal/dbtest"
)

// A request in flight when the signal arrives finishes; then the pool is closed.
func TestServeGracefulShutdown(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	started := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		_, _ = io.WriteString(w, "done")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- serve(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), ln, h, st, 5*time.Second) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-started
	cancel() // SIGTERM
	r := <-got
	if r.err != nil || r.body != "done" {
		t.Fatalf("in-flight request: %q, %v", r.body, r.err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not return after shutdown")
	}
	if err := st.Ping(context.Background()); err == nil {
		t.Fatal("pool still open after shutdown")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/slow"); err == nil {
		t.Fatal("still accepting connections after shutdown")
	}
}

// talentdb serve migrates an empty database, answers, and stops on cancel.
func TestRunServe(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs safeBuffer
	cfg := config.Config{DatabaseURL: dbtest.EmptyURL(t), ListenAddr: addr, ShutdownTimeout: 5 * time.Second,
		MaxBodyBytes: 1 << 20, SecretKey: strings.Repeat("ab", 32)}
	env := &Env{Args: []string{"--listen", addr}, Cfg: cfg, Stdout: io.Discard, Stderr: io.Discard,
		Log: slog.New(slog.NewJSONHandler(&logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, env) }()

	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v; logs: %s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// authentication is on: no credentials, no data
	resp, err := http.Get(base + "/api/v1/categories?limit=500")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("categories without credentials: %d, want 401", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/categories?limit=500", nil)
	req.Header.Set("Authorization", authtest.Bearer(t, dbtest.Open(t, cfg.DatabaseURL), auth.RoleOfficeAnalyst))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	err = json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if err != nil || len(page.Items) != 29 || resp.Header.Get("X-Request-ID") == "" {
		t.Fatalf("categories after migrating: %d items, err %v", len(page.Items), err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("runServe: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runServe did not return")
	}
	for _, want := range []string{"migrate: up", `"msg":"listening"`, `"msg":"stopped"`, `"route":"/api/v1/categories"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s: %s", want, logs.String())
		}
	}
	if err := runServe(context.Background(), &Env{Args: []string{"extra"}, Cfg: cfg, Log: env.Log}); err == nil {
		t.Fatal("a positional argument is a usage error")
	}
}

// safeBuffer is a bytes.Buffer safe for the server's goroutines and the test.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
