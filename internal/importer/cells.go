package importer

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/edition"
	"talentdb/internal/identity"
	"talentdb/internal/store"
	"talentdb/internal/tracking"
)

// Messages shared by several checks.
const (
	msgFormula  = "公式单元格不能导入 / formula cells are not accepted"
	msgRequired = "必填 / required"
)

// cellState says what a cell holds.
type cellState int

const (
	cellEmpty cellState = iota // absent column or empty cell
	cellValue                  // a value to parse
	cellBad                    // an error was already reported for it
)

// rowCtx parses the cells of one row, collecting its errors.
type rowCtx struct {
	m     *mapping
	t     *table
	r     *row
	today time.Time // China's date of the run
	errs  []RowError
}

func (c *rowCtx) fail(key, msg string) {
	c.errs = append(c.errs, RowError{Row: c.r.line, Column: key, Error: msg})
}

// get returns the trimmed cell of a column.
func (c *rowCtx) get(key string) (string, cellState) {
	i, ok := c.m.index[key]
	if !ok || i >= len(c.r.cells) {
		return "", cellEmpty
	}
	if c.r.formula[i] {
		c.fail(key, msgFormula)
		return "", cellBad
	}
	if c.r.cells[i] == "" {
		return "", cellEmpty
	}
	return c.r.cells[i], cellValue
}

// peek says what a cell holds without reporting anything.
func (c *rowCtx) peek(key string) cellState {
	i, ok := c.m.index[key]
	switch {
	case !ok || i >= len(c.r.cells):
		return cellEmpty
	case c.r.formula[i]:
		return cellBad
	case c.r.cells[i] == "":
		return cellEmpty
	}
	return cellValue
}

// required reports a missing value of a required column present in the file (a missing
// column was reported once, on the header).
func (c *rowCtx) required(key string, st cellState) {
	if st == cellEmpty && c.m.present[key] {
		c.fail(key, msgRequired)
	}
}

func (c *rowCtx) col(key string) *column { return c.m.spec.column(key) }

// value reads a cell of the row's column key: its text, false when it holds none (a
// missing value of a required column reported).
func (c *rowCtx) value(key string) (string, bool) {
	v, st := c.get(key)
	if st != cellValue {
		if c.col(key).Required {
			c.required(key, st)
		}
		return "", false
	}
	return v, true
}

// text reads a free-text cell.
func (c *rowCtx) text(key string) *string {
	v, ok := c.value(key)
	if !ok {
		return nil
	}
	if col := c.col(key); col.MaxLen > 0 && utf8.RuneCountInString(v) > col.MaxLen {
		c.fail(key, fmt.Sprintf("内容过长（最多 %d 字）/ text too long (at most %d characters)", col.MaxLen, col.MaxLen))
		return nil
	}
	return &v
}

// textAs reads a text cell that accept must take (and may normalise); msg is the row's
// error when it does not.
func (c *rowCtx) textAs(key, msg string, accept func(v string) (string, bool)) *string {
	p := c.text(key)
	if p == nil {
		return nil
	}
	v, ok := accept(*p)
	if !ok {
		c.fail(key, msg)
		return nil
	}
	return &v
}

// code reads an identifier: no spaces inside.
func (c *rowCtx) code(key string) *string {
	return c.textAs(key, "代码不能包含空格 / a code must not contain spaces", func(v string) (string, bool) {
		return v, strings.IndexFunc(v, unicode.IsSpace) < 0
	})
}

// enum reads a value of an enumeration, given by key or Chinese label.
func (c *rowCtx) enum(key string) *string {
	v, ok := c.value(key)
	if !ok {
		return nil
	}
	col := c.col(key)
	k, ok := col.Enum.Parse(v)
	if !ok {
		c.fail(key, fmt.Sprintf("取值“%s”无效，可选：%s / invalid value %q", v, col.Enum.Allowed(), v))
		return nil
	}
	return &k
}

var digits6 = regexp.MustCompile(`^[0-9]{6}$`)

// digits6 reads a six-digit code (region, postal code).
func (c *rowCtx) digits6(key string) *string {
	return c.textAs(key, "应为 6 位数字 / must be 6 digits", func(v string) (string, bool) {
		v = strings.TrimSuffix(v, ".0") // a number cell of an XLSX
		return v, digits6.MatchString(v)
	})
}

// editionID reads an edition ID, PROGRAM-YEAR.
func (c *rowCtx) editionID(key string) *string {
	return c.textAs(key, "年度应为 计划-年份，如 jingke-2023、jindaoshi-2023 / edition must be PROGRAM-YEAR, e.g. jingke-2023",
		func(v string) (string, bool) {
			id, err := edition.ParseID(strings.ToLower(v))
			return id.String(), err == nil
		})
}

var (
	dateText = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?Z?)?$`)
	minDate  = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate  = time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)
)

const msgDate = "日期应为 YYYY-MM-DD（如 2023-09-01）/ date must be YYYY-MM-DD"

// date reads a civil date: YYYY-MM-DD (also YYYY/M/D, YYYY年M月D日) or, in an XLSX, a date
// cell whatever its display format (an Excel serial number).
func (c *rowCtx) date(key string) *time.Time {
	v, ok := c.value(key)
	if !ok {
		return nil
	}
	d, err := parseDate(v, c.t.xlsx, c.t.date1904)
	if err != nil {
		c.fail(key, err.Error())
		return nil
	}
	return &d
}

// pastDate reads a date that records something done (an award, a contact, a guardian's
// consent): the API's rule applies, tracking.CheckDate with its words — not after today
// (China's date) and, when the row gives the person's birth date (birth, nil when it
// does not), not before it.
func (c *rowCtx) pastDate(key string, birth *time.Time) *time.Time {
	d := c.date(key)
	if d == nil {
		return nil
	}
	var p store.TrackedPerson
	if birth != nil {
		p.BirthDate = *birth
	}
	if err := tracking.CheckDate(key, *d, p, c.today); err != nil {
		msg := err.Error()
		if re, ok := tracking.IsRule(err); ok {
			msg = re.Message
		}
		c.fail(key, msg)
		return nil
	}
	return d
}

func parseDate(v string, xlsx, date1904 bool) (time.Time, error) {
	var d time.Time
	if m := dateText.FindStringSubmatch(v); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		day, _ := strconv.Atoi(m[3])
		d = time.Date(y, time.Month(mo), day, 0, 0, 0, 0, time.UTC)
		if d.Year() != y || int(d.Month()) != mo || d.Day() != day {
			return time.Time{}, fmt.Errorf("日期“%s”不存在 / %q is not a valid date", v, v)
		}
	} else if f, err := strconv.ParseFloat(v, 64); xlsx && err == nil && f >= 1 && f < 2958466 {
		t, err := excelize.ExcelDateToTime(math.Floor(f+1e-9), date1904)
		if err != nil {
			return time.Time{}, errors.New(msgDate)
		}
		d = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	} else {
		return time.Time{}, errors.New(msgDate)
	}
	if d.Before(minDate) || d.After(maxDate) {
		return time.Time{}, errors.New("日期超出 1900-01-01 至 2100-12-31 的范围 / date outside 1900-01-01 … 2100-12-31")
	}
	return d, nil
}

// idNumber reads and validates a resident identity number.
func (c *rowCtx) idNumber(key string, required bool) (identity.IDNumber, cellState) {
	v, st := c.get(key)
	if st != cellValue {
		if required {
			c.required(key, st)
		}
		return identity.IDNumber{}, st
	}
	id, err := identity.ParseIDNumber(v)
	if err != nil {
		c.fail(key, idMessage(v, err))
		return identity.IDNumber{}, cellBad
	}
	return id, cellValue
}

func idMessage(v string, err error) string {
	switch {
	case strings.ContainsAny(v, "Ee") && strings.Contains(v, "+"):
		return "身份证号被存成了数字，请把该列设为文本格式后重新填写 / the identity number was stored as a number; format the column as text and enter it again"
	case errors.Is(err, identity.ErrIDLength):
		return "身份证号应为 18 位 / identity number must have 18 characters"
	case errors.Is(err, identity.ErrIDChars):
		return "身份证号应为 17 位数字加 1 位数字或 X / identity number must be 17 digits followed by a digit or X"
	case errors.Is(err, identity.ErrIDChecksum):
		return "身份证号校验位错误 / identity number check digit does not match"
	case errors.Is(err, identity.ErrIDBirthDate):
		return "身份证号中的出生日期无效 / identity number does not contain a valid birth date"
	}
	return "身份证号无效 / invalid identity number"
}

// phone reads and normalises a phone number.
func (c *rowCtx) phone(key string) (string, bool) {
	v, st := c.get(key)
	if st != cellValue {
		return "", false
	}
	p, err := identity.NormalizePhone(strings.TrimSuffix(v, ".0"))
	if err != nil {
		c.fail(key, "电话号码格式错误（应为 7 至 15 位数字）/ invalid phone number (7 to 15 digits)")
		return "", false
	}
	return p, true
}

// checkChar is identity.CheckChar, named here for the template's example number.
var checkChar = identity.CheckChar
