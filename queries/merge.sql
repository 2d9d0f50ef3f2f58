-- Merging two records of one person, and undoing it (docs/identity.md). The moves of the
-- person's records are table-driven in internal/store/merge.go; these are the fixed parts.

-- name: MergePersonsLock :many
-- Locks both persons, in id order so two merges of the same pair cannot deadlock.
SELECT id, merged_into, school_id FROM persons WHERE id = ANY (@ids::bigint[]) ORDER BY id FOR UPDATE;

-- name: MergeInsert :one
INSERT INTO person_merges (kept_id, merged_id, moved, merged_by)
VALUES (@kept_id, @merged_id, @moved, @merged_by)
RETURNING *;

-- name: MergeLock :one
SELECT id FROM person_merges WHERE id = @id FOR UPDATE;

-- name: MergeGet :one
SELECT * FROM person_merges WHERE id = @id;

-- name: MergeListByKept :many
SELECT * FROM person_merges WHERE kept_id = @kept_id ORDER BY id;

-- name: MergeMarkUndone :exec
UPDATE person_merges SET undone_at = now() WHERE id = @id;

-- name: MergeSetMergedInto :exec
UPDATE persons SET merged_into = sqlc.narg(merged_into) WHERE id = @id;

-- name: MergeRepoint :many
-- Persons merged earlier into the one being merged now follow it to the kept person, so
-- that resolving an identity number through merged_into stays one step.
UPDATE persons SET merged_into = @kept_id WHERE merged_into = @merged_id RETURNING id;

-- name: MergeRepointBack :exec
UPDATE persons SET merged_into = @merged_id WHERE id = ANY (@ids::bigint[]) AND merged_into = @kept_id;

-- name: MergeSetSchool :exec
UPDATE persons SET school_id = sqlc.narg(school_id) WHERE id = @id AND school_id IS DISTINCT FROM sqlc.narg(school_id);

-- name: MergeResolveCandidates :many
-- Closes the candidates that paired the two persons as merged, returning what they were.
WITH old AS (
    SELECT c.id, c.status, c.resolved_at, c.resolved_by FROM identity_candidates c
    WHERE (c.person_id = @a AND c.similar_id = @b) OR (c.person_id = @b AND c.similar_id = @a)
    FOR UPDATE)
, upd AS (
    UPDATE identity_candidates c SET status = 'merged', resolved_at = now(), resolved_by = @resolved_by
    FROM old WHERE c.id = old.id RETURNING c.id)
SELECT old.id, old.status, old.resolved_at, old.resolved_by FROM old JOIN upd ON upd.id = old.id ORDER BY old.id;

-- name: MergeRestoreCandidate :exec
UPDATE identity_candidates SET status = @status, resolved_at = sqlc.narg(resolved_at), resolved_by = sqlc.narg(resolved_by)
WHERE id = @id;

-- name: MergeRelinkCareerMoves :many
-- Re-links the implicit ends of a person's career moves (each ends where the next starts)
-- after moves were added or taken away, returning the ends it changed as they were.
WITH old AS (
    SELECT c.id, c.ended_on FROM career_moves c
    WHERE c.person_id = @person_id FOR UPDATE)
, nxt AS (
    SELECT c.id, lead(c.started_on) OVER (ORDER BY c.started_on) AS next_start
    FROM career_moves c WHERE c.person_id = @person_id AND c.deleted_at IS NULL)
, upd AS (
    UPDATE career_moves c SET ended_on = nxt.next_start FROM nxt
    WHERE c.id = nxt.id AND NOT c.ended_explicit AND c.ended_on IS DISTINCT FROM nxt.next_start
    RETURNING c.id)
SELECT old.id, old.ended_on FROM old JOIN upd ON upd.id = old.id ORDER BY old.id;

-- name: MergeRestoreCareerEnd :exec
UPDATE career_moves SET ended_on = sqlc.narg(ended_on) WHERE id = @id;
