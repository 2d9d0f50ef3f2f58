package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/edition"
	"talentdb/internal/report"
)

// runReport implements `report cohort --edition ID` and `report annual --year YYYY`, each
// with [--as-of DATE] [--format json|csv|xlsx] [--out FILE].
func runReport(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	editionID := fs.String("edition", "", "edition ID of the cohort report, e.g. jingke-2023")
	year := fs.String("year", "", "calendar year of the annual report, e.g. 2024")
	of := outputFlags(fs)
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "cohort" && pos[0] != "annual") {
		return fmt.Errorf("%w: want report cohort --edition ID or report annual --year YYYY", ErrUsage)
	}
	asOf, format, err := of.parse()
	if err != nil {
		return err
	}
	var (
		id   edition.ID
		y    int
		kind = pos[0]
	)
	switch kind {
	case "cohort":
		if *year != "" {
			return fmt.Errorf("%w: --year belongs to report annual", ErrUsage)
		}
		if *editionID == "" {
			return fmt.Errorf("%w: report cohort needs --edition ID", ErrUsage)
		}
		if id, err = edition.ParseID(*editionID); err != nil {
			return err
		}
	case "annual":
		if *editionID != "" {
			return fmt.Errorf("%w: --edition belongs to report cohort", ErrUsage)
		}
		if y, err = strconv.Atoi(*year); err != nil || len(*year) != 4 {
			return fmt.Errorf("%w: report annual needs --year YYYY (four digits), got %q", ErrUsage, *year)
		}
	}
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	var r report.Exporter
	if kind == "cohort" {
		r, err = report.Cohort(ctx, st, id.String(), asOf)
	} else {
		r, err = report.Annual(ctx, st, y, asOf)
	}
	if err != nil {
		return err
	}
	return of.emit(env, format, r)
}

// outputOpts are the flags every report command shares.
type outputOpts struct {
	asOf, format, out *string
}

func outputFlags(fs *flag.FlagSet) outputOpts {
	return outputOpts{
		asOf:   fs.String("as-of", "", "date the report is computed on, YYYY-MM-DD (default today, UTC)"),
		format: fs.String("format", "json", "json, csv or xlsx"),
		out:    fs.String("out", "", "write to this file instead of stdout"),
	}
}

func (o outputOpts) parse() (time.Time, report.Format, error) {
	asOf := report.Today()
	if *o.asOf != "" {
		d, err := edition.ParseDate(*o.asOf)
		if err != nil {
			return time.Time{}, "", fmt.Errorf("--as-of: %w", err)
		}
		asOf = d
	}
	format, err := report.ParseFormat(*o.format)
	if err != nil {
		return time.Time{}, "", fmt.Errorf("%w: --format %q: want json, csv or xlsx", ErrUsage, *o.format)
	}
	return asOf, format, nil
}

// emit encodes r and writes it to --out (replacing the file only once the whole report is
// encoded) or to stdout.
func (o outputOpts) emit(env *Env, format report.Format, r report.Exporter) error {
	var buf bytes.Buffer
	if err := report.Write(&buf, format, r); err != nil {
		return err
	}
	if *o.out == "" {
		_, err := env.Stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(*o.out, buf.Bytes())
}

// writeFileAtomic writes data to a temporary file beside path and renames it into place,
// so a failed run never leaves half a report behind.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+strings.TrimPrefix(filepath.Base(path), ".")+".*.tmp")
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("--out: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("--out: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}
