package report

import (
	"context"
	"fmt"
	"strings"

	"talentdb/internal/store"
)

// Cut narrows a cohort or annual report (and the cohort comparison) to part of the
// province: the participations nominated by a school, by the schools of a city, in a
// category, of a program. The zero Cut is the whole province. docs/reports.md says what
// each report keeps under a cut.
type Cut struct {
	// Region is a city code, or a county code that selects its city; echoed as given.
	Region string `json:"region,omitempty"`
	// School is an organization code.
	School string `json:"school,omitempty"`
	// Category is a category code (reference/categories.csv).
	Category string `json:"category,omitempty"`
	// Program is jingke or jindaoshi; the annual report only.
	Program string `json:"program,omitempty"`
}

// IsZero reports whether the cut narrows nothing.
func (c Cut) IsZero() bool { return c == Cut{} }

// echo is the cut as the report's JSON repeats it: nil (no key) when there is none.
func (c Cut) echo() *Cut {
	if c.IsZero() {
		return nil
	}
	return &c
}

// ParamError is a report parameter the report refuses: which one, the rule it breaks
// (format, exists, range, required) and a message in Chinese and English. It matches
// ErrInvalid, or store.ErrNotFound for an unknown school, region, category or edition.
type ParamError struct {
	Param   string
	Rule    string
	Message string
	kind    error
}

func (e *ParamError) Error() string { return e.Message }

// Unwrap lets errors.Is see ErrInvalid or the "unknown" error behind it.
func (e *ParamError) Unwrap() error { return e.kind }

// invalidParam is a ParamError that matches ErrInvalid.
func invalidParam(param, rule, msg string) *ParamError {
	return &ParamError{Param: param, Rule: rule, Message: msg, kind: ErrInvalid}
}

// ErrUnknownCategory: the category code of a cut does not exist.
var ErrUnknownCategory error = &notFoundError{"项目类别不存在 / unknown category"}

// resolve checks the cut and turns it into the store's filter: trims it, checks formats
// (allowProgram false refuses a program), then checks in one query that the school, the
// region's city and the category exist.
func (c *Cut) resolve(ctx context.Context, st *store.Store, allowProgram bool) (store.ReportCut, error) {
	c.Region, c.School = strings.TrimSpace(c.Region), strings.TrimSpace(c.School)
	c.Category, c.Program = strings.TrimSpace(c.Category), strings.TrimSpace(c.Program)
	var sc store.ReportCut
	if c.Program != "" {
		if !allowProgram {
			return sc, invalidParam("program", "unknown_parameter",
				"队列报告的计划由年度决定，不能再按计划切分 / a cohort report's program is its edition's; program cannot cut it")
		}
		if c.Program != "jingke" && c.Program != "jindaoshi" {
			return sc, invalidParam("program", "enum", fmt.Sprintf(
				"计划必须是 jingke 或 jindaoshi：%q / program must be jingke or jindaoshi: %q", c.Program, c.Program))
		}
		sc.Program = &c.Program
	}
	if c.Region != "" {
		if !regionCodeRE.MatchString(c.Region) {
			return sc, invalidParam("region", "format", fmt.Sprintf(
				"区域必须是 6 位行政区划代码：%q / region must be a six-digit code: %q", c.Region, c.Region))
		}
		city := c.Region[:4] + "00"
		sc.CityCode = &city
	}
	if c.School != "" {
		sc.SchoolCode = &c.School
	}
	if c.Category != "" {
		sc.CategoryCode = &c.Category
	}
	if sc.SchoolCode == nil && sc.CityCode == nil && sc.CategoryCode == nil {
		return sc, nil
	}
	schoolOK, regionOK, categoryOK, err := st.ReportCutCheck(ctx, sc)
	if err != nil {
		return sc, fmt.Errorf("report: check cut: %w", err)
	}
	switch {
	case !schoolOK:
		return sc, &ParamError{Param: "school", Rule: "exists", kind: ErrUnknownSchool,
			Message: fmt.Sprintf("%s: %s", ErrUnknownSchool, c.School)}
	case !regionOK:
		return sc, &ParamError{Param: "region", Rule: "exists", kind: ErrUnknownRegion,
			Message: fmt.Sprintf("%s: %s", ErrUnknownRegion, c.Region)}
	case !categoryOK:
		return sc, &ParamError{Param: "category", Rule: "exists", kind: ErrUnknownCategory,
			Message: fmt.Sprintf("%s: %s", ErrUnknownCategory, c.Category)}
	}
	return sc, nil
}
