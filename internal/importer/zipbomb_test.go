package importer_test

import (
	"bytes"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"talentdb/internal/importer"
	"talentdb/internal/importer/importertest"
)

// allocDuring runs f and returns how many bytes the process allocated meanwhile
// (TotalAlloc: cumulative, so it does not depend on when the collector ran) and the
// highest live heap seen by sampling every millisecond. Only meaningful in a test that is
// not parallel: other tests' allocations count too.
func allocDuring(f func()) (total, peak uint64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, peak - min(peak, before.HeapAlloc)
}

// Zip bombs are refused as file errors that say why, and the attempt stays cheap: it
// allocates a small fraction of what the file inflates to. A half-megabyte XLSX whose
// sheet inflates to 480 MiB is over the 64 MiB limit of all parts together; one whose
// styles.xml inflates to 60 MiB is within it, but a style sheet is decoded whole into
// structures many times its size, so such a part has a limit of its own.
// (Not parallel: it measures the process's allocations.)
func TestImportZipBombBounded(t *testing.T) {
	b := setup(t)
	for _, c := range []struct {
		name string
		file []byte
		want []string
	}{
		{"sheet", importertest.ZipBombXLSX(480 << 20), []string{"解压后超过 64 MiB", "inflates to more than 64 MiB"}},
		{"styles", importertest.StylesBombXLSX(60 << 20), []string{"xl/styles.xml", "1 MiB"}},
	} {
		if len(c.file) > 1<<20 {
			t.Fatalf("%s: the bomb is %d bytes; it should stay under 1 MiB", c.name, len(c.file))
		}
		var sum importer.Summary
		var err error
		total, peak := allocDuring(func() {
			sum, err = b.im.Run(b.ctx, "persons", c.name+"-bomb.xlsx", bytes.NewReader(c.file),
				importer.Options{Actor: "test", UploadedBy: "test:runner"})
		})
		t.Logf("%s bomb of %d bytes: allocated %d MiB, live heap rose by at most %d MiB", c.name, len(c.file), total>>20, peak>>20)
		if err != nil {
			t.Fatal(err)
		}
		ok := !sum.Applied && len(sum.Errors) == 1 && sum.Errors[0].Row == 0
		for _, w := range c.want {
			ok = ok && strings.Contains(sum.Errors[0].Error, w)
		}
		if !ok {
			t.Fatalf("%s bomb: want one file error saying %q, got applied=%v rows=%d, %d errors, first %+v",
				c.name, c.want, sum.Applied, sum.Rows, len(sum.Errors), sum.Errors[:min(2, len(sum.Errors))])
		}
		if total > 150<<20 {
			t.Fatalf("%s bomb: importing it allocated %d MiB; want under 150 MiB", c.name, total>>20)
		}
	}
	if n := b.count("SELECT count(*) FROM imports WHERE NOT applied"); n != 2 {
		t.Fatalf("the refused files were recorded %d times, want 2", n)
	}
}

// More formula cells than the row limit is one file error, not an error per cell (and
// not a map of millions of cells).
func TestImportXLSXTooManyFormulas(t *testing.T) {
	t.Parallel()
	b := setup(t)
	f := orgsWorkbook([]any{"BS00", "示例小学", "school"}, []any{"BS01", "示例小学", "school"},
		[]any{"BS02", "示例小学", "school"})
	for _, cell := range []string{"D2", "D3", "D4"} {
		if err := f.SetCellFormula("Sheet1", cell, "1+1"); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := b.im.Run(b.ctx, "organizations", "orgs.xlsx", bytes.NewBuffer(xlsxBytes(t, f)), importer.Options{MaxRows: 2})
	if err != nil || sum.Applied || len(sum.Errors) != 1 || sum.Errors[0].Row != 0 ||
		!strings.Contains(sum.Errors[0].Error, "公式单元格超过 2 个") {
		t.Fatalf("three formula cells, limit 2: %+v %v", sum, err)
	}
}

// A data row wider than the header keeps only what the checks need: the cells under the
// header, and an error for the first cell beyond it that holds something.
func TestImportXLSXWideRow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	f := orgsWorkbook([]any{"BS01", "示例小学", "school", "510104"}, []any{"BS02", "示例中学", "school", "510104"})
	f.SetCellStr("Sheet1", "XFD3", "far away")
	f.SetCellStr("Sheet1", "H3", "stray")
	sum := b.runBytes("organizations", "orgs.xlsx", xlsxBytes(t, f), false)
	if sum.Applied || len(sum.Errors) != 1 || !hasError(sum, 3, "") {
		t.Fatalf("stray cells: %+v", sum)
	}
}
