package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/identity"
	"talentdb/internal/importer"
)

// PersonsCSV is a persons import file of n valid, distinct persons (identity numbers of
// 成都市锦江区 with correct check characters, phones, guardians), the same for the same n.
func PersonsCSV(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("id_number,name,gender,birth_date,phone,guardian_name,guardian_phone\n")
	for i := range n {
		p := personAt(i)
		fmt.Fprintf(&buf, "%s,%s,%s,%s,%s,%s,%s\n", p.id, p.name, p.gender, p.birth.Format(time.DateOnly),
			p.phone, p.guardian, p.guardianPhone)
	}
	return buf.Bytes()
}

type genPerson struct {
	id, name, gender, phone, guardian, guardianPhone string
	birth                                            time.Time
}

// personAt is the i-th generated person: 3,000 birth dates × 1,000 sequence numbers.
func personAt(i int) genPerson {
	birth := time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%3000)
	first := fmt.Sprintf("510104%s%03d", birth.Format("20060102"), i/3000%1000)
	c, _ := identity.CheckChar(first)
	gender := "female"
	if (first[16]-'0')%2 == 1 {
		gender = "male"
	}
	return genPerson{id: first + string(c), name: fmt.Sprintf("学生%06d", i), gender: gender, birth: birth,
		phone: fmt.Sprintf("138%08d", i), guardian: fmt.Sprintf("家长%06d", i), guardianPhone: fmt.Sprintf("139%08d", i)}
}

// copyColumns are the persons columns an import of persons writes.
var copyColumns = []string{"id_hash", "id_cipher", "id_masked", "name", "gender", "birth_date", "phone_hash",
	"phone_cipher", "phone_masked", "guardian_name", "guardian_phone_hash", "guardian_phone_cipher",
	"guardian_phone_masked"}

// importNames name the three timings of an import round (measureImportRound), in order.
var importNames = [3]string{"plain COPY of the same rows into a bare table",
	"plain COPY of the same rows into persons", "import persons CSV (talentdb import)"}

// measureImport times cfg.ImportRounds rounds of measureImportRound (each the three
// measures one after the other, in a fresh scratch database) and reports each measure's
// median round: this machine's speed moves by tens of percent from one minute to the
// next, and a ratio of two measures taken once each moved with it. P50 is the median
// round, P99 and MaxMs the slowest.
func measureImport(ctx context.Context, cfg Config) ([]Row, error) {
	n := cfg.ImportRows
	rows := make([][]any, n)
	for i := range rows {
		p := personAt(i)
		id, err := identity.ParseIDNumber(p.id)
		if err != nil {
			return nil, fmt.Errorf("bench: generated identity number %s: %w", p.id, err)
		}
		pid := cfg.Keys.ProtectID(id)
		ph, gp := cfg.Keys.ProtectPhone(p.phone), cfg.Keys.ProtectPhone(p.guardianPhone)
		rows[i] = []any{pid.Hash, pid.Cipher, pid.Masked, p.name, id.Gender(), p.birth,
			ph.Hash, ph.Cipher, ph.Masked, p.guardian, gp.Hash, gp.Cipher, gp.Masked}
	}
	data := PersonsCSV(n)
	var times [3][]time.Duration
	for range cfg.ImportRounds {
		d, err := measureImportRound(ctx, cfg, rows, data)
		if err != nil {
			return nil, err
		}
		for k := range d {
			times[k] = append(times[k], d[k])
		}
	}
	return importRows(n, times), nil
}

// importRows are the rows of the import's measures from their rounds' times: each the
// median round (of an even number, the slower middle one), with the slowest as its max.
func importRows(n int, times [3][]time.Duration) []Row {
	out := make([]Row, 0, len(importNames))
	for k, name := range importNames {
		ts := slices.Clone(times[k])
		if len(ts) == 0 {
			continue
		}
		slices.Sort(ts)
		med := ts[len(ts)/2]
		via := "pgx"
		if k == 2 {
			via = "in-process"
		}
		out = append(out, Row{Name: name, Via: via, Clients: 1, N: n, Unit: "rows/s", PerSec: float64(n) / med.Seconds(),
			P50ms: ms(med), P99ms: ms(ts[len(ts)-1]), MaxMs: ms(ts[len(ts)-1])})
	}
	return out
}

// measureImportRound times, in a scratch database NAME_import created for it and dropped
// after: a plain COPY of the rows (already parsed and protected) into a bare temporary
// table — the floor of moving the bytes; the same COPY into persons with its indexes and
// constraints (rolled back); and `talentdb import persons` of the same rows as a CSV file
// (read, validate, protect, stage, check, upsert, audit, commit).
func measureImportRound(ctx context.Context, cfg Config, rows [][]any, data []byte) ([3]time.Duration, error) {
	var out [3]time.Duration
	pc, err := pgx.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return out, err
	}
	scratch, err := scratchURL(cfg.DatabaseURL, pc.Database+"_import")
	if err != nil {
		return out, err
	}
	if err := createDatabase(ctx, scratch, true); err != nil {
		return out, err
	}
	defer func() { _ = dropDatabase(context.Background(), scratch) }()
	st, err := cfg.OpenStore(ctx, scratch)
	if err != nil {
		return out, err
	}
	defer st.Close()
	if err := migrate(ctx, st); err != nil {
		return out, err
	}

	n := cfg.ImportRows

	// 1. COPY into a bare temporary table
	began := time.Now()
	err = pgx.BeginFunc(ctx, st.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE bare (id_hash bytea, id_cipher bytea, id_masked text,
			name text, gender text, birth_date date, phone_hash bytea, phone_cipher bytea, phone_masked text,
			guardian_name text, guardian_phone_hash bytea, guardian_phone_cipher bytea, guardian_phone_masked text)
			ON COMMIT DROP`); err != nil {
			return err
		}
		c, err := tx.CopyFrom(ctx, pgx.Identifier{"bare"}, copyColumns, pgx.CopyFromRows(rows))
		if err == nil && int(c) != n {
			err = fmt.Errorf("copied %d rows", c)
		}
		return err
	})
	if err != nil {
		return out, fmt.Errorf("bench: COPY into a bare table: %w", err)
	}
	out[0] = time.Since(began)

	// 2. COPY into persons, rolled back
	began = time.Now()
	tx, err := st.Pool.Begin(ctx)
	if err != nil {
		return out, err
	}
	c, err := tx.CopyFrom(ctx, pgx.Identifier{"persons"}, copyColumns, pgx.CopyFromRows(rows))
	elapsed := time.Since(began)
	_ = tx.Rollback(ctx)
	if err == nil && int(c) != n {
		err = fmt.Errorf("copied %d rows", c)
	}
	if err != nil {
		return out, fmt.Errorf("bench: COPY into persons: %w", err)
	}
	out[1] = elapsed

	// 3. the import itself
	began = time.Now()
	sum, err := importer.New(st, cfg.Keys).Run(ctx, "persons", "bench-persons.csv", bytes.NewReader(data),
		importer.Options{Actor: "bench", UploadedBy: "bench", MaxRows: n})
	elapsed = time.Since(began)
	if err != nil {
		return out, fmt.Errorf("bench: import: %w", err)
	}
	if !sum.Applied || sum.Inserted != n {
		return out, errors.New("bench: import: the generated file was not applied in full")
	}
	out[2] = elapsed
	return out, nil
}

// scratchURL is the postgres:// URL dbURL naming database name instead.
func scratchURL(dbURL, name string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", errors.New("bench: the database url must be a postgres:// URL")
	}
	u.Path = "/" + name
	return u.String(), nil
}
