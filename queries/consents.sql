-- Guardian consents (监护人同意) of persons under 14: a person created through the API under
-- 14 is 'pending' until one is recorded; withdrawing one makes the person 'withdrawn'.

-- name: ConsentInsert :one
INSERT INTO consents (person_id, school_id, guardian_name, relationship, method, scope, granted_on, recorded_by)
VALUES (@person_id, sqlc.narg(school_id), @guardian_name, @relationship, @method, @scope, @granted_on,
        sqlc.narg(recorded_by))
RETURNING *;

-- name: ConsentList :many
SELECT * FROM consents WHERE person_id = @person_id ORDER BY granted_on, id;

-- name: ConsentLock :one
SELECT version FROM consents WHERE id = @id AND person_id = @person_id FOR UPDATE;

-- name: ConsentGet :one
SELECT * FROM consents WHERE id = @id;

-- name: ConsentWithdraw :one
UPDATE consents SET withdrawn_on = @withdrawn_on WHERE id = @id RETURNING *;

-- name: PersonConsentLock :one
-- Locks the person's row and returns what the consent rules need of it.
SELECT consent_state, school_id FROM persons WHERE id = @id FOR UPDATE;

-- name: PersonSetConsentState :exec
UPDATE persons SET consent_state = @consent_state WHERE id = @id;
