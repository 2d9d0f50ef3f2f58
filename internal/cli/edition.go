package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/check"
	"talentdb/internal/edition"
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
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	// the office's door, like the API's: validated, audited as cli:<os user>
	e, created, err := edition.New(st).Ensure(ctx, access.CLI(osUser()), pos[1],
		edition.Input{StartsOn: *startsOn, EndsOn: *endsOn})
	if err != nil {
		return editionErr(err)
	}
	return json.NewEncoder(env.Stdout).Encode(map[string]any{
		"edition": e.ID, "starts_on": e.StartsOn.Format(time.DateOnly), "ends_on": e.EndsOn.Format(time.DateOnly),
		"created": created,
	})
}

// editionErr words invalid input by the flag or argument that carried it.
func editionErr(err error) error {
	fes := check.All(err)
	if len(fes) == 0 {
		return err
	}
	msgs := make([]string, len(fes))
	for i, fe := range fes {
		name := "ID"
		if fe.Field != "id" {
			name = "--" + strings.ReplaceAll(fe.Field, "_", "-")
		}
		msgs[i] = name + ": " + fe.Message
	}
	return errors.New(strings.Join(msgs, "; "))
}
