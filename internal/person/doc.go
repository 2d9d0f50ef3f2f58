// Package person is the door to persons, for every path (the API, the web app, the
// commands): reading and listing them and their timeline; recording, correcting and
// deleting them (identity and phone numbers validated and protected with the server's
// keys here, never by a path); the audited reveal of those numbers; guardians' consents;
// and the identity review queue with its merges and their undoing. Each method takes the
// caller, authorizes the action against the policy table (internal/access), checks the
// person named against the caller's scope and the action's consent condition, and runs
// one unit of work in the store in the caller's scope with its audit row inside — a
// person never leaves it unrecorded.
//
// It must never import an HTTP package, the web app or the generated db package.
package person
