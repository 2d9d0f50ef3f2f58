package remind

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/report"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Settings are an organization's reminder settings (a school's, or the office's for the
// province digest).
type Settings = store.ReminderSettings

// Send is one recorded send of a digest to one channel.
type Send = store.ReminderSend

// The webhook kinds: the group robots of 企业微信 (WeCom) and 钉钉 (DingTalk).
const (
	KindWeCom    = "wecom"
	KindDingTalk = "dingtalk"
	// ChannelEmail is the channel of a digest sent by e-mail.
	ChannelEmail = "email"
)

// Limits of the settings.
const (
	MaxEmails     = 20
	MaxWebhookLen = 500
)

// SettingsInput is what a form or a script sets: blank webhook fields mean no webhook.
type SettingsInput struct {
	Enabled     bool
	WebhookKind string
	WebhookURL  string
	Emails      []string
}

// Config is what the run needs beside the store: where links point, how mail goes out,
// how sends are retried.
type Config struct {
	// BaseURL is the address of the web app as users reach it (PUBLIC_BASE_URL), the root
	// of the digests' links; empty: the links are paths only.
	BaseURL string
	SMTP    SMTP
	Retry   Retry
	// Client sends the webhooks (nil: a client with a 15 s timeout).
	Client *http.Client
	// WebhookHosts are the host names a webhook may post to (REMIND_WEBHOOK_HOSTS; nil:
	// DefaultWebhookHosts), checked when a URL is saved and again before each post.
	WebhookHosts []string
}

// SMTP is the mail server of the e-mail digests (SMTP_ADDR, SMTP_FROM, SMTP_USERNAME,
// SMTP_PASSWORD). STARTTLS is used when the server offers it; PLAIN auth when a username
// is given (net/smtp refuses it over an unencrypted connection to anything but localhost).
type SMTP struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
}

// Retry is how often a channel is tried and how long the run waits after each failure
// (the last wait repeats when there are more tries than waits).
type Retry struct {
	Tries int
	Waits []time.Duration
}

// DefaultWebhookHosts are the hosts of the two robots' webhooks, the allow-list unless
// REMIND_WEBHOOK_HOSTS says otherwise.
var DefaultWebhookHosts = []string{"qyapi.weixin.qq.com", "oapi.dingtalk.com"}

// ParseWebhookHosts is the allow-list of REMIND_WEBHOOK_HOSTS, comma-separated host
// names (blank: nil, the default).
func ParseWebhookHosts(s string) []string {
	var out []string
	for _, h := range strings.Split(s, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// ClaimLease is how long a run's claim on a send holds the day when the run never records
// its outcome (it crashed or was killed mid-send): the next run after it records the claim
// as failed and sends. Far beyond one channel's tries (3 posts of at most 15 s and the
// waits between them).
const ClaimLease = 15 * time.Minute

// DefaultRetry is 3 tries, 1 s then 4 s apart (16 s before a fourth, when configured).
var DefaultRetry = Retry{Tries: 3, Waits: []time.Duration{time.Second, 4 * time.Second, 16 * time.Second}}

// Service is the door to the reminders.
type Service struct {
	st      *store.Store
	reports *report.Service
	cfg     Config
	now     func() time.Time
}

// New returns the service over st, reading the figures from reports; now is the clock
// behind "today" (nil: time.Now).
func New(st *store.Store, reports *report.Service, cfg Config, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	if cfg.Retry.Tries <= 0 {
		cfg.Retry = DefaultRetry
	}
	if cfg.Client == nil {
		// a robot answers where it is asked; a redirect (to anywhere) is a failed send
		cfg.Client = &http.Client{Timeout: 15 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if len(cfg.WebhookHosts) == 0 {
		cfg.WebhookHosts = DefaultWebhookHosts
	}
	return &Service{st: st.WithoutDefault(), reports: reports, cfg: cfg, now: now}
}

// scoped returns ctx carrying c's scope, for the store.
func scoped(ctx context.Context, c access.Caller) context.Context {
	return store.WithScope(ctx, store.ScopeFor(c))
}

// organization resolves whose settings c asks for: code "" is the caller's own (a school
// operator's school, the office's organization for the office); a school operator naming
// another school is access.ErrForbidden (a school may set its own only); an unknown code,
// or one of an organization that gets no digest (a training institution), is
// access.ErrNotFound.
func (s *Service) organization(ctx context.Context, c access.Caller, code string) (int64, error) {
	code = strings.TrimSpace(code)
	if c.Role == access.RoleSchoolOperator {
		if code == "" {
			return c.SchoolID, nil
		}
		o, err := s.st.OrganizationByCode(ctx, code)
		if err != nil {
			return 0, err
		}
		if o.ID != c.SchoolID {
			return 0, fmt.Errorf("remind: another school's settings: %w", access.ErrForbidden)
		}
		return o.ID, nil
	}
	kind := "school"
	f := store.OrganizationFilter{Code: &code, Limit: 1}
	if code == "" {
		kind = "office"
		f = store.OrganizationFilter{Kind: &kind, Limit: 1}
	}
	orgs, err := s.st.OrganizationList(ctx, f)
	if err != nil {
		return 0, err
	}
	if len(orgs) == 0 || (orgs[0].Kind != "school" && orgs[0].Kind != "office") {
		return 0, fmt.Errorf("remind: no %s %q: %w", kind, code, access.ErrNotFound)
	}
	return orgs[0].ID, nil
}

// Settings returns the settings of the school code ("" the caller's own, see
// organization) and its latest sends.
func (s *Service) Settings(ctx context.Context, c access.Caller, code string) (Settings, []Send, error) {
	if err := access.Authorize(c, access.RemindRead); err != nil {
		return Settings{}, nil, err
	}
	ctx = scoped(ctx, c)
	id, err := s.organization(ctx, c, code)
	if err != nil {
		return Settings{}, nil, err
	}
	set, err := s.st.ReminderSettingsGet(ctx, id)
	if err != nil {
		return Settings{}, nil, err
	}
	sends, err := s.st.ReminderSendList(ctx, id, 10)
	return set, sends, err
}

// SaveSettings validates in and writes the settings of school code ("" the caller's own),
// provided they are still at version (else access.ErrStale), audited. Invalid fields come
// back all at once as *access.FieldError joined: a webhook must name its kind and be an
// https URL to a host of cfg.WebhookHosts (http only to a loopback address the list names),
// e-mails bare valid addresses, and switched on the digest needs a recipient.
func (s *Service) SaveSettings(ctx context.Context, c access.Caller, code string, version int, in SettingsInput) (Settings, error) {
	if err := access.Authorize(c, access.RemindWrite); err != nil {
		return Settings{}, err
	}
	v, err := validate(in, s.cfg.WebhookHosts)
	if err != nil {
		return Settings{}, err
	}
	ctx = scoped(ctx, c)
	id, err := s.organization(ctx, c, code)
	if err != nil {
		return Settings{}, err
	}
	return s.st.ReminderSettingsSave(ctx, store.ActorFor(c), id, version, v)
}

// validate checks in and returns it as the store writes it.
func validate(in SettingsInput, hosts []string) (store.ReminderSettingsInput, error) {
	var c check.Fields
	out := store.ReminderSettingsInput{Enabled: in.Enabled, Emails: []string{}}
	kind, raw := strings.TrimSpace(in.WebhookKind), strings.TrimSpace(in.WebhookURL)
	switch {
	case kind == "" && raw == "":
	case raw == "":
		c.Add("webhook_url", "required", "请填写机器人地址 / the webhook URL is required")
	case kind == "":
		c.Add("webhook_kind", "required", "请选择机器人类型 / choose the kind of robot")
	default:
		if !vocab.WebhookKinds.Valid(kind) {
			c.Add("webhook_kind", "enum", "机器人类型应为企业微信或钉钉 / the robot is wecom or dingtalk")
		}
		if msg := checkWebhookURL(raw, hosts); msg != "" {
			c.Add("webhook_url", "url", msg)
		}
		out.WebhookKind, out.WebhookURL = &kind, &raw
	}
	seen := map[string]bool{}
	for _, e := range in.Emails {
		e = strings.TrimSpace(e)
		if e == "" || seen[strings.ToLower(e)] {
			continue
		}
		seen[strings.ToLower(e)] = true
		a, err := mail.ParseAddress(e)
		if err != nil || a.Address != e || a.Name != "" {
			c.Add("emails", "email", fmt.Sprintf("%s 不是有效的邮箱地址 / %s is not a valid e-mail address", e, e))
			continue
		}
		out.Emails = append(out.Emails, e)
	}
	if len(out.Emails) > MaxEmails {
		c.Add("emails", "max", fmt.Sprintf("最多 %d 个邮箱 / at most %d addresses", MaxEmails, MaxEmails))
	}
	if in.Enabled && out.WebhookURL == nil && len(out.Emails) == 0 {
		c.Add("enabled", "recipient", "开启提醒需要至少一个接收方 / switching reminders on needs a webhook or an e-mail address")
	}
	return out, c.Err()
}

// checkWebhookURL returns why raw is not an acceptable webhook ("" when it is): within the
// length, with a host of hosts and without credentials; https on its default port, or
// http to a loopback address (tests' robots) when hosts names it.
func checkWebhookURL(raw string, hosts []string) string {
	const bad = "机器人地址应为 https:// 开头的完整网址 / the webhook URL must be a full https:// URL"
	if len(raw) > MaxWebhookLen {
		return fmt.Sprintf("机器人地址不能超过 %d 个字符 / the webhook URL is longer than %d characters", MaxWebhookLen, MaxWebhookLen)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Opaque != "" {
		return bad
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case !slices.Contains(hosts, host):
	case loopback(host) && (u.Scheme == "http" || u.Scheme == "https"):
		return ""
	case u.Scheme == "https" && (u.Port() == "" || u.Port() == "443"):
		return ""
	}
	list := strings.Join(hosts, ", ")
	return fmt.Sprintf("机器人地址应为 https:// 开头、主机为以下之一的网址：%s / the webhook URL must be an https:// URL to one of these hosts: %s", list, list)
}

// errHostNotAllowed is the failure of a send to a webhook whose host the allow-list no
// longer names (it was saved before the list changed).
var errHostNotAllowed = errors.New("the webhook's host is not in REMIND_WEBHOOK_HOSTS: not posted")

// loopback reports whether host is localhost or a loopback address.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// today is the date in China by the service's clock.
func (s *Service) today() time.Time { return vocab.Today(s.now) }
