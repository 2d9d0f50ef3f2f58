package seed

import (
	"fmt"
	"math"
	"math/rand/v2"

	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// School types, in the order of the schema's CHECK.
const (
	tKindergarten = iota
	tPrimary
	tJuniorHigh
	tNineYear
	tSeniorHigh
	tCompleteSecondary
	tVocationalHigh
	nSchoolTypes
)

var schoolTypeKeys = [nSchoolTypes]string{"kindergarten", "primary", "junior_high", "nine_year", "senior_high",
	"complete_secondary", "vocational_high"}

// schoolTypeWeights is the mix of school types (senior highs take no nominees but receive
// graduates).
var schoolTypeWeights = cum([]float64{12, 36, 15, 10, 8, 10, 9})

// school is a generated school and its hidden traits.
type school struct {
	id        int64
	code      string
	name      string
	typ       int
	city      int // index in cities
	dist      int // index in the city's districts, -1 for a city-level school
	activity  float64
	diligence float64
}

// Institution types.
const (
	iUniversity = iota
	iResearch
	iEnterprise
	iOutOfSchool
	nInstTypes
)

var instTypeKeys = [nInstTypes]string{"university", "research_institute", "enterprise", "out_of_school"}

// institution is a training institution (承办单位).
type institution struct {
	id      int64
	code    string
	name    string
	typ     int
	city    int
	mentors []int64 // mentor ids
}

// instSeed is a named institution with its city and district.
type instSeed struct {
	name string
	typ  int
	code string // region code
}

// knownInstitutions are real public institutions of Sichuan that could plausibly train
// pupils and teachers; the generator takes them first and invents the rest.
var knownInstitutions = []instSeed{
	{"四川省教育科学研究院", iResearch, "510104"},
	{"四川大学", iUniversity, "510107"},
	{"四川科技馆", iOutOfSchool, "510105"},
	{"电子科技大学", iUniversity, "510108"},
	{"中国科学院成都生物研究所", iResearch, "510107"},
	{"成都市青少年宫", iOutOfSchool, "510105"},
	{"西南交通大学", iUniversity, "510106"},
	{"四川师范大学", iUniversity, "510108"},
	{"中国科学院光电技术研究所", iResearch, "510116"},
	{"成都天府智能科技有限公司", iEnterprise, "510107"},
	{"西南科技大学", iUniversity, "510704"},
	{"绵阳科技馆", iOutOfSchool, "510703"},
	{"成都理工大学", iUniversity, "510108"},
	{"四川蜀天航空科技有限公司", iEnterprise, "510116"},
	{"西华师范大学", iUniversity, "511302"},
	{"成都市教育科学研究院", iResearch, "510104"},
	{"南充市青少年科技活动中心", iOutOfSchool, "511302"},
	{"绵阳创新机器人科技有限公司", iEnterprise, "510703"},
	{"宜宾市青少年校外活动中心", iOutOfSchool, "511502"},
	{"成都信息工程大学", iUniversity, "510116"},
	{"西南石油大学", iUniversity, "510117"},
	{"四川农业大学", iUniversity, "511802"},
	{"四川省农业科学院", iResearch, "510108"},
	{"成都锦城云帆无人机有限公司", iEnterprise, "510115"},
	{"乐山师范学院", iUniversity, "511102"},
	{"绵阳师范学院", iUniversity, "510703"},
	{"中国科学院、水利部成都山地灾害与环境研究所", iResearch, "510107"},
	{"泸州市青少年宫", iOutOfSchool, "510502"},
	{"宜宾学院", iUniversity, "511502"},
	{"内江师范学院", iUniversity, "511002"},
	{"西南民族大学", iUniversity, "510107"},
	{"成都大学", iUniversity, "510108"},
	{"中国测试技术研究院", iResearch, "510106"},
	{"德阳市青少年科技活动中心", iOutOfSchool, "510603"},
	{"四川长江智造科技有限公司", iEnterprise, "511502"},
}

var (
	enterprisePrefixes = []string{"天府", "蜀道", "锦江", "峨眉", "岷江", "巴蜀", "剑门", "青城", "嘉陵", "沱江", "雅砻", "蜀光"}
	enterpriseSuffixes = []string{"智能", "机器人", "航空", "电子", "信息", "生物", "新材料", "无人机", "航天", "数字"}
	vocSpecs           = []string{"工程", "电子信息", "商贸", "旅游", "农业", "财贸", "机电", "建筑", "交通", "现代服务"}
	ninePlaces         = []string{"东城", "西城", "南街", "北门", "新华", "和平", "光明", "建设", "育才", "红旗", "胜利",
		"桂花", "金沙", "青龙", "锦城", "天府", "新桥", "石桥", "白鹤", "清水", "滨江", "龙潭", "凤凰", "花园", "湖滨"}
	roads = []string{"人民路", "建设路", "解放路", "文化路", "新华大道", "滨江路", "中山路", "育才路", "学府路", "光华大道",
		"东风路", "青年路", "红星路", "长征路", "科技路", "府河路", "沿江路", "五一路", "南河路", "书院街"}
	leadTitles = []string{"副校长", "教务处主任", "科技教育中心主任", "科技辅导员", "教科室主任"}
)

// buildOrganizations generates the office, the schools, the institutions and their
// mentors, reserving ids for all of them.
func (w *world) buildOrganizations(r *rand.Rand, orgBase, mentorBase int64) (orgs []store.SeedOrganization, mentors []store.SeedMentor) {
	next := orgBase
	newID := func() int64 { id := next; next++; return id }

	orgs = append(orgs, store.SeedOrganization{ID: newID(), Code: "OFFICE", Name: "四川省青少年科技教育协会项目管理办公室",
		Kind: "office", RegionCode: "510000", Address: "四川省成都市青羊区" + roads[r.IntN(len(roads))] + fmt.Sprint(1+r.IntN(200)) + "号",
		PostalCode: "610031", HeadName: personName(r, r.IntN(2) == 0, true), HeadTitle: "主任",
		HeadOfficePhone: officePhone(r, "028"), HeadEmail: email(r)})

	// Schools: one in each city first so that every city appears, then by weight.
	cityCum := make([]float64, len(cities))
	s := 0.0
	for i, c := range cities {
		s += c.weight
		cityCum[i] = s
	}
	counters := make([][][nSchoolTypes]int, len(cities))
	codeSeq := make([][]int, len(cities))
	for i, c := range cities {
		counters[i] = make([][nSchoolTypes]int, len(c.districts)+1)
		codeSeq[i] = make([]int, len(c.districts)+1)
	}
	w.schools = make([]school, 0, w.scale.Schools)
	for i := 0; i < w.scale.Schools; i++ {
		// the first school of each city is a primary school (odd cities) or a junior high
		ci, typ := i, tPrimary+i%2
		if i >= len(cities) {
			ci = pickCum(r, cityCum)
			typ = pickCum(r, schoolTypeWeights)
		}
		c := &cities[ci]
		cityLevel := 0.05
		switch typ {
		case tSeniorHigh, tCompleteSecondary:
			cityLevel = 0.4
		case tVocationalHigh:
			cityLevel = 0.25
		}
		dist := -1
		if r.Float64() >= cityLevel {
			dist = pickDistrict(r, len(c.districts))
		}
		slot := dist + 1
		counters[ci][slot][typ]++
		k := counters[ci][slot][typ]
		codeSeq[ci][slot]++
		region := c.code
		prefix := c.name
		if dist >= 0 {
			region = c.districts[dist].code
			prefix += c.districts[dist].name
			if d := []rune(c.districts[dist].name); d[len(d)-1] == '市' {
				prefix = string(d) // a county-level city names its schools itself: 广汉市实验小学
			}
		}
		sc := school{id: newID(), code: fmt.Sprintf("S%s%03d", region, codeSeq[ci][slot]), name: schoolName(prefix, typ, k),
			typ: typ, city: ci, dist: dist,
			activity:  math.Exp(r.NormFloat64() * 0.6),
			diligence: 0.55 + 0.5*r.Float64()}
		w.schools = append(w.schools, sc)
		head := personName(r, r.IntN(5) < 3, true)
		headTitle := "校长"
		if typ == tKindergarten {
			headTitle = "园长"
		}
		o := store.SeedOrganization{ID: sc.id, Code: sc.code, Name: sc.name, Kind: "school", Type: schoolTypeKeys[typ],
			RegionCode: region, Address: prefix + roads[r.IntN(len(roads))] + fmt.Sprint(1+r.IntN(300)) + "号",
			PostalCode:      fmt.Sprintf("%s%03d", c.postal, (slot*7+r.IntN(5))%100),
			HeadName:        head,
			HeadTitle:       headTitle,
			HeadOfficePhone: officePhone(r, c.area), HeadMobile: mobile(r), HeadEmail: email(r),
			LeadName: personName(r, r.IntN(2) == 0, r.IntN(2) == 0), LeadTitle: leadTitles[r.IntN(len(leadTitles))],
			LeadOfficePhone: officePhone(r, c.area), LeadMobile: mobile(r), LeadEmail: email(r)}
		if r.IntN(3) > 0 {
			o.HeadFax = officePhone(r, c.area)
		}
		if r.IntN(2) == 0 {
			o.LeadFax = o.HeadFax
		}
		orgs = append(orgs, o)
	}

	// Institutions: the known ones first, then invented ones, keeping a mix of types.
	w.insts = make([]institution, 0, w.scale.Institutions)
	perType := [nInstTypes]int{}
	names := map[string]bool{}
	addInst := func(name string, typ int, region string) {
		ci := cityIndex(region)
		perType[typ]++
		letter := "UREO"[typ]
		in := institution{id: newID(), code: fmt.Sprintf("I%c%03d", letter, perType[typ]), name: name, typ: typ, city: ci}
		names[name] = true
		w.insts = append(w.insts, in)
		c := &cities[ci]
		orgs = append(orgs, store.SeedOrganization{ID: in.id, Code: in.code, Name: name, Kind: "institution",
			Type: instTypeKeys[typ], RegionCode: region,
			Address:    c.name + districtName(region) + roads[r.IntN(len(roads))] + fmt.Sprint(1+r.IntN(300)) + "号",
			PostalCode: fmt.Sprintf("%s%03d", c.postal, r.IntN(100)),
			LeadName:   personName(r, r.IntN(2) == 0, true), LeadTitle: "科普项目负责人",
			LeadOfficePhone: officePhone(r, c.area), LeadMobile: mobile(r), LeadEmail: email(r)})
	}
	for _, k := range knownInstitutions {
		if len(w.insts) == w.scale.Institutions {
			break
		}
		addInst(k.name, k.typ, k.code)
	}
	for n := 0; len(w.insts) < w.scale.Institutions; n++ {
		ci := pickCum(r, cityCum)
		c := &cities[ci]
		d := c.districts[pickDistrict(r, len(c.districts))]
		var name string
		typ := []int{iEnterprise, iOutOfSchool, iResearch, iEnterprise, iOutOfSchool}[n%5]
		switch typ {
		case iEnterprise:
			name = fmt.Sprintf("%s%s%s科技有限公司", shortCity(c.name), enterprisePrefixes[r.IntN(len(enterprisePrefixes))],
				enterpriseSuffixes[r.IntN(len(enterpriseSuffixes))])
		case iOutOfSchool:
			name = c.name + d.name + "青少年校外活动中心"
			if !names[c.name+"青少年科技活动中心"] {
				name = c.name + "青少年科技活动中心"
			}
		case iResearch:
			name = c.name + "教育科学研究院"
			if names[name] {
				name = c.name + d.name + "教师发展中心"
			}
		}
		if names[name] {
			continue
		}
		addInst(name, typ, d.code)
	}
	for i := range w.insts {
		w.instByName[w.insts[i].name] = i
	}

	// Mentors: a few per institution, unique names within it.
	next = mentorBase
	for i := range w.insts {
		in := &w.insts[i]
		n := w.scale.MentorsPerInstitution/2 + r.IntN(w.scale.MentorsPerInstitution+1)
		seen := map[string]bool{}
		for len(in.mentors) < n {
			name := personName(r, r.IntN(5) < 3, r.IntN(2) == 0)
			if seen[name] {
				continue
			}
			seen[name] = true
			m := store.SeedMentor{ID: next, InstitutionID: in.id, Name: name, Title: mentorTitle(r, in.typ)}
			next++
			if r.IntN(10) < 8 {
				p := w.keys.ProtectPhone(mobile(r))
				m.PhoneCipher, m.PhoneMasked = p.Cipher, p.Masked
			}
			if r.IntN(10) < 7 {
				m.Email = email(r)
			}
			in.mentors = append(in.mentors, m.ID)
			mentors = append(mentors, m)
		}
	}
	return orgs, mentors
}

func pickDistrict(r *rand.Rand, n int) int {
	core := min(n, coreDistricts)
	// the urban core holds three times the schools of an outer county
	total := 3*core + (n - core)
	x := r.IntN(total)
	if x < 3*core {
		return x / 3
	}
	return core + (x - 3*core)
}

func cityIndex(region string) int {
	want := region[:4] + "00"
	for i, c := range cities {
		if c.code == want {
			return i
		}
	}
	return 0
}

func districtName(region string) string {
	for _, c := range cities {
		for _, d := range c.districts {
			if d.code == region {
				return d.name
			}
		}
	}
	return ""
}

// schoolName names the k-th school of a type under a city or district prefix.
func schoolName(prefix string, typ, k int) string {
	switch typ {
	case tKindergarten:
		if k == 1 {
			return prefix + "实验幼儿园"
		}
		return prefix + "第" + chineseNumber(k-1) + "幼儿园"
	case tPrimary:
		if k == 1 {
			return prefix + "实验小学"
		}
		return prefix + "第" + chineseNumber(k-1) + "小学"
	case tJuniorHigh:
		return prefix + "第" + chineseNumber(k) + "初级中学"
	case tNineYear:
		if k <= len(ninePlaces) {
			return prefix + ninePlaces[k-1] + "学校"
		}
		return prefix + "第" + chineseNumber(k-len(ninePlaces)) + "九年制学校"
	case tSeniorHigh:
		return prefix + "第" + chineseNumber(k) + "高级中学"
	case tCompleteSecondary:
		return prefix + "第" + chineseNumber(k) + "中学"
	default:
		if k <= len(vocSpecs) {
			return prefix + vocSpecs[k-1] + "职业技术学校"
		}
		return prefix + "第" + chineseNumber(k-len(vocSpecs)) + "职业高级中学"
	}
}

func mentorTitle(r *rand.Rand, typ int) string {
	var titles []string
	switch typ {
	case iUniversity:
		titles = []string{"教授", "副教授", "副教授", "讲师"}
	case iResearch:
		titles = []string{"研究员", "副研究员", "副研究员", "助理研究员"}
	case iEnterprise:
		titles = []string{"高级工程师", "工程师", "工程师", "技术总监"}
	default:
		titles = []string{"高级教师", "一级教师", "科技辅导员", "科技辅导员"}
	}
	return titles[r.IntN(len(titles))]
}

// protectPhone protects a drawn number with the run's keys.
func (w *world) protectPhone(p string) identity.Protected { return w.keys.ProtectPhone(p) }
