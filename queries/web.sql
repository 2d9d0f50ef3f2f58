-- Queries of the web app (internal/web) that no other area has. Each runs in the caller's
-- scope like every other store statement, so row-level security applies.

-- name: WebRegionList :many
-- The province and its cities, for labels and pickers.
SELECT code, name_zh, name_en, level FROM regions ORDER BY code;

-- name: WebSchoolNominees :many
-- A school's participants of some editions with the person's name and masked identity:
-- the school workspace's nominee list.
SELECT pa.id, pa.person_id, p.name, p.id_masked, pa.edition_id, pa.program, pa.category_code,
       pa.grade, pa.teacher_role, pa.status, pa.evaluation, m.name AS mentor_name
FROM participations pa
JOIN persons p ON p.id = pa.person_id AND person_listed(p.consent_state)
LEFT JOIN mentors m ON m.id = pa.mentor_id
WHERE pa.school_id = @school_id AND pa.edition_id = ANY(@edition_ids::text[])
ORDER BY pa.edition_id DESC, p.name, pa.id
LIMIT @lim;
