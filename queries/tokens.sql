-- Personal API tokens: token_hash is the SHA-256 of the secret shown once.

-- name: TokenInsert :one
INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at)
VALUES (@token_hash, @user_id, @name, @now, @expires_at)
RETURNING id, user_id, name, created_at, expires_at, last_used_at, revoked_at;

-- name: TokenGetByHash :one
SELECT sqlc.embed(api_tokens), sqlc.embed(users)
FROM api_tokens JOIN users ON users.id = api_tokens.user_id
WHERE api_tokens.token_hash = @token_hash;

-- name: TokenTouch :exec
UPDATE api_tokens SET last_used_at = @now::timestamptz
WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @now);

-- name: TokenListByUser :many
SELECT id, user_id, name, created_at, expires_at, last_used_at, revoked_at
FROM api_tokens WHERE user_id = @user_id
ORDER BY created_at DESC, id DESC;

-- name: TokenGetForUser :one
SELECT id, user_id, name, created_at, expires_at, last_used_at, revoked_at
FROM api_tokens WHERE id = @id AND user_id = @user_id;

-- name: TokenRevoke :execrows
UPDATE api_tokens SET revoked_at = @now::timestamptz WHERE id = @id AND revoked_at IS NULL;

-- name: TokenRevokeForUser :execrows
UPDATE api_tokens SET revoked_at = @now::timestamptz WHERE user_id = @user_id AND revoked_at IS NULL;
