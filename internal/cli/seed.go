package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"talentdb/internal/auth"
	"talentdb/internal/seed"
)

// runSeed loads deterministic demo data: talentdb seed demo [--scale S] [--seed N] [--if-empty].
// Progress goes to stderr, a one-line JSON summary with the row counts to stdout. A fresh
// load also creates one account per role with a random password, printed once on stderr.
func runSeed(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	scale := fs.String("scale", "small", "small, province or national")
	seedN := fs.Uint64("seed", 1, "the same seed gives the same data")
	ifEmpty := fs.Bool("if-empty", false, "do nothing when the database already has data")
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "demo" {
		return fmt.Errorf("%w: want seed demo", ErrUsage)
	}
	sc, err := seed.ScaleByName(*scale)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
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
	// the large scales load with the per-row foreign-key checks off and verify them after
	sum, err := seed.Run(ctx, st, keys, seed.Options{Scale: sc, Seed: *seedN, IfEmpty: *ifEmpty, Progress: env.Stderr,
		FastLoad: sc.Name != "small"})
	if err != nil {
		return err
	}
	if !sum.Skipped {
		accounts, err := seed.CreateDemoAccounts(ctx, st, auth.New(st, auth.Config{}))
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stderr, "seed: demo accounts — passwords are shown this once / 演示账号，密码仅显示这一次:")
		for _, a := range accounts {
			fmt.Fprintf(env.Stderr, "seed:   %-13s %-17s %-18s %s\n", a.Username, a.Role, a.Scope, a.Password)
		}
	}
	return json.NewEncoder(env.Stdout).Encode(sum)
}
