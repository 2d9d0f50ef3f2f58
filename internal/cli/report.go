package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/edition"
	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// reportUsage lists the forms of the report command (the command table keeps the short one).
const reportUsage = "report cohort --edition ID | annual --year YYYY [--as-of DATE] [--region CODE] [--school CODE] " +
	"[--category CODE] [--program P] [--publish] [--freeze] [--format json|csv|xlsx] [--out FILE] | frozen [ID] [--format F] | diff ID"

// runReport implements `report cohort --edition ID` and `report annual --year YYYY`, each
// with [--as-of DATE] [--format json|csv|xlsx] [--out FILE], the cut [--region CODE]
// [--school CODE] [--category CODE] (and [--program P] for annual), [--publish]
// (publication mode) and [--freeze] (store the report as published and print its id);
// and `report frozen [ID]` (list the frozen reports, or print one as it was published)
// and `report diff ID` (what has changed since it was frozen).
func runReport(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	editionID := fs.String("edition", "", "edition ID of the cohort report, e.g. jingke-2023")
	year := fs.String("year", "", "calendar year of the annual report, e.g. 2024")
	var cut report.Cut
	fs.StringVar(&cut.Region, "region", "", "only this city (a city code, or a county code within it)")
	fs.StringVar(&cut.School, "school", "", "only participations nominated by this school (organization code)")
	fs.StringVar(&cut.Category, "category", "", "only this category (code)")
	fs.StringVar(&cut.Program, "program", "", "annual report: only this program (jingke or jindaoshi)")
	publish := fs.Bool("publish", false, "publication mode: counts 1-4 as \"<5\", complementary suppression, small-denominator rates withheld")
	freeze := fs.Bool("freeze", false, "store the report as published in frozen_reports and print its id")
	of := outputFlags(fs)
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: want %s", ErrUsage, reportUsage)
	}
	switch kind := pos[0]; kind {
	case "frozen", "diff":
		if *editionID != "" || *year != "" || !cut.IsZero() || *publish || *freeze || *of.asOf != "" {
			return fmt.Errorf("%w: report %s takes only [ID] [--format F] [--out FILE]", ErrUsage, kind)
		}
		return runFrozen(ctx, env, of, pos)
	case report.KindCohort, report.KindAnnual:
		if len(pos) != 1 {
			return fmt.Errorf("%w: want %s", ErrUsage, reportUsage)
		}
	default:
		return fmt.Errorf("%w: want %s", ErrUsage, reportUsage)
	}
	asOf, format, err := of.parse()
	if err != nil {
		return err
	}
	kind := pos[0]
	p := report.Params{Cut: cut, Publish: *publish}
	switch kind {
	case report.KindCohort:
		if *year != "" {
			return fmt.Errorf("%w: --year belongs to report annual", ErrUsage)
		}
		if cut.Program != "" {
			return fmt.Errorf("%w: --program belongs to report annual (an edition fixes the program)", ErrUsage)
		}
		if *editionID == "" {
			return fmt.Errorf("%w: report cohort needs --edition ID", ErrUsage)
		}
		id, err := edition.ParseID(*editionID)
		if err != nil {
			return err
		}
		p.Edition = id.String()
	case report.KindAnnual:
		if *editionID != "" {
			return fmt.Errorf("%w: --edition belongs to report cohort", ErrUsage)
		}
		if p.Year, err = strconv.Atoi(*year); err != nil || len(*year) != 4 {
			return fmt.Errorf("%w: report annual needs --year YYYY (four digits), got %q", ErrUsage, *year)
		}
	}
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	reports, c := report.New(st, nil), access.CLI(osUser())
	if !*freeze {
		r, err := reports.Compute(ctx, c, kind, p, asOf)
		if err != nil {
			return err
		}
		return of.emit(env, format, r)
	}
	fr, r, err := reports.Freeze(ctx, c, kind, p, asOf)
	if err != nil {
		return err
	}
	// the id is the answer of a freeze; the report goes to --out when one is given
	if *of.out != "" {
		if err := of.emit(env, format, r); err != nil {
			return fmt.Errorf("frozen as %d, but: %w", fr.ID, err)
		}
	}
	_, err = fmt.Fprintln(env.Stdout, fr.ID)
	return err
}

// runFrozen implements `report frozen` (a JSON array of the frozen reports, without
// bodies), `report frozen ID` (the body as frozen, or its CSV/XLSX) and `report diff ID`.
func runFrozen(ctx context.Context, env *Env, of outputOpts, pos []string) error {
	kind := pos[0]
	var id int64
	switch {
	case len(pos) == 2:
		n, err := strconv.ParseInt(pos[1], 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("%w: report %s ID: %q is not an id", ErrUsage, kind, pos[1])
		}
		id = n
	case len(pos) == 1 && kind == "frozen":
	default:
		return fmt.Errorf("%w: want report frozen [ID] or report diff ID", ErrUsage)
	}
	st, _, format, err := of.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	reports, c := report.New(st, nil), access.CLI(osUser())
	if id == 0 {
		var all []report.FrozenHead
		for after := int64(0); ; {
			rows, err := reports.FrozenList(ctx, c, report.FrozenFilter{AfterID: after, Limit: 500})
			if err != nil {
				return err
			}
			for _, fr := range rows {
				all = append(all, report.HeadOf(fr))
				after = fr.ID
			}
			if len(rows) < 500 {
				break
			}
		}
		if all == nil {
			all = []report.FrozenHead{}
		}
		return of.emitJSON(env, all)
	}
	fr, err := reports.FrozenGet(ctx, c, id)
	if err != nil {
		return fmt.Errorf("frozen report %d: %w", id, err)
	}
	if kind == "diff" {
		d, err := reports.Diff(ctx, c, id)
		if err != nil {
			return err
		}
		return of.emitJSON(env, d)
	}
	if format == report.FormatJSON {
		return of.write(env, append(fr.Body, '\n'))
	}
	r, err := report.DecodeFrozen(fr)
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
	asOf := vocab.Today(nil)
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
	return o.write(env, buf.Bytes())
}

// emitJSON writes v as one line of JSON, as emit writes a report.
func (o outputOpts) emitJSON(env *Env, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return o.write(env, buf.Bytes())
}

// write sends encoded output to --out (atomically) or to stdout.
func (o outputOpts) write(env *Env, data []byte) error {
	if *o.out == "" {
		_, err := env.Stdout.Write(data)
		return err
	}
	return writeFileAtomic(*o.out, data)
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
