-- name: ImportInsert :one
-- One row per import run (applied, failed or dry), with the file's hash and summary.
INSERT INTO imports (kind, file_name, file_sha256, uploaded_by, dry_run, applied, summary)
VALUES (@kind, sqlc.narg(file_name), @file_sha256, sqlc.narg(uploaded_by), @dry_run, @applied, @summary)
RETURNING id;

-- name: ImportGet :one
SELECT * FROM imports WHERE id = @id;

-- name: ImportListRecent :many
SELECT * FROM imports ORDER BY created_at DESC, id DESC LIMIT @lim;

-- name: ImportCategoryList :many
-- The categories offered by the import templates' drop-down lists.
SELECT code, program, name_zh FROM categories ORDER BY sort_order, code;
