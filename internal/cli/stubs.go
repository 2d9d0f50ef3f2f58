package cli

import (
	"context"
	"errors"
)

// The commands below are implemented by their own files as the work lands; until then
// they say so instead of pretending.
var errNotYet = errors.New("not available in this build")

func runServe(ctx context.Context, env *Env) error     { return errNotYet }
func runSeed(ctx context.Context, env *Env) error      { return errNotYet }
func runImport(ctx context.Context, env *Env) error    { return errNotYet }
func runReport(ctx context.Context, env *Env) error    { return errNotYet }
func runFollowUps(ctx context.Context, env *Env) error { return errNotYet }
