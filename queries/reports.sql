-- Reports of the public contract, one statement each. docs/reports.md defines every figure;
-- the Go side (internal/report) only reshapes the rows into the contract's JSON.

-- name: ReportCohortWindows :many
-- One row per listed window of the cohort report of each edition in @edition_ids (the
-- cohort report asks for one, the cohort comparison for several); an edition with no
-- window listed (as_of before it starts) has one row with k = -1 that carries its cohort
-- size. An edition without any row does not exist. dest_types/dest_counts are the
-- window's destination records by type, zero types absent. The optional cut keeps the
-- cohort members whose participation in the edition was nominated by the school
-- school_code, by a school of the city city_code, or is in category_code.
--
-- Two sources give the same figures (docs/report-state.md): the office and the analyst,
-- who see every row, read the cohort facts kept by triggers — their counts per day
-- (report_cohort_counts) without a cut, the edition's facts (report_cohort_facts) with
-- one; every other scope counts from the source tables it
-- may see (cohort, aw, fu_win, de). Each source is gated on the scope, so only one runs;
-- the other adds zero rows.
WITH ed AS (
    SELECT e.id, e.starts_on, e.ends_on FROM editions e WHERE e.id = ANY (@edition_ids::text[])
),
wins AS (
    SELECT ed.id AS edition_id, g.k,
           CASE WHEN g.k = 0 THEN ed.starts_on
                ELSE (ed.ends_on + make_interval(years => g.k - 1))::date + 1 END AS from_on,
           CASE WHEN g.k = 0 THEN ed.ends_on
                ELSE (ed.ends_on + make_interval(years => g.k))::date END AS to_on
    FROM ed, generate_series(0, greatest(0,
        extract(year FROM @as_of::date)::int - extract(year FROM ed.ends_on)::int + 1)) AS g (k)
),
listed AS (
    SELECT w.edition_id, w.k, w.from_on, w.to_on, least(w.to_on, @as_of::date) AS upto,
           (@as_of::date <= w.to_on) AS partial
    FROM wins w
    WHERE w.from_on <= @as_of::date
),
-- the facts, for the scopes that see every row, counted per kind, window and date (a key
-- may have several rows; every reader sums n): without a cut the counts kept with the
-- facts (report_cohort_counts, one per day with events and kind, the members' in 64
-- shards), with a cut the facts themselves, filtered
facts AS (
    SELECT c.edition_id, c.kind, c.k, c.on_date, c.dest_type, c.n
    FROM report_cohort_counts c
    WHERE app_scope() IN ('office', 'analyst') AND c.edition_id = ANY (@edition_ids::text[])
      AND sqlc.narg(school_code)::text IS NULL AND sqlc.narg(city_code)::text IS NULL
      AND sqlc.narg(category_code)::text IS NULL
    UNION ALL
    SELECT f.edition_id, f.kind, f.k, f.on_date, f.dest_type, count(*) AS n
    FROM report_cohort_facts f
    WHERE app_scope() IN ('office', 'analyst') AND f.edition_id = ANY (@edition_ids::text[])
      AND NOT (sqlc.narg(school_code)::text IS NULL AND sqlc.narg(city_code)::text IS NULL
               AND sqlc.narg(category_code)::text IS NULL)
      AND (sqlc.narg(school_code)::text IS NULL
           OR f.school_id IN (SELECT o.id FROM organizations o WHERE o.code = sqlc.narg(school_code)))
      AND (sqlc.narg(city_code)::text IS NULL
           OR f.school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = sqlc.narg(city_code)))
      AND (sqlc.narg(category_code)::text IS NULL OR f.category_code = sqlc.narg(category_code))
    GROUP BY f.edition_id, f.kind, f.k, f.on_date, f.dest_type
),
-- a window counts the facts of its kind dated up to upto: each is the first date of its
-- kind in its window (or, the cumulative ones, since the edition started)
fact_win AS (
    SELECT l.edition_id, l.k,
           sum(f.n) FILTER (WHERE f.kind = 'reached') AS contacted,
           sum(f.n) FILTER (WHERE f.kind = 'award') AS awarded,
           sum(f.n) FILTER (WHERE f.kind = 'prov') AS awarded_prov,
           sum(f.n) FILTER (WHERE f.kind = 'prov_first') AS prov_cum,
           sum(f.n) FILTER (WHERE f.kind = 'yingcai_first') AS yc_cum
    FROM listed l
    JOIN facts f ON f.edition_id = l.edition_id AND f.on_date <= l.upto
     AND ((f.kind IN ('reached', 'award', 'prov') AND f.k = l.k) OR f.kind IN ('prov_first', 'yingcai_first'))
    GROUP BY l.edition_id, l.k
),
-- the source tables, for every other scope
cohort AS (
    SELECT pa.edition_id, pa.person_id
    FROM participations pa
    JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
    JOIN organizations o ON o.id = pa.school_id
    WHERE app_scope() NOT IN ('office', 'analyst')
      AND pa.edition_id = ANY (@edition_ids::text[]) AND pa.status IN ('admitted', 'completed')
      AND (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
      AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
      AND (sqlc.narg(category_code)::text IS NULL OR pa.category_code = sqlc.narg(category_code))
),
sizes AS (
    SELECT c.edition_id, count(*) AS n FROM cohort c GROUP BY c.edition_id
    UNION ALL
    SELECT f.edition_id, f.n FROM facts f WHERE f.kind = 'member'
),
aw AS (
    SELECT c.edition_id, a.person_id, a.awarded_on,
           a.level IN ('provincial', 'national', 'international') AS prov
    FROM cohort c
    JOIN ed ON ed.id = c.edition_id
    JOIN awards a ON a.person_id = c.person_id
    WHERE a.deleted_at IS NULL AND a.verification <> 'rejected'
      AND a.awarded_on BETWEEN ed.starts_on AND @as_of::date
),
aw_win AS (
    SELECT l.edition_id, l.k, count(DISTINCT aw.person_id) AS awarded,
           count(DISTINCT aw.person_id) FILTER (WHERE aw.prov) AS awarded_prov
    FROM listed l
    JOIN aw ON aw.edition_id = l.edition_id AND aw.awarded_on BETWEEN l.from_on AND l.upto
    GROUP BY l.edition_id, l.k
),
prov_first AS (
    SELECT aw.edition_id, aw.person_id, min(aw.awarded_on) AS first_on
    FROM aw WHERE aw.prov GROUP BY aw.edition_id, aw.person_id
),
prov_cum AS (
    SELECT l.edition_id, l.k, count(*) AS n
    FROM listed l JOIN prov_first f ON f.edition_id = l.edition_id AND f.first_on <= l.upto
    GROUP BY l.edition_id, l.k
),
fu_win AS (
    SELECT l.edition_id, l.k, count(DISTINCT f.person_id) AS contacted
    FROM cohort c
    JOIN follow_ups f ON f.person_id = c.person_id
    JOIN listed l ON l.edition_id = c.edition_id AND f.contacted_on BETWEEN l.from_on AND l.upto
    WHERE f.deleted_at IS NULL AND f.outcome = 'reached'
    GROUP BY l.edition_id, l.k
),
de AS (
    SELECT c.edition_id, d.person_id, d.type, d.started_on
    FROM cohort c
    JOIN ed ON ed.id = c.edition_id
    JOIN destinations d ON d.person_id = c.person_id
    WHERE d.deleted_at IS NULL AND d.started_on BETWEEN ed.starts_on AND @as_of::date
),
yc_first AS (
    SELECT de.edition_id, de.person_id, min(de.started_on) AS first_on
    FROM de WHERE de.type = 'yingcai' GROUP BY de.edition_id, de.person_id
),
yc_cum AS (
    SELECT l.edition_id, l.k, count(*) AS n
    FROM listed l JOIN yc_first f ON f.edition_id = l.edition_id AND f.first_on <= l.upto
    GROUP BY l.edition_id, l.k
),
de_type AS (
    SELECT l.edition_id, l.k, de.type, count(*) AS n
    FROM listed l JOIN de ON de.edition_id = l.edition_id AND de.started_on BETWEEN l.from_on AND l.upto
    GROUP BY l.edition_id, l.k, de.type
    UNION ALL
    SELECT l.edition_id, l.k, f.dest_type, sum(f.n)::bigint
    FROM listed l JOIN facts f ON f.edition_id = l.edition_id AND f.kind = 'dest' AND f.k = l.k AND f.on_date <= l.upto
    GROUP BY l.edition_id, l.k, f.dest_type
),
de_win AS (
    SELECT t.edition_id, t.k, array_agg(t.type ORDER BY t.type) AS types,
           array_agg(t.n ORDER BY t.type) AS counts
    FROM de_type t GROUP BY t.edition_id, t.k
)
SELECT ed.id::text AS edition_id,
       coalesce(sz.n, 0)::bigint AS cohort_size,
       coalesce(l.k, -1)::int AS k,
       coalesce(l.from_on, ed.starts_on)::date AS from_on,
       coalesce(l.to_on, ed.ends_on)::date AS to_on,
       coalesce(l.partial, false)::boolean AS partial,
       (coalesce(fw.contacted, 0) + coalesce(fx.contacted, 0))::bigint AS contacted,
       (coalesce(aww.awarded, 0) + coalesce(fx.awarded, 0))::bigint AS awarded,
       (coalesce(aww.awarded_prov, 0) + coalesce(fx.awarded_prov, 0))::bigint AS awarded_provincial_plus,
       (coalesce(pc.n, 0) + coalesce(fx.prov_cum, 0))::bigint AS cumulative_provincial_plus,
       (coalesce(yc.n, 0) + coalesce(fx.yc_cum, 0))::bigint AS yingcai_cumulative,
       coalesce(dw.types, '{}')::text[] AS dest_types,
       coalesce(dw.counts, '{}')::bigint[] AS dest_counts
FROM ed
LEFT JOIN (SELECT s.edition_id, sum(s.n) AS n FROM sizes s GROUP BY s.edition_id) sz ON sz.edition_id = ed.id
LEFT JOIN listed l ON l.edition_id = ed.id
LEFT JOIN aw_win aww ON aww.edition_id = l.edition_id AND aww.k = l.k
LEFT JOIN prov_cum pc ON pc.edition_id = l.edition_id AND pc.k = l.k
LEFT JOIN fu_win fw ON fw.edition_id = l.edition_id AND fw.k = l.k
LEFT JOIN yc_cum yc ON yc.edition_id = l.edition_id AND yc.k = l.k
LEFT JOIN fact_win fx ON fx.edition_id = l.edition_id AND fx.k = l.k
LEFT JOIN de_win dw ON dw.edition_id = l.edition_id AND dw.k = l.k
ORDER BY ed.id, l.k;

-- name: ReportAnnualFigures :many
-- The annual report in long form: one row per non-zero figure (section, program,
-- dimension, key, n), plus, for the follow-up coverage, n = alumni and m = contacted per
-- region and one 'overall' row that is always present. The optional cut (program,
-- school_code, city_code, category_code; all NULL = the whole province) keeps: among the
-- participants, the participations matching it; among the award, destination and
-- career-move records, those of persons with an admitted or completed participation (any
-- edition) matching it; among the alumni, those whose placing participation (the one
-- whose edition ends last) matches it.
--
-- As in the cohort report (docs/report-state.md), the office and the analyst, who see
-- every row, count the participants from counts kept by triggers per dimension
-- (report_participant_counts; with a cut other than the program, from the facts,
-- report_participant_facts) and the alumni from facts (report_alumni_spells), grouped by
-- school before the school's city is looked up; every other scope counts from the source tables it may see (part,
-- alumni_part). Within a program a person has one participation a year (one edition per
-- program and year), so participants are counted as rows. A record counts unless its
-- person is merged: the office and the analyst test that against the hashed set of merged
-- persons, every other scope probes the person, whose row must also be visible to it;
-- without a cut the office and the analyst read the year's records counted per day and key
-- by the triggers (report_record_counts). Their follow-up coverage without a cut other than
-- the program is counted by the triggers too (report_alumni_counts, report_reach_counts);
-- otherwise the follow-ups that opt alumni out or reach them are read once each, by date,
-- as hashed sets.
WITH bounds AS (
    SELECT make_date(@year::int, 1, 1) AS y0,
           least(make_date(@year::int, 12, 31), @as_of::date) AS y1,
           (make_date(@year::int, 1, 1) + interval '1 year')::date AS next_y0
),
merged AS (
    SELECT m.id FROM persons m WHERE m.merged_into IS NOT NULL
),
part AS (
    SELECT pa.program, pa.status, pa.category_code, pa.grade, o.city_code, p.gender, 1::bigint AS n
    FROM participations pa
    JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
    JOIN organizations o ON o.id = pa.school_id
    WHERE app_scope() NOT IN ('office', 'analyst')
      AND pa.edition_id = ANY (ARRAY(SELECT e.id FROM editions e WHERE e.year = @year::int))
      AND (sqlc.narg(program)::text IS NULL OR pa.program = sqlc.narg(program))
      AND (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
      AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
      AND (sqlc.narg(category_code)::text IS NULL OR pa.category_code = sqlc.narg(category_code))
    UNION ALL
    SELECT f.program, f.status, f.category_code, f.grade, o.city_code, f.gender, count(*) AS n
    FROM report_participant_facts f
    JOIN organizations o ON o.id = f.school_id
    WHERE app_scope() IN ('office', 'analyst') AND f.year = @year::int
      AND NOT (sqlc.narg(school_code)::text IS NULL AND sqlc.narg(city_code)::text IS NULL
               AND sqlc.narg(category_code)::text IS NULL)
      AND (sqlc.narg(program)::text IS NULL OR f.program = sqlc.narg(program))
      AND (sqlc.narg(category_code)::text IS NULL OR f.category_code = sqlc.narg(category_code))
      AND (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
      AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
    GROUP BY f.program, f.status, f.category_code, f.grade, o.city_code, f.gender
),
-- the participants of the office and the analyst without a cut (or cut by program only),
-- counted per dimension by the triggers (report_participant_counts, 64 shards a key)
pcounts AS (
    SELECT c.program, c.dim, c.key, sum(c.n) AS n
    FROM report_participant_counts c
    WHERE app_scope() IN ('office', 'analyst') AND c.year = @year::int
      AND sqlc.narg(school_code)::text IS NULL AND sqlc.narg(city_code)::text IS NULL
      AND sqlc.narg(category_code)::text IS NULL
      AND (sqlc.narg(program)::text IS NULL OR c.program = sqlc.narg(program))
    GROUP BY c.program, c.dim, c.key
    HAVING sum(c.n) <> 0
),
admitted AS (
    SELECT part.*,
           CASE WHEN part.program = 'jindaoshi' THEN 'teacher'
                WHEN part.grade = 'K' THEN 'preschool'
                WHEN part.grade IN ('4', '5', '6') THEN 'primary'
                WHEN part.grade IN ('7', '8', '9') THEN 'junior'
                WHEN part.grade IN ('V1', 'V2', 'V3') THEN 'vocational'
           END AS band
    FROM part WHERE part.status IN ('admitted', 'completed')
),
-- persons inside the cut, for the record sections; only read when a cut is given
cut_persons AS (
    SELECT DISTINCT pa.person_id
    FROM participations pa
    JOIN organizations o ON o.id = pa.school_id
    WHERE pa.status IN ('admitted', 'completed')
      AND (sqlc.narg(program)::text IS NULL OR pa.program = sqlc.narg(program))
      AND (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
      AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
      AND (sqlc.narg(category_code)::text IS NULL OR pa.category_code = sqlc.narg(category_code))
),
opted_out AS (
    SELECT f.person_id FROM follow_ups f CROSS JOIN bounds b
    WHERE f.deleted_at IS NULL AND f.outcome = 'opted_out' AND f.contacted_on < b.y0 AND f.contacted_on <= @as_of::date
),
reached AS (
    SELECT f.person_id FROM follow_ups f CROSS JOIN bounds b
    WHERE f.deleted_at IS NULL AND f.outcome = 'reached' AND f.contacted_on BETWEEN b.y0 AND b.y1
),
alumni_part AS (
    SELECT DISTINCT ON (pa.person_id) pa.person_id, pa.program, pa.category_code,
           o.code AS school_code, o.city_code
    FROM participations pa
    JOIN editions e ON e.id = pa.edition_id
    JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
    JOIN organizations o ON o.id = pa.school_id
    CROSS JOIN bounds b
    WHERE app_scope() NOT IN ('office', 'analyst')
      AND pa.status = 'completed' AND e.ends_on < b.next_y0
      AND pa.person_id NOT IN (SELECT oo.person_id FROM opted_out oo)
    ORDER BY pa.person_id, e.ends_on DESC, e.id COLLATE "C" DESC
),
-- the alumni, one row per alumnus or per school (n alumni, m of them contacted)
alumni AS (
    SELECT ap.city_code, 1::bigint AS n, (ap.person_id IN (SELECT r.person_id FROM reached r))::int::bigint AS m
    FROM alumni_part ap
    WHERE (sqlc.narg(program)::text IS NULL OR ap.program = sqlc.narg(program))
      AND (sqlc.narg(school_code)::text IS NULL OR ap.school_code = sqlc.narg(school_code))
      AND (sqlc.narg(city_code)::text IS NULL OR ap.city_code = sqlc.narg(city_code))
      AND (sqlc.narg(category_code)::text IS NULL OR ap.category_code = sqlc.narg(category_code))
    UNION ALL
    SELECT o.city_code, g.n, g.m
    FROM (SELECT s.school_id, count(*) AS n,
                 count(*) FILTER (WHERE s.person_id IN (SELECT r.person_id FROM reached r)) AS m
          FROM report_alumni_spells s
          WHERE app_scope() IN ('office', 'analyst')
            AND NOT (sqlc.narg(school_code)::text IS NULL AND sqlc.narg(city_code)::text IS NULL
                     AND sqlc.narg(category_code)::text IS NULL
                     AND @as_of::date >= make_date(@year::int, 1, 1) - 1)
            AND s.from_year <= @year::int AND (s.to_year IS NULL OR s.to_year > @year::int)
            AND s.person_id NOT IN (SELECT oo.person_id FROM opted_out oo)
            AND (sqlc.narg(program)::text IS NULL OR s.program = sqlc.narg(program))
            AND (sqlc.narg(category_code)::text IS NULL OR s.category_code = sqlc.narg(category_code))
          GROUP BY s.school_id) g
    JOIN organizations o ON o.id = g.school_id
    WHERE (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
      AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
    UNION ALL
    -- the office and the analyst without a cut (or cut by program only) once the year has
    -- begun by as_of: the alumni are the spells' starts minus ends of the years up to
    -- @year per city (report_alumni_counts), the contacted ones the first reached
    -- follow-ups of the year's days up to as_of (report_reach_counts), both kept by the
    -- triggers with every opt-out before the year applied (docs/report-state.md)
    SELECT g.city_code, g.n, coalesce(r.m, 0)
    FROM (SELECT c.city_code, sum(c.n) AS n
          FROM report_alumni_counts c
          WHERE app_scope() IN ('office', 'analyst')
            AND sqlc.narg(school_code)::text IS NULL AND sqlc.narg(city_code)::text IS NULL
            AND sqlc.narg(category_code)::text IS NULL
            AND @as_of::date >= make_date(@year::int, 1, 1) - 1
            AND (sqlc.narg(program)::text IS NULL OR c.program = sqlc.narg(program))
            AND c.year <= @year::int
          GROUP BY c.city_code
          HAVING sum(c.n) <> 0) g
    LEFT JOIN (SELECT rc.city_code, sum(rc.n) AS m
               FROM report_reach_counts rc CROSS JOIN bounds b
               WHERE app_scope() IN ('office', 'analyst')
                 AND sqlc.narg(school_code)::text IS NULL AND sqlc.narg(city_code)::text IS NULL
                 AND sqlc.narg(category_code)::text IS NULL
                 AND (sqlc.narg(program)::text IS NULL OR rc.program = sqlc.narg(program))
                 AND rc.on_date BETWEEN b.y0 AND b.y1
               GROUP BY rc.city_code) r ON r.city_code IS NOT DISTINCT FROM g.city_code
)
SELECT 'participants'::text AS section, program::text, 'by_status'::text AS dimension,
       status::text AS key, sum(n)::bigint AS n, 0::bigint AS m
FROM part GROUP BY program, status
UNION ALL
SELECT 'participants', program, 'by_region', city_code, sum(n)::bigint, 0
FROM admitted GROUP BY program, city_code
UNION ALL
SELECT 'participants', program, 'by_category', category_code, sum(n)::bigint, 0
FROM admitted GROUP BY program, category_code
UNION ALL
SELECT 'participants', program, 'by_grade_band', band, sum(n)::bigint, 0
FROM admitted WHERE band IS NOT NULL GROUP BY program, band
UNION ALL
SELECT 'participants', program, 'by_gender', gender, sum(n)::bigint, 0
FROM admitted GROUP BY program, gender
UNION ALL
SELECT 'participants', c.program, CASE c.dim WHEN 'status' THEN 'by_status' WHEN 'category' THEN 'by_category'
                                             ELSE 'by_gender' END, c.key, c.n::bigint, 0
FROM pcounts c WHERE c.dim IN ('status', 'category', 'gender')
UNION ALL
SELECT 'participants', c.program, 'by_region', o.city_code, sum(c.n)::bigint, 0
FROM pcounts c JOIN organizations o ON o.id = (CASE WHEN c.dim = 'school' THEN c.key::bigint END)
WHERE c.dim = 'school' GROUP BY c.program, o.city_code
UNION ALL
SELECT 'participants', b.program, 'by_grade_band', b.band, sum(b.n)::bigint, 0
FROM (SELECT c.program, c.n,
             CASE WHEN c.program = 'jindaoshi' THEN 'teacher'
                  WHEN c.key = 'K' THEN 'preschool'
                  WHEN c.key IN ('4', '5', '6') THEN 'primary'
                  WHEN c.key IN ('7', '8', '9') THEN 'junior'
                  WHEN c.key IN ('V1', 'V2', 'V3') THEN 'vocational'
             END AS band
      FROM pcounts c WHERE c.dim = 'grade') b
WHERE b.band IS NOT NULL GROUP BY b.program, b.band
UNION ALL
SELECT 'awards', '', 'by_level', a.level, count(*), 0
FROM awards a
CROSS JOIN bounds b
WHERE NOT (app_scope() IN ('office', 'analyst') AND (sqlc.narg(program)::text IS NULL AND sqlc.narg(school_code)::text IS NULL
            AND sqlc.narg(city_code)::text IS NULL AND sqlc.narg(category_code)::text IS NULL))
  AND CASE WHEN app_scope() IN ('office', 'analyst') THEN a.person_id NOT IN (SELECT mp.id FROM merged mp)
           ELSE EXISTS (SELECT 1 FROM persons p WHERE p.id = a.person_id AND p.merged_into IS NULL) END
  AND a.deleted_at IS NULL AND a.verification <> 'rejected' AND a.awarded_on BETWEEN b.y0 AND b.y1
  AND ((sqlc.narg(program)::text IS NULL AND sqlc.narg(school_code)::text IS NULL
        AND sqlc.narg(city_code)::text IS NULL AND sqlc.narg(category_code)::text IS NULL)
       OR a.person_id IN (SELECT cp.person_id FROM cut_persons cp))
GROUP BY a.level
UNION ALL
SELECT 'awards', '', 'by_level', rc.key, sum(rc.n)::bigint, 0
FROM report_record_counts rc
CROSS JOIN bounds b
WHERE app_scope() IN ('office', 'analyst') AND (sqlc.narg(program)::text IS NULL AND sqlc.narg(school_code)::text IS NULL
        AND sqlc.narg(city_code)::text IS NULL AND sqlc.narg(category_code)::text IS NULL)
  AND rc.section = 'awards' AND rc.on_date BETWEEN b.y0 AND b.y1
GROUP BY rc.key HAVING sum(rc.n) <> 0
UNION ALL
SELECT 'destinations', '', 'by_type', d.type, count(*), 0
FROM destinations d
CROSS JOIN bounds b
WHERE NOT (app_scope() IN ('office', 'analyst') AND (sqlc.narg(program)::text IS NULL AND sqlc.narg(school_code)::text IS NULL
            AND sqlc.narg(city_code)::text IS NULL AND sqlc.narg(category_code)::text IS NULL))
  AND CASE WHEN app_scope() IN ('office', 'analyst') THEN d.person_id NOT IN (SELECT mp.id FROM merged mp)
           ELSE EXISTS (SELECT 1 FROM persons p WHERE p.id = d.person_id AND p.merged_into IS NULL) END
  AND d.deleted_at IS NULL AND d.started_on BETWEEN b.y0 AND b.y1
  AND ((sqlc.narg(program)::text IS NULL AND sqlc.narg(school_code)::text IS NULL
        AND sqlc.narg(city_code)::text IS NULL AND sqlc.narg(category_code)::text IS NULL)
       OR d.person_id IN (SELECT cp.person_id FROM cut_persons cp))
GROUP BY d.type
UNION ALL
SELECT 'destinations', '', 'by_type', rc.key, sum(rc.n)::bigint, 0
FROM report_record_counts rc
CROSS JOIN bounds b
WHERE app_scope() IN ('office', 'analyst') AND (sqlc.narg(program)::text IS NULL AND sqlc.narg(school_code)::text IS NULL
        AND sqlc.narg(city_code)::text IS NULL AND sqlc.narg(category_code)::text IS NULL)
  AND rc.section = 'destinations' AND rc.on_date BETWEEN b.y0 AND b.y1
GROUP BY rc.key HAVING sum(rc.n) <> 0
UNION ALL
SELECT 'career_moves', '', 'by_reason', c.reason, count(*), 0
FROM career_moves c
CROSS JOIN bounds b
WHERE NOT (app_scope() IN ('office', 'analyst') AND (sqlc.narg(program)::text IS NULL AND sqlc.narg(school_code)::text IS NULL
            AND sqlc.narg(city_code)::text IS NULL AND sqlc.narg(category_code)::text IS NULL))
  AND CASE WHEN app_scope() IN ('office', 'analyst') THEN c.person_id NOT IN (SELECT mp.id FROM merged mp)
           ELSE EXISTS (SELECT 1 FROM persons p WHERE p.id = c.person_id AND p.merged_into IS NULL) END
  AND c.deleted_at IS NULL AND c.reason IS NOT NULL AND c.started_on BETWEEN b.y0 AND b.y1
  AND ((sqlc.narg(program)::text IS NULL AND sqlc.narg(school_code)::text IS NULL
        AND sqlc.narg(city_code)::text IS NULL AND sqlc.narg(category_code)::text IS NULL)
       OR c.person_id IN (SELECT cp.person_id FROM cut_persons cp))
GROUP BY c.reason
UNION ALL
SELECT 'career_moves', '', 'by_reason', rc.key, sum(rc.n)::bigint, 0
FROM report_record_counts rc
CROSS JOIN bounds b
WHERE app_scope() IN ('office', 'analyst') AND (sqlc.narg(program)::text IS NULL AND sqlc.narg(school_code)::text IS NULL
        AND sqlc.narg(city_code)::text IS NULL AND sqlc.narg(category_code)::text IS NULL)
  AND rc.section = 'career_moves' AND rc.on_date BETWEEN b.y0 AND b.y1
GROUP BY rc.key HAVING sum(rc.n) <> 0
UNION ALL
SELECT 'follow_up_coverage', '', 'overall', '', coalesce(sum(n), 0)::bigint, coalesce(sum(m), 0)::bigint
FROM alumni
UNION ALL
SELECT 'follow_up_coverage', '', 'by_region', city_code, sum(n)::bigint, sum(m)::bigint
FROM alumni GROUP BY city_code
ORDER BY 1, 2, 3, 4;

-- name: ReportFollowUpsDue :many
-- The follow-up schedule on @as_of from due_state (docs/due-state.md): per alumnus their
-- latest completed participation, their name and whether they may be listed, and what
-- their follow-ups add up to, kept current by triggers. A school's list is an index-only
-- range of due_state_listed_school_idx and arithmetic. A person with a follow-up dated
-- after @as_of has their follow-ups up to @as_of read (due_follow_ups_upto), so the list is
-- ReportFollowUpsDueReference's, row for row, on every date.
WITH windows AS (
    SELECT d.person_id, d.edition_id, d.name, d.id_masked, d.opted_out, d.last_met_on, d.last_contacted_on, k.k,
           (d.ends_on + make_interval(years => k.k - 1))::date + 1 AS window_from,
           (d.ends_on + make_interval(years => k.k))::date AS window_to,
           (d.ends_on + make_interval(years => k.k - 2))::date + 1 AS prev_from,
           (d.ends_on + make_interval(years => k.k - 1))::date AS prev_to
    FROM due_state d
    -- k is y or y + 1 where y is the difference of the calendar years of @as_of and ends_on
    -- (date_part, a double, not extract, a numeric: the subtraction and the cast run for
    -- every row, and numeric arithmetic was a quarter of the statement)
    CROSS JOIN LATERAL (
        SELECT (date_part('year', @as_of::date) - date_part('year', d.ends_on))::int AS y) y
    CROSS JOIN LATERAL (
        SELECT CASE WHEN @as_of::date <= (d.ends_on + make_interval(years => y.y))::date
                    THEN y.y ELSE y.y + 1 END AS k) k
    -- the schools asked for, as one array whatever the filter, so that one generic plan
    -- serves every call: a school's list is an index probe of due_state_listed_school_idx,
    -- not a scan of the state with the filters as conditions (each branch reads
    -- organizations by an index, or not at all when its filter is not given)
    WHERE d.listed AND d.ends_on < @as_of::date
      AND d.school_id = ANY (ARRAY(
          SELECT o.id FROM organizations o
          WHERE o.code = sqlc.narg(school_code)::text
            AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code)::text)
          UNION ALL
          SELECT o.id FROM organizations o
          WHERE sqlc.narg(school_code)::text IS NULL AND o.city_code = sqlc.narg(city_code)::text
          UNION ALL
          SELECT o.id FROM organizations o
          WHERE sqlc.narg(school_code)::text IS NULL AND sqlc.narg(city_code)::text IS NULL))
),
scheduled AS (
    -- when every follow-up of the person is dated on or before @as_of the state answers;
    -- otherwise (late) those up to @as_of are read
    SELECT w.person_id, w.edition_id, w.name, w.id_masked, w.k, w.window_from, w.window_to,
           CASE WHEN l.late THEN (l.f).opted_out ELSE w.opted_out END AS opted_out,
           CASE WHEN l.late THEN (l.f).met ELSE coalesce(w.last_met_on >= w.window_from, false) END AS met,
           CASE WHEN l.late THEN (l.f).prev_met ELSE coalesce(w.last_met_on >= w.prev_from, false) END AS prev_met,
           CASE WHEN l.late THEN (l.f).last_contacted_on ELSE w.last_contacted_on END AS last_contacted_on
    FROM windows w
    CROSS JOIN LATERAL (
        SELECT coalesce(w.last_contacted_on > @as_of::date, false) AS late,
               CASE WHEN w.last_contacted_on > @as_of::date
                    THEN due_follow_ups_upto(w.person_id, @as_of::date, w.window_from, w.prev_from, w.prev_to)
               END AS f
        OFFSET 0 -- kept a subquery: the function runs once, not once per use of f
    ) l
    WHERE w.k BETWEEN 1 AND 10
)
SELECT s.person_id, s.id_masked, s.name, s.edition_id, s.k::int AS k,
       s.window_from::date AS window_from, s.window_to::date AS window_to,
       (s.k >= 2 AND NOT s.prev_met)::boolean AS overdue,
       s.last_contacted_on
FROM scheduled s
WHERE NOT s.opted_out AND NOT s.met
ORDER BY overdue DESC, s.last_contacted_on ASC NULLS FIRST, s.name COLLATE "C", s.person_id;

-- name: ReportFollowUpsDueReference :many
-- The follow-up schedule on @as_of computed from the tables, the definition
-- ReportFollowUpsDue is checked against: alumni whose latest completed edition has a window
-- k in 1..10 containing @as_of that is not met yet, already in the contract's order.
-- Persons withheld for consent and opted-out persons are left out. Each person's
-- follow-ups up to @as_of are read once, through follow_ups_person_date_idx.
WITH latest AS (
    SELECT DISTINCT ON (pa.person_id)
           pa.person_id, pa.edition_id, pa.school_id, e.ends_on
    FROM (
        -- no filter: every completed participation (the gate stands outside the scan, where
        -- a false one drops the arm from the plan)
        SELECT a.person_id, a.edition_id, a.school_id
        FROM (SELECT person_id, edition_id, school_id FROM participations
              WHERE status = 'completed' OFFSET 0) a
        WHERE sqlc.narg(school_code)::text IS NULL AND sqlc.narg(city_code)::text IS NULL
      UNION ALL
        -- a filter: a person whose latest completed participation was nominated by the
        -- filtered school (or a school of the filtered city) has a completed participation
        -- there, so only those persons are ranked, found through participations_school_idx
        SELECT a.person_id, a.edition_id, a.school_id FROM participations a
        WHERE a.status = 'completed' AND a.person_id IN (
            SELECT c.person_id FROM organizations co JOIN participations c ON c.school_id = co.id
            WHERE c.status = 'completed'
              AND NOT (sqlc.narg(school_code)::text IS NULL AND sqlc.narg(city_code)::text IS NULL)
              AND (sqlc.narg(school_code)::text IS NULL OR co.code = sqlc.narg(school_code))
              AND (sqlc.narg(city_code)::text IS NULL OR co.city_code = sqlc.narg(city_code)))
    ) pa
    JOIN editions e ON e.id = pa.edition_id
    ORDER BY pa.person_id, e.ends_on DESC, e.id COLLATE "C" DESC
),
-- k is y or y + 1 where y is the difference of the calendar years of @as_of and ends_on
placed AS (
    SELECT l.person_id, l.edition_id, l.school_id, l.ends_on,
           CASE WHEN @as_of::date <= (l.ends_on + make_interval(years => y.y))::date
                THEN y.y ELSE y.y + 1 END AS k
    FROM latest l
    CROSS JOIN LATERAL (
        SELECT (extract(year FROM @as_of::date) - extract(year FROM l.ends_on))::int AS y) y
    WHERE l.ends_on < @as_of::date
),
windows AS (
    SELECT pl.person_id, pl.edition_id, pl.school_id, pl.k,
           (pl.ends_on + make_interval(years => pl.k - 1))::date + 1 AS window_from,
           (pl.ends_on + make_interval(years => pl.k))::date AS window_to,
           (pl.ends_on + make_interval(years => pl.k - 2))::date + 1 AS prev_from,
           (pl.ends_on + make_interval(years => pl.k - 1))::date AS prev_to
    FROM placed pl
    WHERE pl.k BETWEEN 1 AND 10
),
scheduled AS (
    SELECT w.*, p.name, p.id_masked, fs.opted_out, fs.met, fs.prev_met, fs.last_contacted_on
    FROM windows w
    JOIN persons p ON p.id = w.person_id
    JOIN organizations o ON o.id = w.school_id
    CROSS JOIN LATERAL (
        SELECT coalesce(bool_or(f.outcome = 'opted_out'), false) AS opted_out,
               coalesce(bool_or(f.outcome IN ('reached', 'declined')
                                AND f.contacted_on >= w.window_from), false) AS met,
               coalesce(bool_or(f.outcome IN ('reached', 'declined')
                                AND f.contacted_on BETWEEN w.prev_from AND w.prev_to), false) AS prev_met,
               max(f.contacted_on) AS last_contacted_on
        FROM follow_ups f
        WHERE f.person_id = w.person_id AND f.deleted_at IS NULL AND f.contacted_on <= @as_of::date
    ) fs
    WHERE p.merged_into IS NULL
      AND person_listed(p.consent_state)
      AND (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
      AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
)
SELECT s.person_id, s.id_masked, s.name, s.edition_id, s.k::int AS k,
       s.window_from::date AS window_from, s.window_to::date AS window_to,
       (s.k >= 2 AND NOT s.prev_met)::boolean AS overdue,
       s.last_contacted_on
FROM scheduled s
WHERE NOT s.opted_out AND NOT s.met
ORDER BY overdue DESC, s.last_contacted_on ASC NULLS FIRST, s.name COLLATE "C", s.person_id;

-- name: ReportDueFilterCheck :one
-- Validates the filters of the follow-up schedule: whether the school code names an
-- organization and whether the city of the region code is a known region.
SELECT (sqlc.narg(school_code)::text IS NULL
        OR EXISTS (SELECT 1 FROM organizations o WHERE o.code = sqlc.narg(school_code)))::boolean AS school_known,
       (sqlc.narg(city_code)::text IS NULL
        OR EXISTS (SELECT 1 FROM regions r WHERE r.code = sqlc.narg(city_code)))::boolean AS region_known;

-- name: ReportCutCheck :one
-- Validates the cut of a report: whether the school code names an organization, whether
-- the city of the region code is a known region and whether the category code exists
-- (a NULL is known).
SELECT (sqlc.narg(school_code)::text IS NULL
        OR EXISTS (SELECT 1 FROM organizations o WHERE o.code = sqlc.narg(school_code)))::boolean AS school_known,
       (sqlc.narg(city_code)::text IS NULL
        OR EXISTS (SELECT 1 FROM regions r WHERE r.code = sqlc.narg(city_code) AND r.level = 2))::boolean AS region_known,
       (sqlc.narg(category_code)::text IS NULL
        OR EXISTS (SELECT 1 FROM categories c WHERE c.code = sqlc.narg(category_code)))::boolean AS category_known;
