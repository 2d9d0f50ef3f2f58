package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"talentdb/internal/auth"
	"talentdb/internal/doortest"
	"talentdb/internal/vocab"
)

// mapChart is the data-chart of a page's map, as charts.js reads it.
type mapChart struct {
	Type   string   `json:"type"`
	X      []string `json:"x"`
	Series []struct {
		Name    string     `json:"name"`
		Data    []*float64 `json:"data"`
		Percent bool       `json:"percent"`
	} `json:"series"`
	Map struct {
		Name   string            `json:"name"`
		URL    string            `json:"url"`
		City   string            `json:"city"`
		Names  map[string]string `json:"names"`
		Pieces []mapPiece        `json:"pieces"`
	} `json:"map"`
}

// mapPiece is one class of a map's colour scale: Min … Max (nil: and above).
type mapPiece struct {
	Min   float64  `json:"min"`
	Max   *float64 `json:"max"`
	Label string   `json:"label"`
}

// pieceOf is the index of the class of the scale that holds v (-1: none), failing the test
// unless the classes rise without gaps or overlaps and only the last is open.
func pieceOf(t *testing.T, ps []mapPiece, v float64) int {
	t.Helper()
	for i, p := range ps {
		if i > 0 && (ps[i-1].Max == nil || p.Min != *ps[i-1].Max+1) {
			t.Fatalf("the scale's classes do not follow each other: %+v", ps)
		}
		if (p.Max == nil) != (i == len(ps)-1) || p.Label == "" {
			t.Fatalf("the scale's class %d: %+v", i, p)
		}
	}
	for i, p := range ps {
		if v >= p.Min && (p.Max == nil || v <= *p.Max) {
			return i
		}
	}
	return -1
}

var mapAttr = regexp.MustCompile(`id="chart-map" role="img" aria-label="[^"]*" data-chart="([^"]*)"`)

// mapOf decodes the page's map chart.
func mapOf(t *testing.T, body string) mapChart {
	t.Helper()
	m := mapAttr.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page has no map")
	}
	var c mapChart
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &c); err != nil {
		t.Fatalf("map data: %v", err)
	}
	return c
}

// geoJSON is a map file as the app serves it.
type geoJSON struct {
	Type     string `json:"type"`
	Features []struct {
		Properties struct{ Name, City string } `json:"properties"`
		Geometry   struct {
			Type        string          `json:"type"`
			Coordinates [][][][]float64 `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

// TestProvinceMap: the office's dashboard draws Sichuan by city — every city a feature of
// the served GeoJSON, named in the page language, coloured by its participants — and the
// county map holds every county of the list with its city.
func TestProvinceMap(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c := f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{}))
	body := c.get("/dashboard", http.StatusOK)
	m := mapOf(t, body)
	if m.Type != "map" || m.Map.Name != "sichuan" || !strings.HasPrefix(m.Map.URL, "/static/vendor/sichuan-cities.json?v=") ||
		len(m.X) != 21 || len(m.Series) != 2 || !m.Series[1].Percent || m.Map.Names["510100"] != "成都市" {
		t.Fatalf("province map %+v", m)
	}
	chengdu := slices.Index(m.X, "510100")
	if v := m.Series[0].Data[chengdu]; v == nil || *v < 1 {
		t.Errorf("Chengdu's participants on the map: %v", v)
	}
	contains(t, body, `id="map-table"`)
	// the colour scale is by quantiles: Chengdu is the darkest class, the city with the
	// fewest participants the palest, and the cities in between are told apart
	var low, distinct = -1, map[float64]bool{}
	for i, v := range m.Series[0].Data {
		if v == nil {
			continue
		}
		distinct[*v] = true
		if pieceOf(t, m.Map.Pieces, *v) < 0 {
			t.Errorf("%s's %v participants are in no class of %+v", m.X[i], *v, m.Map.Pieces)
		}
		if low < 0 || *v < *m.Series[0].Data[low] {
			low = i
		}
	}
	if len(distinct) >= 5 && len(m.Map.Pieces) < 4 {
		t.Errorf("%d different counts in %d classes: %+v", len(distinct), len(m.Map.Pieces), m.Map.Pieces)
	}
	if got := pieceOf(t, m.Map.Pieces, *m.Series[0].Data[chengdu]); got != len(m.Map.Pieces)-1 {
		t.Errorf("Chengdu is in class %d of %d", got, len(m.Map.Pieces))
	}
	if pieceOf(t, m.Map.Pieces, *m.Series[0].Data[low]) != 0 {
		t.Errorf("the city with the fewest participants (%s) is not in the palest class", m.X[low])
	}

	var cities geoJSON
	res := c.do("GET", m.Map.URL, nil)
	if res.Code != http.StatusOK || !strings.HasPrefix(res.Header().Get("Content-Type"), "application/json") ||
		!strings.Contains(res.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("cities map: %d %s", res.Code, res.Header().Get("Content-Type"))
	}
	if err := json.Unmarshal(res.Body.Bytes(), &cities); err != nil || cities.Type != "FeatureCollection" {
		t.Fatalf("cities map: %v", err)
	}
	var names []string
	for _, ft := range cities.Features {
		names = append(names, ft.Properties.Name)
		if ft.Geometry.Type != "MultiPolygon" || len(ft.Geometry.Coordinates) == 0 {
			t.Errorf("city %s: %s", ft.Properties.Name, ft.Geometry.Type)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, m.X) {
		t.Errorf("the map's cities %v, the chart's %v", names, m.X)
	}

	var counties geoJSON
	res = c.do("GET", "/static/vendor/sichuan-counties.json", nil)
	if err := json.Unmarshal(res.Body.Bytes(), &counties); err != nil || len(counties.Features) != len(vocab.Counties) {
		t.Fatalf("counties map: %d features, %v", len(counties.Features), err)
	}
	for _, ft := range counties.Features {
		if cy, ok := vocab.CountyOf(ft.Properties.Name); !ok || cy.City != ft.Properties.City {
			t.Errorf("county feature %+v", ft.Properties)
		}
	}

	// English: the same map, names in English
	c.lang = "en"
	if en := mapOf(t, c.get("/dashboard", http.StatusOK)); en.Map.Names["510100"] != "Chengdu" {
		t.Errorf("English map names: %v", en.Map.Names)
	}
}

// TestCityCoordinator: a city coordinator's dashboard shows their city only, with its map by
// district, its districts named and its schools; another city's school page is 403 "no
// access", their own city's opens.
func TestCityCoordinator(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	code, _, _, _ := f.dueSchool()
	var region, city, name, other string
	if err := f.st.Pool.QueryRow(ctx, `SELECT region_code, city_code, name FROM organizations WHERE code = $1`,
		code).Scan(&region, &city, &name); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Pool.QueryRow(ctx, `SELECT code FROM organizations WHERE kind = 'school' AND city_code <> $1
		ORDER BY id LIMIT 1`, city).Scan(&other); err != nil {
		t.Fatal(err)
	}
	county, ok := vocab.CountyOf(region)
	if !ok {
		t.Fatalf("the seed's school %s is in %s, not a listed county", code, region)
	}
	c := f.login(f.user(auth.RoleCityCoordinator, auth.NewUser{CityCode: city}))
	body := c.get("/dashboard", http.StatusOK)
	contains(t, body, `id="h-districts"`, `id="district-table"`, `id="school-table"`,
		`<th scope="row">`+county.Name+`</th>`, `<a href="/school?school=`+code+`">`+html.EscapeString(name)+`</a>`)
	for _, notHere := range []string{`id="chart-cities"`, `id="chart-coverage"`, `id="map-table"`} {
		if strings.Contains(body, notHere) {
			t.Errorf("a city coordinator's dashboard has the province's %s", notHere)
		}
	}
	for _, n := range doortest.Strings(t, f.st, `SELECT name_zh FROM regions WHERE level = 2 AND code <> $1`, city) {
		if strings.Contains(body, `<th scope="row">`+n+`</th>`) {
			t.Errorf("a row of another city: %s", n)
		}
	}
	m := mapOf(t, body)
	var want []string
	for _, cy := range vocab.Counties {
		if cy.City == city {
			want = append(want, cy.Code)
		}
	}
	if m.Map.City != city || !strings.HasPrefix(m.Map.URL, "/static/vendor/sichuan-counties.json?v=") ||
		!slices.Equal(m.X, want) || m.Map.Names[region] != county.Name || len(m.Series) != 2 {
		t.Fatalf("city map %+v", m)
	}
	if v := m.Series[0].Data[slices.Index(m.X, region)]; v == nil || *v < 1 {
		t.Errorf("%s's alumni on the map: %v", county.Name, v)
	}
	if v := m.Series[0].Data[slices.Index(m.X, region)]; v != nil && pieceOf(t, m.Map.Pieces, *v) < 0 {
		t.Errorf("%s's alumni are in no class of %+v", county.Name, m.Map.Pieces)
	}

	// in English the districts are named in English, on the tables and on the map
	c.lang = "en"
	body = c.get("/dashboard", http.StatusOK)
	contains(t, body, `<th scope="row">`+county.NameEn+`</th>`)
	han := regexp.MustCompile(`\p{Han}`)
	districts := regexp.MustCompile(`(?s)id="district-table".*?</table>`).FindString(body)
	for _, th := range regexp.MustCompile(`<th scope="row">([^<]*)</th>`).FindAllStringSubmatch(districts, -1) {
		if han.MatchString(th[1]) {
			t.Errorf("a district named in Chinese on the English page: %s", th[1])
		}
	}
	for code, n := range mapOf(t, body).Map.Names {
		if han.MatchString(n) {
			t.Errorf("the English map names %s %s", code, n)
		}
	}
	if mapOf(t, body).Map.Names[region] != county.NameEn {
		t.Errorf("the English map names %s %q, want %q", region, mapOf(t, body).Map.Names[region], county.NameEn)
	}
	c.lang = ""

	c.get("/school?school="+code, http.StatusOK)
	for _, path := range []string{"/school?school=" + other, "/school/due/export?school=" + other} {
		page := c.get(path, http.StatusForbidden)
		contains(t, page, "无权查看：该学校不在您负责的市（州）。")
	}
	// the office still opens every school
	f.login(f.user(auth.RoleOfficeAnalyst, auth.NewUser{})).get("/school?school="+other, http.StatusOK)
}
