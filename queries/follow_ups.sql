-- name: FollowUpInsert :one
INSERT INTO follow_ups (person_id, school_id, contacted_on, channel, outcome, notes, made_by)
VALUES (@person_id, sqlc.narg(school_id), @contacted_on, @channel, @outcome, sqlc.narg(notes),
        sqlc.narg(made_by))
ON CONFLICT ON CONSTRAINT follow_ups_natural_key DO NOTHING
RETURNING *;

-- name: FollowUpIDByKey :one
SELECT id FROM follow_ups
WHERE person_id = @person_id AND contacted_on = @contacted_on AND channel = @channel;

-- name: FollowUpGet :one
SELECT * FROM follow_ups WHERE id = @id;

-- name: FollowUpLock :one
SELECT version FROM follow_ups WHERE id = @id FOR UPDATE;

-- name: FollowUpUpdate :one
UPDATE follow_ups
SET contacted_on = @contacted_on, channel = @channel, outcome = @outcome, notes = sqlc.narg(notes),
    made_by = sqlc.narg(made_by)
WHERE id = @id
RETURNING *;

-- name: FollowUpSetDeleted :one
UPDATE follow_ups SET deleted_at = sqlc.narg(deleted_at) WHERE id = @id RETURNING *;

-- name: FollowUpList :many
SELECT * FROM follow_ups
WHERE person_id = @person_id AND (@include_deleted::boolean OR deleted_at IS NULL)
ORDER BY contacted_on, id;

-- name: FollowUpFirstOptOut :one
-- For the opt-out rule: a person's earliest live opt-out, leaving out one follow-up (the
-- one being written).
SELECT contacted_on FROM follow_ups
WHERE person_id = @person_id AND deleted_at IS NULL AND id <> @except_id AND outcome = 'opted_out'
ORDER BY contacted_on
LIMIT 1;

-- name: FollowUpLastContact :one
-- For the opt-out rule: a person's latest live contact of any outcome, leaving out one.
SELECT contacted_on FROM follow_ups
WHERE person_id = @person_id AND deleted_at IS NULL AND id <> @except_id
ORDER BY contacted_on DESC
LIMIT 1;

-- name: FollowUpCoverage :many
-- The follow-up schedule summarised on @as_of, per school, per city and overall (level
-- school, city, total), in one statement. Alumni and windows are those of the contract's
-- follow-up schedule: an alumnus is scheduled when a window k in 1..10 of their latest
-- completed edition contains @as_of and they have not opted out by then; met when that
-- window has a reached or declined follow-up by @as_of; due otherwise; overdue when due,
-- k >= 2 and window k-1 ended unmet. As an aggregate it counts every person whatever their
-- consent state. school_code and city_code filter by the nominating school. The window
-- containing @as_of is computed once per edition (editions are few, MATERIALIZED keeps the
-- planner from redoing the date arithmetic per participation); each scheduled person's
-- follow-ups up to @as_of are read once through follow_ups_person_date_idx.
WITH ed_window AS MATERIALIZED (
    SELECT e.id AS edition_id, g.k,
           (e.ends_on + make_interval(years => g.k - 1))::date + 1 AS window_from,
           (e.ends_on + make_interval(years => g.k - 2))::date + 1 AS prev_from,
           (e.ends_on + make_interval(years => g.k - 1))::date AS prev_to
    FROM editions e
    CROSS JOIN generate_series(1, 10) AS g (k)
    WHERE @as_of::date BETWEEN (e.ends_on + make_interval(years => g.k - 1))::date + 1
                          AND (e.ends_on + make_interval(years => g.k))::date
),
latest AS (
    SELECT DISTINCT ON (pa.person_id)
           pa.person_id, pa.school_id, pa.edition_id
    FROM participations pa
    JOIN editions e ON e.id = pa.edition_id
    WHERE pa.status = 'completed'
    ORDER BY pa.person_id, e.ends_on DESC, e.id COLLATE "C" DESC
),
windows AS (
    SELECT l.person_id, o.code, o.name, o.city_code, w.k, w.window_from, w.prev_from, w.prev_to
    FROM latest l
    JOIN ed_window w ON w.edition_id = l.edition_id
    JOIN persons p ON p.id = l.person_id AND p.merged_into IS NULL
    JOIN organizations o ON o.id = l.school_id
    WHERE (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
      AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
),
scheduled AS (
    SELECT w.code, w.name, w.city_code, w.k, fs.opted_out, fs.met, fs.prev_met
    FROM windows w
    CROSS JOIN LATERAL (
        SELECT coalesce(bool_or(f.outcome = 'opted_out'), false) AS opted_out,
               coalesce(bool_or(f.outcome IN ('reached', 'declined')
                                AND f.contacted_on >= w.window_from), false) AS met,
               coalesce(bool_or(f.outcome IN ('reached', 'declined')
                                AND f.contacted_on BETWEEN w.prev_from AND w.prev_to), false) AS prev_met
        FROM follow_ups f
        WHERE f.person_id = w.person_id AND f.deleted_at IS NULL AND f.contacted_on <= @as_of::date
    ) fs
)
SELECT (CASE WHEN GROUPING(s.city_code) = 1 THEN 'total'
             WHEN GROUPING(s.code) = 1 THEN 'city' ELSE 'school' END)::text AS level,
       coalesce(s.city_code, '')::text AS city_code,
       coalesce(s.code, '')::text AS school_code,
       (CASE WHEN GROUPING(s.code) = 0 THEN min(s.name) ELSE '' END)::text AS school_name,
       count(*) FILTER (WHERE NOT s.opted_out)::bigint AS scheduled,
       count(*) FILTER (WHERE NOT s.opted_out AND s.met)::bigint AS met,
       count(*) FILTER (WHERE NOT s.opted_out AND NOT s.met)::bigint AS due,
       count(*) FILTER (WHERE NOT s.opted_out AND NOT s.met AND s.k >= 2 AND NOT s.prev_met)::bigint AS overdue,
       count(*) FILTER (WHERE s.opted_out)::bigint AS opted_out
FROM scheduled s
GROUP BY GROUPING SETS ((s.city_code, s.code), (s.city_code), ())
ORDER BY GROUPING(s.city_code), s.city_code, GROUPING(s.code), s.code;
