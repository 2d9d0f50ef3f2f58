package store

// What import_sql_test.go needs of the package's unexported parts.

// ImportStatements are import.sql's statements by name.
func ImportStatements() map[string]string { return importStatements }

// ImportUsed are the names of import.sql the import specs use.
func ImportUsed() map[string]bool { return importUsed }

// ImportUpserts are kind's upsert as built for a file with none and with all of its
// optional columns.
func ImportUpserts(kind string) []string {
	u := importSpecs[kind].upsert
	all := map[string]bool{}
	for _, c := range u.set {
		all[c.key] = true
	}
	for _, k := range []string{"rank", "school_code"} { // read by extraSet
		all[k] = true
	}
	return []string{u.build(map[string]bool{}), u.build(all)}
}
