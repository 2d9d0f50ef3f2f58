package report

import (
	"errors"
	"time"

	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Errors the callers map to their own responses (exit status, HTTP status). The three
// "unknown" errors also match store.ErrNotFound.
var (
	// ErrUnknownEdition: the edition of a cohort report does not exist.
	ErrUnknownEdition error = &notFoundError{"年度不存在 / unknown edition"}
	// ErrUnknownSchool: the school code of a follow-up schedule names no organization.
	ErrUnknownSchool error = &notFoundError{"单位代码不存在 / unknown school code"}
	// ErrUnknownRegion: the region code of a follow-up schedule is not in a known city.
	ErrUnknownRegion error = &notFoundError{"行政区划代码不存在 / unknown region code"}
	// ErrInvalid: a parameter is malformed (a year out of range, a region code that is not
	// six digits, an unknown format). Most are a *ParamError naming the parameter.
	ErrInvalid = errors.New("参数无效 / invalid parameter")
)

// notFoundError is a report's own "not found" that still matches store.ErrNotFound.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string        { return e.msg }
func (e *notFoundError) Is(target error) bool { return target == store.ErrNotFound }

// Counts maps a key (a status, a region code, a level …) to a count. The reports only
// ever hold non-zero counts in it, and it is never nil, so that it encodes as {} when empty.
type Counts map[string]Count

// dateLayout is the contract's date format.
const dateLayout = time.DateOnly

// Day returns the calendar date of t (in t's own location) as midnight UTC, the form the
// store and the database expect for a DATE parameter.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func formatDate(t time.Time) string { return vocab.FormatDate(t) }
