package cli

import "context"

// runServe is not in this build yet: it says so instead of pretending.
func runServe(ctx context.Context, env *Env) error { return errNotYet }
