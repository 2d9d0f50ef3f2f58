package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"talentdb/internal/edition"
	"talentdb/internal/organization"
	"talentdb/internal/vocab"
)

// Names instead of codes: what a page shows where the database holds a key.

// Edition is an edition's title, "菁科计划 2023 年度" (English "Jingke 2023"), for its id
// jingke-2023; an id that does not parse shows as itself.
func (l Lang) Edition(id string) string {
	e, err := edition.ParseID(id)
	if err != nil {
		return id
	}
	if l == langEn {
		name, _, _ := strings.Cut(vocab.Programs.Label(e.Program, vocab.En), " (")
		return name + " " + strconv.Itoa(e.Year)
	}
	return vocab.Programs.Label(e.Program, vocab.Zh) + " " + strconv.Itoa(e.Year) + " 年度"
}

// schoolNames names schools by id for one page, each read once through the organization
// door; a school the caller may not read keeps its code.
type schoolNames struct {
	a     *app
	r     *http.Request
	names map[int64]string
	codes map[string]string
}

func (a *app) schoolNamer(r *http.Request) *schoolNames {
	return &schoolNames{a: a, r: r, names: map[int64]string{}, codes: map[string]string{}}
}

// name is the school's name, or code when it cannot be read.
func (s *schoolNames) name(id int64, code string) string {
	if n, ok := s.names[id]; ok {
		return n
	}
	n := code
	if o, err := s.a.doors.Organizations.Get(s.r.Context(), caller(s.r), id); err == nil {
		n = o.Name
	}
	s.names[id] = n
	return n
}

// byCode is the name of the school with code, or the code when it cannot be read.
func (s *schoolNames) byCode(code string) string {
	s.load(code)
	return s.codes[code]
}

// load reads the names of the schools with codes not read yet, in one door call; a code
// that names no school the caller may read keeps itself as its name.
func (s *schoolNames) load(codes ...string) {
	var missing []string
	for _, c := range codes {
		if _, ok := s.codes[c]; !ok && !slices.Contains(missing, c) {
			missing = append(missing, c)
		}
	}
	if len(missing) == 0 {
		return
	}
	for _, c := range missing {
		s.codes[c] = c
	}
	kind := "school"
	os, err := s.a.doors.Organizations.List(s.r.Context(), caller(s.r),
		organization.Filter{Codes: missing, Kind: &kind, Limit: len(missing)})
	if err != nil {
		return
	}
	for _, o := range os {
		s.codes[o.Code] = o.Name
	}
}

// Field is the label of a record's field key (birth_date → 出生日期), as the forms and
// tables name it; a key without a label shows as itself.
func (l Lang) Field(key string) string { return l.labelOr(key, "field.", "col.", "fieldname.") }

// Entity is the name of an audited entity (award → 获奖); one without a name shows as itself.
func (l Lang) Entity(key string) string { return l.labelOr(key, "entity.") }

// labelOr is the text of the first of prefix+key that has one, else key.
func (l Lang) labelOr(key string, prefixes ...string) string {
	for _, prefix := range prefixes {
		if _, _, ok := text(prefix + key); ok {
			return l.T(prefix + key)
		}
	}
	return key
}
