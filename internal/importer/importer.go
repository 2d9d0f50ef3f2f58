package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"talentdb/internal/identity"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Default limits of one file.
const (
	DefaultMaxBytes = 50 << 20 // size of the file as uploaded
	DefaultMaxRows  = 200_000  // data rows
	// DefaultMaxUnzipBytes bounds what all the parts of an XLSX inflate to, together: a
	// zip bomb (half a megabyte inflating to hundreds) is refused before it is inflated.
	// A file of DefaultMaxRows ordinary rows stays below it (docs/import.md).
	DefaultMaxUnzipBytes = 64 << 20
)

// ErrUnknownKind: the kind is not one of Kinds.
var ErrUnknownKind = errors.New("unknown import kind")

// Options tune one run.
type Options struct {
	// DryRun validates and applies inside a transaction that is rolled back: the summary
	// gives the counts the file would produce.
	DryRun bool
	// Actor is who the audit log names ("cli", a user name).
	Actor string
	// UploadedBy is what the imports table records ("cli:alice", a user name).
	UploadedBy string
	// IdempotencyKey, when not empty, makes the run once-only per UploadedBy: a run with a
	// key already used by UploadedBy is not run again; RunFile returns the stored summary
	// (Outcome.Replayed) when kind, file and dry-run agree, and an *IdempotencyError
	// otherwise.
	IdempotencyKey string
	// SchoolID, when not 0, restricts the file to one school, for a school operator's
	// upload: participations must name that school, tracking rows must concern its
	// persons, new persons become its persons, organizations and new mentors are refused.
	SchoolID int64
	// Now is the clock that says what today is (China's date, vocab.Today): an award, a
	// follow-up or a guardian's consent dated after it is an error for its row, as in the
	// API. nil: time.Now.
	Now func() time.Time
	// Limits; zero means the default.
	MaxBytes      int64
	MaxRows       int
	MaxUnzipBytes int64
}

func (o Options) limits() limits {
	l := limits{maxBytes: o.MaxBytes, maxRows: o.MaxRows, maxUnzip: o.MaxUnzipBytes}
	if l.maxBytes <= 0 {
		l.maxBytes = DefaultMaxBytes
	}
	if l.maxRows <= 0 {
		l.maxRows = DefaultMaxRows
	}
	if l.maxUnzip <= 0 {
		l.maxUnzip = DefaultMaxUnzipBytes
	}
	return l
}

// RowError is one problem of the file: N is the line (the header is 1; 0 names the whole
// file), Column the contract key of the column (or the header text of an unknown one).
type RowError struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Error  string `json:"error"`
}

// Summary is the outcome of a run, printed by the CLI and stored with the run.
type Summary struct {
	Kind      string     `json:"kind"`
	Rows      int        `json:"rows"`
	Inserted  int        `json:"inserted"`
	Updated   int        `json:"updated"`
	Unchanged int        `json:"unchanged"`
	Errors    []RowError `json:"errors"`
	DryRun    bool       `json:"dry_run"`
	Applied   bool       `json:"applied"`
	// IdentityCandidates is how many pairs of persons the file put on the identity review
	// queue (docs/identity.md); left out when none.
	IdentityCandidates int `json:"identity_candidates,omitempty"`
}

// OK reports whether the file was applied or, for a dry run, would have been.
func (s Summary) OK() bool {
	return s.Applied || (s.DryRun && len(s.Errors) == 0)
}

// Importer loads files into the database.
type Importer struct {
	store *store.Store
	keys  *identity.Keys
}

// New returns an importer writing to st, protecting identifiers with keys.
func New(st *store.Store, keys *identity.Keys) *Importer {
	return &Importer{store: st, keys: keys}
}

// Run reads one file of the given kind and applies it all or nothing. A file with
// problems is not an error: the summary lists them and Applied is false. The error is
// for what the file cannot help (an unknown kind, a database failure).
func (im *Importer) Run(ctx context.Context, kind, filename string, r io.Reader, opt Options) (Summary, error) {
	out, err := im.RunFile(ctx, kind, filename, r, opt)
	return out.Summary, err
}

// Outcome is what RunFile did: the summary, the imports row that records the run, and
// whether the summary is a stored one returned for a repeated idempotency key.
type Outcome struct {
	Summary  Summary
	ImportID int64
	Replayed bool
	// Headers are the header texts the file used, by column key (contact_date → 联系日期),
	// so a page can name an error's column as the file did; nil for a replay.
	Headers map[string]string
}

// IdempotencyError is a run whose idempotency key the uploader already used for another
// request (another kind, another file, or dry run versus not).
type IdempotencyError struct {
	ImportID int64 // the run recorded under the key
}

func (e *IdempotencyError) Error() string {
	return fmt.Sprintf("importer: idempotency key already used for another request (import %d)", e.ImportID)
}

// Message is what the API and the web page tell the uploader.
func (e *IdempotencyError) Message() string {
	return fmt.Sprintf("该 Idempotency-Key 已用于另一个请求（导入 %d：类型、文件或 dry_run 不同）/ This Idempotency-Key was used for another request (import %d: another kind, file or dry_run).",
		e.ImportID, e.ImportID)
}

// RunFile is Run that also reports the run's record and honours Options.IdempotencyKey.
func (im *Importer) RunFile(ctx context.Context, kind, filename string, r io.Reader, opt Options) (Outcome, error) {
	sum := Summary{Kind: kind, Errors: []RowError{}, DryRun: opt.DryRun}
	spec, ok := kindSpecs[kind]
	if !ok {
		return Outcome{Summary: sum}, fmt.Errorf("%w %q (one of %v)", ErrUnknownKind, kind, Kinds)
	}
	data, sha, err := readBytes(r, opt.limits())
	if err != nil && sha == nil {
		return Outcome{Summary: sum}, err // the reader failed: nothing to record
	}
	batch := store.ImportBatch{Kind: kind, DryRun: opt.DryRun, FileName: filepath.Base(filename),
		SHA256: sha, UploadedBy: opt.UploadedBy, Actor: opt.Actor, IdempotencyKey: opt.IdempotencyKey,
		SchoolID: opt.SchoolID}
	if opt.IdempotencyKey != "" {
		if out, done, rerr := im.replay(ctx, &batch); done || rerr != nil {
			return out, rerr
		}
	}
	out, err := im.run(ctx, spec, &batch, sum, data, err, opt)
	if errors.Is(err, store.ErrImportKeyUsed) {
		// a concurrent request with the same key won: answer as a repeat of it
		if out, done, rerr := im.replay(ctx, &batch); done || rerr != nil {
			return out, rerr
		}
	}
	return out, err
}

// replay looks the batch's idempotency key up: done when a run is recorded under it (the
// stored outcome, or an *IdempotencyError when it was another request).
func (im *Importer) replay(ctx context.Context, b *store.ImportBatch) (Outcome, bool, error) {
	run, err := im.store.ImportByKey(ctx, b.UploadedBy, b.IdempotencyKey)
	if errors.Is(err, store.ErrNotFound) {
		return Outcome{}, false, nil
	}
	if err != nil {
		return Outcome{}, true, err
	}
	if run.Kind != b.Kind || run.DryRun != b.DryRun || !bytes.Equal(run.SHA256, b.SHA256) {
		return Outcome{}, true, &IdempotencyError{ImportID: run.ID}
	}
	var sum Summary
	if err := json.Unmarshal(run.Summary, &sum); err != nil {
		return Outcome{}, true, fmt.Errorf("importer: stored summary of import %d: %w", run.ID, err)
	}
	if sum.Errors == nil {
		sum.Errors = []RowError{}
	}
	return Outcome{Summary: sum, ImportID: run.ID, Replayed: true}, true, nil
}

// run parses and applies a file read by readBytes (readErr is its *fileError, if any).
func (im *Importer) run(ctx context.Context, spec *kindSpec, batch *store.ImportBatch, sum Summary, data []byte,
	readErr error, opt Options) (Outcome, error) {
	var t table
	err := readErr
	if err == nil {
		t, err = parseFile(data, opt.limits())
	}
	var fe *fileError
	if errors.As(err, &fe) {
		sum.Errors = append(sum.Errors, RowError{Row: fe.line, Error: fe.msg})
		js, jerr := json.Marshal(sum)
		if jerr != nil {
			return Outcome{Summary: sum}, jerr
		}
		id, err := im.store.ImportRecordFailed(ctx, *batch, js)
		return Outcome{Summary: sum, ImportID: id}, err
	}
	if err != nil {
		return Outcome{Summary: sum}, err
	}
	if batch.SchoolID != 0 && spec.Kind == store.KindOrganizations {
		// the HTTP layer refuses this before reading; a direct caller gets a file error
		sum.Errors = append(sum.Errors, RowError{Error: "只有项目办可以导入单位 / only the office imports organizations"})
		js, jerr := json.Marshal(sum)
		if jerr != nil {
			return Outcome{Summary: sum}, jerr
		}
		id, err := im.store.ImportRecordFailed(ctx, *batch, js)
		return Outcome{Summary: sum, ImportID: id}, err
	}

	m, headerErrs := mapHeader(spec, t.header)
	p := &parser{keys: im.keys, m: m, t: &t, batch: batch, today: vocab.Today(opt.Now)}
	batch.Present = m.present
	batch.Invalid = len(headerErrs) > 0
	batch.Rows = len(t.rows)
	sum.Rows = len(t.rows)
	// the rows are parsed while the store stages those already parsed (ImportBatch.Parse);
	// the store has waited for the parse before it summarizes or returns
	p.allocate() // before the batch is copied into the store's call
	batch.Parse = func(ready func(from, to int)) bool {
		p.parseAll(ready)
		return len(p.errs) > 0
	}
	errs := func() []RowError { return append(slices.Clip(headerErrs), p.errs...) }

	res, err := im.store.Import(ctx, *batch, func(res store.ImportResult) ([]byte, error) {
		return json.Marshal(finish(sum, spec, errs(), res))
	})
	if err != nil {
		return Outcome{Summary: sum}, err
	}
	return Outcome{Summary: finish(sum, spec, errs(), res), ImportID: res.ImportID, Headers: m.headers(t.header)}, nil
}

// finish completes a summary with the database's findings and counts; errors are ordered
// by line, then by the kind's column order.
func finish(sum Summary, spec *kindSpec, errs []RowError, res store.ImportResult) Summary {
	all := slices.Clone(errs)
	for _, is := range res.Issues {
		all = append(all, RowError{Row: is.Line, Column: is.Column, Error: issueMessage(is)})
	}
	rank := func(col string) int {
		for i, c := range spec.Columns {
			if c.Key == col {
				return i
			}
		}
		return len(spec.Columns)
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Row != all[j].Row {
			return all[i].Row < all[j].Row
		}
		return rank(all[i].Column) < rank(all[j].Column)
	})
	if all == nil {
		all = []RowError{}
	}
	sum.Errors = all
	sum.Applied = res.Applied
	if len(all) == 0 {
		sum.Inserted, sum.Updated, sum.Unchanged = res.Inserted, res.Updated, res.Unchanged
		sum.IdentityCandidates = res.Flagged
	}
	return sum
}

// issueMessages word the problems the database finds; %[1]s is the issue's detail.
var issueMessages = map[string]string{
	store.IssueDuplicate:        "与第 %[1]s 行重复 / duplicate of row %[1]s",
	store.IssuePersonNotFound:   "未找到该身份证号对应的人员（请先导入人员）/ no person with this identity number (import persons first)",
	store.IssuePersonNoMatch:    "未找到姓名、出生日期和学校都相符的人员 / no person matches this name, birth date and school",
	store.IssuePersonAmbiguous:  "有 %[1]s 名人员的姓名、出生日期和学校都相符，请改填身份证号 / %[1]s persons match this name, birth date and school; give the identity number",
	store.IssueEditionNotFound:  "年度不存在 / edition does not exist",
	store.IssueOrgNotFound:      "单位代码不存在 / no organization with this code",
	store.IssueNotSchool:        "该单位不是学校 / this organization is not a school",
	store.IssueNotInstitution:   "该单位不是培养单位 / this organization is not a training institution",
	store.IssueCategoryNotFound: "项目类别不存在 / unknown category",
	store.IssueCategoryProgram:  "该项目类别属于另一个计划（%[1]s）/ this category belongs to the other program (%[1]s)",
	store.IssueGradeProgram:     "金导师计划（教师）不填年级 / grade is for jingke students only",
	store.IssueRoleProgram:      "菁科计划（学生）不填教师类型 / teacher_role is for jindaoshi teachers only",
	store.IssueRegionUnknown:    "行政区划代码不属于已知的市州 / region code is not within a known city or prefecture",
	store.IssueNotYourSchool:    "只能填写您所在学校的代码 / you may only name your own school",
	store.IssueNotYourPerson:    "该人员不属于您的学校 / this person does not belong to your school",
	store.IssueOtherSchool:      "该身份证号不能由本校新建或更新，请联系项目办关联该人员 / your school cannot create or update a person with this identity number; ask the office to link the person",
	store.IssueMentorNotFound:   "导师不存在；新导师由项目办录入 / no such mentor; the office records new mentors",
	store.IssueIntervalOverlap:  "开始日期落在 %[1]s 开始的一段已明确结束的任职期间内 / started_on lies inside the explicitly ended move that starts on %[1]s",
}

// issueMessage words a problem the database found (its code when unknown).
func issueMessage(is store.ImportIssue) string {
	msg, ok := issueMessages[is.Code]
	switch {
	case !ok:
		return is.Code
	case strings.Contains(msg, "%[1]s"):
		return fmt.Sprintf(msg, is.Detail)
	}
	return msg
}
