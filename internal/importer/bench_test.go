package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/importer"
)

const benchRows = 100_000

// benchIDNumber is the i-th identity number of the benchmarks' persons (distinct for i
// below 3 000 000) and its birth date.
func benchIDNumber(i int) (string, time.Time) {
	birth := time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%3000)
	return idNumber(birth.Format("20060102"), i/3000), birth
}

// benchPersonsCSV is a persons file of n valid, distinct persons.
func benchPersonsCSV(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("id_number,name,gender,birth_date,phone,guardian_name,guardian_phone\n")
	for i := 0; i < n; i++ {
		id, birth := benchIDNumber(i)
		gender := "female"
		if (id[16]-'0')%2 == 1 {
			gender = "male"
		}
		fmt.Fprintf(&buf, "%s,学生%06d,%s,%s,138%08d,家长%06d,139%08d\n", id, i, gender,
			birth.Format(time.DateOnly), i, i, i)
	}
	return buf.Bytes()
}

// BenchmarkImportPersons imports 100,000 new persons into an empty database per
// iteration: read, validate, protect, COPY, check, upsert, record.
func BenchmarkImportPersons(b *testing.B) {
	data := benchPersonsCSV(benchRows)
	keys := identity.TestKeys()
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := dbtest.New(b)
		im := importer.New(st, keys)
		b.StartTimer()
		sum, err := im.Run(ctx, "persons", "bench.csv", bytes.NewReader(data), importer.Options{Actor: "bench"})
		if err != nil || !sum.Applied || sum.Inserted != benchRows {
			b.Fatalf("import: %v %+v", err, sum.Errors[:min(3, len(sum.Errors))])
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// benchProtectedRows are the rows of benchPersonsCSV(n) as the import stages them, parsed
// and protected: line, then the persons columns of benchPersonColumns.
func benchProtectedRows(b *testing.B, n int) [][]any {
	keys := identity.TestKeys()
	rows := make([][]any, n)
	for i := range rows {
		number, birth := benchIDNumber(i)
		id, err := identity.ParseIDNumber(number)
		if err != nil {
			b.Fatal(err)
		}
		pid := keys.ProtectID(id)
		ph := keys.ProtectPhone(fmt.Sprintf("138%08d", i))
		gp := keys.ProtectPhone(fmt.Sprintf("139%08d", i))
		rows[i] = []any{i + 2, pid.Hash, pid.Cipher, pid.Masked, fmt.Sprintf("学生%06d", i), id.Gender(), birth,
			ph.Hash, ph.Cipher, ph.Masked, fmt.Sprintf("家长%06d", i), gp.Hash, gp.Cipher, gp.Masked}
	}
	return rows
}

// benchPersonColumns are the persons columns an import of benchPersonsCSV writes.
var benchPersonColumns = []string{"id_hash", "id_cipher", "id_masked", "name", "gender", "birth_date",
	"phone_hash", "phone_cipher", "phone_masked", "guardian_name", "guardian_phone_hash",
	"guardian_phone_cipher", "guardian_phone_masked"}

// BenchmarkCopyIntoPersons is the yardstick of BenchmarkImportPersons, as `talentdb bench`
// has it (internal/bench/importbench.go): the same 100,000 persons, already parsed and
// protected, copied into persons of an empty database — its indexes, constraints and the
// consent gate trigger — in a transaction rolled back. The COPY runs as the server's admin
// user, as the bench's does: PostgreSQL refuses COPY FROM into a table whose row-level
// security applies, and the owner of persons is held by it (FORCE). So the yardstick skips
// the policies' checks that the import, run as talentdb_app, passes for every row.
// Compare: go test ./internal/importer -run '^$' -bench 'ImportPersons$|CopyIntoPersons$' -benchtime 1x
func BenchmarkCopyIntoPersons(b *testing.B) {
	rows := benchProtectedRows(b, benchRows)
	for i := range rows {
		rows[i] = rows[i][1:] // no line
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := dbtest.New(b)
		conn, err := pgx.Connect(ctx, dbtest.AdminURL(b, st))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		tx, err := conn.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n, err := tx.CopyFrom(ctx, pgx.Identifier{"persons"}, benchPersonColumns, pgx.CopyFromRows(rows))
		if err == nil && n != benchRows {
			err = fmt.Errorf("copied %d rows", n)
		}
		if err != nil {
			b.Fatal(err)
		}
		_ = tx.Rollback(ctx)
		b.StopTimer()
		conn.Close(ctx)
		b.StartTimer()
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCopyPersons is the floor for BenchmarkImportPersons: the same 100,000 rows,
// already parsed and protected, copied into a bare temporary table.
func BenchmarkCopyPersons(b *testing.B) {
	rows := benchProtectedRows(b, benchRows)
	cols := []string{"line", "id_hash", "id_cipher", "id_masked", "name", "gender", "birth_date", "phone_hash",
		"phone_cipher", "phone_masked", "guardian_name", "guardian_phone_hash", "guardian_phone_cipher",
		"guardian_phone_masked"}
	st := dbtest.New(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		err := pgx.BeginFunc(ctx, st.Pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `CREATE TEMP TABLE bare (line int, id_hash bytea, id_cipher bytea,
				id_masked text, name text, gender text, birth_date date, phone_hash bytea, phone_cipher bytea,
				phone_masked text, guardian_name text, guardian_phone_hash bytea, guardian_phone_cipher bytea,
				guardian_phone_masked text) ON COMMIT DROP`); err != nil {
				return err
			}
			n, err := tx.CopyFrom(ctx, pgx.Identifier{"bare"}, cols, pgx.CopyFromRows(rows))
			if err == nil && n != benchRows {
				err = fmt.Errorf("copied %d rows", n)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
