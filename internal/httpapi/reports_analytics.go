package httpapi

import (
	"net/http"
	"strings"

	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// The analytics endpoints (GET /analytics/…): longitudinal questions over several
// cohorts, each one SQL statement in internal/report. Like the reports they take as_of,
// format (or Accept) and publish=true.

// cohortComparison serves GET /analytics/cohort-comparison?editions=ID,ID,…[&as_of=]
// [&region=][&school=][&category=]: the cohort reports side by side on the same windows k.
func (s *server) cohortComparison(w http.ResponseWriter, r *http.Request) {
	q := reportQuery(r, append(cutParams, "editions")...)
	var editions []string
	if v := q.str("editions"); v == nil {
		q.add("editions", "required", "需要 editions（逗号分隔的年度） / editions is required: edition IDs separated by commas")
	} else {
		for _, e := range strings.Split(*v, ",") {
			if e = strings.TrimSpace(e); e != "" {
				editions = append(editions, e)
			}
		}
	}
	asOf, publish, cut := asOfParam(q), publishParam(q), cutParam(q)
	f, ferr := formatParam(q, r)
	if q.err() != nil || ferr != nil {
		fail(w, r, firstProblem(q.err(), ferr))
		return
	}
	rep, err := report.CohortComparison(r.Context(), s.store, editions, asOf, cut)
	if err != nil {
		failReport(w, r, err, "edition", "editions")
		return
	}
	if publish {
		rep.Publish()
	}
	respondReport(w, r, f, &rep)
}

// yingcaiPipeline serves GET /analytics/yingcai-pipeline[?program=jingke][&within_years=3]
// [&as_of=]: per edition, the cohort and how many reached 英才计划 or another talent
// program within k years of the edition's end.
func (s *server) yingcaiPipeline(w http.ResponseWriter, r *http.Request) {
	q := reportQuery(r, "program", "within_years")
	program := "jingke"
	if v := q.enum("program", vocab.Programs.Keys()...); v != nil {
		program = *v
	}
	k := intParam(q, "within_years", 3)
	asOf, publish := asOfParam(q), publishParam(q)
	f, ferr := formatParam(q, r)
	if q.err() != nil || ferr != nil {
		fail(w, r, firstProblem(q.err(), ferr))
		return
	}
	rep, err := report.YingcaiPipeline(r.Context(), s.store, program, k, asOf)
	if err != nil {
		failReport(w, r, err)
		return
	}
	if publish {
		rep.Publish()
	}
	respondReport(w, r, f, &rep)
}

// schoolLeague serves GET /analytics/school-league[?as_of=][&region=]: per school and per
// city, alumni, scheduled, contacted, due, overdue and the coverage rate, by the
// follow-up schedule's rules.
func (s *server) schoolLeague(w http.ResponseWriter, r *http.Request) {
	q := reportQuery(r, "region")
	region := q.str("region")
	if region != nil && !reRegion.MatchString(*region) {
		q.add("region", "format", "region 必须是 6 位行政区划代码 / region must be a 6-digit GB/T 2260 code")
	}
	asOf, publish := asOfParam(q), publishParam(q)
	f, ferr := formatParam(q, r)
	if q.err() != nil || ferr != nil {
		fail(w, r, firstProblem(q.err(), ferr))
		return
	}
	reg := ""
	if region != nil {
		reg = *region
	}
	rep, err := report.SchoolLeague(r.Context(), s.store, reg, asOf)
	if err != nil {
		failReport(w, r, err)
		return
	}
	if publish {
		rep.Publish()
	}
	respondReport(w, r, f, &rep)
}

// teacherTrajectories serves GET /analytics/teacher-trajectories[?within_years=3][&as_of=]:
// per 金导师 edition, who stayed in science education, was promoted, moved city, won
// awards, k years on.
func (s *server) teacherTrajectories(w http.ResponseWriter, r *http.Request) {
	q := reportQuery(r, "within_years")
	k := intParam(q, "within_years", 3)
	asOf, publish := asOfParam(q), publishParam(q)
	f, ferr := formatParam(q, r)
	if q.err() != nil || ferr != nil {
		fail(w, r, firstProblem(q.err(), ferr))
		return
	}
	rep, err := report.TeacherTrajectories(r.Context(), s.store, k, asOf)
	if err != nil {
		failReport(w, r, err)
		return
	}
	if publish {
		rep.Publish()
	}
	respondReport(w, r, f, &rep)
}

// awardsOverTime serves GET /analytics/awards-over-time[?from_year=][&to_year=]
// [&program=][&as_of=]: award records per year by level and by category. to_year
// defaults to as_of's year, from_year to four years before to_year.
func (s *server) awardsOverTime(w http.ResponseWriter, r *http.Request) {
	q := reportQuery(r, "from_year", "to_year", "program")
	program := ""
	if v := q.enum("program", vocab.Programs.Keys()...); v != nil {
		program = *v
	}
	asOf, publish := asOfParam(q), publishParam(q)
	to := intParam(q, "to_year", asOf.Year())
	from := intParam(q, "from_year", to-4)
	f, ferr := formatParam(q, r)
	if q.err() != nil || ferr != nil {
		fail(w, r, firstProblem(q.err(), ferr))
		return
	}
	rep, err := report.AwardsOverTime(r.Context(), s.store, from, to, program, asOf)
	if err != nil {
		failReport(w, r, err)
		return
	}
	if publish {
		rep.Publish()
	}
	respondReport(w, r, f, &rep)
}
