-- Longitudinal analytics (GET /api/v1/analytics/…), one statement each. docs/reports.md
-- defines every figure; the Go side (internal/report) only reshapes the rows. The cohort
-- comparison has no query of its own: it runs ReportCohortWindows over several editions.

-- name: ReportYingcaiPipeline :many
-- Per edition of @program that has started by @as_of: the cohort (admitted or completed,
-- not merged) and how many of them reached 英才计划 (a destination of type yingcai) or
-- another talent program (type talent_program) dated from the edition's starts_on up to
-- ends_on + @within_years years (and on or before @as_of).
WITH ed AS (
    SELECT e.id, e.starts_on, e.ends_on,
           (e.ends_on + make_interval(years => @within_years::int))::date AS until_on
    FROM editions e
    WHERE e.program = @program::text AND e.starts_on <= @as_of::date
),
cohort AS (
    SELECT pa.edition_id, pa.person_id
    FROM ed
    JOIN participations pa ON pa.edition_id = ed.id
    JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
    WHERE pa.status IN ('admitted', 'completed')
),
reached AS (
    SELECT c.edition_id,
           count(DISTINCT c.person_id) FILTER (WHERE d.type = 'yingcai') AS yingcai,
           count(DISTINCT c.person_id) FILTER (WHERE d.type = 'talent_program') AS talent_program
    FROM cohort c
    JOIN ed ON ed.id = c.edition_id
    JOIN destinations d ON d.person_id = c.person_id
    WHERE d.deleted_at IS NULL AND d.type IN ('yingcai', 'talent_program')
      AND d.started_on BETWEEN ed.starts_on AND least(ed.until_on, @as_of::date)
    GROUP BY c.edition_id
),
sizes AS (
    SELECT c.edition_id, count(*) AS n FROM cohort c GROUP BY c.edition_id
)
SELECT ed.id::text AS edition_id, ed.starts_on, ed.ends_on, ed.until_on::date AS until_on,
       (ed.until_on <= @as_of::date)::boolean AS complete,
       coalesce(sz.n, 0)::bigint AS cohort_size,
       coalesce(r.yingcai, 0)::bigint AS yingcai,
       coalesce(r.talent_program, 0)::bigint AS talent_program
FROM ed
LEFT JOIN sizes sz ON sz.edition_id = ed.id
LEFT JOIN reached r ON r.edition_id = ed.id
ORDER BY ed.starts_on, ed.id;

-- name: ReportSchoolLeague :many
-- The follow-up league on @as_of, per school, per city and overall (level school, city,
-- total). The alumni of a school are the persons whose latest completed edition (latest
-- ends_on, then the greater id) ended before @as_of and was nominated by it — the
-- follow-up schedule's "their school". Of them: opted_out = an opted_out follow-up on or
-- before @as_of; scheduled = not opted out and a window k in 1..10 of that edition
-- contains @as_of; contacted = scheduled and the window met (a reached or declined
-- follow-up in [window_from, @as_of]); due = scheduled and not met; overdue = due, k >= 2
-- and window k-1 ended unmet. Aggregates count every person whatever their consent state.
-- city_code keeps the schools of one city. k is computed per alumnus as in the schedule
-- (no series of windows); each alumnus's follow-ups up to @as_of are read once through
-- follow_ups_person_date_idx.
WITH latest AS (
    SELECT DISTINCT ON (pa.person_id)
           pa.person_id, pa.school_id, e.ends_on
    FROM participations pa
    JOIN editions e ON e.id = pa.edition_id
    WHERE pa.status = 'completed'
    ORDER BY pa.person_id, e.ends_on DESC, e.id COLLATE "C" DESC
),
-- k is y or y + 1 where y is the difference of the calendar years of @as_of and ends_on,
-- as in the follow-up schedule
placed_k AS (
    SELECT l.person_id, l.school_id, l.ends_on,
           CASE WHEN @as_of::date <= (l.ends_on + make_interval(years => y.y))::date
                THEN y.y ELSE y.y + 1 END AS k
    FROM latest l
    CROSS JOIN LATERAL (
        SELECT (extract(year FROM @as_of::date) - extract(year FROM l.ends_on))::int AS y) y
    WHERE l.ends_on < @as_of::date
),
alumni AS (
    SELECT pk.person_id, o.code, o.name, o.city_code,
           CASE WHEN pk.k BETWEEN 1 AND 10 THEN pk.k END AS k,
           (pk.ends_on + make_interval(years => pk.k - 1))::date + 1 AS window_from,
           (pk.ends_on + make_interval(years => pk.k - 2))::date + 1 AS prev_from,
           (pk.ends_on + make_interval(years => pk.k - 1))::date AS prev_to
    FROM placed_k pk
    JOIN persons p ON p.id = pk.person_id AND p.merged_into IS NULL
    JOIN organizations o ON o.id = pk.school_id
    WHERE (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
),
placed AS (
    SELECT a.code, a.name, a.city_code, a.k, fs.opted_out,
           (a.k IS NOT NULL AND NOT fs.opted_out) AS scheduled, fs.met, fs.prev_met
    FROM alumni a
    CROSS JOIN LATERAL (
        SELECT coalesce(bool_or(f.outcome = 'opted_out'), false) AS opted_out,
               coalesce(bool_or(f.outcome IN ('reached', 'declined')
                                AND f.contacted_on >= a.window_from), false) AS met,
               coalesce(bool_or(f.outcome IN ('reached', 'declined')
                                AND f.contacted_on BETWEEN a.prev_from AND a.prev_to), false) AS prev_met
        FROM follow_ups f
        WHERE f.person_id = a.person_id AND f.deleted_at IS NULL AND f.contacted_on <= @as_of::date
    ) fs
)
SELECT (CASE WHEN GROUPING(s.city_code) = 1 THEN 'total'
             WHEN GROUPING(s.code) = 1 THEN 'city' ELSE 'school' END)::text AS level,
       coalesce(s.city_code, '')::text AS city_code,
       coalesce((SELECT r.name_zh FROM regions r WHERE r.code = s.city_code), '')::text AS city_name,
       coalesce(s.code, '')::text AS school_code,
       (CASE WHEN GROUPING(s.code) = 0 THEN min(s.name) ELSE '' END)::text AS school_name,
       count(*)::bigint AS alumni,
       count(*) FILTER (WHERE s.opted_out)::bigint AS opted_out,
       count(*) FILTER (WHERE s.scheduled)::bigint AS scheduled,
       count(*) FILTER (WHERE s.scheduled AND s.met)::bigint AS contacted,
       count(*) FILTER (WHERE s.scheduled AND NOT s.met)::bigint AS due,
       count(*) FILTER (WHERE s.scheduled AND NOT s.met AND s.k >= 2 AND NOT s.prev_met)::bigint AS overdue
FROM placed s
GROUP BY GROUPING SETS ((s.city_code, s.code), (s.city_code), ())
ORDER BY GROUPING(s.city_code) DESC, GROUPING(s.code) DESC, s.city_code,
         (count(*) FILTER (WHERE s.scheduled AND s.met))::float8
             / nullif(count(*) FILTER (WHERE s.scheduled), 0) DESC NULLS LAST,
         count(*) FILTER (WHERE s.scheduled) DESC, s.code;

-- name: ReportTeacherTrajectories :many
-- Per 金导师 edition that has ended before @as_of, with cutoff = least(ends_on +
-- @within_years years, @as_of): the cohort (admitted or completed, not merged) and how many
-- of them are still in science education on the cutoff (their live career move covering
-- it, if any, is not left_education), were promoted (a move dated after ends_on up to the
-- cutoff with reason promotion, or with a title above the last title recorded on or before
-- ends_on), moved city (a move in that span to an organization of the database whose city
-- differs from the nominating school's), and won a counting award in that span (any
-- level; provincial or higher).
WITH ed AS (
    SELECT e.id, e.ends_on,
           (e.ends_on + make_interval(years => @within_years::int))::date AS until_on,
           least((e.ends_on + make_interval(years => @within_years::int))::date, @as_of::date) AS cutoff
    FROM editions e
    WHERE e.program = 'jindaoshi' AND e.ends_on < @as_of::date
),
cohort AS (
    SELECT pa.edition_id, pa.person_id, o.city_code, ed.ends_on, ed.cutoff
    FROM ed
    JOIN participations pa ON pa.edition_id = ed.id
    JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
    JOIN organizations o ON o.id = pa.school_id
    WHERE pa.status IN ('admitted', 'completed')
),
per_person AS (
    SELECT c.edition_id,
           NOT EXISTS (
               SELECT 1 FROM career_moves m
               WHERE m.person_id = c.person_id AND m.deleted_at IS NULL AND m.position = 'left_education'
                 AND m.started_on <= c.cutoff AND (m.ended_on IS NULL OR m.ended_on > c.cutoff)
           ) AS in_education,
           EXISTS (
               SELECT 1 FROM career_moves m
               WHERE m.person_id = c.person_id AND m.deleted_at IS NULL
                 AND m.started_on > c.ends_on AND m.started_on <= c.cutoff
                 AND (m.reason = 'promotion'
                      OR array_position(ARRAY['none', 'level2', 'level1', 'senior', 'professor'], m.title)
                         > (SELECT array_position(ARRAY['none', 'level2', 'level1', 'senior', 'professor'], b.title)
                            FROM career_moves b
                            WHERE b.person_id = c.person_id AND b.deleted_at IS NULL
                              AND b.title IS NOT NULL AND b.started_on <= c.ends_on
                            ORDER BY b.started_on DESC LIMIT 1))
           ) AS promoted,
           EXISTS (
               SELECT 1 FROM career_moves m
               JOIN organizations mo ON mo.id = m.org_id
               WHERE m.person_id = c.person_id AND m.deleted_at IS NULL
                 AND m.started_on > c.ends_on AND m.started_on <= c.cutoff
                 AND mo.city_code <> c.city_code
           ) AS moved_city,
           aw.awarded, aw.awarded_prov
    FROM cohort c
    CROSS JOIN LATERAL (
        SELECT count(*) > 0 AS awarded,
               count(*) FILTER (WHERE a.level IN ('provincial', 'national', 'international')) > 0 AS awarded_prov
        FROM awards a
        WHERE a.person_id = c.person_id AND a.deleted_at IS NULL AND a.verification <> 'rejected'
          AND a.awarded_on > c.ends_on AND a.awarded_on <= c.cutoff
    ) aw
),
figures AS (
    SELECT pp.edition_id, count(*) AS cohort_size,
           count(*) FILTER (WHERE pp.in_education) AS in_education,
           count(*) FILTER (WHERE pp.promoted) AS promoted,
           count(*) FILTER (WHERE pp.moved_city) AS moved_city,
           count(*) FILTER (WHERE pp.awarded) AS awarded,
           count(*) FILTER (WHERE pp.awarded_prov) AS awarded_prov
    FROM per_person pp GROUP BY pp.edition_id
)
SELECT ed.id::text AS edition_id, ed.ends_on, ed.cutoff::date AS cutoff,
       (ed.until_on <= @as_of::date)::boolean AS complete,
       coalesce(f.cohort_size, 0)::bigint AS cohort_size,
       coalesce(f.in_education, 0)::bigint AS in_education,
       coalesce(f.promoted, 0)::bigint AS promoted,
       coalesce(f.moved_city, 0)::bigint AS moved_city,
       coalesce(f.awarded, 0)::bigint AS awarded,
       coalesce(f.awarded_prov, 0)::bigint AS awarded_provincial_plus
FROM ed
LEFT JOIN figures f ON f.edition_id = ed.id
ORDER BY ed.ends_on, ed.id;

-- name: ReportAwardsOverTime :many
-- Award records (not rejected, not deleted, of persons not merged) dated in the calendar
-- years @from_year … @to_year and on or before @as_of, of persons with an admitted or
-- completed participation (in program, when given): per year the total, by level, and by
-- the category of the person's participation at the time — the one whose edition started
-- last on or before the award date, or, for an award before every participation, the
-- earliest one (ties: the smaller edition id). dimension is total, by_level or by_category.
WITH aw AS (
    SELECT extract(year FROM a.awarded_on)::int AS year, a.level, cat.category_code
    FROM awards a
    JOIN persons p ON p.id = a.person_id AND p.merged_into IS NULL
    CROSS JOIN LATERAL (
        SELECT pa.category_code
        FROM participations pa
        JOIN editions e ON e.id = pa.edition_id
        WHERE pa.person_id = a.person_id AND pa.status IN ('admitted', 'completed')
          AND (sqlc.narg(program)::text IS NULL OR pa.program = sqlc.narg(program))
        ORDER BY (e.starts_on <= a.awarded_on) DESC,
                 CASE WHEN e.starts_on <= a.awarded_on THEN e.starts_on END DESC,
                 e.starts_on, e.id COLLATE "C"
        LIMIT 1
    ) cat
    WHERE a.deleted_at IS NULL AND a.verification <> 'rejected'
      AND a.awarded_on BETWEEN make_date(@from_year::int, 1, 1)
                           AND least(make_date(@to_year::int, 12, 31), @as_of::date)
)
SELECT aw.year::int AS year,
       (CASE WHEN GROUPING(aw.level) = 0 THEN 'by_level'
             WHEN GROUPING(aw.category_code) = 0 THEN 'by_category' ELSE 'total' END)::text AS dimension,
       coalesce(aw.level, aw.category_code, '')::text AS key,
       count(*)::bigint AS n
FROM aw
GROUP BY GROUPING SETS ((aw.year), (aw.year, aw.level), (aw.year, aw.category_code))
ORDER BY 1, 2, 3;
