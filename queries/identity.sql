-- The identity review queue: pairs of persons who probably are one person entered twice
-- (docs/identity.md). A pair is stored once, the newer person (larger id) first.

-- name: IdentityCandidateInsertMany :execrows
-- Adds flagged pairs; a pair already on the queue (whatever its status: a dismissed pair
-- stays dismissed) is left alone.
INSERT INTO identity_candidates (person_id, similar_id, reason)
SELECT x.person_id, x.similar_id, x.reason
FROM (SELECT unnest(@person_ids::bigint[]) AS person_id, unnest(@similar_ids::bigint[]) AS similar_id,
             unnest(@reasons::text[]) AS reason) x
ORDER BY x.person_id, x.similar_id
ON CONFLICT ON CONSTRAINT identity_candidates_pair_key DO NOTHING;

-- name: IdentityCandidateList :many
-- Open candidates in the order they were found, paged by id, with both persons as the API
-- shows them (masked identity numbers only). Pairs where either person has since been
-- merged are not listed.
SELECT c.id, c.reason, c.status, c.created_at,
       p.id AS p_id, p.id_masked AS p_id_masked, p.name AS p_name, p.gender AS p_gender,
       p.birth_date AS p_birth_date, po.code AS p_school_code, po.name AS p_school_name,
       p.created_at AS p_created_at,
       q.id AS q_id, q.id_masked AS q_id_masked, q.name AS q_name, q.gender AS q_gender,
       q.birth_date AS q_birth_date, qo.code AS q_school_code, qo.name AS q_school_name,
       q.created_at AS q_created_at
FROM identity_candidates c
JOIN persons p ON p.id = c.person_id AND p.merged_into IS NULL
JOIN persons q ON q.id = c.similar_id AND q.merged_into IS NULL
LEFT JOIN organizations po ON po.id = p.school_id
LEFT JOIN organizations qo ON qo.id = q.school_id
WHERE c.status = 'open' AND c.id > @after_id
ORDER BY c.id
LIMIT @lim;

-- name: IdentityCandidateDismiss :one
-- Closes an open candidate as "not the same person".
UPDATE identity_candidates SET status = 'dismissed', resolved_at = now(), resolved_by = @resolved_by
WHERE id = @id AND status = 'open'
RETURNING *;

-- name: IdentityCandidateGet :one
SELECT * FROM identity_candidates WHERE id = @id;
