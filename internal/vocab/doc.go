// Package vocab holds the words every path of talentdb shares: the China time zone and
// "today", and (as they move here) the enumerations with their zh/en labels.
//
// It must never import the store, a service or an HTTP package: everything above reads
// it, it reads nothing of theirs.
package vocab
