package web

import (
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
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

// scalePiece is one class of a map's colour scale: the counts from Min to Max (nil: Min
// and above), with its legend label (numbers only, the same in both languages).
type scalePiece struct {
	Min   float64  `json:"min"`
	Max   *float64 `json:"max,omitempty"`
	Label string   `json:"label"`
}

// mapClasses is how many classes a map's colour scale has at most.
const mapClasses = 5

// quantilePieces splits the counts colouring a map (gaps left out) into at most k classes
// of about as many regions each (quantiles), zero a class of its own: on a linear scale
// Chengdu's count made every other city pale, by quantiles a city with a few people is
// told apart from one with none and from one with many. Classes follow each other without
// gaps (counts are whole numbers) and the last is open, so no count falls outside.
func quantilePieces(vals []*float64, k int) []scalePiece {
	var pos []float64
	zero := false
	for _, v := range vals {
		switch {
		case v == nil:
		case *v <= 0:
			zero = true
		default:
			pos = append(pos, math.Floor(*v))
		}
	}
	slices.Sort(pos)
	var out []scalePiece
	if zero {
		out = append(out, scalePiece{Min: 0, Max: num(0), Label: "0"})
	}
	lo := 1.0
	if len(pos) > 0 && !zero {
		lo = pos[0]
	}
	for i := 1; i <= k && len(pos) > 0; i++ {
		hi := pos[(i*len(pos)+k-1)/k-1] // the class's last count: the i-th k-quantile
		if hi < lo {
			continue // a count shared past a quantile: its class is already made
		}
		label := strconv.FormatFloat(lo, 'f', 0, 64)
		if hi > lo {
			label += "–" + strconv.FormatFloat(hi, 'f', 0, 64)
		}
		out = append(out, scalePiece{Min: lo, Max: num(hi), Label: label})
		lo = hi + 1
	}
	if n := len(out); n > 0 && out[n-1].Min > 0 {
		last := &out[n-1]
		last.Max, last.Label = nil, "≥ "+strconv.FormatFloat(last.Min, 'f', 0, 64)
	}
	return out
}

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
