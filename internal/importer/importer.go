package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"

	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// Default limits of one file.
const (
	DefaultMaxBytes      = 50 << 20  // size of the file as uploaded
	DefaultMaxRows       = 200_000   // data rows
	DefaultMaxUnzipBytes = 512 << 20 // an XLSX's parts once decompressed (zip bombs)
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
	sum := Summary{Kind: kind, Errors: []RowError{}, DryRun: opt.DryRun}
	spec, ok := kindSpecs[kind]
	if !ok {
		return sum, fmt.Errorf("%w %q (one of %v)", ErrUnknownKind, kind, Kinds)
	}
	t, sha, err := readFile(r, opt.limits())
	batch := store.ImportBatch{Kind: kind, DryRun: opt.DryRun, FileName: filepath.Base(filename),
		SHA256: sha, UploadedBy: opt.UploadedBy, Actor: opt.Actor}
	var fe *fileError
	if errors.As(err, &fe) {
		sum.Errors = append(sum.Errors, RowError{Row: fe.line, Error: fe.msg})
		js, jerr := json.Marshal(sum)
		if jerr != nil {
			return sum, jerr
		}
		if _, err := im.store.ImportRecordFailed(ctx, batch, js); err != nil {
			return sum, err
		}
		return sum, nil
	}
	if err != nil {
		return sum, err
	}

	m, errs := mapHeader(spec, t.header)
	p := &parser{keys: im.keys, m: m, t: &t, batch: &batch}
	p.parseAll()
	errs = append(errs, p.errs...)
	batch.Present = m.present
	batch.Invalid = len(errs) > 0
	batch.Rows = len(t.rows)
	sum.Rows = len(t.rows)

	res, err := im.store.Import(ctx, batch, func(res store.ImportResult) ([]byte, error) {
		return json.Marshal(finish(sum, spec, errs, res))
	})
	if err != nil {
		return sum, err
	}
	return finish(sum, spec, errs, res), nil
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
	}
	return sum
}

// issueMessage words a problem the database found.
func issueMessage(is store.ImportIssue) string {
	d := is.Detail
	switch is.Code {
	case store.IssueDuplicate:
		return fmt.Sprintf("与第 %s 行重复 / duplicate of row %s", d, d)
	case store.IssuePersonNotFound:
		return "未找到该身份证号对应的人员（请先导入人员）/ no person with this identity number (import persons first)"
	case store.IssuePersonNoMatch:
		return "未找到姓名、出生日期和学校都相符的人员 / no person matches this name, birth date and school"
	case store.IssuePersonAmbiguous:
		return fmt.Sprintf("有 %s 名人员的姓名、出生日期和学校都相符，请改填身份证号 / %s persons match this name, birth date and school; give the identity number", d, d)
	case store.IssueEditionNotFound:
		return "年度不存在 / edition does not exist"
	case store.IssueOrgNotFound:
		return "单位代码不存在 / no organization with this code"
	case store.IssueNotSchool:
		return "该单位不是学校 / this organization is not a school"
	case store.IssueNotInstitution:
		return "该单位不是培养单位 / this organization is not a training institution"
	case store.IssueCategoryNotFound:
		return "项目类别不存在 / unknown category"
	case store.IssueCategoryProgram:
		return fmt.Sprintf("该项目类别属于另一个计划（%s）/ this category belongs to the other program (%s)", d, d)
	case store.IssueGradeProgram:
		return "金导师计划（教师）不填年级 / grade is for jingke students only"
	case store.IssueRoleProgram:
		return "菁科计划（学生）不填教师类型 / teacher_role is for jindaoshi teachers only"
	case store.IssueRegionUnknown:
		return "行政区划代码不属于已知的市州 / region code is not within a known city or prefecture"
	case store.IssueIntervalOverlap:
		return fmt.Sprintf("开始日期落在 %s 开始的一段已明确结束的任职期间内 / started_on lies inside the explicitly ended move that starts on %s", d, d)
	}
	return is.Code
}
