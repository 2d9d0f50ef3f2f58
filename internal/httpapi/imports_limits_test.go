package httpapi

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/importer/importertest"
)

// allocatedDuring runs f and returns how many bytes the process allocated meanwhile
// (TotalAlloc: cumulative, whenever the collector ran). Only meaningful in a test that is
// not parallel.
func allocatedDuring(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// An uploaded zip bomb (half a megabyte inflating to 480 MiB) is a 422 whose summary says
// the file inflates beyond the limit, and it costs the server a few megabytes, not the
// inflated size. (Not parallel: it measures the process's allocations.)
func TestImportUploadZipBomb(t *testing.T) {
	f := setup(t)
	bomb := importertest.ZipBombXLSX(480 << 20)
	var s summaryResp
	total := allocatedDuring(func() {
		s = f.upload("/api/v1/imports/persons", "bomb.xlsx", bomb).summary(http.StatusUnprocessableEntity)
	})
	t.Logf("upload of a %d-byte zip bomb allocated %d MiB", len(bomb), total>>20)
	if s.Applied || len(s.Errors) != 1 || !strings.Contains(s.Errors[0].Error, "解压后超过 64 MiB") ||
		!strings.Contains(s.Errors[0].Error, "inflates to more than 64 MiB") {
		t.Fatalf("zip bomb: applied=%v, %d errors, first %+v", s.Applied, len(s.Errors), s.Errors[:min(1, len(s.Errors))])
	}
	if total > 150<<20 {
		t.Fatalf("the zip bomb upload allocated %d MiB; want under 150 MiB", total>>20)
	}
}

// heldUpload is an upload whose body the test writes: the server is inside the import
// (past taking the account's slot, reading the file) once start returns, and it stays
// there until finish or fail.
type heldUpload struct {
	pw   *io.PipeWriter
	mw   *multipart.Writer
	file io.Writer
	done chan resp
}

func (f *fixture) holdUpload(path, auth string) *heldUpload {
	f.t.Helper()
	pr, pw := io.Pipe()
	u := &heldUpload{pw: pw, mw: multipart.NewWriter(pw), done: make(chan resp, 1)}
	req := httptest.NewRequest("POST", path, pr)
	req.Header.Set("Content-Type", u.mw.FormDataContentType())
	req.Header.Set("Authorization", auth)
	go func() {
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		_ = pr.Close() // a handler that stopped reading early must not leave the writer stuck
		u.done <- resp{rec, f.t}
	}()
	// an io.Pipe write returns only once the handler has read it
	fw, err := u.mw.CreateFormFile("file", "orgs.csv")
	if err != nil {
		f.t.Fatalf("the server did not read the upload: %v", err)
	}
	u.file = fw
	return u
}

// finish sends the rest of the file and returns the answer.
func (u *heldUpload) finish(rest string) resp {
	_, _ = io.WriteString(u.file, rest)
	_ = u.mw.Close()
	_ = u.pw.Close()
	return <-u.done
}

// fail breaks the upload off with err and returns the answer.
func (u *heldUpload) fail(err error) resp {
	_ = u.pw.CloseWithError(err)
	return <-u.done
}

// One import at a time per account: while an upload of the administrator is being
// imported, a second one of theirs is 429 problem+json with Retry-After, and another
// account may import meanwhile; the slot is free again once the first finishes, whether
// it succeeded, failed or panicked.
func TestImportOneAtATimePerAccount(t *testing.T) {
	t.Parallel()
	f := setup(t)
	const orgs = "code,name,kind,region_code\n"
	first := f.holdUpload("/api/v1/imports/organizations", f.bearer)
	_, _ = io.WriteString(first.file, orgs)

	busy := f.upload("/api/v1/imports/organizations?dry_run=true", "o.csv", []byte(orgs+"S9,学校九,学校,510104\n"))
	p := busy.problem(http.StatusTooManyRequests, "import-in-progress", "")
	if busy.Header().Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	if d, _ := p["detail"].(string); !strings.Contains(d, "导入") || !strings.Contains(d, "import") {
		t.Fatalf("429 detail is not in Chinese and English: %q", d)
	}
	other := "Bearer " + authtest.Token(t, f.st, auth.RoleOfficeAdmin)
	f.upload("/api/v1/imports/organizations", "o.csv", []byte(orgs+"S8,学校八,学校,510104\n"), "Authorization", other).
		summary(http.StatusOK)

	if s := first.finish("S1,学校一,学校,510104\n").summary(http.StatusOK); s.Inserted != 1 {
		t.Fatalf("the held upload: %+v", s)
	}
	f.upload("/api/v1/imports/organizations", "o.csv", []byte(orgs+"S2,学校二,学校,510104\n")).summary(http.StatusOK)

	// a broken-off upload gives the slot back
	broken := f.holdUpload("/api/v1/imports/organizations", f.bearer)
	if code := broken.fail(io.ErrUnexpectedEOF).Code; code < 400 {
		t.Fatalf("a broken-off upload answered %d", code)
	}
	f.upload("/api/v1/imports/organizations", "o.csv", []byte(orgs+"S3,学校三,学校,510104\n")).summary(http.StatusOK)

	// so does one whose reading panics (the recovery middleware answers 500)
	req := httptest.NewRequest("POST", "/api/v1/imports/organizations", panicReader{})
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Authorization", f.bearer)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	resp{rec, t}.want(http.StatusInternalServerError)
	f.upload("/api/v1/imports/organizations", "o.csv", []byte(orgs+"S4,学校四,学校,510104\n")).summary(http.StatusOK)
}

// panicReader is a request body whose every read panics.
type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("reading the upload failed") }
