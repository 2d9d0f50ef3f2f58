-- +goose Up
-- The key check value of the identity-number master key (docs/security.md, "The key
-- file"): a one-way derivation of the master under a label of its own, which reveals
-- nothing of the match or encryption keys. Every command that loads the key compares it
-- with this row at start-up and refuses another key, so a mistyped TALENTDB_KEY_FILE can
-- no longer mint a new key whose ciphertexts nobody can open and whose hashes match no
-- one. One row at most (id is always true); written once, when a fresh database meets its
-- first key or an older one adopts the key that opens its ciphertexts.
CREATE TABLE key_check (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    kcv        bytea NOT NULL CHECK (length(kcv) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
-- only the owner's connection reads and writes it, at start-up; the service's statements
-- (as talentdb_app, which the default privileges of 00070 would give it) never touch it
REVOKE ALL ON key_check FROM talentdb_app;

-- +goose Down
DROP TABLE key_check;
