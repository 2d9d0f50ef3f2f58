// Package audit is the door to the audit log for those who read it (the auditor and the
// office): one page of it, filtered, the read itself recorded in the same unit of work.
// The rows are written by the store inside every other door's unit of work, never here.
//
// It must never import an HTTP package, the web app or the generated db package, and it
// never writes an audit row of its own beyond the record of a read.
package audit
