-- name: EditionGet :one
SELECT * FROM editions WHERE id = @id;

-- name: EditionLock :one
SELECT version FROM editions WHERE id = @id FOR UPDATE;

-- name: EditionKeyLock :exec
-- Serialises the creators of one edition id (the row may not exist yet) until the
-- transaction ends.
SELECT pg_advisory_xact_lock(hashtext('edition:' || @id::text));

-- name: EditionInsert :one
INSERT INTO editions (id, program, year, starts_on, ends_on, status)
VALUES (@id, @program, @year, @starts_on, @ends_on, @status)
RETURNING *;

-- name: EditionList :many
SELECT * FROM editions
WHERE (sqlc.narg(program)::text IS NULL OR program = sqlc.narg(program))
  AND (sqlc.narg(year)::int IS NULL OR year = sqlc.narg(year))
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
  AND id > @after_id
ORDER BY id
LIMIT @lim;

-- name: EditionUpdate :one
UPDATE editions SET starts_on = @starts_on, ends_on = @ends_on, status = @status
WHERE id = @id
RETURNING *;

-- name: EditionDelete :execrows
DELETE FROM editions WHERE id = @id;
