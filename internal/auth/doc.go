// Package auth is who is asking: accounts and their roles, passwords (argon2id, policy,
// lock-out), server-side web sessions, personal API tokens, the Principal carried in a
// request's context, CSRF tokens and in-memory rate limits. It sits between the HTTP layer
// and the store: httpapi turns its answers into cookies and problem responses, the CLI
// manages accounts through it, and only the store touches the database.
//
// It must never hold a password, a session token or an API token in clear longer than a
// call (the database keeps hashes only), never log or audit one, never tell a caller which
// part of a sign-in was wrong, and never decide what a principal may read: that is the
// authorisation layer's job, which reads the Principal this package puts in the context.
// It knows nothing of HTTP beyond the names of the cookie and headers it defines.
package auth
