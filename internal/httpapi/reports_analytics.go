package httpapi

import (
	"net/http"
	"strings"

	"talentdb/internal/access"
	"talentdb/internal/report"
	"talentdb/internal/vocab"
)

// The analytics endpoints (GET /analytics/…): longitudinal questions over several
// cohorts, each one SQL statement in internal/report, read through the report door. Like
// the reports they take as_of, format (or Accept) and publish=true.

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
	rq := reportOpts(q, true)
	serveReport(w, r, q, func(c access.Caller) (report.ComparisonReport, error) {
		return s.doors.Reports.CohortComparison(r.Context(), c, editions, rq)
	}, "edition", "editions")
}

// programParam reads program, one of the programs; def when absent.
func programParam(q *query, def string) string {
	if v := q.enum("program", vocab.Programs.Keys()...); v != nil {
		return *v
	}
	return def
}

// yearsParam reads within_years, 3 when absent.
func yearsParam(q *query) int { return intParam(q, "within_years", 3) }

// yingcaiPipeline serves GET /analytics/yingcai-pipeline[?program=jingke][&within_years=3]
// [&as_of=]: per edition, the cohort and how many reached 英才计划 or another talent
// program within k years of the edition's end.
func (s *server) yingcaiPipeline(w http.ResponseWriter, r *http.Request) {
	q := reportQuery(r, "program", "within_years")
	program, k := programParam(q, "jingke"), yearsParam(q)
	rq := reportOpts(q, false)
	serveReport(w, r, q, func(c access.Caller) (report.PipelineReport, error) {
		return s.doors.Reports.YingcaiPipeline(r.Context(), c, program, k, rq)
	})
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
	rq := reportOpts(q, false)
	if region != nil {
		rq.Cut.Region = *region
	}
	serveReport(w, r, q, func(c access.Caller) (report.LeagueReport, error) {
		return s.doors.Reports.SchoolLeague(r.Context(), c, rq)
	})
}

// teacherTrajectories serves GET /analytics/teacher-trajectories[?within_years=3][&as_of=]:
// per 金导师 edition, who stayed in science education, was promoted, moved city, won
// awards, k years on.
func (s *server) teacherTrajectories(w http.ResponseWriter, r *http.Request) {
	q := reportQuery(r, "within_years")
	k := yearsParam(q)
	rq := reportOpts(q, false)
	serveReport(w, r, q, func(c access.Caller) (report.TrajectoriesReport, error) {
		return s.doors.Reports.TeacherTrajectories(r.Context(), c, k, rq)
	})
}

// awardsOverTime serves GET /analytics/awards-over-time[?from_year=][&to_year=]
// [&program=][&as_of=]: award records per year by level and by category. to_year
// defaults to as_of's year, from_year to four years before to_year (the door's rule).
func (s *server) awardsOverTime(w http.ResponseWriter, r *http.Request) {
	q := reportQuery(r, "from_year", "to_year", "program")
	program := programParam(q, "")
	rq := reportOpts(q, false)
	to, from := optInt(q, "to_year"), optInt(q, "from_year")
	serveReport(w, r, q, func(c access.Caller) (report.AwardsOverTimeReport, error) {
		return s.doors.Reports.AwardsOverTime(r.Context(), c, from, to, program, rq)
	})
}

// optInt reads an integer parameter, nil when absent.
func optInt(q *query, name string) *int {
	v := q.int(name)
	if v == nil {
		return nil
	}
	n := int(*v)
	return &n
}
