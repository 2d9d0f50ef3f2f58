package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"talentdb/db"
)

// Import kinds, as named by the public contract.
const (
	KindOrganizations  = "organizations"
	KindPersons        = "persons"
	KindParticipations = "participations"
	KindAwards         = "awards"
	KindDestinations   = "destinations"
	KindCareerMoves    = "career-moves"
	KindFollowUps      = "follow-ups"
)

// Codes of the problems the database finds in staged rows; the importer turns them into
// messages. Detail carries the number that goes with some of them.
const (
	IssueDuplicate        = "duplicate"          // Detail: the line of the first row with the key
	IssuePersonNotFound   = "person_not_found"   // no person with this identity number
	IssuePersonNoMatch    = "person_no_match"    // name + birth date + school match nobody
	IssuePersonAmbiguous  = "person_ambiguous"   // Detail: how many persons match
	IssueEditionNotFound  = "edition_not_found"  // the edition does not exist
	IssueOrgNotFound      = "org_not_found"      // no organization with this code
	IssueNotSchool        = "not_school"         // the organization is not a school
	IssueNotInstitution   = "not_institution"    // the organization is not a training institution
	IssueCategoryNotFound = "category_not_found" // no category with this code or name
	IssueCategoryProgram  = "category_program"   // Detail: the category's program
	IssueGradeProgram     = "grade_program"      // a grade in a teachers' edition
	IssueRoleProgram      = "role_program"       // a teacher role in a students' edition
	IssueRegionUnknown    = "region_unknown"     // the region's city is not a known region
	IssueIntervalOverlap  = "interval_overlap"   // Detail: start of the move whose explicit interval contains this start

	// The problems of a file imported by a school operator (ImportBatch.SchoolID).
	IssueNotYourSchool  = "not_your_school"  // the row names another school
	IssueNotYourPerson  = "not_your_person"  // the person is not the school's (responsible school or a participation there)
	IssueOtherSchool    = "other_school"     // persons: the identity number is recorded for a person of another school
	IssueMentorNotFound = "mentor_not_found" // participations: only the office records new mentors
)

// ImportIssue is one problem of one staged row, found by the database.
type ImportIssue struct {
	Line   int
	Column string // the contract key of the column
	Code   string // one of the Issue… codes
	Detail string
}

// ImportPersonRef names the person of a tracking row: by the keyed hash of the identity
// number, or, when ByTrio, by name + birth date + school code together.
type ImportPersonRef struct {
	IDHash     []byte
	ByTrio     bool
	Name       *string
	BirthDate  *time.Time
	SchoolCode *string
}

// OrganizationImportRow is one staged organization. A nil field is an empty (or invalid)
// cell; so for every row type below.
type OrganizationImportRow struct {
	Line                                                    int
	Code, Name, Kind, Type, RegionCode, Address, PostalCode *string
}

// PersonImportRow is one staged person, its identifiers already protected.
type PersonImportRow struct {
	Line                              int
	IDHash, IDCipher                  []byte
	IDMasked                          *string
	Name, Gender                      *string
	BirthDate                         *time.Time
	PhoneHash, PhoneCipher            []byte
	PhoneMasked                       *string
	GuardianName                      *string
	GuardianPhoneHash, GuardianCipher []byte
	GuardianPhoneMasked               *string
	// GuardianConsentOn, when set, is the date a guardian consented: the import records a
	// consent with that date unless the person has one already, and makes them granted.
	GuardianConsentOn *time.Time
}

// ParticipationImportRow is one staged participation. Category is a code or a Chinese name.
type ParticipationImportRow struct {
	Line                                                                        int
	IDHash                                                                      []byte
	Edition, SchoolCode, Category, Grade, TeacherRole, Status, Mentor, InstCode *string
}

// AwardImportRow is one staged award.
type AwardImportRow struct {
	Line                     int
	Person                   ImportPersonRef
	Competition, Level, Rank *string
	AwardedOn                *time.Time
	Organizer                *string
}

// DestinationImportRow is one staged destination.
type DestinationImportRow struct {
	Line                 int
	Person               ImportPersonRef
	Type, OrgName, Major *string
	StartedOn            *time.Time
}

// CareerMoveImportRow is one staged career move.
type CareerMoveImportRow struct {
	Line                                      int
	Person                                    ImportPersonRef
	OrgCode, OrgName, Position, Title, Reason *string
	StartedOn                                 *time.Time
}

// FollowUpImportRow is one staged follow-up.
type FollowUpImportRow struct {
	Line             int
	Person           ImportPersonRef
	ContactedOn      *time.Time
	Channel, Outcome *string
	Notes            *string
}

// ImportBatch is one file's rows of one kind, ready to stage. Only the slice of the
// batch's Kind is read.
type ImportBatch struct {
	Kind string
	// Present holds the contract keys of the columns the file has: an absent column leaves
	// stored values alone, a present one (even empty) replaces them.
	Present map[string]bool
	// Invalid says the rows already failed validation: stage and check them (to report every
	// error) but never write.
	Invalid bool
	// DryRun runs everything and rolls back.
	DryRun bool
	// Rows is the number of data rows read from the file.
	Rows int

	// SchoolID, when not 0, restricts the file to one school (a school operator's
	// upload): every row must concern that school, new persons are recorded as its own,
	// and nothing outside it is created (organizations, mentors).
	SchoolID int64

	// What the imports table and the audit log record.
	FileName   string
	SHA256     []byte
	UploadedBy string
	Actor      string
	// IdempotencyKey, when not empty, is recorded with the run; a second run with the
	// same UploadedBy and key fails with a *ConstraintError on imports_idempotency_key.
	IdempotencyKey string

	// Parse, when not nil, fills the kind's rows (allocated, Rows of them) while Import
	// stages them, so that reading the file and the staging COPY overlap: it calls
	// ready(from, to) once rows from…to-1 are complete — ranges in any order, not
	// overlapping, covering every row — and returns whether a row failed validation
	// (Invalid then holds too). Import has waited for it to return before it checks the
	// rows, summarizes or returns, whatever happens.
	Parse func(ready func(from, to int)) (invalid bool)

	Organizations  []OrganizationImportRow
	Persons        []PersonImportRow
	Participations []ParticipationImportRow
	Awards         []AwardImportRow
	Destinations   []DestinationImportRow
	CareerMoves    []CareerMoveImportRow
	FollowUps      []FollowUpImportRow
}

// ImportResult is what an import did (or, rolled back, would have done).
type ImportResult struct {
	Issues    []ImportIssue
	Inserted  int
	Updated   int
	Unchanged int
	// Applied: the rows were written and committed.
	Applied bool
	// ImportID is the id of the imports row recorded for this run (0 if none).
	ImportID int64
	// Flagged is the number of pairs of persons the run put on the identity review queue
	// (docs/identity.md).
	Flagged int
}

// valid reports whether the batch would be (or was) applied: no issue, no invalid row.
func (r ImportResult) valid(b *ImportBatch) bool { return len(r.Issues) == 0 && !b.Invalid }

// Import stages the batch in a temporary table with COPY, lets the database find every
// reference problem and duplicate key, and — only when there is none and the batch is
// neither invalid nor a dry run — applies it set-based in the same transaction, recording
// the run (imports row and audit row) before committing. Otherwise the transaction is
// rolled back and the run recorded in a separate small write. summarize turns the result
// into the JSON summary stored with the run.
func (s *Store) Import(ctx context.Context, b ImportBatch, summarize func(ImportResult) ([]byte, error)) (ImportResult, error) {
	spec, ok := importSpecs[b.Kind]
	if !ok {
		return ImportResult{}, fmt.Errorf("store: import: unknown kind %q", b.Kind)
	}
	var res ImportResult
	errRollback := errors.New("rollback")
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, spec.create); err != nil {
			return fmt.Errorf("create staging table: %w", err)
		}
		var src pgx.CopyFromSource
		var parsed *parsedRows
		if b.Parse != nil {
			parsed = startParse(&b, &spec)
			defer parsed.wait()
			src = parsed
		} else {
			src = pgx.CopyFromRows(spec.rows(&b))
		}
		staged, err := tx.CopyFrom(ctx, pgx.Identifier{"import_stage"}, spec.columns, src)
		if err != nil {
			return fmt.Errorf("copy rows: %w", err)
		}
		if parsed != nil && parsed.wait() {
			b.Invalid = true
		}
		if spec.analyze {
			// temporary tables are never auto-analyzed; the joins below need row estimates
			if _, err := tx.Exec(ctx, importAnalyze); err != nil {
				return fmt.Errorf("analyze staging table: %w", err)
			}
		}
		for _, q := range spec.resolve {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("resolve references: %w", err)
			}
		}
		var issues []ImportIssue
		if spec.check != nil {
			issues = spec.check(&b)
		}
		if spec.issues != "" {
			more, err := importIssues(ctx, tx, spec.issues)
			if err != nil {
				return err
			}
			issues = append(issues, more...)
		}
		if b.SchoolID != 0 && spec.schoolIssues != "" {
			more, err := importIssues(ctx, tx, spec.schoolIssues, b.SchoolID)
			if err != nil {
				return err
			}
			issues = append(issues, more...)
		}
		res.Issues = issues
		if !res.valid(&b) {
			return errRollback
		}
		for _, q := range spec.prepare {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("prepare rows: %w", err)
			}
		}
		var args []any
		if spec.upsert.useActor {
			args = append(args, b.Actor)
		}
		if spec.upsert.useSchool {
			var school *int64
			if b.SchoolID != 0 {
				school = &b.SchoolID
			}
			args = append(args, school)
		}
		var writtenIDs, writtenSchools []int64
		dest := []any{&res.Inserted, &res.Updated}
		if spec.upsert.written {
			dest = append(dest, &writtenIDs, &writtenSchools)
		}
		if err := tx.QueryRow(ctx, spec.upsert.build(b.Present), args...).Scan(dest...); err != nil {
			return fmt.Errorf("upsert rows: %w", err)
		}
		res.Unchanged = int(staged) - res.Inserted - res.Updated
		for _, q := range spec.after {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("follow-on updates: %w", err)
			}
		}
		switch {
		case spec.upsert.written && len(writtenIDs) > 0:
			if res.Flagged, err = s.flagSimilar(ctx, tx, spec.similar, writtenIDs, writtenSchools); err != nil {
				return err
			}
		case !spec.upsert.written && spec.similar != "":
			if res.Flagged, err = s.flagSimilar(ctx, tx, spec.similar); err != nil {
				return err
			}
		}
		// after the identity check, which compares the persons this transaction wrote: a
		// consent recorded for an otherwise unchanged person is no reason to compare them
		if spec.record != nil {
			n, err := spec.record(ctx, tx, b.Actor)
			if err != nil {
				return fmt.Errorf("follow-on records: %w", err)
			}
			res.Updated, res.Unchanged = res.Updated+n, res.Unchanged-n
		}
		if b.DryRun {
			return errRollback
		}
		res.Applied = true
		summary, err := summarize(res)
		if err != nil {
			return err
		}
		res.ImportID, err = s.importRecord(ctx, tx, &b, &res, summary)
		return err
	})
	if err != nil && !errors.Is(err, errRollback) {
		return ImportResult{}, importErr(b.Kind, err)
	}
	if res.Applied {
		return res, nil
	}
	summary, err := summarize(res)
	if err != nil {
		return res, err
	}
	if res.ImportID, err = s.importRecord(ctx, s.scoped(), &b, &res, summary); err != nil {
		return res, importErr(b.Kind, err)
	}
	return res, nil
}

// parsedRows is the staging COPY's source while ImportBatch.Parse fills the rows: each
// range it reports complete becomes the kind's staging rows (importSpec.rows of that
// window of the batch), in the order the ranges come.
type parsedRows struct {
	b        *ImportBatch
	spec     *importSpec
	ready    chan [2]int
	done     chan struct{}
	invalid  bool
	panicked any // what the parse panicked with, raised again by wait on the caller's goroutine
	rows     [][]any
	i        int
}

// startParse runs b.Parse on a goroutine of its own.
func startParse(b *ImportBatch, spec *importSpec) *parsedRows {
	p := &parsedRows{b: b, spec: spec, ready: make(chan [2]int, 16), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		defer close(p.ready)
		defer func() { p.panicked = recover() }()
		p.invalid = b.Parse(func(from, to int) { p.ready <- [2]int{from, to} })
	}()
	return p
}

// wait lets the parse run to its end (draining what the COPY did not take, when it
// stopped early) and returns whether a row failed validation. A parse that panicked
// panics here, on the goroutine of the import's caller (whose handler recovers it, and
// whose transaction rolls back), not on a goroutine nothing recovers.
func (p *parsedRows) wait() bool {
	for range p.ready {
	}
	<-p.done
	if r := p.panicked; r != nil {
		p.panicked = nil // once: wait is deferred too
		panic(r)
	}
	return p.invalid
}

func (p *parsedRows) Next() bool {
	for p.i >= len(p.rows) {
		r, ok := <-p.ready
		if !ok {
			return false
		}
		w := p.b.window(r[0], r[1])
		p.rows, p.i = p.spec.rows(&w), 0
	}
	p.i++
	return true
}

func (p *parsedRows) Values() ([]any, error) { return p.rows[p.i-1], nil }

func (p *parsedRows) Err() error { return nil }

// window is b with the rows of its kind from…to-1 only.
func (b *ImportBatch) window(from, to int) ImportBatch {
	w := *b
	w.Organizations = rowsWindow(w.Organizations, from, to)
	w.Persons = rowsWindow(w.Persons, from, to)
	w.Participations = rowsWindow(w.Participations, from, to)
	w.Awards = rowsWindow(w.Awards, from, to)
	w.Destinations = rowsWindow(w.Destinations, from, to)
	w.CareerMoves = rowsWindow(w.CareerMoves, from, to)
	w.FollowUps = rowsWindow(w.FollowUps, from, to)
	return w
}

// rowsWindow is rows[from:to], or nil for the kinds a batch does not hold.
func rowsWindow[T any](rows []T, from, to int) []T {
	if rows == nil {
		return nil
	}
	return rows[from:to]
}

// ImportRecordFailed records a run that never reached the database checks (an unreadable
// or oversized file) with its summary.
func (s *Store) ImportRecordFailed(ctx context.Context, b ImportBatch, summary []byte) (int64, error) {
	id, err := s.importRecord(ctx, s.scoped(), &b, &ImportResult{}, summary)
	if err != nil {
		return 0, importErr("record", err)
	}
	return id, nil
}

// ErrImportKeyUsed: the uploader already recorded a run under the batch's idempotency
// key (a concurrent request with the same key won the race). Nothing was written.
var ErrImportKeyUsed = errors.New("store: import: idempotency key already used")

// importErr wraps an import failure, telling a used idempotency key apart.
func importErr(what string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "imports_idempotency_key" {
		return ErrImportKeyUsed
	}
	return fmt.Errorf("store: import %s: %w", what, err)
}

// importRecord writes the imports row and, for an applied run, its audit row.
func (s *Store) importRecord(ctx context.Context, dbtx db.DBTX, b *ImportBatch, res *ImportResult, summary []byte) (int64, error) {
	sha := b.SHA256
	if sha == nil {
		sha = []byte{}
	}
	id, err := s.q.ImportInsert(ctx, dbtx, db.ImportInsertParams{
		Kind: b.Kind, FileName: nilIfEmpty(b.FileName), FileSha256: sha,
		UploadedBy: nilIfEmpty(b.UploadedBy), IdempotencyKey: nilIfEmpty(b.IdempotencyKey),
		DryRun: b.DryRun, Applied: res.Applied, Summary: summary,
	})
	if err != nil {
		return 0, fmt.Errorf("insert imports row: %w", err)
	}
	if !res.Applied {
		return id, nil
	}
	after, err := json.Marshal(map[string]any{
		"rows": b.Rows, "inserted": res.Inserted, "updated": res.Updated, "unchanged": res.Unchanged,
		"file_name": b.FileName,
	})
	if err != nil {
		return 0, err
	}
	entityID := strconv.FormatInt(id, 10)
	rowCount := int32(b.Rows)
	actor := b.Actor
	if actor == "" {
		actor = "unknown"
	}
	err = s.q.AuditInsert(ctx, dbtx, db.AuditInsertParams{
		Actor: actor, Action: "import", Entity: b.Kind, EntityID: &entityID, After: after, RowCount: &rowCount,
	})
	if err != nil {
		return 0, fmt.Errorf("insert audit row: %w", err)
	}
	return id, nil
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// importIssues runs a kind's issue query: rows of (line, column, code, detail).
func importIssues(ctx context.Context, tx pgx.Tx, q string, args ...any) ([]ImportIssue, error) {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("check rows: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ImportIssue, error) {
		var is ImportIssue
		var line int32
		err := r.Scan(&line, &is.Column, &is.Code, &is.Detail)
		is.Line = int(line)
		return is, err
	})
	if err != nil {
		return nil, fmt.Errorf("check rows: %w", err)
	}
	return out, nil
}

// ImportCategory is a category as the import templates list it.
type ImportCategory struct {
	Code    string
	Program string
	NameZh  string
}

// ImportCategories lists the categories in their display order.
func (s *Store) ImportCategories(ctx context.Context) ([]ImportCategory, error) {
	rows, err := s.q.ImportCategoryList(ctx, s.scoped())
	if err != nil {
		return nil, mapErr("list categories", err)
	}
	out := make([]ImportCategory, len(rows))
	for i, r := range rows {
		out[i] = ImportCategory{Code: r.Code, Program: r.Program, NameZh: r.NameZh}
	}
	return out, nil
}
