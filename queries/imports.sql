-- name: ImportInsert :one
-- One row per import run (applied, failed or dry), with the file's hash and summary. A
-- second run with the same uploader and idempotency key is refused by the unique
-- constraint imports_idempotency_key.
INSERT INTO imports (kind, file_name, file_sha256, uploaded_by, idempotency_key, dry_run, applied, summary)
VALUES (@kind, sqlc.narg(file_name), @file_sha256, sqlc.narg(uploaded_by), sqlc.narg(idempotency_key),
        @dry_run, @applied, @summary)
RETURNING id;

-- name: ImportGet :one
SELECT * FROM imports WHERE id = @id;

-- name: ImportByKey :one
-- The run an uploader recorded under an idempotency key.
SELECT * FROM imports WHERE uploaded_by = @uploaded_by AND idempotency_key = @idempotency_key;

-- name: ImportListRecent :many
SELECT * FROM imports ORDER BY created_at DESC, id DESC LIMIT @lim;

-- name: ImportList :many
-- Past runs, newest first, paged by id: the summary's counts with at most the first 20
-- of its errors (a rejected file may have thousands) and how many there were.
SELECT id, kind, file_name, file_sha256, uploaded_by, idempotency_key, dry_run, applied, created_at,
       (summary - 'errors')::jsonb AS counts,
       jsonb_path_query_array(summary, '$.errors[0 to 19]')::jsonb AS first_errors,
       coalesce(jsonb_array_length(summary -> 'errors'), 0)::int AS error_count
FROM imports
WHERE (@before_id::bigint = 0 OR id < @before_id)
  AND (sqlc.narg(uploaded_by)::text IS NULL OR uploaded_by = sqlc.narg(uploaded_by))
  AND (sqlc.narg(kind)::text IS NULL OR kind = sqlc.narg(kind))
ORDER BY id DESC
LIMIT @lim;

-- name: ImportCategoryList :many
-- The categories offered by the import templates' drop-down lists.
SELECT code, program, name_zh FROM categories ORDER BY sort_order, code;

-- ImportCount is how many past runs ImportList's filters match: the history's total.
-- name: ImportCount :one
SELECT count(*)::int FROM imports
WHERE (sqlc.narg(uploaded_by)::text IS NULL OR uploaded_by = sqlc.narg(uploaded_by))
  AND (sqlc.narg(kind)::text IS NULL OR kind = sqlc.narg(kind));
