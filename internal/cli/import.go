package cli

import "context"

// runImport is not in this build yet: it says so instead of pretending.
func runImport(ctx context.Context, env *Env) error { return errNotYet }
