package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/config"
	"talentdb/internal/remind"
	"talentdb/internal/report"
)

const remindUsage = "remind [--as-of DATE] [--dry-run] [--force] [--format text|json]"

// remindConfig is the reminders' configuration from the environment (docs/reminders.md).
func remindConfig(cfg config.Config) remind.Config {
	return remind.Config{BaseURL: cfg.PublicBaseURL, SMTP: remind.SMTP{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom,
		Username: cfg.SMTPUsername, Password: cfg.SMTPPassword}, WebhookHosts: remind.ParseWebhookHosts(cfg.RemindWebhookHosts)}
}

// runRemind implements `remind [--as-of DATE] [--dry-run] [--force] [--format text|json]`:
// send the day's digests to every school that switched them on and to the office, for
// cron. --dry-run prints what would be sent, to whom, and the text, and sends nothing. It
// fails (exit 1) when a channel failed after its retries, so cron reports it.
func runRemind(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("remind", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	asOf := fs.String("as-of", "", "the day of the digests, YYYY-MM-DD (default: today in China)")
	dry := fs.Bool("dry-run", false, "print what would be sent, to whom, and the text; send nothing")
	force := fs.Bool("force", false, "send again what was already sent today")
	format := fs.String("format", "text", "text or json")
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: unexpected argument %q", ErrUsage, pos[0])
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("%w: --format %q: want text or json", ErrUsage, *format)
	}
	var day time.Time
	if *asOf != "" {
		if day, err = time.Parse(time.DateOnly, *asOf); err != nil {
			return fmt.Errorf("%w: --as-of %q: want YYYY-MM-DD", ErrUsage, *asOf)
		}
	}
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	// the digests carry counts only: no identity key is needed
	svc := remind.New(st, report.New(st, nil), remindConfig(env.Cfg), nil)
	rep, err := svc.Run(ctx, access.CLI(osUser()), remind.RunOptions{AsOf: day, DryRun: *dry, Force: *force})
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printRemind(env.Stdout, rep)
	}
	if rep.Failed > 0 {
		return fmt.Errorf("%d of the day's digests failed after retries (recorded in reminder_sends)", rep.Failed)
	}
	return nil
}

// printRemind writes a run for a person reading cron's mail: one block per channel.
func printRemind(w io.Writer, rep remind.RunReport) {
	mode := "sent"
	if rep.DryRun {
		mode = "dry run: nothing sent"
	}
	fmt.Fprintf(w, "reminders of %s (%s)\n", rep.AsOf, mode)
	for _, it := range rep.Items {
		fmt.Fprintf(w, "\n== %s %s → %s %s: %s", it.SchoolCode, it.SchoolName, it.Channel, strings.Join(it.To, ", "), it.Outcome)
		if it.Reason != "" {
			fmt.Fprintf(w, " (%s)", it.Reason)
		}
		if it.Attempts > 0 {
			fmt.Fprintf(w, ", %d attempt(s)", it.Attempts)
		}
		if it.Error != "" {
			fmt.Fprintf(w, ", error: %s", it.Error)
		}
		fmt.Fprintln(w)
		if it.Outcome != remind.OutcomeSkipped {
			fmt.Fprintf(w, "subject: %s\n%s", it.Title, it.Text)
		}
	}
	fmt.Fprintf(w, "\n%d sent, %d failed, %d skipped in %s\n", rep.Sent, rep.Failed, rep.Skipped, rep.Took.Round(time.Millisecond))
}
