package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"talentdb/internal/edition"
	"talentdb/internal/store"
)

func runEdition(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("edition", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	startsOn := fs.String("starts-on", "", "first day (default March 1 of YEAR)")
	endsOn := fs.String("ends-on", "", "last day (default the last day of February of YEAR+1)")
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "add" {
		return fmt.Errorf("%w: want edition add ID", ErrUsage)
	}
	id, err := edition.ParseID(pos[1])
	if err != nil {
		return err
	}
	from, to := id.DefaultDates()
	if *startsOn != "" {
		if from, err = edition.ParseDate(*startsOn); err != nil {
			return fmt.Errorf("--starts-on: %w", err)
		}
	}
	if *endsOn != "" {
		if to, err = edition.ParseDate(*endsOn); err != nil {
			return fmt.Errorf("--ends-on: %w", err)
		}
	}
	if !to.After(from) {
		return fmt.Errorf("--ends-on %s must be after --starts-on %s", to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	e, created, err := st.EditionEnsure(ctx, store.Edition{ID: id.String(), Program: id.Program, Year: id.Year,
		StartsOn: from, EndsOn: to})
	if err != nil {
		return err
	}
	return json.NewEncoder(env.Stdout).Encode(map[string]any{
		"edition": e.ID, "starts_on": e.StartsOn.Format(time.DateOnly), "ends_on": e.EndsOn.Format(time.DateOnly),
		"created": created,
	})
}
