package cli

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/doors"
	"talentdb/internal/organization"
	"talentdb/internal/selfreport"
	"talentdb/internal/vocab"
)

const linksUsage = "links due (--school CODE | --all) [--days N] [--out FILE]"

// runLinks implements `links due --school CODE | --all [--days N] [--out FILE]`: the
// office's batch of self-report links (docs/self-report.md) for everyone on a school's due
// list today, or on every school's, as a CSV sheet (school code, name, address, valid
// until) for the schools to send on. The addresses start with PUBLIC_BASE_URL. Each link
// is made through the self-report door, audited, and shown only here.
func runLinks(ctx context.Context, env *Env) error {
	if len(env.Args) == 0 || env.Args[0] != "due" {
		return fmt.Errorf("%w: %s", ErrUsage, linksUsage)
	}
	fs := flag.NewFlagSet("links", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	school := fs.String("school", "", "the school's code")
	all := fs.Bool("all", false, "every school with alumni due today")
	days := fs.Int("days", selfreport.DefaultDays, "how many days the links hold (1-90)")
	out := fs.String("out", "", "write the CSV sheet to FILE (default: standard output)")
	pos, err := parseFlags(fs, env.Args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: unexpected argument %q", ErrUsage, pos[0])
	}
	if (*school == "") == !*all {
		return fmt.Errorf("%w: give --school CODE or --all", ErrUsage)
	}
	if env.Cfg.PublicBaseURL == "" {
		fmt.Fprintln(env.Stderr, "links: PUBLIC_BASE_URL is not set; the sheet holds paths (/r/…) without the site's address")
	}
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	keys, err := openKeys(ctx, env, st)
	if err != nil {
		return err
	}
	d := doors.New(st, keys, doors.Options{Remind: remindConfig(env.Cfg)})
	c := access.CLI(osUser())
	codes := []string{*school}
	if *all {
		kind := "school"
		codes = codes[:0]
		for after := int64(0); ; {
			orgs, err := d.Organizations.List(ctx, c, organization.Filter{Kind: &kind, AfterID: after, Limit: 1000})
			if err != nil {
				return err
			}
			if len(orgs) == 0 {
				break
			}
			for _, o := range orgs {
				codes = append(codes, o.Code)
			}
			after = orgs[len(orgs)-1].ID
		}
	}
	var w io.Writer = env.Stdout
	if *out != "" {
		f, err := os.OpenFile(*out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	start := time.Now()
	_, _ = io.WriteString(w, "\ufeff")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"school_code", "name", "link", "valid_until"})
	n, schools := 0, 0
	for _, code := range codes {
		made, err := d.SelfReports.MakeLinks(ctx, c, selfreport.MakeInput{School: code, Due: true, Days: *days})
		if err != nil {
			return fmt.Errorf("links for %s: %w", code, err)
		}
		for _, m := range made {
			_ = cw.Write([]string{code, m.PersonName, m.URL, m.ExpiresAt.In(vocab.China).Format(time.DateOnly)})
		}
		n += len(made)
		if len(made) > 0 {
			schools++
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "links: %d links for the alumni due at %d %s in %s\n", n, schools,
		plural(schools, "school", "schools"), time.Since(start).Round(time.Millisecond))
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
