package seed

import "testing"

// TestCycleRulesHoldInDemo: the demo's 2026 cycle is one the cycle's rules could have
// produced (docs/cycle.md): every nominee who reached the notice is linked to a notice open
// the day they were publicized and was recommended after it ended; objections lie within
// the notice and are resolved with an outcome; completions follow a passing school
// assessment made after the mentor's, within the school's summary phase; and the demo has
// returned applications, a fail that stayed admitted and typical cases linked to people.
func TestCycleRulesHoldInDemo(t *testing.T) {
	t.Parallel()
	st := seeded(t, Options{Seed: 1, Scale: Scales[0]}) // small: large enough for a fail among the early schools
	zero := []string{
		`SELECT count(*) FROM participations p JOIN editions e ON e.id = p.edition_id
		   WHERE e.year = 2026 AND p.publicized_at IS NOT NULL
		     AND NOT EXISTS (SELECT 1 FROM public_notice_nominees nn JOIN public_notices n ON n.id = nn.notice_id
		       WHERE nn.participation_id = p.id
		         AND (p.publicized_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN n.starts_on AND n.ends_on)`,
		`SELECT count(*) FROM public_notice_nominees nn JOIN participations p ON p.id = nn.participation_id
		   JOIN public_notices n ON n.id = nn.notice_id
		   WHERE (p.recommended_at AT TIME ZONE 'Asia/Shanghai')::date <= n.ends_on`,
		`SELECT count(*) FROM objections o JOIN public_notice_nominees nn ON nn.participation_id = o.participation_id
		   JOIN public_notices n ON n.id = nn.notice_id
		   WHERE o.lodged_on NOT BETWEEN n.starts_on AND n.ends_on OR o.resolved_at IS NULL OR o.outcome IS NULL`,
		// every 2026 evaluation is the school's assessment, after the mentor's, in the summary phase
		`SELECT count(*) FROM participations p JOIN editions e ON e.id = p.edition_id
		   WHERE e.year = 2026 AND p.evaluation IS NOT NULL AND NOT EXISTS (
		     SELECT 1 FROM participation_assessments s
		     JOIN participation_assessments m ON m.participation_id = s.participation_id AND m.by_role = 'mentor'
		     JOIN applications a ON a.edition_id = p.edition_id AND a.school_id = p.school_id AND a.status = 'approved'
		     JOIN application_phases ph ON ph.application_id = a.id AND ph.phase = 'summary_evaluation'
		     WHERE s.participation_id = p.id AND s.by_role = 'school' AND s.evaluation = p.evaluation
		       AND m.assessed_at < s.assessed_at AND (m.assessed_at AT TIME ZONE 'Asia/Shanghai')::date >= ph.starts_on)`,
		`SELECT count(*) FROM participations p JOIN editions e ON e.id = p.edition_id
		   WHERE e.year = 2026 AND ((p.status = 'completed') <> (p.evaluation IN ('pass', 'excellent')))`,
		"SELECT count(*) FROM participation_assessments WHERE assessed_at > '2026-11-29'",
		"SELECT count(*) FROM year_summaries WHERE submitted_at > '2026-11-29'",
		"SELECT count(*) FROM typical_cases c WHERE reported_on > '2026-11-28' OR NOT EXISTS (SELECT 1 FROM typical_case_persons cp WHERE cp.case_id = c.id)",
		`SELECT count(*) FROM application_phases ph JOIN applications a ON a.id = ph.application_id
		   JOIN editions e ON e.id = a.edition_id WHERE ph.starts_on < e.starts_on OR ph.ends_on > e.ends_on`,
	}
	for _, q := range zero {
		if n := count(t, st, q); n != 0 {
			t.Errorf("%d rows break a rule of the cycle:\n%s", n, q)
		}
	}
	some := []string{
		"SELECT count(*) FROM applications WHERE status = 'returned' AND review_comment IS NOT NULL",
		"SELECT count(*) FROM objections WHERE outcome = 'dismissed'",
		"SELECT count(*) FROM participations WHERE edition_id LIKE '%-2026' AND status = 'completed'",
		"SELECT count(*) FROM participations WHERE edition_id LIKE '%-2026' AND status = 'admitted' AND evaluation = 'fail'",
		"SELECT count(*) FROM growth_logs g JOIN participations p ON p.id = g.participation_id WHERE p.edition_id LIKE '%-2026'",
		"SELECT count(*) FROM tasks t JOIN participations p ON p.id = t.participation_id WHERE p.edition_id LIKE '%-2026'",
		"SELECT count(*) FROM year_summaries WHERE edition_id LIKE '%-2026' AND submitted_at IS NOT NULL",
		"SELECT count(*) FROM typical_case_persons",
	}
	for _, q := range some {
		if n := count(t, st, q); n == 0 {
			t.Errorf("the demo has none of:\n%s", q)
		}
	}
}
