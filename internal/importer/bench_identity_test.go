package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/importer"
)

// BenchmarkImportParticipations imports 100,000 participations of 100,000 persons at 487
// schools into a database holding only the persons, then the same file again (every row
// unchanged). Each new link of a person to a school is compared with the school's persons
// of the same birth date (the identity review queue); the metric flagged counts the pairs.
// Run with -benchtime 1x: one iteration loads 100,000 persons first (≈ 5 s).
func BenchmarkImportParticipations(b *testing.B) {
	keys := identity.TestKeys()
	ctx := context.Background()
	persons := benchPersonsCSV(benchRows)
	var orgs, parts bytes.Buffer
	orgs.WriteString("code,name,kind,region_code\n")
	for s := 0; s < 487; s++ {
		fmt.Fprintf(&orgs, "S%03d,学校%03d,学校,510104\n", s, s)
	}
	parts.WriteString("id_number,edition,school_code,category,grade,status\n")
	for i := 0; i < benchRows; i++ {
		id, _ := benchIDNumber(i)
		fmt.Fprintf(&parts, "%s,jingke-2023,S%03d,机器人,5,admitted\n", id, i%487)
	}
	var first, again time.Duration
	flagged := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := dbtest.New(b)
		im := importer.New(st, keys)
		for _, f := range []struct {
			kind string
			data []byte
		}{{"organizations", orgs.Bytes()}, {"persons", persons}} {
			if sum, err := im.Run(ctx, f.kind, "bench.csv", bytes.NewReader(f.data), importer.Options{Actor: "bench"}); err != nil || !sum.Applied {
				b.Fatalf("%s: %v %v", f.kind, err, sum.Errors[:min(3, len(sum.Errors))])
			}
		}
		if _, err := st.Pool.Exec(ctx, `INSERT INTO editions (id, program, year, starts_on, ends_on)
			VALUES ('jingke-2023', 'jingke', 2023, '2023-03-01', '2024-02-29')`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		sum, err := im.Run(ctx, "participations", "bench.csv", bytes.NewReader(parts.Bytes()), importer.Options{Actor: "bench"})
		if err != nil || !sum.Applied || sum.Inserted != benchRows {
			b.Fatalf("participations: %v %+v", err, sum.Errors[:min(3, len(sum.Errors))])
		}
		first += time.Since(t0)
		flagged += sum.IdentityCandidates
		t0 = time.Now()
		sum, err = im.Run(ctx, "participations", "bench.csv", bytes.NewReader(parts.Bytes()), importer.Options{Actor: "bench"})
		if err != nil || sum.Unchanged != benchRows {
			b.Fatalf("participations again: %v %+v", err, sum)
		}
		again += time.Since(t0)
	}
	b.ReportMetric(first.Seconds()/float64(b.N), "s/new-file")
	b.ReportMetric(again.Seconds()/float64(b.N), "s/same-file")
	b.ReportMetric(float64(flagged)/float64(b.N), "flagged")
}
