// Package importer loads the contract's import files (CSV in UTF-8 or GB18030, or XLSX)
// of organizations, persons, participations, awards, destinations, career moves and
// follow-ups, all or nothing, and writes the XLSX templates for them. It reads and
// validates cells and maps headers; the store stages the rows with COPY and applies them
// set-based in one transaction. It must never write a row of a file that has an error,
// never keep an identity number or phone in clear beyond parsing it, and never guess a
// person: an ambiguous match is an error for that row. It serves the CLI and, later, an
// HTTP upload, so it does no printing and reads no flags.
package importer
