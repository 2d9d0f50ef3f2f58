package report

import "fmt"

// The groups and rates of each report under publication mode (publish.go). Every by_*
// and destinations object is a group: its total is either in the report or may be
// published elsewhere (the admitted + completed total of by_region, the program total of
// by_status …), so a lone withheld count in it is always protected.

// Publish puts the cohort report into publication mode. A window's counts are each of a
// different property of the cohort (none is a sum of others); its destinations by type
// form a group.
func (r *CohortReport) Publish() {
	var s suppressor
	s.count(&r.CohortSize)
	for i := range r.Windows {
		publishWindow(&s, &r.Windows[i])
	}
	r.Publication = s.run()
}

// publishWindow registers the counts of one cohort window and returns them by JSON key,
// for the shares of the cohort comparison.
func publishWindow(s *suppressor, w *CohortWindow) map[string]*cell {
	cells := map[string]*cell{
		"contacted":                  s.count(&w.Contacted),
		"awarded":                    s.count(&w.Awarded),
		"awarded_provincial_plus":    s.count(&w.AwardedProvincialPlus),
		"cumulative_provincial_plus": s.count(&w.CumulativeProvincialPlus),
		"yingcai_cumulative":         s.count(&w.YingcaiCumulative),
	}
	s.group(nil, s.counts(w.Destinations)...)
	return cells
}

// Publish puts the annual report into publication mode: every by_* object is a group;
// the coverage's regional alumni add up to the overall alumni, their contacted to the
// overall contacted; each rate is contacted over alumni.
func (r *AnnualReport) Publish() {
	var s suppressor
	for _, p := range []*ProgramFigures{&r.Participants.Jingke, &r.Participants.Jindaoshi} {
		for _, c := range []Counts{p.ByStatus, p.ByRegion, p.ByCategory, p.ByGradeBand, p.ByGender} {
			s.group(nil, s.counts(c)...)
		}
	}
	for _, c := range []Counts{r.Awards.ByLevel, r.Destinations.ByType, r.CareerMoves.ByReason} {
		s.group(nil, s.counts(c)...)
	}
	cov := &r.FollowUpCoverage
	alumni, contacted := s.count(&cov.Alumni), s.count(&cov.Contacted)
	s.rate("follow_up_coverage.rate", &cov.Rate, contacted, alumni)
	var regionAlumni, regionContacted []*cell
	for _, code := range sortedKeys(cov.ByRegion) {
		m, k := cov.ByRegion, code
		a := s.add(m[k].Alumni, func(v Count) { x := m[k]; x.Alumni = v; m[k] = x })
		c := s.add(m[k].Contacted, func(v Count) { x := m[k]; x.Contacted = v; m[k] = x })
		s.rateFunc(fmt.Sprintf("follow_up_coverage.by_region.%s.rate", k),
			func(v Ratio) { x := m[k]; x.Rate = v; m[k] = x }, c, a)
		regionAlumni, regionContacted = append(regionAlumni, a), append(regionContacted, c)
	}
	s.group(alumni, regionAlumni...)
	s.group(contacted, regionContacted...)
	r.Publication = s.run()
}

// Publish puts the cohort comparison into publication mode: the cohort report's rules
// for each edition's windows; each share is over that edition's cohort size.
func (r *ComparisonReport) Publish() {
	var s suppressor
	sizes := make(map[string]*cell, len(r.Editions))
	for i := range r.Editions {
		sizes[r.Editions[i].Edition] = s.count(&r.Editions[i].CohortSize)
	}
	for i := range r.Windows {
		for j := range r.Windows[i].ByEdition {
			w := &r.Windows[i].ByEdition[j]
			cells, n := publishWindow(&s, &w.CohortWindow), sizes[w.Edition]
			path := fmt.Sprintf("windows[%d].by_edition[%d].shares.", i, j)
			s.rate(path+"contacted", &w.Shares.Contacted, cells["contacted"], n)
			s.rate(path+"awarded", &w.Shares.Awarded, cells["awarded"], n)
			s.rate(path+"awarded_provincial_plus", &w.Shares.AwardedProvincialPlus, cells["awarded_provincial_plus"], n)
			s.rate(path+"cumulative_provincial_plus", &w.Shares.CumulativeProvincialPlus, cells["cumulative_provincial_plus"], n)
			s.rate(path+"yingcai_cumulative", &w.Shares.YingcaiCumulative, cells["yingcai_cumulative"], n)
		}
	}
	r.Publication = s.run()
}

// Publish puts the pipeline into publication mode: yingcai and talent_program are
// different properties of the cohort (not parts of it), so only the shares depend on
// the cohort size.
func (r *PipelineReport) Publish() {
	var s suppressor
	for i := range r.Editions {
		e := &r.Editions[i]
		n, y, t := s.count(&e.CohortSize), s.count(&e.Yingcai), s.count(&e.TalentProgram)
		s.rate(fmt.Sprintf("editions[%d].yingcai_share", i), &e.YingcaiShare, y, n)
		s.rate(fmt.Sprintf("editions[%d].talent_program_share", i), &e.TalentProgramShare, t, n)
	}
	r.Publication = s.run()
}

// leagueCells are the counts of one league line under suppression, by column.
type leagueCells [6]*cell

func publishLeagueLine(s *suppressor, path string, l *LeagueLine) leagueCells {
	c := leagueCells{s.count(&l.Alumni), s.count(&l.OptedOut), s.count(&l.Scheduled), s.count(&l.Contacted),
		s.count(&l.Due), s.count(&l.Overdue)}
	s.group(c[2], c[3], c[4]) // contacted + due = scheduled
	s.rate(path+".rate", &l.Rate, c[3], c[2])
	return c
}

// Publish puts the league into publication mode. It is a two-way table: in every column
// the schools of a city add up to the city and the cities to the total; in every line
// contacted and due add up to scheduled. Suppression repeats across lines and columns
// until nothing changes.
func (r *LeagueReport) Publish() {
	var s suppressor
	total := publishLeagueLine(&s, "total", &r.Total)
	cities := make(map[string]leagueCells, len(r.Cities))
	for i := range r.Cities {
		cities[r.Cities[i].CityCode] = publishLeagueLine(&s, fmt.Sprintf("cities[%d]", i), &r.Cities[i])
	}
	schools := map[string][]leagueCells{}
	for i := range r.Schools {
		c := publishLeagueLine(&s, fmt.Sprintf("schools[%d]", i), &r.Schools[i])
		schools[r.Schools[i].CityCode] = append(schools[r.Schools[i].CityCode], c)
	}
	for col := range total {
		var cityCol []*cell
		for _, code := range sortedKeys(cities) {
			cityCol = append(cityCol, cities[code][col])
			var schoolCol []*cell
			for _, sc := range schools[code] {
				schoolCol = append(schoolCol, sc[col])
			}
			s.group(cities[code][col], schoolCol...)
		}
		s.group(total[col], cityCol...)
	}
	r.Publication = s.run()
}

// Publish puts the teacher trajectories into publication mode: each figure is a
// different property of the cohort; the shares are over the cohort size.
func (r *TrajectoriesReport) Publish() {
	var s suppressor
	for i := range r.Editions {
		e := &r.Editions[i]
		n := s.count(&e.CohortSize)
		path := fmt.Sprintf("editions[%d].shares.", i)
		s.rate(path+"in_education", &e.Shares.InEducation, s.count(&e.InEducation), n)
		s.rate(path+"promoted", &e.Shares.Promoted, s.count(&e.Promoted), n)
		s.rate(path+"moved_city", &e.Shares.MovedCity, s.count(&e.MovedCity), n)
		s.rate(path+"awarded", &e.Shares.Awarded, s.count(&e.Awarded), n)
		s.rate(path+"awarded_provincial_plus", &e.Shares.AwardedProvincialPlus, s.count(&e.AwardedProvincialPlus), n)
	}
	r.Publication = s.run()
}

// Publish puts the awards series into publication mode: each year's by_level and
// by_category add up to its total.
func (r *AwardsOverTimeReport) Publish() {
	var s suppressor
	for i := range r.Years {
		y := &r.Years[i]
		total := s.count(&y.Total)
		s.group(total, s.counts(y.ByLevel)...)
		s.group(total, s.counts(y.ByCategory)...)
	}
	r.Publication = s.run()
}
