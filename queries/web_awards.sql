-- name: WebAwardQueue :many
-- Live awards in one verification state (the queue: reported, 待核实), oldest first, with
-- the person's, the school's and its city's names, filtered by level, city, school and
-- edition (the person took part in it), one page at an offset with the total of the
-- matches: the office's verification queue, its total and its export.
SELECT sqlc.embed(a), p.name AS person_name, o.name AS school_name, o.code AS school_code,
       o.city_code AS city_code, count(*) OVER ()::int AS total
FROM awards a
JOIN persons p ON p.id = a.person_id AND person_listed(p.consent_state)
LEFT JOIN organizations o ON o.id = a.school_id
WHERE a.deleted_at IS NULL AND a.verification = @verification
  AND (sqlc.narg(level)::text IS NULL OR a.level = sqlc.narg(level))
  AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
  AND (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
  AND (sqlc.narg(edition)::text IS NULL OR EXISTS (
        SELECT 1 FROM participations pa WHERE pa.person_id = a.person_id AND pa.edition_id = sqlc.narg(edition)))
ORDER BY a.id
LIMIT @lim OFFSET @off;
