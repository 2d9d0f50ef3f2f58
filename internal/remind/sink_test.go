package remind_test

import (
	"bufio"
	"io"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpSink is a tiny SMTP server on loopback that accepts every message and keeps it.
type smtpSink struct {
	Addr string
	mu   sync.Mutex
	msgs []mailMsg
}

type mailMsg struct {
	From string
	To   []string
	Raw  string
}

// Body is the message's body decoded (the digests are quoted-printable).
func (m mailMsg) Body(t *testing.T) string {
	t.Helper()
	_, body, ok := strings.Cut(m.Raw, "\r\n\r\n")
	if !ok {
		t.Fatalf("a message without a body: %q", m.Raw)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{Addr: ln.Addr().String()}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	say("220 sink ESMTP")
	var m mailMsg
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 sink")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			m = mailMsg{From: strings.Trim(strings.TrimSpace(line)[10:], "<>")}
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			m.To = append(m.To, strings.Trim(strings.TrimSpace(line)[8:], "<>"))
			say("250 OK")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			m.Raw = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 OK")
		}
	}
}

// Messages returns the messages received so far.
func (s *smtpSink) Messages() []mailMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]mailMsg(nil), s.msgs...)
}

// robot is a group robot's webhook on loopback that keeps every body posted and answers
// with status and body.
type robot struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	status int
	answer string
	delay  time.Duration // how long it takes to answer, as a real robot over the network
}

func newRobot(t *testing.T, status int, answer string) *robot {
	t.Helper()
	rb := &robot{status: status, answer: answer}
	rb.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rb.mu.Lock()
		rb.bodies = append(rb.bodies, string(b))
		delay := rb.delay
		rb.mu.Unlock()
		time.Sleep(delay)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rb.status)
		_, _ = io.WriteString(w, rb.answer)
	}))
	t.Cleanup(rb.Close)
	return rb
}

// Bodies returns the bodies posted so far.
func (rb *robot) Bodies() []string {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return append([]string(nil), rb.bodies...)
}
