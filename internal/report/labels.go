package report

import "talentdb/internal/vocab"

// dimensionLabels are the Chinese names of the annual report's participant objects, for
// the XLSX exports. The labels of the keys inside them are vocab's.
var dimensionLabels = map[string]string{"by_status": "状态", "by_region": "区域", "by_category": "项目类别",
	"by_grade_band": "学段", "by_gender": "性别"}

// label returns the Chinese label of key in e, or key itself (when e is nil, as for region
// codes, or does not know key).
func label(e *vocab.Enum, key string) string {
	if e == nil {
		return key
	}
	return e.Zh(key)
}
