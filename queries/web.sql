-- Queries of the web app (internal/web) that no other area has. Each runs in the caller's
-- scope like every other store statement, so row-level security applies.

-- name: WebRegionList :many
-- The province and its cities, for labels and pickers.
SELECT code, name_zh, name_en, level FROM regions ORDER BY code;

-- name: WebSchoolNominees :many
-- A school's participants of some editions with the person's name and masked identity:
-- the school workspace's nominee list, with each one's version (the selection steps are
-- taken at it) and the public notice a publicized nominee is on.
SELECT pa.id, pa.person_id, p.name, p.id_masked, pa.edition_id, pa.program, pa.category_code,
       pa.grade, pa.teacher_role, pa.status, pa.evaluation, m.name AS mentor_name,
       pa.version, pnn.notice_id
FROM participations pa
JOIN persons p ON p.id = pa.person_id AND person_listed(p.consent_state)
LEFT JOIN mentors m ON m.id = pa.mentor_id
LEFT JOIN public_notice_nominees pnn ON pnn.participation_id = pa.id
WHERE pa.school_id = @school_id AND pa.edition_id = ANY(@edition_ids::text[])
ORDER BY pa.edition_id DESC, p.name, pa.id
LIMIT @lim;

-- name: WebPersonSearch :many
-- The persons list: a name found anywhere in it, filters on a participation (edition,
-- program, status — all on the same participation), a live award of a level and a city
-- (of the person's school or of a participation's), with the total of the matches
-- (count over the window) and a sort; within the scope asked for (school, city, mentor:
-- the first fence, row-level security the second), never a person withheld for consent.
-- Each row carries the person's school and city by name, their latest participation and
-- their best live award level.
WITH hits AS (
    SELECT p.id, p.name, p.gender, p.birth_date, p.id_masked, o.code AS school_code, o.name AS school_name,
           coalesce(o.city_code, '') AS city_code
    FROM persons p LEFT JOIN organizations o ON o.id = p.school_id
    WHERE person_listed(p.consent_state) AND p.merged_into IS NULL
      AND (sqlc.narg(name)::text IS NULL
           OR p.name LIKE '%' || replace(replace(replace(sqlc.narg(name), '\', '\\'), '%', '\%'), '_', '\_') || '%')
      AND (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
      AND (sqlc.narg(edition)::text IS NULL AND sqlc.narg(program)::text IS NULL AND sqlc.narg(status)::text IS NULL
           OR EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = p.id
                      AND (sqlc.narg(edition)::text IS NULL OR pa.edition_id = sqlc.narg(edition))
                      AND (sqlc.narg(program)::text IS NULL OR pa.program = sqlc.narg(program))
                      AND (sqlc.narg(status)::text IS NULL OR pa.status = sqlc.narg(status))))
      AND (sqlc.narg(level)::text IS NULL OR EXISTS (
            SELECT 1 FROM awards aw WHERE aw.person_id = p.id AND aw.deleted_at IS NULL AND aw.level = sqlc.narg(level)))
      AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code) OR EXISTS (
            SELECT 1 FROM participations pa JOIN organizations so ON so.id = pa.school_id
            WHERE pa.person_id = p.id AND so.city_code = sqlc.narg(city_code)))
      AND (sqlc.narg(scope_school_id)::bigint IS NULL OR p.school_id = sqlc.narg(scope_school_id) OR EXISTS (
            SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.school_id = sqlc.narg(scope_school_id)))
      AND (sqlc.narg(scope_city_code)::text IS NULL OR o.city_code = sqlc.narg(scope_city_code) OR EXISTS (
            SELECT 1 FROM participations pa JOIN organizations so ON so.id = pa.school_id
            WHERE pa.person_id = p.id AND so.city_code = sqlc.narg(scope_city_code)))
      AND (sqlc.narg(scope_mentor_id)::bigint IS NULL OR EXISTS (
            SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.mentor_id = sqlc.narg(scope_mentor_id)))
)
SELECT h.id, h.name, h.gender, h.birth_date, h.id_masked, h.school_code, h.school_name, h.city_code,
       coalesce(r.name_zh, '')::text AS city_name_zh, coalesce(r.name_en, '')::text AS city_name_en,
       coalesce(lp.edition_id, '')::text AS edition_id, coalesce(lp.program, '')::text AS program,
       coalesce(lp.status, '')::text AS status, coalesce(lp.category_code, '')::text AS category_code,
       coalesce(ba.level, '')::text AS best_level,
       count(*) OVER () AS total
FROM hits h
LEFT JOIN regions r ON r.code = h.city_code
LEFT JOIN LATERAL (
    SELECT pa.edition_id, pa.program, pa.status, pa.category_code FROM participations pa JOIN editions e ON e.id = pa.edition_id
    WHERE pa.person_id = h.id ORDER BY e.year DESC, pa.id DESC LIMIT 1) lp ON true
LEFT JOIN LATERAL (
    SELECT aw.level FROM awards aw WHERE aw.person_id = h.id AND aw.deleted_at IS NULL
    ORDER BY array_position(ARRAY['international', 'national', 'provincial', 'municipal', 'county', 'school'], aw.level)
    LIMIT 1) ba ON true
ORDER BY
    CASE WHEN @sort::text = 'name' THEN h.name END,
    CASE WHEN @sort::text = 'birth_date' THEN h.birth_date END,
    CASE WHEN @sort::text = 'birth_date_desc' THEN h.birth_date END DESC,
    CASE WHEN @sort::text = 'school' THEN h.school_name END,
    CASE WHEN @sort::text = 'newest' THEN h.id END DESC,
    h.id
LIMIT @lim OFFSET @off;
