// Package check collects the field errors of one input, so that a door (a domain
// service) tells its caller about every invalid field at once, in the words every path
// shows: the field, the rule and a message in Chinese and English.
//
// The errors are *access.FieldError, joined with errors.Join: errors.As finds the first,
// and a path that lists them all (the API's problem+json) walks the join. It knows no
// vocabulary (the door passes vocab's keys in) and does no I/O; it must never import the
// store, a service or an HTTP package.
package check
