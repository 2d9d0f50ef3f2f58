package access

import "errors"

// The errors every door returns; a path above a door turns them into its own answer
// (httpapi: problem+json with a stable type; the CLI: a one-line message).
var (
	// ErrNotFound: no such thing — or one outside the caller's scope, which reads the same,
	// so nobody learns what exists elsewhere.
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the caller's role may not do this at all.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the request collides with the data as it stands (a duplicate key, a
	// record others depend on, a state that forbids it).
	ErrConflict = errors.New("conflict")
	// ErrStale: a precondition failed — the record changed since the caller read it.
	ErrStale = errors.New("stale version")
)

// FieldError is invalid input: the field (JSON key, query parameter or import column), the
// rule it breaks and a message in Chinese and English. Paths answer it as a bad request.
type FieldError struct {
	Field   string
	Rule    string
	Message string
}

func (e *FieldError) Error() string { return "invalid " + e.Field + ": " + e.Rule }

// RuleError is a well-formed request that a rule of the domain refuses (a date after
// today, a step the cycle does not allow): the field, the rule and a message in Chinese
// and English. Paths answer it as unprocessable.
type RuleError struct {
	Field   string
	Rule    string
	Message string
}

func (e *RuleError) Error() string { return "rule " + e.Rule + " on " + e.Field }
