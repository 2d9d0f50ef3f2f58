package httpapi

import (
	"context"

	"talentdb/internal/auth"
	"talentdb/internal/store"
)

// withPrincipal is ctx as the authentication middleware leaves it for principal p, with the
// request id and address of a (withCaller with p's caller).
func withPrincipal(ctx context.Context, p auth.Principal, a store.Actor) context.Context {
	return withCaller(ctx, p, p.Caller(a.RequestID, a.IP))
}
