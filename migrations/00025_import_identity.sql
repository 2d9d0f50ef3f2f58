-- +goose Up
-- Import over HTTP, the identity review queue and person merges (docs/import.md,
-- docs/identity.md). The tables themselves are in 00003.

-- GET /imports of a school operator: their own uploads, newest first
CREATE INDEX imports_uploaded_by_idx ON imports (uploaded_by, id DESC);
-- the review queue: the open candidates, in the order they were found
CREATE INDEX identity_candidates_open_idx ON identity_candidates (id) WHERE status = 'open';

-- import_person_links tells a school operator's persons import, for each identity-number
-- hash it is given, whether a person with that number exists and whether that person is
-- the school's to update (responsible school, or a participation nominated by it: the
-- same test as the row-level security policy of persons). Row-level security hides the
-- other schools' persons from the operator, so without this the import could not tell
-- "new person" from "someone else's person", and the upsert would fail as a whole. It
-- runs as its owner in the office scope and answers nothing but that one boolean per
-- hash the caller already holds (a hash needs the service's key).
-- +goose StatementBegin
CREATE FUNCTION import_person_links(hashes bytea[], school bigint)
    RETURNS TABLE (id_hash bytea, linked boolean)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    caller_scope text := coalesce(current_setting('talentdb.scope', true), '');
BEGIN
    -- the office scope for this one query only (a function's SET clause cannot name a
    -- custom parameter unless run by a superuser); an error aborts the transaction, so
    -- the caller's scope is never left behind
    PERFORM set_config('talentdb.scope', 'office', true);
    RETURN QUERY
        SELECT p.id_hash,
               (p.school_id IS NOT DISTINCT FROM school
                OR EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.school_id = school))
        FROM persons p
        WHERE p.id_hash = ANY (hashes);
    PERFORM set_config('talentdb.scope', caller_scope, true);
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION import_person_links(bytea[], bigint);
DROP INDEX identity_candidates_open_idx;
DROP INDEX imports_uploaded_by_idx;
