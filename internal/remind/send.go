package remind

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"time"
)

// webhookBody is the JSON a group robot takes for a markdown message: 企业微信's
// {"msgtype":"markdown","markdown":{"content":…}}, 钉钉's
// {"msgtype":"markdown","markdown":{"title":…,"text":…}}.
func webhookBody(kind string, d Digest) ([]byte, error) {
	md := map[string]string{"content": d.Markdown}
	if kind == KindDingTalk {
		md = map[string]string{"title": d.Title, "text": d.Markdown}
	}
	return json.Marshal(map[string]any{"msgtype": "markdown", "markdown": md})
}

// postWebhook posts d to a robot: sent on HTTP 2xx whose JSON errcode, when there is one,
// is 0 (both robots answer {"errcode":0,"errmsg":"ok"}).
func (s *Service) postWebhook(ctx context.Context, kind, to string, d Digest) error {
	body, err := webhookBody(kind, d)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, to, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return fmt.Errorf("post: %s", redactErr(err, to))
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	var ans struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if json.Unmarshal(b, &ans) == nil && ans.ErrCode != nil && *ans.ErrCode != 0 {
		return fmt.Errorf("errcode %d: %.200s", *ans.ErrCode, ans.ErrMsg)
	}
	return nil
}

// redactErr is err's text with the webhook's URL (whose query holds the robot's key)
// replaced by its safe form.
func redactErr(err error, to string) string {
	return strings.ReplaceAll(err.Error(), to, SafeURL(to))
}

// SafeURL is a webhook URL as it may be printed or stored: scheme, host and path, the
// query (the robot's key or access token) left out.
func SafeURL(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i] + "?…"
	}
	return raw
}

// sendMail sends d to the addresses over the configured SMTP server: STARTTLS when
// offered, PLAIN auth when a username is configured, a UTF-8 text mail (quoted-printable)
// with a MIME-encoded subject.
func (s *Service) sendMail(ctx context.Context, to []string, d Digest) error {
	c := s.cfg.SMTP
	if c.Addr == "" || c.From == "" {
		return fmt.Errorf("SMTP_ADDR and SMTP_FROM are not configured")
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("SMTP_ADDR: %w", err)
	}
	dl := time.Now().Add(30 * time.Second)
	if t, ok := ctx.Deadline(); ok && t.Before(dl) {
		dl = t
	}
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return err
	}
	_ = conn.SetDeadline(dl)
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer cl.Close()
	if ok, _ := cl.Extension("STARTTLS"); ok {
		if err := cl.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	}
	if c.Username != "" {
		if err := cl.Auth(smtp.PlainAuth("", c.Username, c.Password, host)); err != nil {
			return err
		}
	}
	if err := cl.Mail(c.From); err != nil {
		return err
	}
	for _, a := range to {
		if err := cl.Rcpt(a); err != nil {
			return err
		}
	}
	w, err := cl.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(mailMessage(c.From, to, d, time.Now())); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return cl.Quit()
}

// mailMessage is the RFC 5322 message of d.
func mailMessage(from string, to []string, d Digest, now time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
		from, strings.Join(to, ", "), mime.BEncoding.Encode("UTF-8", d.Title), now.Format(time.RFC1123Z))
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(d.Text, "\n", "\r\n")))
	_ = qp.Close()
	return b.Bytes()
}

// withRetry calls send up to r.Tries times, waiting r.Waits between failures, and
// returns the attempts made and the last error (nil: sent).
func withRetry(ctx context.Context, r Retry, send func(context.Context) error) (int, error) {
	var err error
	for i := 1; ; i++ {
		if err = send(ctx); err == nil || i >= r.Tries {
			return i, err
		}
		wait := time.Duration(0)
		if len(r.Waits) > 0 {
			wait = r.Waits[min(i-1, len(r.Waits)-1)]
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return i, fmt.Errorf("%w (then %v)", err, ctx.Err())
		case <-t.C:
		}
	}
}
