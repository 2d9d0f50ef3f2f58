package cli

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/audit"
	"talentdb/internal/edition"
	"talentdb/internal/vocab"
)

// auditUsage is the form of the audit command.
const auditUsage = "audit export --from DATE --to DATE [--out FILE]"

// auditHeader are the columns of an audit export, in order.
var auditHeader = []string{"id", "at", "actor", "actor_role", "action", "entity", "entity_id", "person_id",
	"school_id", "fields", "row_count", "request_id", "ip", "before", "after"}

// chinaTime is the office's clock (Asia/Shanghai, no daylight saving): export dates are
// its days, and times are written in it.
var chinaTime = vocab.China

// runAudit implements `audit export --from DATE --to DATE [--out FILE]`: the audit log of
// those days (China time, both inclusive), oldest first, as CSV in UTF-8 with a BOM (so
// that Excel reads the Chinese). The export is itself recorded in the audit log before
// any of it is written out.
func runAudit(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "last day, YYYY-MM-DD")
	out := fs.String("out", "", "write to this file instead of stdout")
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "export" || *from == "" || *to == "" {
		return fmt.Errorf("%w: want %s", ErrUsage, auditUsage)
	}
	first, err := edition.ParseDate(*from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	last, err := edition.ParseDate(*to)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	if last.Before(first) {
		return fmt.Errorf("%w: --to %s is before --from %s", ErrUsage, *to, *from)
	}
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	defer st.Close()

	dir := os.TempDir()
	if *out != "" {
		dir = filepath.Dir(*out)
	}
	tmp, err := os.CreateTemp(dir, ".talentdb-audit.*.csv.tmp")
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := writeAuditCSV(ctx, audit.New(st), access.CLI(osUser()), tmp, first, last); err != nil {
		return err
	}
	if *out != "" {
		if err := tmp.Chmod(0o600); err != nil { // the audit log names people: not world-readable
			return fmt.Errorf("--out: %w", err)
		}
		if err := tmp.Close(); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		if err := os.Rename(tmp.Name(), *out); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		return nil
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err = io.Copy(env.Stdout, tmp)
	return err
}

// writeAuditCSV writes the BOM, the header and every audit row of the days first to last
// to w through the audit door, which records the export, and returns the number of rows.
func writeAuditCSV(ctx context.Context, door *audit.Service, c access.Caller, w io.Writer, first, last time.Time) (int, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(auditHeader); err != nil {
		return 0, err
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	num := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	n, err := door.Export(ctx, c, audit.Days(first, last), func(a audit.Record) error {
		rc := ""
		if a.RowCount != nil {
			rc = strconv.Itoa(int(*a.RowCount))
		}
		rec := []string{strconv.FormatInt(a.ID, 10), a.At.In(chinaTime).Format(time.RFC3339), a.Actor, str(a.ActorRole),
			a.Action, a.Entity, str(a.EntityID), num(a.PersonID), num(a.SchoolID), strings.Join(a.Fields, ";"), rc,
			str(a.RequestID), str(a.IP), string(a.Before), string(a.After)}
		for i := range rec {
			rec[i] = noFormula(rec[i])
		}
		return cw.Write(rec)
	})
	if err != nil {
		return 0, err
	}
	cw.Flush()
	return n, cw.Error()
}

// noFormula keeps a spreadsheet from running a cell as a formula (CSV injection): a value
// starting with = + - @ or a tab gets a leading apostrophe.
func noFormula(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
