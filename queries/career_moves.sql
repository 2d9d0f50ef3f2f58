-- name: CareerMoveInsert :one
INSERT INTO career_moves (person_id, school_id, org_id, org_name, position, title, started_on,
                          ended_on, ended_explicit, reason, reported_by)
VALUES (@person_id, sqlc.narg(school_id), sqlc.narg(org_id), sqlc.narg(org_name), @position,
        sqlc.narg(title), @started_on, sqlc.narg(ended_on), @ended_explicit, sqlc.narg(reason),
        sqlc.narg(reported_by))
ON CONFLICT ON CONSTRAINT career_moves_natural_key DO NOTHING
RETURNING id;

-- name: CareerMoveIDByKey :one
SELECT id FROM career_moves WHERE person_id = @person_id AND started_on = @started_on;

-- name: CareerMoveGet :one
SELECT c.*, o.code AS org_code
FROM career_moves c LEFT JOIN organizations o ON o.id = c.org_id
WHERE c.id = @id;

-- name: CareerMoveLock :one
SELECT version FROM career_moves WHERE id = @id FOR UPDATE;

-- name: CareerMoveUpdate :exec
UPDATE career_moves
SET org_id = sqlc.narg(org_id), org_name = sqlc.narg(org_name), position = @position,
    title = sqlc.narg(title), started_on = @started_on, ended_on = sqlc.narg(ended_on),
    ended_explicit = @ended_explicit, reason = sqlc.narg(reason), reported_by = sqlc.narg(reported_by)
WHERE id = @id;

-- name: CareerMoveSetDeleted :exec
UPDATE career_moves SET deleted_at = sqlc.narg(deleted_at) WHERE id = @id;

-- name: CareerMoveList :many
SELECT c.*, o.code AS org_code
FROM career_moves c LEFT JOIN organizations o ON o.id = c.org_id
WHERE c.person_id = @person_id AND (@include_deleted::boolean OR c.deleted_at IS NULL)
ORDER BY c.started_on, c.id;

-- name: CareerMoveIntervals :many
-- The live intervals of a person, for the overlap rule.
SELECT id, started_on, ended_on, ended_explicit FROM career_moves
WHERE person_id = @person_id AND deleted_at IS NULL
ORDER BY started_on;

-- name: CareerMoveRelink :many
-- Recomputes every linked (not explicit) end of a person's live moves: the start of the
-- next live move, NULL for the latest. Returns the rows it changed with their old end.
UPDATE career_moves c
SET ended_on = l.next_start
FROM (SELECT m.id, m.ended_on AS old_end,
             lead(m.started_on) OVER (ORDER BY m.started_on) AS next_start
      FROM career_moves m
      WHERE m.person_id = @person_id AND m.deleted_at IS NULL) l
WHERE c.id = l.id AND NOT c.ended_explicit AND c.ended_on IS DISTINCT FROM l.next_start
RETURNING c.id, l.old_end, c.ended_on AS new_end, c.version;

-- name: CareerMoveOn :one
-- The live move covering a date: where the teacher was on that day.
SELECT c.*, o.code AS org_code
FROM career_moves c LEFT JOIN organizations o ON o.id = c.org_id
WHERE c.person_id = @person_id AND c.deleted_at IS NULL
  AND c.started_on <= @on_date::date AND (c.ended_on IS NULL OR c.ended_on > @on_date::date)
ORDER BY c.started_on DESC
LIMIT 1;

-- name: TeachersInEducation :one
-- Trained teachers (a completed jindaoshi participation in an edition started on or before
-- D) and how many of them are still in science education on D (their move covering D, if
-- any, is not left_education), optionally among those nominated by one school or by the
-- schools of one city; school_known and region_known validate those filters.
WITH trained AS (
    SELECT DISTINCT pa.person_id
    FROM participations pa
    JOIN editions e ON e.id = pa.edition_id
    JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
    JOIN organizations s ON s.id = pa.school_id
    WHERE pa.program = 'jindaoshi' AND pa.status = 'completed' AND e.starts_on <= @on_date::date
      AND (sqlc.narg(school_code)::text IS NULL OR s.code = sqlc.narg(school_code))
      AND (sqlc.narg(city_code)::text IS NULL OR s.city_code = sqlc.narg(city_code))
), placed AS (
    SELECT t.person_id, c.position
    FROM trained t
    JOIN career_moves c ON c.person_id = t.person_id AND c.deleted_at IS NULL
     AND c.started_on <= @on_date::date AND (c.ended_on IS NULL OR c.ended_on > @on_date::date)
)
SELECT (SELECT count(*) FROM trained)::bigint AS trained,
       ((SELECT count(*) FROM trained)
        - (SELECT count(*) FROM placed WHERE position = 'left_education'))::bigint AS in_education,
       (SELECT count(*) FROM placed WHERE position = 'left_education')::bigint AS left_education,
       (SELECT count(*) FROM placed)::bigint AS with_position,
       (sqlc.narg(school_code)::text IS NULL
        OR EXISTS (SELECT 1 FROM organizations o WHERE o.code = sqlc.narg(school_code)))::boolean AS school_known,
       (sqlc.narg(city_code)::text IS NULL
        OR EXISTS (SELECT 1 FROM regions g WHERE g.code = sqlc.narg(city_code)))::boolean AS region_known;
