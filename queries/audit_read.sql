-- Reading the audit log: the auditor's filtered, keyset-paginated list (newest first) and
-- the export of a date range (oldest first).

-- name: AuditList :many
SELECT * FROM audit_log
WHERE id < @before_id
  AND (sqlc.narg(actor)::text IS NULL OR actor = sqlc.narg(actor))
  AND (sqlc.narg(entity)::text IS NULL OR entity = sqlc.narg(entity))
  AND (sqlc.narg(person_id)::bigint IS NULL OR person_id = sqlc.narg(person_id))
  AND (sqlc.narg(action)::text IS NULL OR action = sqlc.narg(action))
  AND (sqlc.narg(from_at)::timestamptz IS NULL OR at >= sqlc.narg(from_at))
  AND (sqlc.narg(to_at)::timestamptz IS NULL OR at < sqlc.narg(to_at))
ORDER BY id DESC
LIMIT @lim;

-- AuditCount is how many rows of the audit log match the list's filters (the cursor aside):
-- the total the auditor's page shows.
-- name: AuditCount :one
SELECT count(*)::int FROM audit_log
WHERE (sqlc.narg(actor)::text IS NULL OR actor = sqlc.narg(actor))
  AND (sqlc.narg(entity)::text IS NULL OR entity = sqlc.narg(entity))
  AND (sqlc.narg(person_id)::bigint IS NULL OR person_id = sqlc.narg(person_id))
  AND (sqlc.narg(action)::text IS NULL OR action = sqlc.narg(action))
  AND (sqlc.narg(from_at)::timestamptz IS NULL OR at >= sqlc.narg(from_at))
  AND (sqlc.narg(to_at)::timestamptz IS NULL OR at < sqlc.narg(to_at));
