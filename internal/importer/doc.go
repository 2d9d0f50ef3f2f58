// Package importer loads the contract's import files (CSV in UTF-8 or GB18030, or XLSX)
// of organizations, persons, participations, awards, destinations, career moves and
// follow-ups, all or nothing, and writes the XLSX templates for them. It reads and
// validates cells and maps headers; the store stages the rows with COPY and applies them
// set-based in one transaction. It must never write a row of a file that has an error,
// never keep an identity number or phone in clear beyond parsing it, and never guess a
// person: an ambiguous match is an error for that row. Importer serves the CLI; Service is
// the door of the uploads (the API, the web page), holding their rules — who may import,
// a school's files kept to the school, one import at a time per account, the size limit.
// It does no printing, reads no flags and knows no HTTP.
package importer
