package remind

import (
	"context"
	"fmt"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/report"
)

// RunOptions are the choices of a run.
type RunOptions struct {
	// AsOf is the day of the digests (zero: today in China); sends are idempotent per day.
	AsOf time.Time
	// DryRun computes every digest and says where it would go, and sends and records nothing.
	DryRun bool
	// Force sends again a channel that already got the day's digest.
	Force bool
}

// The outcomes of one channel in a run.
const (
	OutcomeSent    = "sent"
	OutcomeFailed  = "failed"
	OutcomeSkipped = "skipped"    // already sent today (without Force), or nothing due
	OutcomeWould   = "would_send" // a dry run
)

// Item is one channel of one organization in a run: to whom (a webhook's safe URL, or the
// addresses), what (the robot's markdown, or the mail's subject and text), and how it went.
type Item struct {
	SchoolCode string   `json:"school_code"`
	SchoolName string   `json:"school_name"`
	Channel    string   `json:"channel"`
	To         []string `json:"to"`
	Outcome    string   `json:"outcome"`
	Reason     string   `json:"reason,omitempty"`
	Attempts   int      `json:"attempts,omitempty"`
	Error      string   `json:"error,omitempty"`
	Due        int      `json:"due"`
	Overdue    int      `json:"overdue"`
	Title      string   `json:"title"`
	Text       string   `json:"text"`
}

// RunReport is what a run did.
type RunReport struct {
	AsOf    string        `json:"as_of"`
	DryRun  bool          `json:"dry_run"`
	Items   []Item        `json:"items"`
	Sent    int           `json:"sent"`
	Failed  int           `json:"failed"`
	Skipped int           `json:"skipped"`
	Took    time.Duration `json:"-"`
}

// Run sends the digests of opt.AsOf to every organization that switched them on: each
// school its due and overdue counts (none when nothing is due), the office the province's
// by city. Each channel is tried with the configured retries and every outcome is
// recorded; a channel that already got the day's digest is skipped unless opt.Force. Only
// the office may run it. A channel's failure is in the report, not an error: Run fails
// only when it cannot read the settings or the figures.
func (s *Service) Run(ctx context.Context, c access.Caller, opt RunOptions) (RunReport, error) {
	start := time.Now()
	if err := access.Authorize(c, access.RemindSend); err != nil {
		return RunReport{}, err
	}
	if opt.AsOf.IsZero() {
		opt.AsOf = s.today()
	}
	ctx = scoped(ctx, c)
	settings, err := s.st.ReminderSettingsEnabled(ctx)
	if err != nil {
		return RunReport{}, err
	}
	rep := RunReport{AsOf: opt.AsOf.Format(time.DateOnly), DryRun: opt.DryRun, Items: []Item{}}
	for _, set := range settings {
		d, due, overdue, err := s.digest(ctx, c, set, opt.AsOf)
		if err != nil {
			return rep, err
		}
		for _, ch := range channels(set) {
			it := Item{SchoolCode: set.SchoolCode, SchoolName: set.SchoolName, Channel: ch.name, To: ch.to,
				Due: due, Overdue: overdue, Title: d.Title, Text: d.Markdown}
			if ch.name == ChannelEmail {
				it.Text = d.Text
			}
			s.deliver(ctx, set, ch, d, opt, &it)
			switch it.Outcome {
			case OutcomeSent:
				rep.Sent++
			case OutcomeFailed:
				rep.Failed++
			case OutcomeSkipped:
				rep.Skipped++
			}
			rep.Items = append(rep.Items, it)
		}
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// digest computes the digest of one organization from the report door's due counts: a
// school's schedule, or for the office each city's and the province's.
func (s *Service) digest(ctx context.Context, c access.Caller, set Settings, asOf time.Time) (Digest, int, int, error) {
	day := asOf.Format(time.DateOnly)
	if set.Kind != "office" {
		n, err := s.reports.DueCounts(ctx, c, report.DueFilter{SchoolCode: set.SchoolCode, AsOf: asOf})
		if err != nil {
			return Digest{}, 0, 0, fmt.Errorf("remind: %s: %w", set.SchoolCode, err)
		}
		return schoolDigest(s.cfg.BaseURL, set.SchoolCode, set.SchoolName, day, n.Due, n.Overdue), n.Due, n.Overdue, nil
	}
	regions, err := s.reports.Regions(ctx, c)
	if err != nil {
		return Digest{}, 0, 0, err
	}
	var cities []CityLine
	for _, r := range regions {
		if r.Level != 2 {
			continue
		}
		n, err := s.reports.DueCounts(ctx, c, report.DueFilter{RegionCode: r.Code, AsOf: asOf})
		if err != nil {
			return Digest{}, 0, 0, fmt.Errorf("remind: city %s: %w", r.Code, err)
		}
		cities = append(cities, CityLine{Code: r.Code, Name: r.NameZh, Due: n.Due, Overdue: n.Overdue})
	}
	all, err := s.reports.DueCounts(ctx, c, report.DueFilter{AsOf: asOf})
	if err != nil {
		return Digest{}, 0, 0, err
	}
	return provinceDigest(s.cfg.BaseURL, day, cities, all.Due, all.Overdue), all.Due, all.Overdue, nil
}

// channel is one way a digest goes out: a robot or the e-mail addresses.
type channel struct {
	name string   // wecom, dingtalk or email
	to   []string // shown: the webhook's safe URL, or the addresses
	url  string   // the webhook's URL, key included
	mail []string
}

// channels are the configured recipients of set.
func channels(set Settings) []channel {
	var out []channel
	if set.WebhookKind != nil && set.WebhookURL != nil {
		out = append(out, channel{name: *set.WebhookKind, to: []string{SafeURL(*set.WebhookURL)}, url: *set.WebhookURL})
	}
	if len(set.Emails) > 0 {
		out = append(out, channel{name: ChannelEmail, to: set.Emails, mail: set.Emails})
	}
	return out
}

// deliver sends d to one channel (or says it would, or why not) and records the send. A
// real run first claims the send in the database (store.ReminderSendClaim), so of two runs
// at the same moment one sends and the other skips; a forced run claims anew.
func (s *Service) deliver(ctx context.Context, set Settings, ch channel, d Digest, opt RunOptions, it *Item) {
	if it.Due == 0 {
		it.Outcome, it.Reason = OutcomeSkipped, "nothing due"
		return
	}
	// the allow-list again: a webhook saved before the list changed is not posted to
	refused := ch.name != ChannelEmail && checkWebhookURL(ch.url, s.cfg.WebhookHosts) != ""
	if opt.DryRun {
		done := false
		if !opt.Force {
			var err error
			if done, err = s.st.ReminderSendDone(ctx, set.SchoolID, opt.AsOf, ch.name); err != nil {
				it.Outcome, it.Error = OutcomeFailed, err.Error()
				return
			}
		}
		switch {
		case done:
			it.Outcome, it.Reason = OutcomeSkipped, "already sent today"
		case refused:
			it.Outcome, it.Error = OutcomeFailed, errHostNotAllowed.Error()
		default:
			it.Outcome = OutcomeWould
		}
		return
	}
	id, claimed, err := s.st.ReminderSendClaim(ctx, set.SchoolID, opt.AsOf, ch.name, opt.Force, ClaimLease)
	if err != nil {
		it.Outcome, it.Error = OutcomeFailed, err.Error()
		return
	}
	if !claimed {
		it.Outcome, it.Reason = OutcomeSkipped, "already sent today (or being sent by another run)"
		return
	}
	attempts, err := 0, errHostNotAllowed
	if !refused {
		attempts, err = withRetry(ctx, s.cfg.Retry, func(ctx context.Context) error {
			if ch.name == ChannelEmail {
				return s.sendMail(ctx, ch.mail, d)
			}
			return s.postWebhook(ctx, ch.name, ch.url, d)
		})
	}
	it.Attempts, it.Outcome = attempts, OutcomeSent
	var errText *string
	if err != nil {
		msg := err.Error()
		if r := []rune(msg); len(r) > 500 {
			msg = string(r[:500])
		}
		it.Outcome, it.Error = OutcomeFailed, msg
		errText = &msg
	}
	if err := s.st.ReminderSendFinish(context.WithoutCancel(ctx), id, it.Outcome, attempts, errText); err != nil {
		it.Error = fmt.Sprintf("%s; not recorded: %v", it.Error, err)
	}
}
