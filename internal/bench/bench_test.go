package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"talentdb/internal/identity"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := percentile(d, c.p); got != c.want {
			t.Errorf("p%.0f = %s, want %s", c.p*100, got, c.want)
		}
	}
	if got := percentile(d[:1], 0.99); got != time.Millisecond {
		t.Errorf("p99 of one sample = %s", got)
	}
}

// TestMeasure checks the closed loop: the request bound, the warm-up left out, failures
// counted apart from the latencies.
func TestMeasure(t *testing.T) {
	t.Parallel()
	calls := 0
	row := measure(context.Background(), "x", "test", 1, 50, time.Minute, func(_ context.Context, i int) error {
		calls++
		if i%10 == 3 {
			return errors.New("boom")
		}
		return nil
	})
	if calls != 52 { // 2 warm-up + 50 measured
		t.Errorf("%d calls, want 52", calls)
	}
	if row.N+row.Errors != 50 || row.Errors != 5 || row.FirstError != "boom" {
		t.Errorf("row %+v: want 45 measured and 5 errors", row)
	}
	row = measure(context.Background(), "x", "test", 4, 1_000_000, 200*time.Millisecond, func(ctx context.Context, _ int) error {
		time.Sleep(time.Millisecond)
		return nil
	})
	if row.N == 0 || row.N > 1000 || row.PerSec <= 0 {
		t.Errorf("time-bounded cell: %+v", row)
	}
}

// TestPersonsCSV checks that the generated import file is what an import accepts:
// distinct, valid identity numbers whose birth date and gender agree with the columns.
func TestPersonsCSV(t *testing.T) {
	t.Parallel()
	const n = 7000
	sc := bufio.NewScanner(bytes.NewReader(PersonsCSV(n)))
	sc.Scan()
	if sc.Text() != "id_number,name,gender,birth_date,phone,guardian_name,guardian_phone" {
		t.Fatalf("header %q", sc.Text())
	}
	seen := map[string]bool{}
	for sc.Scan() {
		f := strings.Split(sc.Text(), ",")
		id, err := identity.ParseIDNumber(f[0])
		if err != nil {
			t.Fatalf("row %d: %v", len(seen)+2, err)
		}
		if seen[f[0]] {
			t.Fatalf("identity number %s twice", f[0])
		}
		seen[f[0]] = true
		if id.Gender() != f[2] || id.BirthDate().Format(time.DateOnly) != f[3] {
			t.Fatalf("row %d: %s does not agree with %s %s", len(seen)+1, f[0], f[2], f[3])
		}
	}
	if len(seen) != n {
		t.Errorf("%d rows, want %d", len(seen), n)
	}
}

// TestImportRowsTakeTheMedianRound: each measure is reported by its median round, so one
// slow or fast round of the three does not decide the import's ratio.
func TestImportRowsTakeTheMedianRound(t *testing.T) {
	s := time.Second
	rows := importRows(50_000, [3][]time.Duration{
		{1 * s, 3 * s, 2 * s}, {4 * s, 1 * s, 2 * s}, {5 * s, 10 * s, 4 * s}})
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, want := range []float64{25_000, 25_000, 10_000} {
		if rows[i].PerSec != want {
			t.Errorf("%s: %.0f rows/s, want %.0f (the median round)", rows[i].Name, rows[i].PerSec, want)
		}
	}
	if rows[2].MaxMs != 10_000 || rows[2].Via != "in-process" || rows[1].Name != "plain COPY of the same rows into persons" {
		t.Errorf("import row %+v / COPY row %+v", rows[2], rows[1])
	}
}
