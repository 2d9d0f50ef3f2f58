package web

import (
	"net/http"
	"sort"
	"strings"

	"talentdb/internal/category"
	"talentdb/internal/edition"
	"talentdb/internal/report"
)

// chart is what a page hands the chart script (assets/charts.js) in a data-chart
// attribute: the kind, the categories on the x axis and the series. The same figures are
// always in a table next to the chart, for screen readers and for print.
type chart struct {
	ID      string   `json:"-"`
	Title   string   `json:"-"`
	Type    string   `json:"type"` // bar, line or map
	X       []string `json:"x"`
	XName   string   `json:"x_name,omitempty"`
	YName   string   `json:"y_name,omitempty"`
	Series  []series `json:"series"`
	Percent bool     `json:"percent,omitempty"` // values are shares 0…1, shown as %
	Stack   bool     `json:"stack,omitempty"`
	Rotate  bool     `json:"rotate,omitempty"` // long category labels: rotate them
	Map     *mapSpec `json:"map,omitempty"`    // a map: X are region codes, series[0] colours them
}

// series is one named line or set of bars; a nil value is a gap.
type series struct {
	Name    string     `json:"name"`
	Data    []*float64 `json:"data"`
	Percent bool       `json:"percent,omitempty"` // this series' values are shares (a map's tooltip)
}

func num(v float64) *float64 { return &v }

// countNum is a report count as a chart value; withheld counts are gaps.
func countNum(c report.Count) *float64 {
	if c.Withheld() {
		return nil
	}
	return num(float64(c))
}

// share is n/d as a chart value, a gap when d is 0 or either is withheld.
func share(n, d report.Count) *float64 {
	if d <= 0 || n.Withheld() {
		return nil
	}
	return num(float64(n) / float64(d))
}

// regionNames maps the province's and cities' codes to their names in the page language.
type regionNames struct {
	codes []string // the cities, by code
	names map[string]string
}

// regions reads the reference table of regions through the report door.
func (a *app) regions(r *http.Request, l Lang) (regionNames, error) {
	rs, err := a.doors.Reports.Regions(r.Context(), caller(r))
	if err != nil {
		return regionNames{}, err
	}
	out := regionNames{names: make(map[string]string, len(rs))}
	for _, rg := range rs {
		name := rg.NameZh
		if l == langEn {
			name = rg.NameEn
			// "Ngawa Tibetan and Qiang Autonomous Prefecture" → "Ngawa", as usually written
			if strings.HasSuffix(name, " Autonomous Prefecture") {
				name, _, _ = strings.Cut(name, " ")
			}
		}
		out.names[rg.Code] = name
		if rg.Level == 2 {
			out.codes = append(out.codes, rg.Code)
		}
	}
	sort.Strings(out.codes)
	return out, nil
}

// name is the region's name, or its code when unknown.
func (n regionNames) name(code string) string {
	if v, ok := n.names[code]; ok {
		return v
	}
	return code
}

// editions lists every edition (at most 500) through the edition door, for the pages
// that pick or compare editions.
func (a *app) editions(r *http.Request) ([]edition.Edition, error) {
	return a.doors.Editions.List(r.Context(), caller(r), edition.Filter{Limit: 500})
}

// categories lists every category (at most 500) through the category door, for the cut
// pickers.
func (a *app) categories(r *http.Request) ([]category.Category, error) {
	return a.doors.Categories.List(r.Context(), caller(r), category.Filter{Limit: 500})
}
