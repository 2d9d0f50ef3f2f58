// Package report computes the three reports of the public contract — the cohort outcome
// report, the annual statistics report and the follow-up schedule — and encodes them as
// JSON, CSV or XLSX. docs/reports.md defines every figure and every interpretation.
//
// Each report is one set-based SQL statement run by the store; this package only checks
// parameters, reshapes the rows into the contract's JSON shape and encodes it. It must
// never compute a figure with a loop of queries, never decrypt an identity number, and
// never know about HTTP. Service is the door every path uses (the API, the web pages, the
// CLI), so that all give the same numbers under the same rules: it authorizes the caller,
// runs each report in the caller's scope, fills in today for a missing as_of, and audits
// the follow-up schedule, which names persons.
package report
