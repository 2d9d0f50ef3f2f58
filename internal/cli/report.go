package cli

import "context"

// runReport is not in this build yet: it says so instead of pretending.
func runReport(ctx context.Context, env *Env) error { return errNotYet }
