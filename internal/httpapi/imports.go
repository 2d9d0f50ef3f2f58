package httpapi

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/importer"
)

// Bulk import over HTTP (docs/import.md): the same importer as `talentdb import`, fed by a
// multipart upload, recorded in imports with the uploader and an optional idempotency key;
// and the XLSX templates.

// ProblemIdempotencyConflict is the type of a 409 for an Idempotency-Key the caller
// already used for another request.
const ProblemIdempotencyConflict = problemBase + "idempotency-conflict"

// ProblemImportBusy is the type of a 429 for an upload while another upload of the same
// account is still being imported; Retry-After says when to try again.
const ProblemImportBusy = problemBase + "import-in-progress"

// importRetryAfter is the Retry-After of ProblemImportBusy, in seconds: about what a large
// file takes.
const importRetryAfter = 10

// importBusy is the 429 of an account that already has an import running (the import
// door allows one at a time per account).
func importBusy(w http.ResponseWriter) *Problem {
	w.Header().Set("Retry-After", strconv.Itoa(importRetryAfter))
	return newProblem(http.StatusTooManyRequests, ProblemImportBusy, "Import in progress", importer.ErrBusy.Error())
}

// importRoutes declares the import, identity-review and merge endpoints (called inside
// the /api/v1 route). The import door checks the roles again and the school's rules.
func (s *server) importRoutes(api api) {
	api.get("/imports", access.ImportRead, s.listImports)
	api.post("/imports/{kind}", access.ImportWrite, s.uploadImport)
	api.get("/imports/{kind}/template.xlsx", access.ImportWrite, s.importTemplate)
	api.get("/identity/candidates", access.IdentityRead, s.listCandidates)
	api.post("/identity/candidates/{id}/dismiss", access.IdentityResolve, s.dismissCandidate)
	api.post("/persons/{id}/merge", access.IdentityResolve, s.mergePerson)
	api.get("/persons/{id}/merges", access.IdentityRead, s.listMerges)
	api.post("/persons/{id}/merges/{merge_id}/undo", access.IdentityResolve, s.undoMerge)
}

// denied is the 403 of a role that may not do what it asked.
func denied(msg string) *Problem {
	return newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden", msg)
}

// failImport answers the import door's refusals with their problems; anything else as fail.
func failImport(w http.ResponseWriter, r *http.Request, err error) {
	var (
		tooLarge *importer.TooLargeError
		tooBig   *http.MaxBytesError
		ie       *importer.IdempotencyError
	)
	switch {
	case errors.Is(err, importer.ErrUnknownKind):
		kind := chi.URLParam(r, "kind")
		fail(w, r, newProblem(http.StatusNotFound, ProblemNotFound, "Not found",
			fmt.Sprintf("没有这种导入类型 / No import kind %q; one of %s.", kind, strings.Join(importer.Kinds, ", "))))
	case errors.Is(err, importer.ErrOfficeOnly), errors.Is(err, importer.ErrMayNotImport):
		fail(w, r, denied(err.Error()))
	case errors.Is(err, importer.ErrBadKey):
		fail(w, r, fieldProblem("Idempotency-Key", "format", err.Error()))
	case errors.Is(err, importer.ErrBusy):
		fail(w, r, importBusy(w))
	case errors.As(err, &tooLarge):
		fail(w, r, uploadTooLarge(tooLarge.Limit))
	case errors.As(err, &tooBig):
		fail(w, r, uploadTooLarge(tooBig.Limit-1<<20))
	case errors.As(err, &ie):
		p := newProblem(http.StatusConflict, ProblemIdempotencyConflict, "Idempotency key reused", ie.Message())
		p.Errors = []FieldError{{Field: "Idempotency-Key", Rule: "reused", Message: p.Detail}}
		fail(w, r, p)
	default:
		fail(w, r, err)
	}
}

// importResponse is the summary of a run with the id of its imports row.
type importResponse struct {
	importer.Summary
	ImportID int64 `json:"import_id"`
}

// uploadImport is POST /imports/{kind}: multipart/form-data with the file in the field
// "file"; ?dry_run=true checks and counts without writing. 200 with the summary when the
// file was applied (or would be), 422 with the summary when it has errors, 429 while
// another upload of the same account is being imported (the import door's rules).
func (s *server) uploadImport(w http.ResponseWriter, r *http.Request) {
	c, imports := callerFrom(r), s.doors.Imports
	u := importer.Upload{Kind: chi.URLParam(r, "kind"), IdempotencyKey: strings.TrimSpace(r.Header.Get("Idempotency-Key"))}
	if err := imports.Check(c, u); err != nil {
		failImport(w, r, err)
		return
	}
	q := newQuery(r, "dry_run")
	if v := q.str("dry_run"); v != nil {
		var err error
		if u.DryRun, err = strconv.ParseBool(*v); err != nil {
			q.add("dry_run", "boolean", "dry_run 应为 true 或 false / dry_run must be true or false")
		}
	}
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	limit := imports.MaxBytes()
	if r.ContentLength > limit+1<<20 {
		fail(w, r, uploadTooLarge(limit)) // say so before reading anything
		return
	}
	u.Open = func() (string, io.ReadCloser, error) {
		part, err := uploadedFile(w, r, limit)
		if err != nil {
			return "", nil, err
		}
		return part.name, part, nil
	}
	out, err := imports.Run(r.Context(), c, u)
	if err != nil {
		failImport(w, r, err)
		return
	}
	if out.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	status := http.StatusOK
	if !out.Summary.OK() {
		status = http.StatusUnprocessableEntity
	}
	respondJSON(w, status, importResponse{Summary: out.Summary, ImportID: out.ImportID})
}

// uploadedFile finds the part named "file" of a multipart/form-data body (other fields are
// skipped), reading at most limit bytes of file plus 1 MiB of the rest.
func uploadedFile(w http.ResponseWriter, r *http.Request, limit int64) (*multipartFile, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, newProblem(http.StatusUnsupportedMediaType, ProblemUnsupportedMedia, "Unsupported media type",
			"请以 multipart/form-data 上传，文件放在 file 字段 / Upload as multipart/form-data with the file in the field \"file\".")
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, malformedUpload()
	}
	for {
		p, err := mr.NextPart()
		var tooBig *http.MaxBytesError
		switch {
		case errors.Is(err, io.EOF):
			return nil, fieldProblem("file", "required", "缺少上传文件（字段 file）/ the upload has no field \"file\"")
		case errors.As(err, &tooBig):
			return nil, uploadTooLarge(limit)
		case err != nil:
			return nil, malformedUpload()
		}
		if p.FormName() == "file" {
			return &multipartFile{Reader: p, name: p.FileName(), close: p.Close}, nil
		}
		_ = p.Close()
	}
}

// multipartFile is the uploaded file's part.
type multipartFile struct {
	io.Reader
	name  string
	close func() error
}

// Close releases the part.
func (f *multipartFile) Close() error { return f.close() }

// uploadTooLarge is the 413 of a file over the upload limit.
func uploadTooLarge(limit int64) *Problem {
	size := fmt.Sprintf("%d bytes", limit)
	if limit%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", limit>>20)
	}
	return newProblem(http.StatusRequestEntityTooLarge, ProblemPayloadTooLarge, "Payload too large",
		fmt.Sprintf("上传的文件超过 %s / The uploaded file exceeds %s.", size, size))
}

func malformedUpload() *Problem {
	return newProblem(http.StatusBadRequest, ProblemMalformed, "Malformed upload",
		"上传内容不是有效的 multipart/form-data / The body is not valid multipart/form-data.")
}

// importTemplate is GET /imports/{kind}/template.xlsx: the XLSX template of a kind, as
// `talentdb import template KIND` writes it.
func (s *server) importTemplate(w http.ResponseWriter, r *http.Request) {
	var buf strings.Builder
	if err := s.doors.Imports.Template(r.Context(), callerFrom(r), chi.URLParam(r, "kind"), &buf); err != nil {
		failImport(w, r, err)
		return
	}
	if err := newQuery(r).err(); err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{
		"filename": "import-" + chi.URLParam(r, "kind") + ".xlsx"}))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = io.WriteString(w, buf.String())
}

// importView is one past run as GET /imports lists it.
type importView struct {
	ID         int64           `json:"id"`
	Kind       string          `json:"kind"`
	FileName   *string         `json:"file_name"`
	SHA256     string          `json:"sha256"`
	UploadedBy *string         `json:"uploaded_by"`
	DryRun     bool            `json:"dry_run"`
	Applied    bool            `json:"applied"`
	CreatedAt  time.Time       `json:"created_at"`
	ErrorCount int             `json:"error_count"`
	Summary    json.RawMessage `json:"summary"`
}

func viewImport(run importer.Run) importView {
	return importView{ID: run.ID, Kind: run.Kind, FileName: run.FileName, SHA256: hex.EncodeToString(run.SHA256),
		UploadedBy: run.UploadedBy, DryRun: run.DryRun, Applied: run.Applied, CreatedAt: run.CreatedAt.UTC(),
		ErrorCount: run.ErrorCount, Summary: run.Summary}
}

// listImports is GET /imports: past runs, newest first, their summaries with at most the
// first 20 errors. The office sees every run, a school operator their own uploads (the
// import door's rule).
func (s *server) listImports(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "kind")
	f := importer.RunFilter{Kind: q.enum("kind", importer.Kinds...), Limit: q.limit() + 1}
	q.after(&f.BeforeID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	runs, err := s.doors.Imports.List(r.Context(), callerFrom(r), f)
	if errors.Is(err, access.ErrForbidden) {
		err = denied("您的角色不能查看导入记录 / Your role may not list imports.")
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, runs, f.Limit-1, func(run importer.Run) any { return run.ID }, viewImport)
}
