// Package person is the door to persons: reading one, listing them and reading a
// person's timeline, for every path (the API, the web app). Each method takes the caller,
// authorizes the action against the policy table (internal/access), and runs one unit of
// work in the store in the caller's scope with its audit row inside — a person never leaves
// it unrecorded.
//
// It must never import an HTTP package, the web app or the generated db package.
package person
