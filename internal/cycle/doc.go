// Package cycle holds the rules of the yearly cycle of an edition (docs/cycle.md): a
// school's application (申报书) and its review, the selection of nominees with the public
// notice (公示) and objections, daily management (growth logs, mentor tasks, training
// sessions, who is behind), and the summary evaluation (assessments, completion, year
// summaries, exchange recommendations, typical cases). It also renders an application as
// the form of the 2023 notice (XLSX).
//
// Service is the door to the cycle for every path (the API, the web app's school page):
// each exported method takes the caller, authorizes its action against the policy table
// (internal/access), resolves the record it names to one the caller may see (by school,
// city or as the participant's mentor; access.ErrNotFound otherwise), refuses a write the
// caller's role may not make of that record (*ForbiddenError), and hands the write to the
// store, in the caller's scope, together with the checks that need other rows; the store
// runs those inside its transaction after locking the row, and writes the audit log (the
// caller as actor). The types it takes and returns are the store's rows under the
// cycle's names (door.go). This package never speaks HTTP and never writes SQL.
//
// Register, the one method that takes an audit actor instead of a caller, is for the
// participation door, which has authorized its caller already.
package cycle
