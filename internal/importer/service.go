package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"talentdb/internal/access"
	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// Run is one recorded import run (the imports table): its kind, file, uploader, whether it
// was a dry run or applied, and its summary (in a list: the counts and at most the first 20
// errors, ErrorCount saying how many there were).
type Run = store.ImportRun

// RunFilter selects a page of past runs, newest first; nil fields do not filter.
type RunFilter = store.ImportFilter

// The door's refusals. Each message is the one both the API and the web page show.
var (
	// ErrBusy: the caller already has an import running; one at a time per account, so
	// that one account cannot multiply what imports cost the server (a file may take tens
	// of megabytes while it is read) by sending them in parallel.
	ErrBusy = errors.New("您的另一个导入仍在进行，请等它完成后再上传 / Another import of yours is still running; upload again once it has finished.")
	// ErrOfficeOnly: only the office imports organizations. It matches access.ErrForbidden.
	ErrOfficeOnly error = &refusal{"单位只能由项目办导入 / Only the office imports organizations."}
	// ErrMayNotImport: the caller's role may not import. It matches access.ErrForbidden.
	ErrMayNotImport error = &refusal{"只有项目办管理员和学校账号可以导入 / Only office administrators and school operators may import."}
	// ErrBadKey: an idempotency key longer than MaxIdempotencyKey or not printable ASCII.
	ErrBadKey = errors.New("Idempotency-Key 应为不超过 200 个可打印 ASCII 字符 / Idempotency-Key must be at most 200 printable ASCII characters")
)

// refusal is a refused import that matches access.ErrForbidden.
type refusal struct{ msg string }

func (e *refusal) Error() string        { return e.msg }
func (e *refusal) Is(target error) bool { return target == access.ErrForbidden }

// TooLargeError is a file over the upload limit.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	size := fmt.Sprintf("%d bytes", e.Limit)
	if e.Limit%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", e.Limit>>20)
	}
	return fmt.Sprintf("上传的文件超过 %s / The uploaded file exceeds %s.", size, size)
}

// MaxIdempotencyKey bounds an idempotency key.
const MaxIdempotencyKey = 200

// Service is the door to bulk imports for the paths that upload (the API, the web page):
// each method takes the caller, authorizes its action (access.ImportWrite to upload and
// for the templates, access.ImportRead for the history), and runs in the caller's scope.
// It holds the rules every upload gets: a school operator's file is restricted to their
// school and may not be organizations, one import at a time per account, the size limit,
// the idempotency key's form.
type Service struct {
	st       *store.Store
	keys     *identity.Keys
	now      func() time.Time
	maxBytes int64
	busy     sync.Map // account name → struct{}: the accounts with an import running
}

// NewService returns the door over st; keys protect identity and phone numbers; now is
// the clock behind "today" (nil: time.Now); maxBytes limits an uploaded file (0: the
// default). st's default scope, if any, is never used: every call runs in its caller's.
func NewService(st *store.Store, keys *identity.Keys, now func() time.Time, maxBytes int64) *Service {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Service{st: st.WithoutDefault(), keys: keys, now: now, maxBytes: maxBytes}
}

// MaxBytes is the largest file an upload may carry.
func (s *Service) MaxBytes() int64 { return s.maxBytes }

// Kinds returns the kinds c may upload: the office everything, a school everything but
// organizations.
func (s *Service) Kinds(c access.Caller) []string {
	if c.Office() {
		return Kinds
	}
	return slices.DeleteFunc(slices.Clone(Kinds), func(k string) bool { return k == store.KindOrganizations })
}

// Upload is one file to import. Open is called once the caller's import slot is taken
// and returns the file's name ("" reads as "upload") and body; its error is returned as is.
type Upload struct {
	Kind           string
	DryRun         bool
	IdempotencyKey string
	MaxRows        int // the most data rows accepted (0: DefaultMaxRows)
	Open           func() (name string, body io.ReadCloser, err error)
}

// Check refuses an upload before anything is read: a role that may not import
// (ErrMayNotImport), an unknown kind (ErrUnknownKind), organizations from anyone but the
// office (ErrOfficeOnly), a malformed idempotency key (ErrBadKey). Run checks again.
func (s *Service) Check(c access.Caller, u Upload) error {
	if access.Authorize(c, access.ImportWrite) != nil {
		return ErrMayNotImport
	}
	if err := checkKind(u.Kind); err != nil {
		return err
	}
	if !slices.Contains(s.Kinds(c), u.Kind) {
		return ErrOfficeOnly
	}
	k := u.IdempotencyKey
	if len(k) > MaxIdempotencyKey || strings.IndexFunc(k, func(c rune) bool { return c < 0x21 || c > 0x7e }) >= 0 {
		return ErrBadKey
	}
	return nil
}

// checkKind refuses a kind that is not one of Kinds.
func checkKind(kind string) error {
	if !slices.Contains(Kinds, kind) {
		return fmt.Errorf("%w %q (one of %v)", ErrUnknownKind, kind, strings.Join(Kinds, ", "))
	}
	return nil
}

// Run imports one file as c, all or nothing (see Importer.RunFile): recorded with c as the
// uploader and audit actor, a school operator's file restricted to their school. A second
// upload of c's while one is running is ErrBusy; a file over MaxBytes is a *TooLargeError.
func (s *Service) Run(ctx context.Context, c access.Caller, u Upload) (Outcome, error) {
	if err := s.Check(c, u); err != nil {
		return Outcome{}, err
	}
	if _, busy := s.busy.LoadOrStore(c.Username, struct{}{}); busy {
		return Outcome{}, ErrBusy
	}
	defer s.busy.Delete(c.Username) // also when the import fails or panics
	name, body, err := u.Open()
	if err != nil {
		return Outcome{}, err
	}
	defer body.Close()
	if name == "" {
		name = "upload"
	}
	var school int64
	if c.Role == access.RoleSchoolOperator {
		school = c.SchoolID
	}
	ctx = store.WithScope(ctx, store.ScopeFor(c))
	out, err := New(s.st, s.keys).RunFile(ctx, u.Kind, name, &cappedReader{r: body, n: s.maxBytes},
		Options{DryRun: u.DryRun, Actor: c.Username, UploadedBy: c.Username, IdempotencyKey: u.IdempotencyKey,
			SchoolID: school, Now: s.now, MaxBytes: s.maxBytes, MaxRows: u.MaxRows})
	if errors.Is(err, errUploadTooLarge) {
		return out, &TooLargeError{Limit: s.maxBytes}
	}
	return out, err
}

// errUploadTooLarge is what cappedReader returns past the limit.
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

// List returns a page of past runs, newest first: the office's and the analysts' every
// run, a school operator their own uploads.
func (s *Service) List(ctx context.Context, c access.Caller, f RunFilter) ([]Run, error) {
	ctx, f, err := s.runs(ctx, c, f)
	if err != nil {
		return nil, err
	}
	return s.st.ImportList(ctx, f)
}

// History is a page of past runs and how many runs the caller may see in all.
type History struct {
	Runs  []Run
	Total int
}

// History returns what List returns and the total of the runs the filter matches for
// the caller (f.BeforeID aside): the import page's history, its total and its export.
func (s *Service) History(ctx context.Context, c access.Caller, f RunFilter) (History, error) {
	ctx, f, err := s.runs(ctx, c, f)
	if err != nil {
		return History{}, err
	}
	runs, err := s.st.ImportList(ctx, f)
	if err != nil {
		return History{}, err
	}
	n, err := s.st.ImportCount(ctx, f)
	return History{Runs: runs, Total: n}, err
}

// runs authorizes c to read past runs and narrows f to those c may see: a school
// operator's own uploads. It returns ctx in c's scope.
func (s *Service) runs(ctx context.Context, c access.Caller, f RunFilter) (context.Context, RunFilter, error) {
	if err := access.Authorize(c, access.ImportRead); err != nil {
		return ctx, f, err
	}
	if c.Role == access.RoleSchoolOperator {
		name := c.Username
		f.UploadedBy = &name
	}
	return store.WithScope(ctx, store.ScopeFor(c)), f, nil
}

// Template writes the XLSX template of kind (ErrUnknownKind when it is not one of Kinds).
func (s *Service) Template(ctx context.Context, c access.Caller, kind string, w io.Writer) error {
	if access.Authorize(c, access.ImportWrite) != nil {
		return ErrMayNotImport
	}
	if err := checkKind(kind); err != nil {
		return err
	}
	return New(s.st, s.keys).Template(store.WithScope(ctx, store.ScopeFor(c)), kind, w)
}
