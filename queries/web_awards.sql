-- name: WebAwardQueue :many
-- Live awards still waiting for the office's verification (reported), oldest first, with
-- the person's name and the school's name: the office's verification queue.
SELECT sqlc.embed(a), p.name AS person_name, o.name AS school_name
FROM awards a
JOIN persons p ON p.id = a.person_id AND person_listed(p.consent_state)
LEFT JOIN organizations o ON o.id = a.school_id
WHERE a.deleted_at IS NULL AND a.verification = 'reported' AND a.id > @after_id
  AND (sqlc.narg(level)::text IS NULL OR a.level = sqlc.narg(level))
ORDER BY a.id
LIMIT @lim;
