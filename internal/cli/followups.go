package cli

import (
	"context"
	"flag"
	"fmt"

	"talentdb/internal/access"
	"talentdb/internal/report"
)

// runFollowUps implements `follow-ups due [--school CODE] [--region CODE] [--as-of DATE]
// [--format json|csv|xlsx] [--out FILE]`: the follow-up schedule.
func runFollowUps(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("follow-ups", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	school := fs.String("school", "", "only alumni nominated by this school (organization code)")
	region := fs.String("region", "", "only alumni whose school is in this city (any region code within it)")
	of := outputFlags(fs)
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "due" {
		return fmt.Errorf("%w: want follow-ups due", ErrUsage)
	}
	st, asOf, format, err := of.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	// the schedule names people: the door records its export before anything is written out
	r, err := report.New(st, nil).FollowUpsDue(ctx, access.CLI(osUser()),
		report.DueFilter{SchoolCode: *school, RegionCode: *region, AsOf: asOf, Export: string(format)})
	if err != nil {
		return err
	}
	return of.emit(env, format, r)
}
