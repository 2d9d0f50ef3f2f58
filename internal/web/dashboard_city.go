package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/organization"
	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// The dashboard's map and a city coordinator's part of it. The office and the analysts see
// the province by city (assets/vendor/sichuan-cities.json); a city coordinator sees only
// their city: its figures, its map by district (sichuan-counties.json) and the follow-up
// league of its districts and schools (report.SchoolLeague for the city). Districts are
// named from vocab's county list; the figures stay beside the map as tables.

// mapSpec tells charts.js which map to draw: the GeoJSON to load (features named by
// region code), the features to keep (those whose "city" is City, for a city by district)
// and the region names in the page's language.
type mapSpec struct {
	Name   string            `json:"name"`
	URL    string            `json:"url"`
	City   string            `json:"city,omitempty"`
	Names  map[string]string `json:"names"`
	Pieces []scalePiece      `json:"pieces,omitempty"` // the colour scale of series 0, by quantiles
}

// leagueRow is one district or school of a city with its follow-up figures.
type leagueRow struct {
	Code, Name, District string
	Schools              int
	report.LeagueLine
}

// cityData is a city coordinator's part of the dashboard.
type cityData struct {
	Name      string
	Row       cityRow
	Districts []leagueRow
	Schools   []leagueRow
}

// coordinatorCity is the city a city coordinator sees, "" for every other role.
func coordinatorCity(r *http.Request) string {
	if p := principal(r); p.Role == auth.RoleCityCoordinator {
		return p.CityCode
	}
	return ""
}

// provinceMap is the province by city: participants (series 0, which colours the map) and
// the follow-up rate, from the rows of the city table.
func (a *app) provinceMap(d *dashboardData, regions regionNames, l Lang) {
	m := chart{ID: "chart-map", Title: l.T("dashboard.map_province"), Type: "map",
		Map: &mapSpec{Name: "sichuan", URL: a.assets.url("vendor/sichuan-cities.json"), Names: map[string]string{}}}
	people := series{Name: l.T("dashboard.persons")}
	rate := series{Name: l.T("dashboard.contact_rate"), Percent: true}
	for i, code := range regions.codes {
		row := d.CityRows[i]
		m.X = append(m.X, code)
		m.Map.Names[code] = row.Name
		people.Data = append(people.Data, countNum(row.People))
		if row.HasCoverage && !row.Rate.Withheld() {
			rate.Data = append(rate.Data, num(float64(row.Rate)))
		} else {
			rate.Data = append(rate.Data, nil)
		}
	}
	m.Series = []series{people, rate}
	m.Map.Pieces = quantilePieces(people.Data, mapClasses)
	d.Map = m
}

// coordinatorFigures fills a city coordinator's part: their city's row, the league of its
// schools summed by district (the district of each school's region code), and the city's map
// by district coloured by alumni.
func (a *app) coordinatorFigures(d *dashboardData, city string, league report.LeagueReport,
	schools []organization.Organization, regions regionNames, l Lang) {
	cd := &cityData{Name: regions.name(city)}
	for _, row := range d.CityRows {
		if row.Code == city {
			cd.Row = row
		}
	}
	districtOf := map[string]string{} // school code → its region code
	schoolsIn := map[string]int{}
	for _, o := range schools {
		districtOf[o.Code] = o.RegionCode
		schoolsIn[o.RegionCode]++
	}
	byDistrict := map[string]*leagueRow{}
	district := func(code string) *leagueRow {
		if r, ok := byDistrict[code]; ok {
			return r
		}
		r := &leagueRow{Code: code, Name: l.District(code), Schools: schoolsIn[code]}
		byDistrict[code] = r
		return r
	}
	for code := range schoolsIn {
		district(code)
	}
	for _, s := range league.Schools {
		code := districtOf[s.SchoolCode]
		if code == "" {
			code = city
		}
		dr := district(code)
		dr.Alumni += s.Alumni
		dr.OptedOut += s.OptedOut
		dr.Scheduled += s.Scheduled
		dr.Contacted += s.Contacted
		dr.Due += s.Due
		dr.Overdue += s.Overdue
		cd.Schools = append(cd.Schools, leagueRow{Code: s.SchoolCode, Name: s.SchoolName, District: dr.Name, LeagueLine: s})
	}
	for _, dr := range byDistrict {
		dr.Rate = ratioOf(dr.Contacted, dr.Scheduled)
		cd.Districts = append(cd.Districts, *dr)
	}
	sort.Slice(cd.Districts, func(i, j int) bool { // the districts by code, the city level last
		a, b := cd.Districts[i].Code, cd.Districts[j].Code
		if (a == city) != (b == city) {
			return b == city
		}
		return a < b
	})
	sort.SliceStable(cd.Schools, func(i, j int) bool { return cd.Schools[i].District < cd.Schools[j].District })

	m := chart{ID: "chart-map", Title: fmt.Sprintf(l.T("dashboard.map_city"), cd.Name), Type: "map",
		Map: &mapSpec{Name: "sichuan-" + city, URL: a.assets.url("vendor/sichuan-counties.json"), City: city,
			Names: map[string]string{}}}
	alumni := series{Name: l.T("dashboard.alumni")}
	rate := series{Name: l.T("dashboard.contact_rate"), Percent: true}
	for _, county := range vocab.Counties {
		if county.City != city {
			continue
		}
		m.X = append(m.X, county.Code)
		m.Map.Names[county.Code] = county.Label(string(l))
		dr, ok := byDistrict[county.Code]
		if !ok || dr.Scheduled == 0 {
			alumni.Data, rate.Data = append(alumni.Data, nil), append(rate.Data, nil)
			continue
		}
		alumni.Data = append(alumni.Data, countNum(dr.Alumni))
		rate.Data = append(rate.Data, num(float64(dr.Rate)))
	}
	m.Series = []series{alumni, rate}
	m.Map.Pieces = quantilePieces(alumni.Data, mapClasses)
	d.Map, d.City = m, cd
}

// ratioOf is n/d, 0 when d is 0 (the league's rule).
func ratioOf(n, d report.Count) report.Ratio {
	if d <= 0 {
		return 0
	}
	return report.Ratio(float64(n) / float64(d))
}

// citySchools lists the schools of a city (every page of the organization door).
func (a *app) citySchools(ctx context.Context, c access.Caller, city string) ([]organization.Organization, error) {
	kind := "school"
	var out []organization.Organization
	var after int64
	for {
		page, err := a.doors.Organizations.List(ctx, c, organization.Filter{Kind: &kind, Region: &city, AfterID: after, Limit: 500})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < 500 {
			return out, nil
		}
		after = page[len(page)-1].ID
	}
}

// District is the name of a county-level region code in the page's language (vocab's
// county list: 锦江区, Jinjiang District); a city's own code is its city level, a code the
// list does not know is shown as a code.
func (l Lang) District(code string) string {
	if c, ok := vocab.CountyOf(code); ok {
		return c.Label(string(l))
	}
	if vocab.IsCity(code) {
		return l.T("dashboard.district_city")
	}
	return fmt.Sprintf(l.T("dashboard.district_unlisted"), code)
}
