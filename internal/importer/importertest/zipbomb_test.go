package importertest

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// The bombs are valid zips: every part inflates to what it declares, with its checksum.
func TestBombsInflate(t *testing.T) {
	t.Parallel()
	for name, data := range map[string][]byte{"sheet": ZipBombXLSX(64 << 20), "styles": StylesBombXLSX(8 << 20)} {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var total int64
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatalf("%s %s: %v", name, f.Name, err)
			}
			n, err := io.Copy(io.Discard, rc)
			if err != nil || uint64(n) != f.UncompressedSize64 {
				t.Fatalf("%s %s: inflated %d of %d: %v", name, f.Name, n, f.UncompressedSize64, err)
			}
			total += n
		}
		if len(data) > 1<<20 || total < 8<<20 {
			t.Fatalf("%s: %d bytes inflating to %d", name, len(data), total)
		}
	}
}
