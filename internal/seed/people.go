package seed

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"talentdb/internal/edition"
	"talentdb/internal/identity"
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// School groups used to pick the next school of a student or the school of a teacher.
const (
	gPrimary    = iota // primary, nine_year
	gJunior            // junior_high, complete_secondary
	gSenior            // senior_high, complete_secondary
	gVocational        // vocational_high
	gTeacher           // every type but senior_high
	nGroups
)

func inGroup(g, typ int) bool {
	switch g {
	case gPrimary:
		return typ == tPrimary || typ == tNineYear
	case gJunior:
		return typ == tJuniorHigh || typ == tCompleteSecondary
	case gSenior:
		return typ == tSeniorHigh || typ == tCompleteSecondary
	case gVocational:
		return typ == tVocationalHigh
	default:
		return typ != tSeniorHigh
	}
}

// nominatesBand reports whether a school of type typ nominates students of a band.
func nominatesBand(band, typ int) bool {
	switch band {
	case bandK:
		return typ == tKindergarten
	case bandPrimary:
		return typ == tPrimary || typ == tNineYear
	case bandJunior:
		return typ == tJuniorHigh || typ == tNineYear || typ == tCompleteSecondary
	case bandVocational:
		return typ == tVocationalHigh
	default:
		return typ != tSeniorHigh
	}
}

// index builds the lookup lists from the generated organizations.
func (w *world) index() {
	for band := range nBands {
		var items []int
		var weights []float64
		for i, s := range w.schools {
			if nominatesBand(band, s.typ) {
				items = append(items, i)
				weights = append(weights, s.activity)
			}
		}
		w.nominate[band] = newWeighted(items, weights)
	}
	for g := range nGroups {
		w.byCity[g] = make([][]int, len(cities))
		w.byDist[g] = make([][][]int, len(cities))
		for c := range cities {
			w.byDist[g][c] = make([][]int, len(cities[c].districts)+1)
		}
		for i, s := range w.schools {
			if inGroup(g, s.typ) {
				w.byCity[g][s.city] = append(w.byCity[g][s.city], i)
				w.byDist[g][s.city][s.dist+1] = append(w.byDist[g][s.city][s.dist+1], i)
			}
		}
	}
	for i, in := range w.insts {
		w.instsByType[in.typ] = append(w.instsByType[in.typ], i)
	}
}

// near picks a school of group g near school s: in its district two times in three when
// there is one, else in its city; -1 when the city has none.
func (w *world) near(r *rand.Rand, g int, s *school, exclude int) int {
	if l := w.byDist[g][s.city][s.dist+1]; len(l) > 0 && r.IntN(3) < 2 {
		if i := l[r.IntN(len(l))]; i != exclude || len(l) == 1 {
			return i
		}
	}
	l := w.byCity[g][s.city]
	if len(l) == 0 {
		return -1
	}
	for range 4 {
		if i := l[r.IntN(len(l))]; i != exclude {
			return i
		}
	}
	return l[0]
}

// nearSameType picks another school of the same type as s in its city (a teacher's
// transfer), -1 when a few draws find none.
func (w *world) nearSameType(r *rand.Rand, s *school, exclude int) int {
	for range 12 {
		i := w.near(r, gTeacher, s, exclude)
		if i >= 0 && i != exclude && w.schools[i].typ == s.typ {
			return i
		}
	}
	return -1
}

// batchGen generates one batch of persons from its own PCG stream.
type batchGen struct {
	w     *world
	r     *rand.Rand
	out   *store.SeedBatch
	slots []int
	used  map[idBucket]slotUse
}

// slotUse is how a batch uses its sequence slots in one bucket: from a random start on.
type slotUse struct{ start, n int }

type idBucket struct {
	region string
	birth  int64
	male   bool
}

// genBatch generates batch b: persons [b*BatchSize, …) with all their rows.
func (w *world) genBatch(b int) *store.SeedBatch {
	g := &batchGen{w: w, r: rand.New(rand.NewPCG(w.opt.Seed, uint64(b)+1)), out: &store.SeedBatch{},
		used: map[idBucket]slotUse{}}
	for s := b % w.nBatches; s < idSlots; s += w.nBatches {
		g.slots = append(g.slots, s)
	}
	g.r.Shuffle(len(g.slots), func(i, j int) { g.slots[i], g.slots[j] = g.slots[j], g.slots[i] })
	from := b * w.opt.BatchSize
	to := min(from+w.opt.BatchSize, w.scale.Persons)
	for i := from; i < to; i++ {
		id := w.personBase + int64(i)
		if g.r.Float64() < 0.15 {
			g.teacher(id)
		} else {
			g.student(id)
		}
	}
	return g.out
}

var cst = vocab.China

var (
	guardianRelations = newWeighted([]string{"mother", "father", "grandparent"}, []float64{50, 42, 8})
	consentMethods    = newWeighted([]string{"paper", "electronic", "in_person"}, []float64{55, 35, 10})
	pastStatuses      = newWeighted([]string{"completed", "withdrawn", "rejected"}, []float64{87, 7, 6})
	openStatuses      = newWeighted([]string{"admitted", "registered", "reviewed", "publicized", "recommended",
		"withdrawn", "rejected"}, []float64{72, 4, 4, 4, 6, 4, 6})
	evaluations = newWeighted([]string{"excellent", "pass", "fail"}, []float64{22, 75, 3})
	instTypeCum = func() (c [nBands][]float64) {
		for b := range c {
			c[b] = cum(instTypeByBand[b][:])
		}
		return c
	}()
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// between draws a date in [from, to]; from when to is before it.
func between(r *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	if days <= 0 {
		return from
	}
	return from.AddDate(0, 0, r.IntN(days+1))
}

// at is a moment in working hours in China on the civil date d.
func at(r *rand.Rand, d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 9+r.IntN(8), r.IntN(60), 0, 0, cst)
}

func civil(t time.Time) time.Time {
	t = t.In(cst)
	return date(t.Year(), t.Month(), t.Day())
}

// idNumber builds a valid identity number unique in the whole run: the sequence comes from
// this batch's share of slots; when a (region, birth date, gender) bucket has used them all,
// redraw gives another birth date.
func (g *batchGen) idNumber(region string, birth time.Time, male bool, redraw func() time.Time) (identity.IDNumber, time.Time) {
	for {
		k := idBucket{region: region, birth: birth.Unix(), male: male}
		u, ok := g.used[k]
		if !ok {
			u.start = g.r.IntN(len(g.slots))
		}
		if u.n < len(g.slots) {
			s := g.slots[(u.start+u.n)%len(g.slots)]
			u.n++
			g.used[k] = u
			d17 := 2 * (s % 5)
			if male {
				d17++
			}
			first := region + birth.Format("20060102") + fmt.Sprintf("%02d%d", s/5, d17)
			c, err := identity.CheckChar(first)
			if err != nil {
				panic("seed: " + err.Error())
			}
			id, err := identity.ParseIDNumber(first + string(c))
			if err != nil {
				panic("seed: generated an invalid identity number: " + err.Error())
			}
			return id, birth
		}
		birth = redraw()
	}
}

// idRegion is a county code for an identity number: the school's own, or one of its city's.
func (g *batchGen) idRegion(s *school) string {
	c := &cities[s.city]
	if s.dist >= 0 && g.r.IntN(5) < 4 {
		return c.districts[s.dist].code
	}
	return c.districts[g.r.IntN(len(c.districts))].code
}

// person is what is known of a person while its rows are generated.
type person struct {
	id       int64
	birth    time.Time
	male     bool
	school   int // latest nominating school (index)
	optOut   time.Time
	firstReg time.Time
}

func (g *batchGen) addPerson(p *person, name string, id identity.IDNumber, phone bool, guardian bool, teacher bool) {
	w, r := g.w, g.r
	pid := w.keys.ProtectID(id)
	sc := &w.schools[p.school]
	row := store.SeedPerson{ID: p.id, IDHash: pid.Hash, IDCipher: pid.Cipher, IDMasked: pid.Masked, Name: name,
		Gender: id.Gender(), BirthDate: p.birth, SchoolID: sc.id, ConsentState: "not_required"}
	if phone {
		ph := w.protectPhone(mobile(r))
		row.PhoneHash, row.PhoneCipher, row.PhoneMasked = ph.Hash, ph.Cipher, ph.Masked
	}
	if teacher && r.IntN(10) < 7 {
		row.Email = email(r)
	}
	if guardian {
		rel := guardianRelations.pick(r)
		surname := []rune(name)[0]
		switch rel {
		case "mother":
			row.GuardianName = personName(r, false, true)
		case "father":
			row.GuardianName = string(surname) + givenName(r, true, true)
		default:
			row.GuardianName = string(surname) + givenName(r, r.IntN(2) == 0, true)
		}
		gp := w.protectPhone(mobile(r))
		row.GuardianPhoneHash, row.GuardianPhoneCipher, row.GuardianPhoneMasked = gp.Hash, gp.Cipher, gp.Masked
		if edition.AddYears(p.birth, 14).After(w.today) {
			if r.IntN(100) < 92 {
				row.ConsentState = "granted"
				g.out.Consents = append(g.out.Consents, store.SeedConsent{PersonID: p.id, SchoolID: sc.id,
					GuardianName: row.GuardianName, Relationship: rel,
					Method:    consentMethods.pick(r),
					Scope:     "参与菁科计划及其后续跟踪所需的个人信息收集、使用与联系",
					GrantedOn: p.firstReg, RecordedBy: sc.code})
			} else {
				row.ConsentState = "pending"
			}
		}
	}
	if row.ConsentState == "not_required" && vocab.UnderConsentAge(p.birth, w.today) {
		row.ConsentState = "pending" // a child with no guardian on record: withheld until one consents
	}
	g.out.Persons = append(g.out.Persons, row)
}

// participation generates one participation of person p in edition e at school s, with a
// status fitting the edition (completed in the past, mostly admitted in the open one).
func (g *batchGen) participation(p *person, e *ed, s *school, band int, grade, role string) store.SeedParticipation {
	w, r := g.w, g.r
	past := e.end.Before(w.today)
	var status string
	if past {
		status = pastStatuses.pick(r)
	} else {
		status = openStatuses.pick(r)
	}
	cat := categoryByBand[band].pick(r)
	pr := store.SeedParticipation{PersonID: p.id, EditionID: e.id, Program: e.program, SchoolID: s.id, CategoryCode: cat,
		Grade: grade, TeacherRole: role, Status: status}
	reg := e.start.AddDate(0, 0, 3+r.IntN(18))
	pr.RegisteredAt = at(r, reg)
	if p.firstReg.IsZero() {
		p.firstReg = reg
	}
	var stepsReached int
	switch status {
	case "registered":
		stepsReached = 1
	case "reviewed":
		stepsReached = 2
	case "publicized":
		stepsReached = 3
	case "recommended":
		stepsReached = 4
	case "rejected":
		stepsReached = 2
		if r.IntN(5) < 2 {
			stepsReached = 4 // refused by the office after the school's recommendation
		}
	default: // admitted, completed, withdrawn
		stepsReached = 5
	}
	d := reg
	if stepsReached >= 2 {
		d = d.AddDate(0, 0, 5+r.IntN(10))
		pr.ReviewedAt = at(r, d)
	}
	if stepsReached >= 3 {
		d = d.AddDate(0, 0, 2+r.IntN(5))
		pr.PublicizedAt = at(r, d)
	}
	if stepsReached >= 4 {
		d = d.AddDate(0, 0, 6+r.IntN(3)) // after a five-day notice
		pr.RecommendedAt = at(r, d)
	}
	if status == "rejected" {
		pr.RejectedAt = at(r, d.AddDate(0, 0, 1+r.IntN(14)))
		return pr
	}
	if stepsReached < 5 {
		return pr
	}
	d = d.AddDate(0, 0, 7+r.IntN(14))
	pr.AdmittedAt = at(r, d)
	in := -1
	for range 8 {
		t := pickCum(r, instTypeCum[band])
		if l := w.instsByType[t]; len(l) > 0 {
			in = l[r.IntN(len(l))]
			break
		}
	}
	if in < 0 {
		in = r.IntN(len(w.insts))
	}
	inst := &w.insts[in]
	pr.InstitutionID = inst.id
	if len(inst.mentors) > 0 {
		pr.MentorID = inst.mentors[r.IntN(len(inst.mentors))]
	}
	switch status {
	case "completed":
		end := e.end.AddDate(0, 0, -r.IntN(8))
		pr.CompletedAt = time.Date(end.Year(), end.Month(), end.Day(), 10, 0, 0, 0, cst)
		pr.Evaluation = evaluations.pick(r)
		comments := evaluationComments
		if role != "" {
			comments = teacherEvaluationComments
		}
		c := comments[pr.Evaluation]
		pr.EvaluationComment = c[r.IntN(len(c))]
		ev := end.AddDate(0, 0, -3-r.IntN(8))
		pr.EvaluatedAt = time.Date(ev.Year(), ev.Month(), ev.Day(), 15, r.IntN(60), 0, 0, cst)
	case "withdrawn":
		last := e.end
		if w.today.Before(last) {
			last = w.today
		}
		pr.WithdrawnAt = at(r, between(r, d.AddDate(0, 0, 30), last.AddDate(0, 0, -1)))
	}
	return pr
}

// student generates a student with their nominations, schools, destinations, awards and
// follow-ups.
func (g *batchGen) student(id int64) {
	w, r := g.w, g.r
	y := FirstYear + pickCum(r, yearWeights)
	band := pickCum(r, bandWeights)
	grade := gradeByBand[band].pick(r)
	si := w.nominate[band].pick(r)
	sc := &w.schools[si]
	entry := y - grade // the year the student entered grade 1 (September)
	birthFrom, birthTo := date(entry-7, time.September, 1), date(entry-6, time.August, 31)
	male := r.IntN(100) < 50
	if band == bandVocational {
		male = r.IntN(100) < 60
	}
	birth := between(r, birthFrom, birthTo)
	idn, birth := g.idNumber(g.idRegion(sc), birth, male, func() time.Time { return between(r, birthFrom, birthTo) })
	p := &person{id: id, birth: birth, male: male, school: si}
	name := string(pickSurname(r)) + givenName(r, male, false)

	// The school path from the nominating stage on: every change of school by today.
	path := g.studentPath(sc, si, band, entry, y)

	// Nominations: the first, and for about one in eight a second one to three years later.
	e1 := &w.eds[progJingke][y-FirstYear]
	parts := []store.SeedParticipation{g.participation(p, e1, sc, band, gradeKey(grade), "")}
	type nom struct {
		sy, school, grade int
	}
	noms := []nom{{y - 1, si, grade}}
	if parts[0].Status == "completed" && r.IntN(100) < 12 {
		var options []int
		for d := 1; d <= 3 && y+d <= LastYear; d++ {
			g2 := grade + d
			if (band == bandVocational && g2 <= 12) || (band != bandVocational && g2 >= 4 && g2 <= 9) {
				options = append(options, d)
			}
		}
		if len(options) > 0 {
			d := options[r.IntN(len(options))]
			y2, g2 := y+d, grade+d
			s2 := path.schoolAt(y2 - 1)
			b2 := band
			switch {
			case g2 >= 10:
				b2 = bandVocational
			case g2 >= 7:
				b2 = bandJunior
			default:
				b2 = bandPrimary
			}
			if s2 >= 0 && nominatesBand(b2, w.schools[s2].typ) {
				e2 := &w.eds[progJingke][y2-FirstYear]
				parts = append(parts, g.participation(p, e2, &w.schools[s2], b2, gradeKey(g2), ""))
				noms = append(noms, nom{y2 - 1, s2, g2})
				p.school = s2
			}
		}
	}

	// Follow-ups first: an opt-out ends what the school learns afterwards.
	var completed *ed
	for i := range parts {
		if parts[i].Status == "completed" {
			completed = g.edByID(parts[i].EditionID)
			break
		}
	}
	tracked := false
	for i := range parts {
		switch parts[i].Status {
		case "admitted", "completed", "withdrawn":
			tracked = true
		}
	}
	schoolID := w.schools[p.school].id
	schoolCode := w.schools[p.school].code
	if completed != nil {
		g.followUps(p, completed, false)
	}
	g.addPerson(p, name, idn, edition.AddYears(birth, 16).Before(w.today) && r.IntN(2) == 0,
		edition.AddYears(birth, 18).After(w.today), false)
	g.out.Participations = append(g.out.Participations, parts...)

	// School years: nominations, and the changes the school learned of.
	var rows []schoolYearRow
	for _, n := range noms {
		rows = append(rows, schoolYearRow{n.sy, n.school, gradeKey(n.grade), "participation"})
	}
	if !tracked {
		g.personSchools(p.id, rows)
		return
	}
	provincialPlus := g.awards(p, parts[0].CategoryCode, e1.start, band, false)
	for _, t := range path.moves {
		if t.on.After(w.today) || (!p.optOut.IsZero() && !t.on.Before(p.optOut)) || !t.on.After(e1.start) || !t.reported {
			continue
		}
		if t.school >= 0 && t.kind != "university" {
			rows = append(rows, schoolYearRow{t.sy, t.school, t.grade, t.source()})
		}
		if t.kind == "" {
			continue
		}
		d := store.SeedDestination{PersonID: p.id, SchoolID: schoolID, Type: t.kind, OrgName: t.orgName, Major: t.major,
			StartedOn: t.on, ReportedBy: schoolCode}
		if t.school >= 0 {
			d.OrgID = w.schools[t.school].id
			d.OrgName = w.schools[t.school].name
		} else if i, ok := w.instByName[t.orgName]; ok {
			d.OrgID = w.insts[i].id
		}
		g.out.Destinations = append(g.out.Destinations, d)
	}
	// 英才计划 during senior high, likelier after a provincial-or-higher award.
	if path.senior {
		chance := 3
		if provincialPlus {
			chance = 18
		}
		sy := entry + 9 + r.IntN(2)
		on := date(sy, time.November, 1).AddDate(0, 0, r.IntN(45))
		if r.IntN(100) < chance && on.After(e1.start) && !on.After(w.today) && (p.optOut.IsZero() || on.Before(p.optOut)) {
			subject := yingcaiSubjects[parts[0].CategoryCode]
			if subject == "" {
				subject = subjects[r.IntN(len(subjects))]
			}
			g.out.Destinations = append(g.out.Destinations, store.SeedDestination{PersonID: p.id, SchoolID: schoolID,
				Type: "yingcai", OrgName: "英才计划（" + yingcaiHosts[r.IntN(len(yingcaiHosts))] + "）", Major: subject,
				StartedOn: on, ReportedBy: schoolCode})
		}
	}
	g.personSchools(p.id, rows)
}

// personSchools writes one row per school year, a nomination winning over a change of
// school in the same year.
func (g *batchGen) personSchools(pid int64, rows []schoolYearRow) {
	rank := map[string]int{"participation": 0, "destination": 1, "manual": 2}
	slices.SortStableFunc(rows, func(a, b schoolYearRow) int {
		if a.sy != b.sy {
			return a.sy - b.sy
		}
		return rank[a.source] - rank[b.source]
	})
	last := -1
	for _, x := range rows {
		if x.sy == last {
			continue
		}
		last = x.sy
		g.out.PersonSchools = append(g.out.PersonSchools, store.SeedPersonSchool{PersonID: pid, SchoolYear: x.sy,
			SchoolID: g.w.schools[x.school].id, Grade: x.grade, Source: x.source})
	}
}

func (g *batchGen) edByID(id string) *ed {
	for p := range g.w.eds {
		for y := range g.w.eds[p] {
			if g.w.eds[p][y].id == id {
				return &g.w.eds[p][y]
			}
		}
	}
	return nil
}
