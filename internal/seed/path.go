package seed

import (
	"time"
)

// move is a change in a student's schooling: a new school (K → primary, none reported as
// a destination) or a destination (junior_high, senior_high, vocational, university, …).
type move struct {
	sy       int       // school year from which it holds
	on       time.Time // the day it started
	school   int       // index of a school in the database, or -1
	grade    string    // grade at that school (person_schools key)
	kind     string    // destination type; "" for K → primary
	orgName  string
	major    string
	reported bool // whether the school learned of it
}

func (m move) source() string {
	if m.kind == "" {
		return "manual"
	}
	return "destination"
}

// path is a student's schooling from the nominating school on.
type path struct {
	first  int
	moves  []move
	senior bool // went on to a general senior high school
}

// schoolAt is the school (index, or -1 when not in the database) in school year sy.
func (p *path) schoolAt(sy int) int {
	s := p.first
	for _, m := range p.moves {
		if m.sy <= sy {
			s = m.school
		}
	}
	return s
}

// schoolYearRow is one person_schools row in the making.
type schoolYearRow struct {
	sy, school    int
	grade, source string
}

// studentPath follows a student nominated in edition year y at school si (band, grade-1
// entry year) through kindergarten → primary → junior high → senior high or vocational →
// university or work. Moves after today are generated too and left out by the caller.
func (g *batchGen) studentPath(sc *school, si, band, entry, y int) path {
	w, r := g.w, g.r
	pa := path{first: si}
	cur := si
	reported := func() bool { return r.IntN(100) < 88 }
	ref := func() *school {
		if cur >= 0 {
			return &w.schools[cur]
		}
		return sc
	}
	name := func(i int) string {
		if i >= 0 {
			return w.schools[i].name
		}
		return ""
	}
	start := func(sy int) time.Time { return date(sy, time.September, 1+r.IntN(3)) }
	stage := band
	if stage == bandK {
		sy := y
		ps := w.near(r, gPrimary, sc, -1)
		if ps >= 0 {
			pa.moves = append(pa.moves, move{sy: sy, on: start(sy), school: ps, grade: "1", reported: reported()})
		}
		cur = ps
		stage = bandPrimary
	}
	if stage == bandPrimary {
		sy := entry + 6
		if cur < 0 || w.schools[cur].typ != tNineYear {
			j := w.near(r, gJunior, ref(), -1)
			m := move{sy: sy, on: start(sy), school: j, grade: "7", kind: "junior_high", orgName: name(j), reported: reported()}
			if j < 0 {
				m.orgName = cities[ref().city].name + "第" + chineseNumber(1+r.IntN(30)) + "中学"
			}
			pa.moves = append(pa.moves, m)
			cur = j
		}
		stage = bandJunior
	}
	if stage == bandJunior {
		sy := entry + 9
		x := r.IntN(1000)
		m := move{sy: sy, on: start(sy), school: -1, grade: "10", reported: reported()}
		switch {
		case cur >= 0 && w.schools[cur].typ == tCompleteSecondary && x < 600:
			m.kind, m.school = "senior_high", cur
		case x < 660:
			m.kind, m.school = "senior_high", w.near(r, gSenior, ref(), -1)
		case x < 910:
			m.kind, m.school, m.grade = "vocational", w.near(r, gVocational, ref(), -1), "V1"
		case x < 922:
			m.kind, m.orgName = "talent_program", juniorClasses[r.IntN(len(juniorClasses))]
		case x < 950:
			m.kind, m.orgName = "other", "出国就读"
		default:
			m.kind, m.school, m.reported = "senior_high", w.near(r, gSenior, ref(), -1), false
		}
		if m.school >= 0 {
			m.orgName = name(m.school)
		} else if m.orgName == "" {
			m.orgName = cities[ref().city].name + map[string]string{"senior_high": "第一高级中学", "vocational": "职业技术学校"}[m.kind]
		}
		pa.moves = append(pa.moves, m)
		cur = m.school
		switch m.kind {
		case "senior_high":
			pa.senior = true
			stage = -1
		case "vocational":
			stage = bandVocational
		default:
			return pa
		}
	}
	sy := entry + 12
	m := move{sy: sy, on: date(sy, time.September, 5+r.IntN(15)), school: -1, reported: reported()}
	x := r.IntN(100)
	if stage == bandVocational {
		switch {
		case x < 42:
			m.kind, m.orgName, m.major = "university", vocColleges[r.IntN(len(vocColleges))], vocMajors[r.IntN(len(vocMajors))]
		case x < 88:
			c := cities[ref().city]
			m.kind = "employment"
			m.orgName = shortCity(c.name) + enterprisePrefixes[r.IntN(len(enterprisePrefixes))] + employers[r.IntN(len(employers))]
			m.on = date(sy, time.July, 1+r.IntN(60))
		case x < 93:
			m.kind, m.orgName = "other", "参军入伍"
		default:
			m.kind, m.orgName, m.reported = "employment", "未知单位", false
		}
	} else {
		switch {
		case x < 88:
			u := localUniversities
			if r.IntN(10) < 4 {
				u = otherUniversities
			}
			m.kind, m.orgName, m.major = "university", u[r.IntN(len(u))], majors[r.IntN(len(majors))]
		case x < 93:
			m.kind = "talent_program"
			m.orgName = "强基计划（" + strongBase[r.IntN(len(strongBase))] + "）"
			m.major = strongBaseMajors[r.IntN(len(strongBaseMajors))]
		case x < 97:
			m.kind, m.orgName = "other", "复读"
		default:
			m.kind, m.orgName, m.reported = "university", "未知", false
		}
	}
	pa.moves = append(pa.moves, m)
	return pa
}
