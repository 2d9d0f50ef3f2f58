package vocab

import (
	_ "embed"
	"strings"
)

// countiesCSV is the list of Sichuan's 183 counties and districts (GB/T 2260 codes with their
// Chinese names and their city's code), copied from npm's china-division (MIT licence,
// counties-sichuan.LICENSE.txt), with their English names added once by the generator in
// countiesen/ (pinyin and the kind: 锦江区 Jinjiang District). The product reads only this
// copy, never the generator.
//
//go:embed counties-sichuan.csv
var countiesCSV string

// County is a county-level division of Sichuan (县、区、县级市): its code, its Chinese name,
// the code of its city or prefecture and its English name (Jinjiang District).
type County struct {
	Code, Name, City, NameEn string
}

// Label is the county's name in lang (En for English, anything else Chinese), as Enum.Label.
func (c County) Label(lang string) string {
	if lang == En {
		return c.NameEn
	}
	return c.Name
}

// Counties are Sichuan's counties and districts in code order.
var Counties = parseCounties(countiesCSV)

var countyByCode = func() map[string]County {
	m := make(map[string]County, len(Counties))
	for _, c := range Counties {
		m[c.Code] = c
	}
	return m
}()

// ProvinceCode is Sichuan's own code, the region of the provincial office.
const ProvinceCode = "510000"

func parseCounties(csv string) []County {
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(csv, "\r\n", "\n")), "\n")
	out := make([]County, 0, len(lines))
	for _, l := range lines[1:] { // the header: code,name_zh,city_code,name_en
		f := strings.Split(l, ",")
		if len(f) != 4 {
			panic("vocab: counties-sichuan.csv: bad line " + l)
		}
		out = append(out, County{Code: f[0], Name: f[1], City: f[2], NameEn: f[3]})
	}
	return out
}

// CountyOf returns the county or district of code, if code is one of the list.
func CountyOf(code string) (County, bool) {
	c, ok := countyByCode[code]
	return c, ok
}

// CityOf is the city-level code a region code belongs to: its first four digits and "00",
// as the contract and the database (city_of) read it. Codes shorter than four characters are
// returned as they are.
func CityOf(code string) string {
	if len(code) < 4 {
		return code
	}
	return code[:4] + "00"
}

// IsCity reports whether code is one of Sichuan's 21 cities and prefectures.
func IsCity(code string) bool { return cities[code] }

var cities = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range Counties {
		m[c.City] = true
	}
	return m
}()

// InSichuan reports whether an organization's region code is one the contract accepts: the
// province's own code, a city or prefecture, or a code within one (its first four digits and
// "00" are a city). A county code that is not in the list (a division created after it) is
// accepted; CountyOf tells whether it is known.
func InSichuan(code string) bool {
	return code == ProvinceCode || IsCity(CityOf(code))
}
