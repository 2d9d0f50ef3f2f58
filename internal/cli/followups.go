package cli

import "context"

// runFollowUps is not in this build yet: it says so instead of pretending.
func runFollowUps(ctx context.Context, env *Env) error { return errNotYet }
