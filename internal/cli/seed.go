package cli

import "context"

// runSeed is not in this build yet: it says so instead of pretending.
func runSeed(ctx context.Context, env *Env) error { return errNotYet }
