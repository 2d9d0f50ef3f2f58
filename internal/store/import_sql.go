package store

import (
	_ "embed"
	"fmt"
	"strings"
)

// import.sql holds the statements of a bulk import, each after a "-- name: NAME" line;
// other comment lines are for its reader. importSQL hands them to the import specs
// (import_kinds.go); import_sql_test.go prepares every one against the schema.
//
//go:embed import.sql
var importSQLFile string

// importStatements are import.sql's statements by name, without their final semicolon.
var importStatements = parseNamedSQL(importSQLFile)

// parseNamedSQL splits text into its named statements. A name given twice panics: the
// file is part of the program.
func parseNamedSQL(text string) map[string]string {
	out := map[string]string{}
	var name string
	var body []string
	flush := func() {
		if name != "" {
			out[name] = strings.TrimSuffix(strings.TrimSpace(strings.Join(body, "\n")), ";")
		}
	}
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if n, ok := strings.CutPrefix(t, "-- name: "); ok {
			flush()
			name, body = strings.TrimSpace(n), nil
			if _, dup := out[name]; dup {
				panic(fmt.Sprintf("store: import.sql names %q twice", name))
			}
			continue
		}
		if strings.HasPrefix(t, "--") {
			continue
		}
		body = append(body, line)
	}
	flush()
	return out
}

// importUsed records the names the specs asked for, for the test that every statement of
// import.sql is used.
var importUsed = map[string]bool{}

// importSQL returns the named statements of import.sql in the order asked. An unknown
// name panics (at init, as the specs are built).
func importSQL(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		q, ok := importStatements[n]
		if !ok {
			panic(fmt.Sprintf("store: import.sql has no statement %q", n))
		}
		importUsed[n] = true
		out[i] = q
	}
	return out
}

// importSQL1 is the one named statement of import.sql.
func importSQL1(name string) string { return importSQL(name)[0] }

// importAnalyze gathers the staging table's statistics: temporary tables are never
// auto-analyzed.
var importAnalyze = importSQL1("analyze")
