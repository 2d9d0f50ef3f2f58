package cli

import (
	"context"
	"flag"
	"fmt"
)

func runMigrate(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: want one of up, down, status, reset", ErrUsage)
	}
	st, err := openStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := st.NewMigrator()
	if err != nil {
		return err
	}
	defer m.Close()
	switch pos[0] {
	case "up":
		return m.Up(ctx, env.Stdout)
	case "down":
		return m.Down(ctx, env.Stdout)
	case "status":
		return m.Status(ctx, env.Stdout)
	case "reset":
		return m.Reset(ctx, env.Stdout)
	}
	return fmt.Errorf("%w: unknown migrate action %q", ErrUsage, pos[0])
}
