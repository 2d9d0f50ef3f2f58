package importer

import (
	"fmt"
	"strings"
)

// mapping is where each column of a kind sits in the file.
type mapping struct {
	spec    *kindSpec
	index   map[string]int // contract key → cell index
	present map[string]bool
	width   int          // number of header cells
	blank   map[int]bool // header cells left empty
}

// headers are the header texts of h by the key of the column each names.
func (m *mapping) headers(h row) map[string]string {
	out := make(map[string]string, len(m.index))
	for key, i := range m.index {
		if i < len(h.cells) {
			out[key] = h.cells[i]
		}
	}
	return out
}

// ColumnLabel is the Chinese label of column key of kind ("" when there is none).
func ColumnLabel(kind, key string) string {
	if k, ok := kindSpecs[kind]; ok {
		if c := k.column(key); c != nil {
			return c.Label
		}
	}
	return ""
}

// headerMatch returns the column a header text names: its key (any case) or its Chinese
// label (or an accepted alias).
func (k *kindSpec) headerMatch(text string) *column {
	lower := strings.ToLower(text)
	for i := range k.Columns {
		c := &k.Columns[i]
		if lower == c.Key || text == c.Label {
			return c
		}
		for _, a := range c.Aliases {
			if text == a {
				return c
			}
		}
	}
	return nil
}

// mapHeader matches the header row to the kind's columns: unknown and duplicate columns and
// missing required ones are errors on the header's line.
func mapHeader(spec *kindSpec, h row) (*mapping, []RowError) {
	m := &mapping{spec: spec, index: map[string]int{}, present: map[string]bool{}, width: len(h.cells),
		blank: map[int]bool{}}
	var errs []RowError
	for i, text := range h.cells {
		if h.formula[i] {
			errs = append(errs, RowError{Row: h.line, Column: text, Error: msgFormula})
			continue
		}
		if text == "" {
			m.blank[i] = true
			continue
		}
		c := spec.headerMatch(text)
		if c == nil {
			errs = append(errs, RowError{Row: h.line, Column: text,
				Error: fmt.Sprintf("未知的列“%s” / unknown column %q", text, text)})
			continue
		}
		if j, dup := m.index[c.Key]; dup {
			errs = append(errs, RowError{Row: h.line, Column: c.Key,
				Error: fmt.Sprintf("列重复：与第 %d 列“%s”相同 / duplicate column: same as column %d (%s)",
					j+1, h.cells[j], j+1, h.cells[j])})
			continue
		}
		m.index[c.Key] = i
		m.present[c.Key] = true
	}
	trio := spec.PersonByTrio && m.present["name"] && m.present["birth_date"] && m.present["school_code"]
	for _, c := range spec.Columns {
		if !c.Required || m.present[c.Key] {
			continue
		}
		if c.Key == "id_number" && spec.PersonByTrio {
			if !trio {
				errs = append(errs, RowError{Row: h.line, Column: c.Key,
					Error: "缺少必填列：身份证号（或姓名、出生日期、学校代码三列）/ required column is missing: id_number (or name, birth_date and school_code)"})
			}
			continue
		}
		errs = append(errs, RowError{Row: h.line, Column: c.Key,
			Error: fmt.Sprintf("缺少必填列“%s” / required column %s is missing", c.Label, c.Key)})
	}
	if spec.column("org_code") != nil && !m.present["org_code"] && !m.present["org_name"] {
		errs = append(errs, RowError{Row: h.line, Column: "org_code",
			Error: "缺少列：单位代码或单位名称至少要有一列 / a column org_code or org_name is required"})
	}
	return m, errs
}
