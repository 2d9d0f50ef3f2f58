-- The demo data's yearly cycle as the cycle's rules see it (docs/cycle.md), added after
-- SeedCycle (queries/seed.sql): objection outcomes, the notice each nominee was publicized
-- under, a few schools that began their summary evaluation early with the mentor's and the
-- school's assessments, their year summaries and exchange recommendations, and typical
-- cases. Pseudo-random by row id, so deterministic.

-- name: SeedCycleObjectionOutcomes :execrows
-- Objections resolved by the seed were dismissed (the nomination stood).
-- version and updated_at are set as the touch_row trigger would, so that a fast load (triggers
-- off, store.SeedTx.FastLoad) writes the same rows.
UPDATE objections SET outcome = 'dismissed', lodged_by = coalesce(lodged_by, resolved_by),
    version = version + 1, updated_at = now()
WHERE resolved_at IS NOT NULL AND outcome IS NULL;

-- name: SeedCycleExtraNotices :execrows
-- SeedCycle posts one notice per school, from its first nominee publicized; nominees
-- publicized after it ended were on a later notice of their own (分批公示): one from the
-- day they were publicized, six days long, for each such day.
INSERT INTO public_notices (edition_id, school_id, starts_on, ends_on)
SELECT DISTINCT p.edition_id, p.school_id, (p.publicized_at AT TIME ZONE 'Asia/Shanghai')::date,
       (p.publicized_at AT TIME ZONE 'Asia/Shanghai')::date + 5
FROM participations p
JOIN editions e ON e.id = p.edition_id
WHERE e.year = @year::int AND p.publicized_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM public_notices n
                  WHERE n.school_id = p.school_id AND n.edition_id = p.edition_id
                    AND (p.publicized_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN n.starts_on AND n.ends_on)
ORDER BY 1, 2, 3;

-- name: SeedCycleNoticeLinks :execrows
-- Each nominee of the cycle year that reached the notice, linked to the school's latest
-- notice that had started by the day they were publicized (which is open that day).
INSERT INTO public_notice_nominees (participation_id, notice_id, school_id)
SELECT DISTINCT ON (p.id) p.id, n.id, p.school_id
FROM participations p
JOIN editions e ON e.id = p.edition_id
JOIN public_notices n ON n.school_id = p.school_id AND n.edition_id = p.edition_id
    AND n.starts_on <= (p.publicized_at AT TIME ZONE 'Asia/Shanghai')::date
WHERE e.year = @year::int AND p.publicized_at IS NOT NULL
ORDER BY p.id, n.starts_on DESC, n.id DESC;

-- name: SeedCycleEarlySummary :execrows
-- About one in twenty approved jingke schools of the cycle year scheduled their summary
-- evaluation from November 1: their daily management ends on October 31.
UPDATE application_phases ph SET
    starts_on = CASE ph.phase WHEN 'summary_evaluation' THEN make_date(@year::int, 11, 1) ELSE ph.starts_on END,
    ends_on = CASE ph.phase WHEN 'daily_management' THEN make_date(@year::int, 10, 31) ELSE ph.ends_on END
FROM applications a
JOIN editions e ON e.id = a.edition_id
WHERE ph.application_id = a.id AND ph.phase IN ('daily_management', 'summary_evaluation')
  AND e.year = @year::int AND e.program = 'jingke' AND a.status = 'approved'
  AND (a.id * 2654435761) % 100 < 5;

-- name: SeedCycleAssessments :execrows
-- The mentor's and then the school's assessment of each admitted participant of the
-- early schools, in November up to today: a quarter excellent, one in ten fail, the rest
-- pass; the mentor's grade mostly agrees with the school's.
INSERT INTO participation_assessments (participation_id, school_id, by_role, evaluation, comment, assessed_by, assessed_at)
SELECT p.id, p.school_id, r.by_role,
       CASE WHEN r.by_role = 'mentor' AND (p.id * 7) % 10 = 0 AND g.grade = 'pass' THEN 'excellent' ELSE g.grade END,
       CASE r.by_role
           WHEN 'mentor' THEN (ARRAY['研究兴趣浓厚，能独立完成实验记录。', '按时完成导师布置的任务，表达清晰。',
                                     '动手能力强，作品有创意。', '需加强文献阅读和数据整理。'])[1 + p.id % 4]
           ELSE (ARRAY['全年按计划参加培养，成长日志记录完整。', '积极参加学校组织的培训与交流活动。',
                       '在导师指导下完成了结题作品。'])[1 + p.id % 3] END,
       CASE r.by_role WHEN 'mentor' THEN m.name ELSE o.code END,
       ((make_date(@year::int, 11, 1) + r.day_from + ((p.id * 13) % 10)::int) + time '16:00') AT TIME ZONE 'Asia/Shanghai'
FROM participations p
JOIN editions e ON e.id = p.edition_id
JOIN applications a ON a.edition_id = p.edition_id AND a.school_id = p.school_id
JOIN application_phases ph ON ph.application_id = a.id AND ph.phase = 'summary_evaluation'
JOIN organizations o ON o.id = p.school_id
JOIN mentors m ON m.id = p.mentor_id
CROSS JOIN LATERAL (SELECT CASE WHEN (p.id * 2654435761) % 20 < 5 THEN 'excellent'
                                WHEN (p.id * 2654435761) % 20 < 7 THEN 'fail' ELSE 'pass' END AS grade) g
CROSS JOIN (VALUES ('mentor', 1), ('school', 14)) AS r (by_role, day_from)
WHERE e.year = @year::int AND p.status = 'admitted' AND ph.starts_on = make_date(@year::int, 11, 1)
  AND make_date(@year::int, 11, 1) + r.day_from + ((p.id * 13) % 10)::int < @today::date
ORDER BY p.id, r.day_from;

-- name: SeedCycleEvaluations :execrows
-- The school's assessment is the final evaluation: pass or excellent completes the
-- participation, fail keeps it admitted.
UPDATE participations p SET evaluation = pa.evaluation, evaluation_comment = pa.comment, evaluated_at = pa.assessed_at,
    status = CASE WHEN pa.evaluation IN ('excellent', 'pass') THEN 'completed' ELSE p.status END,
    completed_at = CASE WHEN pa.evaluation IN ('excellent', 'pass') THEN pa.assessed_at ELSE p.completed_at END,
    version = p.version + 1, updated_at = now() -- as touch_row would (see SeedCycleObjectionOutcomes)
FROM participation_assessments pa, editions e
WHERE pa.participation_id = p.id AND pa.by_role = 'school' AND e.id = p.edition_id
  AND e.year = @year::int AND p.status = 'admitted';

-- name: SeedCycleYearSummaries :execrows
-- The early schools' year summaries: submitted once every participant is assessed.
INSERT INTO year_summaries (edition_id, school_id, content, submitted_at)
SELECT p.edition_id, p.school_id,
       '本年度共培养学员' || count(*) || '名，' || count(*) FILTER (WHERE p.status = 'completed') || '名结业，其中'
           || count(*) FILTER (WHERE p.evaluation = 'excellent') || '名评为优秀。学校提前于11月启动总结评估，'
           || '按计划完成了选拔、日常管理各阶段工作。',
       max(p.evaluated_at) + interval '1 day'
FROM participations p
JOIN editions e ON e.id = p.edition_id
WHERE e.year = @year::int AND p.evaluated_at IS NOT NULL
GROUP BY p.edition_id, p.school_id
HAVING max(p.evaluated_at) + interval '1 day' <= @today::date
ORDER BY p.edition_id, p.school_id
ON CONFLICT (edition_id, school_id) DO NOTHING;

-- name: SeedCycleExchanges :execrows
-- Half of the early schools' excellent students are recommended to the winter camp.
INSERT INTO exchange_recommendations (participation_id, school_id, activity, recommended_on, recommended_by)
SELECT p.id, p.school_id, '四川省青少年科技创新冬令营', (p.evaluated_at AT TIME ZONE 'Asia/Shanghai')::date + 1, 'OFFICE'
FROM participations p
JOIN editions e ON e.id = p.edition_id
WHERE e.year = @year::int AND p.evaluation = 'excellent' AND p.id % 2 = 0
  AND (p.evaluated_at AT TIME ZONE 'Asia/Shanghai')::date + 1 <= @today::date
ORDER BY p.id;

-- name: SeedCycleTypicalCases :execrows
-- Typical cases (典型案例): about one in ten excellent alumni of earlier editions with a
-- provincial-or-higher award, reported by their school a month after the award.
WITH picked AS (
    SELECT DISTINCT ON (p.id) p.id AS participation_id, p.person_id, p.school_id, p.edition_id, pe.name,
           c.name_zh AS category, a.competition, a.awarded_on
    FROM participations p
    JOIN editions e ON e.id = p.edition_id
    JOIN persons pe ON pe.id = p.person_id
    JOIN categories c ON c.code = p.category_code
    JOIN awards a ON a.person_id = p.person_id AND a.level IN ('provincial', 'national', 'international')
        AND a.verification <> 'rejected' AND a.awarded_on >= e.starts_on
    WHERE e.year < @year::int AND p.status = 'completed' AND p.evaluation = 'excellent'
      AND (p.id * 2654435761) % 10 = 0 AND a.awarded_on + 30 <= @today::date
    ORDER BY p.id, a.awarded_on
), numbered AS (
    SELECT picked.*, nextval(pg_get_serial_sequence('typical_cases', 'id')) AS case_id
    FROM picked ORDER BY participation_id
), cases AS (
    INSERT INTO typical_cases (id, edition_id, school_id, title, body, reported_on, reported_by)
    OVERRIDING SYSTEM VALUE
    SELECT case_id, edition_id, school_id,
           name || '：从' || category || '兴趣到' || competition,
           name || '同学在“菁科计划”培养期间，在导师指导下持续开展' || category || '方面的探究，'
               || '坚持填写成长日志，后在' || competition || '中获奖。学校将其经历在家长会和校园媒体中宣传。',
           awarded_on + 30, 'seed'
    FROM numbered
    RETURNING id
)
INSERT INTO typical_case_persons (case_id, person_id)
SELECT n.case_id, n.person_id FROM numbered n JOIN cases c ON c.id = n.case_id;
