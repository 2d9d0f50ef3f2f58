// Package tracking holds the rules of the pools (英才库 / 金导师库): awards and their
// verification, destinations, career moves as intervals, follow-ups and opt-out. Their
// enumerations (levels, destination types, positions, channels …) are vocab's.
//
// A Service checks a write against the rules and hands it to the store together with the
// checks that need the person's other records; the store runs those inside its transaction
// under a per-person lock. This package never speaks HTTP and never writes SQL: the layer
// above decodes requests, the store below owns transactions and the audit log.
package tracking
