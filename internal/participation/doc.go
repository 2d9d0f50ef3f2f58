// Package participation is the door to participations (参与 / 培养): a person in one
// edition, with the nominating school, category, grade or teacher role, status, mentor,
// institution and evaluation. Reading one, listing them, creating, correcting and deleting
// one all go through Service, for every path (the API, the web app): each method takes the
// caller, authorizes the action against the policy table (internal/access), validates the
// input with vocab, applies the rules — a school nominates its own students; a school's new
// participation is a nomination under the cycle's rules (internal/cycle); status and
// evaluation change only by the cycle's steps — and runs the write as one unit of work in
// the store in the caller's scope, its audit row inside.
//
// It must never import an HTTP package, the web app or the generated db package.
package participation
