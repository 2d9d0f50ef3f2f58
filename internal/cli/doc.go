// Package cli is the talentdb command line: it parses a command and its flags into a
// config.Config, opens what the command needs and calls into the domain packages. Each
// command lives in its own file. It holds no domain rules and writes nothing to the
// database itself; errors come back to main as one line.
package cli
