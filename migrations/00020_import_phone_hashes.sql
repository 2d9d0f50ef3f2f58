-- +goose Up
-- Keyed hashes of persons' phone numbers, so that an import can tell an unchanged phone
-- from a changed one: the ciphertexts differ on every encryption (random nonce), the
-- hashes do not. NULL for a row written before these columns or without a phone.
ALTER TABLE persons ADD COLUMN phone_hash bytea CHECK (length(phone_hash) = 32);
ALTER TABLE persons ADD COLUMN guardian_phone_hash bytea CHECK (length(guardian_phone_hash) = 32);

-- +goose Down
ALTER TABLE persons DROP COLUMN guardian_phone_hash;
ALTER TABLE persons DROP COLUMN phone_hash;
