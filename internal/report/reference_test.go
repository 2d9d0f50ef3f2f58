package report_test

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/edition"
	"talentdb/internal/report"
)

// The reference below recomputes the three reports from the contract's words, in plain
// Go over every row of the tables, and must agree with the SQL on generated data that
// has merged persons, deleted and rejected records and every consent state.

type refPerson struct {
	name, gender, consent, masked string
	merged                        bool
}

type refEdition struct {
	program        string
	year           int
	startsOn, ends time.Time
}

type refPart struct {
	person                                    int64
	edition, program, category, grade, status string
	school                                    int64
}

// refEvent is an award (key = level), destination (type), career move (reason) or
// follow-up (outcome) that counts: not deleted, not rejected, of a person not merged
// (follow-ups of merged persons are kept; merged persons never reach a listing).
type refEvent struct {
	person int64
	key    string
	on     time.Time
}

type refData struct {
	persons                     map[int64]refPerson
	orgCode, orgCity            map[int64]string
	editions                    map[string]refEdition
	parts                       []refPart
	awards, dests, moves, follo []refEvent
}

func loadRef(t *testing.T, f *fixture) refData {
	t.Helper()
	ctx := context.Background()
	query := func(sql string, scan func(pgx.Rows) error) {
		rows, err := f.st.Pool.Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	d := refData{persons: map[int64]refPerson{}, orgCode: map[int64]string{}, orgCity: map[int64]string{},
		editions: map[string]refEdition{}}
	query(`SELECT id, name, gender, consent_state, id_masked, merged_into IS NOT NULL FROM persons`, func(r pgx.Rows) error {
		var id int64
		var p refPerson
		err := r.Scan(&id, &p.name, &p.gender, &p.consent, &p.masked, &p.merged)
		d.persons[id] = p
		return err
	})
	query(`SELECT id, code, region_code FROM organizations`, func(r pgx.Rows) error {
		var id int64
		var code, region string
		err := r.Scan(&id, &code, &region)
		d.orgCode[id], d.orgCity[id] = code, region[:4]+"00"
		return err
	})
	query(`SELECT id, program, year, starts_on, ends_on FROM editions`, func(r pgx.Rows) error {
		var id string
		var e refEdition
		err := r.Scan(&id, &e.program, &e.year, &e.startsOn, &e.ends)
		d.editions[id] = e
		return err
	})
	query(`SELECT person_id, edition_id, program, category_code, coalesce(grade, ''), status, school_id FROM participations`,
		func(r pgx.Rows) error {
			var p refPart
			err := r.Scan(&p.person, &p.edition, &p.program, &p.category, &p.grade, &p.status, &p.school)
			d.parts = append(d.parts, p)
			return err
		})
	events := func(sql string, keepMerged bool) []refEvent {
		var out []refEvent
		query(sql, func(r pgx.Rows) error {
			var e refEvent
			var deleted bool
			if err := r.Scan(&e.person, &e.key, &e.on, &deleted); err != nil {
				return err
			}
			if !deleted && (keepMerged || !d.persons[e.person].merged) {
				out = append(out, e)
			}
			return nil
		})
		return out
	}
	d.awards = events(`SELECT person_id, level, awarded_on, deleted_at IS NOT NULL OR verification = 'rejected' FROM awards`, false)
	d.dests = events(`SELECT person_id, type, started_on, deleted_at IS NOT NULL FROM destinations`, false)
	d.moves = events(`SELECT person_id, coalesce(reason, ''), started_on, deleted_at IS NOT NULL FROM career_moves`, false)
	d.follo = events(`SELECT person_id, outcome, contacted_on, deleted_at IS NOT NULL FROM follow_ups`, true)
	return d
}

func between(d, from, to time.Time) bool { return !d.Before(from) && !d.After(to) }

func provincialPlus(level string) bool {
	return level == "provincial" || level == "national" || level == "international"
}

func (d refData) cohort(id string, asOf time.Time) report.CohortReport {
	e := d.editions[id]
	members := map[int64]bool{}
	for _, p := range d.parts {
		if p.edition == id && (p.status == "admitted" || p.status == "completed") && !d.persons[p.person].merged {
			members[p.person] = true
		}
	}
	r := report.CohortReport{Edition: id, AsOf: asOf.Format(time.DateOnly), CohortSize: report.Count(len(members)),
		Windows: []report.CohortWindow{}}
	for k := 0; ; k++ {
		win := edition.WindowK(e.startsOn, e.ends, k)
		if win.From.After(asOf) {
			break
		}
		upto := win.To
		if asOf.Before(upto) {
			upto = asOf
		}
		persons := func(evs []refEvent, keep func(refEvent) bool) report.Count {
			seen := map[int64]bool{}
			for _, ev := range evs {
				if members[ev.person] && keep(ev) {
					seen[ev.person] = true
				}
			}
			return report.Count(len(seen))
		}
		in := func(ev refEvent) bool { return between(ev.on, win.From, upto) }
		sofar := func(ev refEvent) bool { return between(ev.on, e.startsOn, upto) }
		w := report.CohortWindow{K: k, From: win.From.Format(time.DateOnly), To: win.To.Format(time.DateOnly),
			Partial:               !asOf.After(win.To),
			Contacted:             persons(d.follo, func(ev refEvent) bool { return ev.key == "reached" && in(ev) }),
			Awarded:               persons(d.awards, in),
			AwardedProvincialPlus: persons(d.awards, func(ev refEvent) bool { return provincialPlus(ev.key) && in(ev) }),
			CumulativeProvincialPlus: persons(d.awards, func(ev refEvent) bool {
				return provincialPlus(ev.key) && sofar(ev)
			}),
			YingcaiCumulative: persons(d.dests, func(ev refEvent) bool { return ev.key == "yingcai" && sofar(ev) }),
			Destinations:      report.Counts{}}
		for _, ev := range d.dests {
			if members[ev.person] && in(ev) {
				w.Destinations[ev.key]++
			}
		}
		r.Windows = append(r.Windows, w)
		if w.Partial {
			break
		}
	}
	return r
}

func (d refData) annual(year int, asOf time.Time) report.AnnualReport {
	y0 := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	y1 := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	if asOf.Before(y1) {
		y1 = asOf
	}
	bands := map[string]string{"K": "preschool", "4": "primary", "5": "primary", "6": "primary", "7": "junior",
		"8": "junior", "9": "junior", "V1": "vocational", "V2": "vocational", "V3": "vocational"}
	program := func(prog string) report.ProgramFigures {
		sets := map[string]map[string]map[int64]bool{}
		add := func(dim, key string, person int64) {
			if sets[dim] == nil {
				sets[dim] = map[string]map[int64]bool{}
			}
			if sets[dim][key] == nil {
				sets[dim][key] = map[int64]bool{}
			}
			sets[dim][key][person] = true
		}
		for _, p := range d.parts {
			if p.program != prog || d.editions[p.edition].year != year || d.persons[p.person].merged {
				continue
			}
			add("status", p.status, p.person)
			if p.status != "admitted" && p.status != "completed" {
				continue
			}
			add("region", d.orgCity[p.school], p.person)
			add("category", p.category, p.person)
			band := bands[p.grade]
			if prog == "jindaoshi" {
				band = "teacher"
			}
			if band != "" {
				add("band", band, p.person)
			}
			add("gender", d.persons[p.person].gender, p.person)
		}
		counts := func(dim string) report.Counts {
			c := report.Counts{}
			for k, s := range sets[dim] {
				c[k] = report.Count(len(s))
			}
			return c
		}
		return report.ProgramFigures{ByStatus: counts("status"), ByRegion: counts("region"),
			ByCategory: counts("category"), ByGradeBand: counts("band"), ByGender: counts("gender")}
	}
	records := func(evs []refEvent) report.Counts {
		c := report.Counts{}
		for _, ev := range evs {
			if ev.key != "" && between(ev.on, y0, y1) {
				c[ev.key]++
			}
		}
		return c
	}
	// alumni: the region of the alumni-making participation whose edition ends last
	type place struct {
		ends    time.Time
		edition string
		city    string
	}
	alumni := map[int64]place{}
	for _, p := range d.parts {
		e := d.editions[p.edition]
		if p.status != "completed" || !e.ends.Before(y0.AddDate(1, 0, 0)) || d.persons[p.person].merged {
			continue
		}
		pl := place{e.ends, p.edition, d.orgCity[p.school]}
		old, ok := alumni[p.person]
		if !ok || pl.ends.After(old.ends) || (pl.ends.Equal(old.ends) && pl.edition > old.edition) {
			alumni[p.person] = pl
		}
	}
	reached := map[int64]bool{}
	for _, ev := range d.follo {
		if ev.key == "opted_out" && ev.on.Before(y0) && !ev.on.After(asOf) {
			delete(alumni, ev.person)
		}
	}
	for _, ev := range d.follo {
		if ev.key == "reached" && between(ev.on, y0, y1) {
			reached[ev.person] = true
		}
	}
	rate := func(c, a report.Count) report.Ratio {
		if a == 0 {
			return 0
		}
		return report.Ratio(float64(c) / float64(a))
	}
	cov := report.Coverage{ByRegion: map[string]report.RegionCoverage{}}
	for person, pl := range alumni {
		rc := cov.ByRegion[pl.city]
		rc.Alumni++
		cov.Alumni++
		if reached[person] {
			rc.Contacted++
			cov.Contacted++
		}
		cov.ByRegion[pl.city] = rc
	}
	for city, rc := range cov.ByRegion {
		rc.Rate = rate(rc.Contacted, rc.Alumni)
		cov.ByRegion[city] = rc
	}
	cov.Rate = rate(cov.Contacted, cov.Alumni)
	return report.AnnualReport{Year: year, AsOf: asOf.Format(time.DateOnly),
		Participants: report.Participants{Jingke: program("jingke"), Jindaoshi: program("jindaoshi")},
		Awards:       report.AwardFigures{ByLevel: records(d.awards)}, Destinations: report.DestinationFigures{ByType: records(d.dests)},
		CareerMoves: report.CareerMoveFigures{ByReason: records(d.moves)}, FollowUpCoverage: cov}
}

func (d refData) due(f report.DueFilter) report.DueReport {
	latest := map[int64]refPart{}
	for _, p := range d.parts {
		if p.status != "completed" {
			continue
		}
		old, ok := latest[p.person]
		e, oe := d.editions[p.edition], d.editions[old.edition]
		if !ok || e.ends.After(oe.ends) || (e.ends.Equal(oe.ends) && p.edition > old.edition) {
			latest[p.person] = p
		}
	}
	byPerson := map[int64][]refEvent{}
	for _, ev := range d.follo {
		if !ev.on.After(f.AsOf) {
			byPerson[ev.person] = append(byPerson[ev.person], ev)
		}
	}
	r := report.DueReport{AsOf: f.AsOf.Format(time.DateOnly), School: f.SchoolCode, Region: f.RegionCode,
		Persons: []report.DuePerson{}}
	for person, p := range latest {
		pp := d.persons[person]
		if pp.merged || (pp.consent != "not_required" && pp.consent != "granted") ||
			(f.SchoolCode != "" && d.orgCode[p.school] != f.SchoolCode) ||
			(f.RegionCode != "" && d.orgCity[p.school] != f.RegionCode[:4]+"00") {
			continue
		}
		e := d.editions[p.edition]
		k := 0
		for i := 1; i <= 10; i++ {
			if w := edition.WindowK(e.startsOn, e.ends, i); between(f.AsOf, w.From, w.To) {
				k = i
			}
		}
		if k == 0 {
			continue
		}
		win := edition.WindowK(e.startsOn, e.ends, k)
		met := func(from, to time.Time) bool {
			return slices.ContainsFunc(byPerson[person], func(ev refEvent) bool {
				return (ev.key == "reached" || ev.key == "declined") && between(ev.on, from, to)
			})
		}
		if met(win.From, f.AsOf) || slices.ContainsFunc(byPerson[person], func(ev refEvent) bool { return ev.key == "opted_out" }) {
			continue
		}
		prev := edition.WindowK(e.startsOn, e.ends, k-1)
		var last *time.Time
		for _, ev := range byPerson[person] {
			if last == nil || ev.on.After(*last) {
				on := ev.on
				last = &on
			}
		}
		var lastS *string
		if last != nil {
			s := last.Format(time.DateOnly)
			lastS = &s
		}
		r.Persons = append(r.Persons, report.DuePerson{PersonID: person, IDNumberMasked: pp.masked, Name: pp.name,
			Edition: p.edition, K: k, WindowFrom: win.From.Format(time.DateOnly), WindowTo: win.To.Format(time.DateOnly),
			Due: true, Overdue: k >= 2 && !met(prev.From, prev.To), LastContactedOn: lastS})
	}
	slices.SortFunc(r.Persons, func(a, b report.DuePerson) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		switch {
		case a.LastContactedOn == nil && b.LastContactedOn != nil:
			return -1
		case a.LastContactedOn != nil && b.LastContactedOn == nil:
			return 1
		case a.LastContactedOn != nil && *a.LastContactedOn != *b.LastContactedOn:
			return cmp.Compare(*a.LastContactedOn, *b.LastContactedOn)
		}
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.PersonID, b.PersonID))
	})
	for _, p := range r.Persons {
		if p.Overdue {
			r.OverdueCount++
		}
	}
	r.DueCount = len(r.Persons)
	return r
}

func TestReportsMatchReference(t *testing.T) {
	t.Parallel()
	f := genData(t, 800, 7)
	ref := loadRef(t, f)
	asOfs := []string{"2019-02-28", "2020-02-29", "2021-03-01", "2023-06-30", "2025-02-28", "2026-06-30", "2031-01-01"}
	for id := range ref.editions {
		for _, a := range asOfs {
			got, err := report.Cohort(f.ctx, f.st, id, day(a))
			if err != nil {
				t.Fatal(err)
			}
			if want := ref.cohort(id, day(a)); !reflect.DeepEqual(got, want) {
				t.Errorf("cohort %s on %s:\n got %+v\nwant %+v", id, a, got, want)
			}
		}
	}
	for year := 2018; year <= 2027; year++ {
		for _, a := range []string{fmt.Sprintf("%d-07-15", year), "2026-06-30"} {
			got, err := report.Annual(f.ctx, f.st, year, day(a))
			if err != nil {
				t.Fatal(err)
			}
			if want := ref.annual(year, day(a)); !reflect.DeepEqual(got, want) {
				t.Errorf("annual %d on %s:\n got %+v\nwant %+v", year, a, got, want)
			}
		}
	}
	for _, a := range asOfs {
		for _, filter := range []report.DueFilter{{}, {SchoolCode: "B001"}, {SchoolCode: "B002"}, {RegionCode: "510703"},
			{RegionCode: "510100"}} {
			filter.AsOf = day(a)
			got, err := report.FollowUpsDue(f.ctx, f.st, filter)
			if err != nil {
				t.Fatal(err)
			}
			want := ref.due(filter)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("due %+v: got %d persons (%d overdue), want %d (%d)", filter, got.DueCount, got.OverdueCount,
					want.DueCount, want.OverdueCount)
				for i := range min(len(got.Persons), len(want.Persons)) {
					if !reflect.DeepEqual(got.Persons[i], want.Persons[i]) {
						t.Errorf("first difference at %d:\n got %+v\nwant %+v", i, got.Persons[i], want.Persons[i])
						break
					}
				}
			}
		}
	}
}
