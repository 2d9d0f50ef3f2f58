// Package migrations holds the SQL schema of talentdb as goose migrations. The files are
// the only definition of the schema: sqlc reads them to generate db/, and the binary
// embeds them to migrate a database. Never edit a migration that has shipped; add one.
package migrations

import "embed"

// FS is the embedded migration files, read by goose's Provider and by test databases.
//
//go:embed *.sql
var FS embed.FS
