-- Web sessions: the cookie carries a random token, token_hash its SHA-256.

-- name: SessionInsert :one
INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
VALUES (@token_hash, @user_id, @csrf_token, @now, @now, @expires_at, sqlc.narg(ip), sqlc.narg(user_agent))
RETURNING *;

-- SessionGetByHash reads a session with its user in one probe of the token_hash index.
-- name: SessionGetByHash :one
SELECT sqlc.embed(sessions), sqlc.embed(users)
FROM sessions JOIN users ON users.id = sessions.user_id
WHERE sessions.token_hash = @token_hash;

-- name: SessionTouch :exec
UPDATE sessions SET last_seen_at = @now WHERE id = @id AND last_seen_at < @now;

-- name: SessionDelete :execrows
DELETE FROM sessions WHERE id = @id;

-- name: SessionDeleteByHash :one
DELETE FROM sessions WHERE token_hash = @token_hash RETURNING id, user_id;

-- name: SessionDeleteForUser :execrows
DELETE FROM sessions WHERE user_id = @user_id;

-- SessionDeleteStale removes sessions past their absolute or idle limit; user_id narrows
-- it to one account (at sign-in), null sweeps them all.
-- name: SessionDeleteStale :execrows
DELETE FROM sessions
WHERE (sqlc.narg(user_id)::bigint IS NULL OR user_id = sqlc.narg(user_id))
  AND (expires_at <= @now OR last_seen_at <= @idle_before);
