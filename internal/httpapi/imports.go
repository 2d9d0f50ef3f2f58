package httpapi

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/importer"
	"talentdb/internal/store"
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

// importSlots holds the accounts that have an upload being imported, per server: one at a
// time per account, so that one account cannot multiply what imports cost the server (a
// file may take tens of megabytes while it is read) by sending them in parallel.
var importSlots sync.Map // importSlot → struct{}

type importSlot struct {
	s       *server
	account string
}

// takeImportSlot claims the import slot of account on s; false when an import of theirs
// is running. release gives it back and must run however the request ends.
func (s *server) takeImportSlot(account string) (release func(), ok bool) {
	k := importSlot{s: s, account: account}
	if _, busy := importSlots.LoadOrStore(k, struct{}{}); busy {
		return nil, false
	}
	return func() { importSlots.Delete(k) }, true
}

// importBusy is the 429 of an account that already has an import running.
func importBusy(w http.ResponseWriter) *Problem {
	w.Header().Set("Retry-After", strconv.Itoa(importRetryAfter))
	return newProblem(http.StatusTooManyRequests, ProblemImportBusy, "Import in progress",
		"您的另一个导入仍在进行，请等它完成后再上传 / Another import of yours is still running; upload again once it has finished.")
}

// importRoutes declares the import, identity-review and merge endpoints (called inside
// the /api/v1 route). Roles are checked by the handlers (importCallerOf, officeCaller).
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

// importCaller is who uploads: a name for the imports table and the audit log, and the
// school a school operator's files are restricted to (0 for the office).
type importCaller struct {
	name     string
	role     string
	schoolID int64
}

// importCallerOf returns the uploader of r: office administrators and school operators
// may import; with authentication switched off every caller is the office, named "api".
func importCallerOf(r *http.Request) (importCaller, error) {
	p, ok := auth.FromContext(r.Context())
	if !ok {
		return importCaller{name: actorFrom(r).Name, role: auth.RoleOfficeAdmin}, nil
	}
	switch p.Role {
	case auth.RoleOfficeAdmin:
		return importCaller{name: p.Username, role: p.Role}, nil
	case auth.RoleSchoolOperator:
		return importCaller{name: p.Username, role: p.Role, schoolID: p.SchoolID}, nil
	}
	return importCaller{}, denied("只有项目办管理员和学校账号可以导入 / Only office administrators and school operators may import.")
}

// denied is the 403 of a role that may not do what it asked.
func denied(msg string) *Problem {
	return newProblem(http.StatusForbidden, ProblemForbidden, "Forbidden", msg)
}

// importKind reads {kind} of the path: one of importer.Kinds, else 404.
func importKind(r *http.Request) (string, error) {
	kind := chi.URLParam(r, "kind")
	if !slices.Contains(importer.Kinds, kind) {
		return "", newProblem(http.StatusNotFound, ProblemNotFound, "Not found",
			fmt.Sprintf("没有这种导入类型 / No import kind %q; one of %s.", kind, strings.Join(importer.Kinds, ", ")))
	}
	return kind, nil
}

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 200

// idempotencyKey reads the Idempotency-Key header: at most 200 printable ASCII characters.
func idempotencyKey(r *http.Request) (string, error) {
	k := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if len(k) > maxIdempotencyKey || strings.IndexFunc(k, func(c rune) bool { return c < 0x21 || c > 0x7e }) >= 0 {
		return "", fieldProblem("Idempotency-Key", "format",
			"Idempotency-Key 应为不超过 200 个可打印 ASCII 字符 / Idempotency-Key must be at most 200 printable ASCII characters")
	}
	return k, nil
}

// errUploadTooLarge is what the upload reader returns past the file size limit.
var errUploadTooLarge = errors.New("upload larger than the limit")

// cappedReader fails with errUploadTooLarge once more than n bytes have been read.
type cappedReader struct {
	r io.Reader
	n int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n -= int64(n)
	if c.n < 0 {
		return n, errUploadTooLarge
	}
	return n, err
}

// importResponse is the summary of a run with the id of its imports row.
type importResponse struct {
	importer.Summary
	ImportID int64 `json:"import_id"`
}

// uploadImport is POST /imports/{kind}: multipart/form-data with the file in the field
// "file"; ?dry_run=true checks and counts without writing. 200 with the summary when the
// file was applied (or would be), 422 with the summary when it has errors, 429 while
// another upload of the same account is being imported.
func (s *server) uploadImport(w http.ResponseWriter, r *http.Request) {
	c, err := importCallerOf(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	kind, err := importKind(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	if kind == store.KindOrganizations && c.schoolID != 0 {
		fail(w, r, denied("单位只能由项目办导入 / Only the office imports organizations."))
		return
	}
	q := newQuery(r, "dry_run")
	dry := false
	if v := q.str("dry_run"); v != nil {
		if dry, err = strconv.ParseBool(*v); err != nil {
			q.add("dry_run", "boolean", "dry_run 应为 true 或 false / dry_run must be true or false")
		}
	}
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	key, err := idempotencyKey(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	limit := s.importMax
	if limit <= 0 {
		limit = importer.DefaultMaxBytes
	}
	tooLarge := uploadTooLarge(limit)
	if r.ContentLength > limit+1<<20 {
		fail(w, r, tooLarge) // say so before reading anything
		return
	}
	release, ok := s.takeImportSlot(c.name)
	if !ok {
		fail(w, r, importBusy(w))
		return
	}
	defer release() // also when the import fails or panics
	part, err := uploadedFile(w, r, limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	defer part.Close()
	out, err := importer.New(s.store, s.keys).RunFile(r.Context(), kind, part.FileName(),
		&cappedReader{r: part, n: limit}, importer.Options{DryRun: dry, Actor: c.name, UploadedBy: c.name,
			IdempotencyKey: key, SchoolID: c.schoolID, MaxBytes: limit})
	var tooBig *http.MaxBytesError
	var ie *importer.IdempotencyError
	switch {
	case errors.Is(err, errUploadTooLarge) || errors.As(err, &tooBig):
		fail(w, r, tooLarge)
		return
	case errors.As(err, &ie):
		p := newProblem(http.StatusConflict, ProblemIdempotencyConflict, "Idempotency key reused",
			fmt.Sprintf("该 Idempotency-Key 已用于另一个请求（导入 %d：类型、文件或 dry_run 不同）/ This Idempotency-Key was used for another request (import %d: another kind, file or dry_run).",
				ie.ImportID, ie.ImportID))
		p.Errors = []FieldError{{Field: "Idempotency-Key", Rule: "reused", Message: p.Detail}}
		fail(w, r, p)
		return
	case err != nil:
		fail(w, r, err)
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

// FileName is the name the client gave the file ("upload" when none).
func (f *multipartFile) FileName() string {
	if f.name == "" {
		return "upload"
	}
	return f.name
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
	if _, err := importCallerOf(r); err != nil {
		fail(w, r, err)
		return
	}
	kind, err := importKind(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := newQuery(r).err(); err != nil {
		fail(w, r, err)
		return
	}
	var buf strings.Builder
	if err := importer.New(s.store, s.keys).Template(r.Context(), kind, &buf); err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{
		"filename": "import-" + kind + ".xlsx"}))
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

func viewImport(run store.ImportRun) importView {
	return importView{ID: run.ID, Kind: run.Kind, FileName: run.FileName, SHA256: hex.EncodeToString(run.SHA256),
		UploadedBy: run.UploadedBy, DryRun: run.DryRun, Applied: run.Applied, CreatedAt: run.CreatedAt.UTC(),
		ErrorCount: run.ErrorCount, Summary: run.Summary}
}

// listImports is GET /imports: past runs, newest first, their summaries with at most the
// first 20 errors. The office sees every run, a school operator their own uploads.
func (s *server) listImports(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r, "kind")
	f := store.ImportFilter{Kind: q.enum("kind", importer.Kinds...), Limit: q.limit() + 1}
	q.after(&f.BeforeID)
	if err := q.err(); err != nil {
		fail(w, r, err)
		return
	}
	if p, ok := auth.FromContext(r.Context()); ok {
		switch p.Role {
		case auth.RoleOfficeAdmin, auth.RoleOfficeAnalyst:
		case auth.RoleSchoolOperator:
			f.UploadedBy = &p.Username
		default:
			fail(w, r, denied("您的角色不能查看导入记录 / Your role may not list imports."))
			return
		}
	}
	runs, err := s.store.ImportList(r.Context(), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	respondPage(w, runs, f.Limit-1, func(run store.ImportRun) any { return run.ID }, viewImport)
}
