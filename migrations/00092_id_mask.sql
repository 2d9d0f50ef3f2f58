-- +goose Up
-- The masked identity number keeps the first four digits only: 5101**************. The old
-- form, 5101**********1234, showed the sequence and check digits (15-18); shown beside the
-- birth date in clear (digits 7-14) and the school's county (digits 5-6), it gave the whole
-- number away. The new CHECK keeps the old form out, and every mask already stored — in
-- persons and in the audit log's before/after — is rewritten to the new one.
--
-- Checked and left alone: imports.summary holds row numbers and messages, never a number
-- or a mask; frozen_reports holds aggregate reports only (kinds annual and cohort);
-- person_merges.moved holds row ids; an import's staging tables are temporary.

-- Tables FORCE row-level security (00070): the owner running this sees and changes rows
-- only in the office scope, for this transaction.
SELECT set_config('talentdb.scope', 'office', true);

ALTER TABLE persons DROP CONSTRAINT IF EXISTS persons_id_masked_check;
UPDATE persons SET id_masked = left(id_masked, 4) || repeat('*', 14)
WHERE id_masked !~ '^[0-9]{4}\*{14}$';
-- the same name as before: the API maps a violation of it to a problem on id_number
ALTER TABLE persons ADD CONSTRAINT persons_id_masked_check CHECK (id_masked ~ '^[0-9]{4}\*{14}$');

-- audit_log has no UPDATE policy (it is append-only for the service) and its trigger lets
-- only the owner change a row: lift FORCE for the owner's rewrite and put it back. Any
-- string in before/after that holds an old mask (id_number_masked, id_masked, or one nested
-- deeper) gets the new one; only digits and stars change, so the text stays valid JSON.
ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY;
UPDATE audit_log
SET before = regexp_replace(before::text, '([0-9]{4})\*{10}[0-9]{3}[0-9X]', '\1**************', 'g')::jsonb,
    after  = regexp_replace(after::text,  '([0-9]{4})\*{10}[0-9]{3}[0-9X]', '\1**************', 'g')::jsonb
WHERE before::text ~ '[0-9]{4}\*{10}[0-9]{3}[0-9X]'
   OR after::text ~ '[0-9]{4}\*{10}[0-9]{3}[0-9X]';
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;

-- +goose Down
-- Nothing to undo for the data: the hidden digits cannot be recovered from a mask, so the
-- rewritten masks stay as they are. For the same reason the old CHECK is not restored (it
-- would reject every row); the new one stays, so that a binary rolled back to the old mask
-- fails to write one rather than storing a mask that gives the number away. Up runs again
-- cleanly after this Down.
SELECT 1;
