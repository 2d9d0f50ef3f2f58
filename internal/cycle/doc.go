// Package cycle holds the rules of the yearly cycle of an edition (docs/cycle.md): a
// school's application (申报书) and its review, the selection of nominees with the public
// notice (公示) and objections, daily management (growth logs, mentor tasks, training
// sessions, who is behind), and the summary evaluation (assessments, completion, year
// summaries, exchange recommendations, typical cases). It also renders an application as
// the form of the 2023 notice (XLSX).
//
// A Service checks input against the rules and hands writes to the store together with
// the checks that need other rows; the store runs those inside its transaction after
// locking the row, and writes the audit log. This package never speaks HTTP and never
// writes SQL; it decides nothing about who the caller is beyond what it is told
// (office or not): the layer above checks roles and scopes.
package cycle
