package cli

import (
	"context"
	"flag"
	"fmt"
	"os/user"

	"talentdb/internal/report"
	"talentdb/internal/store"
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
	r, err := report.FollowUpsDue(ctx, st, report.DueFilter{SchoolCode: *school, RegionCode: *region, AsOf: asOf})
	if err != nil {
		return err
	}
	// the schedule names people: its export is recorded before anything is written out
	n := int32(len(r.Persons))
	if err := st.Audit(ctx, st.Pool, reportActor(), store.AuditEntry{Action: "export", Entity: "follow_up_schedule",
		After:  map[string]string{"as_of": r.AsOf, "school": r.School, "region": r.Region, "format": string(format)},
		Fields: []string{"id_masked", "name"}, RowCount: &n}); err != nil {
		return err
	}
	return of.emit(env, format, r)
}

// reportActor names the operating-system user running a report command, for the audit log.
func reportActor() store.Actor {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return store.Actor{Name: "cli:" + u.Username}
	}
	return store.Actor{Name: "cli"}
}
