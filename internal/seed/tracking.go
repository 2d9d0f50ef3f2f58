package seed

import (
	"time"

	"talentdb/internal/edition"
	"talentdb/internal/store"
)

// followUps contacts an alumnus of edition e in its yearly windows up to today: often in
// the first year, less later, more at diligent schools. An opt-out ends the contacts and
// is remembered in p.optOut.
func (g *batchGen) followUps(p *person, e *ed, teacher bool) {
	w, r := g.w, g.r
	s := &w.schools[p.school]
	add := func(on time.Time, outcome string) {
		channel := channels.pick(r)
		notes := followUpNotes[outcome]
		switch {
		case outcome == "unreachable" && followUpNotes[outcome+"/"+channel] != nil:
			notes = followUpNotes[outcome+"/"+channel]
		case outcome == "reached" && teacher:
			notes = followUpNotes["reached/teacher"]
		case outcome == "declined" && !teacher && r.IntN(2) == 0:
			notes = followUpNotes["declined/student"]
		}
		g.out.FollowUps = append(g.out.FollowUps, store.SeedFollowUp{PersonID: p.id, SchoolID: s.id, ContactedOn: on,
			Channel: channel, Outcome: outcome, Notes: notes[r.IntN(len(notes))], MadeBy: s.code})
	}
	for k := 1; k <= 10; k++ {
		win := edition.WindowK(e.start, e.end, k)
		if win.From.After(w.today) {
			return
		}
		to := win.To
		rate := followUpRate[k-1] * s.diligence / 0.8
		if to.After(w.today) { // the current window is only partly over
			rate *= w.today.Sub(win.From).Hours() / to.Sub(win.From).Hours()
			to = w.today
		}
		if r.Float64() >= min(rate, 0.97) {
			continue
		}
		on := between(r, win.From, to)
		outcome := outcomes.pick(r)
		add(on, outcome)
		switch outcome {
		case "opted_out":
			p.optOut = on
			return
		case "unreachable":
			if again := between(r, on.AddDate(0, 0, 7), to); !again.After(to) && r.IntN(2) == 0 {
				if r.IntN(10) < 8 {
					add(again, "reached")
				} else {
					add(again, "unreachable")
				}
			}
		}
	}
}

var (
	studentAwardCounts = cum([]float64{38, 30, 17, 9, 6})
	teacherAwardCounts = cum([]float64{40, 30, 18, 12})
)

// awards draws a person's awards from a year before the first nomination to today (or the
// opt-out), and reports whether one of them, not rejected, is provincial or higher.
func (g *batchGen) awards(p *person, cat string, firstStart time.Time, band int, teacher bool) (provincialPlus bool) {
	w, r := g.w, g.r
	counts, levels := studentAwardCounts, studentLevels
	switch {
	case teacher:
		counts, levels = teacherAwardCounts, teacherLevels
	case band == bandK:
		levels = kindergartenLevel
	}
	n := pickCum(r, counts)
	lo := firstStart.AddDate(-1, 0, 0)
	if first := date(FirstYear, time.January, 1); lo.Before(first) {
		lo = first
	}
	hi := w.today
	if !p.optOut.IsZero() {
		hi = p.optOut.AddDate(0, 0, -1)
	}
	if hi.Before(lo) {
		return false
	}
	s := &w.schools[p.school]
	c := &cities[s.city]
	distName := c.name
	if s.dist >= 0 {
		distName = c.districts[s.dist].name
	}
	seen := make(map[string]bool, n)
	for range n {
		on := between(r, lo, hi)
		lvl := pickCum(r, levels)
		ac := cat
		if !teacher && r.IntN(10) >= 7 {
			ac = categoryByBand[band].pick(r)
		}
		name, organizer := competition(r, lvl, ac, on.Year(), c.name, distName, s.name, teacher)
		key := name + on.Format(time.DateOnly)
		if seen[key] {
			continue
		}
		seen[key] = true
		a := store.SeedAward{PersonID: p.id, SchoolID: s.id, Competition: name, Level: levelKeys[lvl],
			AwardedOn: on, Organizer: organizer, ReportedBy: s.code}
		if lvl == lvlInternational {
			a.Rank = medals.pick(r)
		} else {
			a.Rank = ranks.pick(r)
		}
		if !teacher {
			a.CategoryCode = ac
		}
		x := r.IntN(100)
		recent := w.today.Sub(on) < 60*24*time.Hour
		switch {
		case x < 4:
			a.Verification = "rejected"
		case x < 40 || (recent && x < 85):
			a.Verification = "reported"
		default:
			a.Verification = "verified"
		}
		if a.Verification != "reported" {
			v := on.AddDate(0, 0, 20+r.IntN(60))
			if v.After(w.today) {
				v = w.today
			}
			a.VerifiedBy = "OFFICE"
			a.VerifiedAt = time.Date(v.Year(), v.Month(), v.Day(), 9+r.IntN(8), r.IntN(60), 0, 0, cst)
		}
		if lvl <= lvlProvincial && a.Verification != "rejected" {
			provincialPlus = true
		}
		g.out.Awards = append(g.out.Awards, a)
	}
	return provincialPlus
}

var (
	teacherRoles = newWeighted([]string{"new", "young", "counsellor", "admin"}, []float64{25, 35, 28, 12})
	titleOrder   = []string{"none", "level2", "level1", "senior", "professor"}
	moveCounts   = cum([]float64{40, 35, 18, 7})
)

// careerMove is a teacher's position from a date on.
type careerMove struct {
	on       time.Time
	school   int // index of a school, or -1
	orgID    int64
	orgName  string
	position string
	title    int // index in titleOrder
	reason   string
}

// teacher generates a teacher with their nominations, career moves, awards and follow-ups.
func (g *batchGen) teacher(id int64) {
	w, r := g.w, g.r
	y := FirstYear + pickCum(r, yearWeights)
	role := teacherRoles.pick(r)
	var age int
	switch role {
	case "new":
		age = 22 + r.IntN(4)
	case "young":
		age = 25 + r.IntN(11)
	case "counsellor":
		age = 27 + r.IntN(26)
	default:
		age = 36 + r.IntN(20)
	}
	male := r.IntN(100) < 35
	if role == "admin" {
		male = r.IntN(2) == 0
	}
	si := w.nominate[bandTeacher].pick(r)
	sc := &w.schools[si]
	birthFrom, birthTo := date(y-age-1, time.March, 2), date(y-age, time.March, 1)
	region := g.idRegion(sc)
	if r.IntN(5) < 2 {
		c := &cities[pickCum(r, cityWeights)]
		region = c.districts[r.IntN(len(c.districts))].code
	}
	idn, birth := g.idNumber(region, between(r, birthFrom, birthTo), male, func() time.Time { return between(r, birthFrom, birthTo) })
	p := &person{id: id, birth: birth, male: male, school: si}
	name := personName(r, male, age >= 40)
	e1 := &w.eds[progJindaoshi][y-FirstYear]
	parts := []store.SeedParticipation{g.participation(p, e1, sc, bandTeacher, "", role)}
	moves := g.careerMoves(p, si, role, age, e1)

	if parts[0].Status == "completed" && r.IntN(100) < 10 {
		d := 1 + r.IntN(3)
		if y+d <= LastYear {
			e2 := &w.eds[progJindaoshi][y+d-FirstYear]
			s2 := si
			for _, m := range moves {
				if m.on.Before(e2.start) && m.school >= 0 {
					s2 = m.school
				}
			}
			role2 := role
			switch {
			case role == "new":
				role2 = "young"
			case role == "young" && r.IntN(5) == 0:
				role2 = "counsellor"
			}
			parts = append(parts, g.participation(p, e2, &w.schools[s2], bandTeacher, "", role2))
			p.school = s2
		}
	}
	tracked := false
	var completed *ed
	for i := range parts {
		switch parts[i].Status {
		case "admitted", "withdrawn":
			tracked = true
		case "completed":
			tracked = true
			if completed == nil {
				completed = g.edByID(parts[i].EditionID)
			}
		}
	}
	if completed != nil {
		g.followUps(p, completed, true)
	}
	g.addPerson(p, name, idn, true, false, true)
	g.out.Participations = append(g.out.Participations, parts...)
	if !tracked {
		return
	}
	s := &w.schools[p.school]
	var rows []store.SeedCareerMove
	for _, m := range moves {
		if m.on.After(w.today) || (!p.optOut.IsZero() && !m.on.Before(p.optOut)) {
			break
		}
		if n := len(rows); n > 0 {
			rows[n-1].EndedOn = m.on
		}
		rows = append(rows, store.SeedCareerMove{PersonID: p.id, SchoolID: s.id, OrgID: m.orgID, OrgName: m.orgName,
			Position: m.position, Title: titleOrder[m.title], StartedOn: m.on, Reason: m.reason, ReportedBy: s.code})
	}
	g.out.CareerMoves = append(g.out.CareerMoves, rows...)
	g.awards(p, parts[0].CategoryCode, e1.start, bandTeacher, true)
}

var cityWeights = func() []float64 {
	w := make([]float64, len(cities))
	for i, c := range cities {
		w[i] = c.weight
	}
	return cum(w)
}()

// careerMoves is the position a teacher held when nominated, then the promotions,
// transfers, new roles, departures and retirements after it, up to today.
func (g *batchGen) careerMoves(p *person, si int, role string, age int, e *ed) []careerMove {
	w, r := g.w, g.r
	sv := age - 22
	var title int
	switch role {
	case "new":
		title = 1
		if sv <= 0 {
			title = 0
		}
	case "young":
		title = 1
		if sv >= 5 && r.IntN(10) < 6 {
			title = 2
		}
	default:
		switch {
		case sv < 6:
			title = 1
		case sv < 12:
			title = 2
		case sv >= 25 && r.IntN(50) == 0:
			title = 4
		case r.IntN(100) < 55:
			title = 3
		default:
			title = 2
		}
	}
	position := map[string]string{"new": "teacher", "young": "teacher", "counsellor": "counsellor", "admin": "admin"}[role]
	y := e.year
	back := 0
	if role != "new" && sv > 1 {
		back = r.IntN(min(sv-1, 8) + 1)
	}
	school := &w.schools[si]
	cur := careerMove{on: date(y-1-back, time.September, 1), school: si, orgID: school.id, orgName: school.name,
		position: position, title: title}
	moves := []careerMove{cur}
	lastPromotion := cur.on
	n := pickCum(r, moveCounts)
	earliest := e.start.AddDate(0, 0, 120)
	for range n {
		from := cur.on.AddDate(0, 0, 300)
		if from.Before(earliest) {
			from = earliest
		}
		on := from.AddDate(0, 0, r.IntN(600))
		if on.After(w.today) {
			break
		}
		ageAt := on.Year() - p.birth.Year()
		retireAt := 55
		if p.male {
			retireAt = 60
		}
		weights := []float64{0, 22, 18, 7, 0} // promotion, transfer, new_role, left, retired
		if cur.title < 3 && on.Sub(lastPromotion) > 2*365*24*time.Hour && cur.position != "left_education" {
			weights[0] = 45
		}
		if ageAt >= retireAt {
			weights[4] = 60
		}
		next := cur
		next.on = on
		switch pickCum(r, cum(weights)) {
		case 0:
			next.reason = "promotion"
			next.title++
			lastPromotion = on
		case 1:
			ref := school
			if cur.school >= 0 {
				ref = &w.schools[cur.school]
			}
			t := w.nearSameType(r, ref, cur.school)
			if t < 0 {
				continue
			}
			next.reason, next.school, next.orgID, next.orgName = "transfer", t, w.schools[t].id, w.schools[t].name
		case 2:
			next.reason = "new_role"
			opts := []string{"counsellor", "admin", "researcher"}
			next.position = opts[r.IntN(len(opts))]
			for next.position == cur.position {
				next.position = opts[r.IntN(len(opts))]
			}
			if next.position == "researcher" {
				c := &cities[school.city]
				next.school, next.orgID, next.orgName = -1, 0, c.name+"教育科学研究院"
				if i, ok := w.instByName[next.orgName]; ok {
					next.orgID = w.insts[i].id
				} else if school.dist >= 0 {
					next.orgName = c.name + c.districts[school.dist].name + "教师发展中心"
				}
			}
		case 3:
			c := &cities[school.city]
			next.reason, next.position, next.school, next.orgID = "left", "left_education", -1, 0
			next.orgName = shortCity(c.name) + enterprisePrefixes[r.IntN(len(enterprisePrefixes))] + "教育科技有限公司"
		default:
			next.reason = "retired"
		}
		moves = append(moves, next)
		cur = next
		if next.reason == "left" || next.reason == "retired" {
			break
		}
	}
	return moves
}
