-- name: AwardInsert :one
-- Inserts an award unless one with the same natural key exists (then no row).
INSERT INTO awards (person_id, school_id, competition, level, rank, awarded_on, organizer,
                    category_code, evidence, reported_by)
VALUES (@person_id, sqlc.narg(school_id), @competition, @level, sqlc.narg(rank), @awarded_on,
        sqlc.narg(organizer), sqlc.narg(category_code), sqlc.narg(evidence), sqlc.narg(reported_by))
ON CONFLICT ON CONSTRAINT awards_natural_key DO NOTHING
RETURNING *;

-- name: AwardIDByKey :one
SELECT id FROM awards
WHERE person_id = @person_id AND competition = @competition AND awarded_on = @awarded_on;

-- name: AwardGet :one
SELECT * FROM awards WHERE id = @id;

-- name: AwardLock :one
SELECT version FROM awards WHERE id = @id FOR UPDATE;

-- name: AwardUpdate :one
UPDATE awards
SET competition = @competition, level = @level, rank = sqlc.narg(rank), awarded_on = @awarded_on,
    organizer = sqlc.narg(organizer), category_code = sqlc.narg(category_code),
    evidence = sqlc.narg(evidence), verification = @verification,
    verified_by = sqlc.narg(verified_by), verified_at = sqlc.narg(verified_at),
    verification_note = sqlc.narg(verification_note)
WHERE id = @id
RETURNING *;

-- name: AwardSetDeleted :one
UPDATE awards SET deleted_at = sqlc.narg(deleted_at) WHERE id = @id RETURNING *;

-- name: AwardList :many
SELECT * FROM awards
WHERE person_id = @person_id AND (@include_deleted::boolean OR deleted_at IS NULL)
ORDER BY awarded_on, id;

-- name: CategoryResolve :one
-- A category given by its code or its Chinese name.
SELECT code FROM categories WHERE code = @key OR name_zh = @key LIMIT 1;
