package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"

	"talentdb/internal/access"
	"talentdb/internal/importer"
)

// runImport is `talentdb import KIND FILE [--dry-run]` and `talentdb import template KIND
// [--out FILE]`. An import prints its JSON summary on stdout whatever happens, and fails
// unless the file was applied (or, with --dry-run, would be).
func runImport(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	dryRun := fs.Bool("dry-run", false, "check and count, write nothing")
	out := fs.String("out", "", "template: file to write (default import-KIND.xlsx; - for stdout)")
	maxRows := fs.Int("max-rows", importer.DefaultMaxRows, "largest number of data rows accepted")
	maxMiB := fs.Int64("max-mib", importer.DefaultMaxBytes>>20, "largest file accepted, in MiB")
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) >= 1 && pos[0] == "template" {
		if len(pos) != 2 {
			return fmt.Errorf("%w: want import template KIND", ErrUsage)
		}
		return importTemplate(ctx, env, pos[1], *out)
	}

	sum := importer.Summary{Errors: []importer.RowError{}, DryRun: *dryRun}
	if len(pos) > 0 {
		sum.Kind = pos[0]
	}
	fail := func(err error) error {
		if len(sum.Errors) == 0 {
			sum.Errors = append(sum.Errors, importer.RowError{Error: err.Error()})
		}
		printSummary(env.Stdout, sum)
		return err
	}
	if len(pos) != 2 {
		return fail(fmt.Errorf("%w: want import KIND FILE", ErrUsage))
	}
	kind, path := pos[0], pos[1]
	if !slices.Contains(importer.Kinds, kind) {
		return fail(fmt.Errorf("%w: unknown kind %q (one of %v)", ErrUsage, kind, importer.Kinds))
	}
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	keys, err := openKeys(ctx, env, st)
	if err != nil {
		return fail(err)
	}
	// the same door as an upload of the API or the web page, with the office's rights
	run, err := importer.NewService(st, keys, nil, *maxMiB<<20).Run(ctx, access.CLI(osUser()), importer.Upload{
		Kind: kind, DryRun: *dryRun, MaxRows: *maxRows,
		Open: func() (string, io.ReadCloser, error) {
			if path == "-" {
				in := env.Stdin
				if in == nil {
					in = os.Stdin
				}
				return path, io.NopCloser(in), nil
			}
			f, err := os.Open(path)
			if err != nil {
				return "", nil, fmt.Errorf("无法打开文件 / cannot open the file: %w", err)
			}
			return path, f, nil
		}})
	if run.Summary.Kind != "" {
		sum = run.Summary
	}
	if err != nil {
		return fail(err)
	}
	printSummary(env.Stdout, sum)
	if !sum.OK() {
		return fmt.Errorf("文件未导入：%d 处错误（见标准输出的 errors）/ file not imported: %d errors (see errors on stdout)",
			len(sum.Errors), len(sum.Errors))
	}
	return nil
}

func printSummary(w io.Writer, sum importer.Summary) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(sum)
}

// osUser names the operating-system user running the command.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

// importTemplate writes the XLSX template of a kind.
func importTemplate(ctx context.Context, env *Env, kind, out string) error {
	if !slices.Contains(importer.Kinds, kind) {
		return fmt.Errorf("%w: unknown kind %q (one of %v)", ErrUsage, kind, importer.Kinds)
	}
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if out == "" {
		out = "import-" + kind + ".xlsx"
	}
	var w io.Writer = env.Stdout
	var f *os.File
	if out != "-" {
		if f, err = os.Create(out); err != nil {
			return err
		}
		w = f
	}
	err = importer.NewService(st, nil, nil, 0).Template(ctx, access.CLI(osUser()), kind, w)
	if f != nil {
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		return err
	}
	if f != nil {
		fmt.Fprintf(env.Stderr, "talentdb import template: wrote %s\n", out)
	}
	return nil
}
