-- Accounts. A user row is read with its school's code so that listings and the "me"
-- endpoint can show the scope as people know it.

-- name: UserInsert :one
INSERT INTO users (username, display_name, password_hash, role, school_id, city_code, mentor_id)
VALUES (@username, sqlc.narg(display_name), @password_hash, @role, sqlc.narg(school_id),
        sqlc.narg(city_code), sqlc.narg(mentor_id))
RETURNING id;

-- name: UserGet :one
SELECT u.*, o.code AS school_code
FROM users u LEFT JOIN organizations o ON o.id = u.school_id
WHERE u.id = @id;

-- name: UserGetByUsername :one
SELECT u.*, o.code AS school_code
FROM users u LEFT JOIN organizations o ON o.id = u.school_id
WHERE u.username = @username;

-- name: UserList :many
SELECT u.*, o.code AS school_code
FROM users u LEFT JOIN organizations o ON o.id = u.school_id
ORDER BY u.username;

-- UserLoginFailed counts one more failed sign-in in one statement, so concurrent failures
-- cannot lose a count; the failure that reaches max_failures locks the account until
-- lock_until and starts the count again.
-- name: UserLoginFailed :one
UPDATE users SET
    failed_logins = CASE WHEN failed_logins + 1 >= @max_failures::integer THEN 0 ELSE failed_logins + 1 END,
    locked_until  = CASE WHEN failed_logins + 1 >= @max_failures::integer THEN @lock_until::timestamptz ELSE locked_until END
WHERE id = @id
RETURNING failed_logins, locked_until;

-- UserLoginSucceeded resets the failure count; it writes only when there is something to
-- reset, so a sign-in does not bump the row's version.
-- name: UserLoginSucceeded :exec
UPDATE users SET failed_logins = 0, locked_until = NULL
WHERE id = @id AND (failed_logins <> 0 OR locked_until IS NOT NULL);

-- name: UserPasswordSet :execrows
UPDATE users SET password_hash = @password_hash, failed_logins = 0, locked_until = NULL
WHERE id = @id;

-- UserPasswordRehash replaces a hash made with weaker parameters, unless the password was
-- changed in the meantime.
-- name: UserPasswordRehash :exec
UPDATE users SET password_hash = @new_hash WHERE id = @id AND password_hash = @old_hash;

-- name: UserDisable :execrows
UPDATE users SET disabled_at = @at::timestamptz WHERE id = @id AND disabled_at IS NULL;

-- name: UserEnable :execrows
UPDATE users SET disabled_at = NULL, failed_logins = 0, locked_until = NULL
WHERE id = @id AND disabled_at IS NOT NULL;

-- name: UserRegionLevel :one
SELECT level FROM regions WHERE code = @code;

-- name: UserSchoolByCode :one
SELECT id, kind FROM organizations WHERE code = @code;

-- name: UserMentorExists :one
SELECT EXISTS (SELECT 1 FROM mentors WHERE id = @id);
