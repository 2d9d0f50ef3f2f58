-- The key check value of the identity-number master key (migrations/00091_key_check.sql).
-- These run on the owner's connection at start-up, never as talentdb_app.

-- name: KeyCheckState :one
-- The stored check value, if any, and one ciphertext sealed with the key (an identity
-- number, else a mentor's phone), if the database holds any: a database with neither is
-- fresh and may meet a new key.
SELECT (SELECT k.kcv FROM key_check k)::bytea AS kcv,
       coalesce((SELECT p.id_cipher FROM persons p ORDER BY p.id LIMIT 1),
                (SELECT m.phone_cipher FROM mentors m WHERE m.phone_cipher IS NOT NULL ORDER BY m.id LIMIT 1))::bytea AS sealed;

-- name: KeyCheckInsert :one
-- Stores the check value unless one is stored already, and returns the stored one: of two
-- processes meeting a fresh database with different keys, the second learns of the first.
WITH ins AS (
    INSERT INTO key_check (kcv) VALUES (@kcv) ON CONFLICT (id) DO NOTHING RETURNING kcv
)
SELECT ins.kcv FROM ins
UNION ALL
SELECT k.kcv FROM key_check k WHERE NOT EXISTS (SELECT 1 FROM ins)
LIMIT 1;
