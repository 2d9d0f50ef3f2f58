// Package vocab holds the words every path of talentdb shares: the China time zone and
// "today", and the enumerations — programmes, statuses, grades, levels, categories and the
// rest — with their keys in the contract's order and their zh/en labels (enums.go). API
// validation, the importer, the pages and the exports all read these definitions, so a
// value is spelled, accepted and labelled the same way everywhere; a test holds the keys
// to the schema's CHECKs and the categories to their reference table.
//
// It must never import the store, a service or an HTTP package: everything above reads
// it, it reads nothing of theirs (its database test, an external test package, is the only
// exception).
package vocab
