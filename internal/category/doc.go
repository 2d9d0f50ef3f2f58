// Package category is the door to the project categories (项目类别) of both programs:
// read-only reference data, in the order of the 2023 notice (the migrations load it; vocab
// holds the same keys with their labels). Each method takes the caller, authorizes
// reference.read against the policy table (internal/access) and reads in the caller's
// scope. Nothing writes categories through it.
//
// It must never import an HTTP package, the web app or the generated db package.
package category
