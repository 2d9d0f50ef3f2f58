-- name: FollowUpInsert :one
INSERT INTO follow_ups (person_id, school_id, contacted_on, channel, outcome, notes, made_by)
VALUES (@person_id, sqlc.narg(school_id), @contacted_on, @channel, @outcome, sqlc.narg(notes),
        sqlc.narg(made_by))
ON CONFLICT ON CONSTRAINT follow_ups_natural_key DO NOTHING
RETURNING *;

-- name: FollowUpIDByKey :one
SELECT id FROM follow_ups
WHERE person_id = @person_id AND contacted_on = @contacted_on AND channel = @channel;

-- name: FollowUpGet :one
SELECT * FROM follow_ups WHERE id = @id;

-- name: FollowUpGetForUpdate :one
SELECT * FROM follow_ups WHERE id = @id FOR UPDATE;

-- name: FollowUpUpdate :one
UPDATE follow_ups
SET contacted_on = @contacted_on, channel = @channel, outcome = @outcome, notes = sqlc.narg(notes),
    made_by = sqlc.narg(made_by)
WHERE id = @id
RETURNING *;

-- name: FollowUpSetDeleted :one
UPDATE follow_ups SET deleted_at = sqlc.narg(deleted_at) WHERE id = @id RETURNING *;

-- name: FollowUpList :many
SELECT * FROM follow_ups
WHERE person_id = @person_id AND (@include_deleted::boolean OR deleted_at IS NULL)
ORDER BY contacted_on, id;

-- name: FollowUpFirstOptOut :one
-- For the opt-out rule: a person's earliest live opt-out, leaving out one follow-up (the
-- one being written).
SELECT contacted_on FROM follow_ups
WHERE person_id = @person_id AND deleted_at IS NULL AND id <> @except_id AND outcome = 'opted_out'
ORDER BY contacted_on
LIMIT 1;

-- name: FollowUpLastContact :one
-- For the opt-out rule: a person's latest live contact of any outcome, leaving out one.
SELECT contacted_on FROM follow_ups
WHERE person_id = @person_id AND deleted_at IS NULL AND id <> @except_id
ORDER BY contacted_on DESC
LIMIT 1;
