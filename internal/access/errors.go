package access

import (
	"errors"
	"fmt"
)

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

// ConstraintError is a write the database refused by one of its named constraints: Kind is
// unique, foreign_key, check or not_null; Constraint its name (persons_id_hash_key …);
// Table the table it belongs to. Paths answer it by the field the constraint guards.
// Unique and foreign-key violations match ErrConflict; Err is the database's own error,
// kept in the chain for the log.
type ConstraintError struct {
	Kind       string
	Constraint string
	Table      string
	Op         string // what was being done, for the log
	Err        error
}

func (e *ConstraintError) Error() string {
	return fmt.Sprintf("store: %s: %s constraint %s on %s", e.Op, e.Kind, e.Constraint, e.Table)
}

// Unwrap makes unique and foreign-key violations match ErrConflict, and keeps the
// database's error in the chain.
func (e *ConstraintError) Unwrap() []error {
	var errs []error
	if e.Kind == "unique" || e.Kind == "foreign_key" {
		errs = append(errs, ErrConflict)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// DeleteBlockedError is a delete refused because other rows depend on the record (By
// names the referencing table) or because its state forbids it (Status). It matches
// ErrConflict; paths answer it as "in use".
type DeleteBlockedError struct {
	Entity string
	By     string
	Status string
}

func (e *DeleteBlockedError) Error() string {
	if e.Status != "" {
		return fmt.Sprintf("store: delete %s: status %s", e.Entity, e.Status)
	}
	return fmt.Sprintf("store: delete %s: referenced by %s", e.Entity, e.By)
}

// Unwrap makes a blocked delete match ErrConflict.
func (e *DeleteBlockedError) Unwrap() error { return ErrConflict }
