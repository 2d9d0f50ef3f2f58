// Package tracking holds the rules of the pools (英才库 / 金导师库): awards and their
// verification, destinations, career moves as intervals, follow-ups and opt-out. Their
// enumerations (levels, destination types, positions, channels …) are vocab's.
//
// Service is the door to these records for every path (the API today): each method takes
// the caller, authorizes its action against the policy table (internal/access), runs in the
// caller's scope, refuses a write for a person whose consent the action's policy row does
// not allow, and hands the write to the store together with the checks that need the
// person's other records; the store runs those inside its transaction under a per-person
// lock, the audit row (the caller as actor) in the same transaction. This package never
// speaks HTTP and never writes SQL: the layer above decodes requests, the store below owns
// transactions and the audit log.
package tracking
