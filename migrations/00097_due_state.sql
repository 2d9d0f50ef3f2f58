-- +goose Up
-- due_state: per alumnus, what the follow-up schedule reads of their participations and
-- follow-ups, kept current by triggers in the writing transaction (docs/due-state.md).
-- Derived data: no foreign keys (a recomputation replaces a row whole).
CREATE TABLE due_state (
    person_id         bigint PRIMARY KEY,
    -- the latest completed participation: latest ends_on, then the greater edition id
    edition_id        text NOT NULL,
    ends_on           date NOT NULL,
    school_id         bigint NOT NULL,
    -- the person: what the list shows, and whether it may name them (not merged, and
    -- person_listed: not withheld for consent)
    name              text NOT NULL,
    id_masked         text NOT NULL,
    listed            boolean NOT NULL,
    -- the follow-ups not deleted, whatever their date
    opted_out         boolean NOT NULL,
    last_met_on       date,
    last_contacted_on date
);
CREATE INDEX due_state_school_idx ON due_state (school_id);

-- The state of every alumnus, computed from the tables; the triggers' function keeps
-- due_state equal to it for the persons a statement touched.
CREATE VIEW due_state_source AS
SELECT l.person_id, l.edition_id, l.ends_on, l.school_id,
       p.name, p.id_masked, (p.merged_into IS NULL AND person_listed(p.consent_state)) AS listed,
       coalesce(fs.opted_out, false) AS opted_out, fs.last_met_on, fs.last_contacted_on
FROM (
    SELECT DISTINCT ON (pa.person_id) pa.person_id, pa.edition_id, e.ends_on, pa.school_id
    FROM participations pa JOIN editions e ON e.id = pa.edition_id
    WHERE pa.status = 'completed'
    ORDER BY pa.person_id, e.ends_on DESC, e.id COLLATE "C" DESC
) l
JOIN persons p ON p.id = l.person_id
LEFT JOIN LATERAL (
    SELECT bool_or(f.outcome = 'opted_out') AS opted_out,
           max(f.contacted_on) FILTER (WHERE f.outcome IN ('reached', 'declined')) AS last_met_on,
           max(f.contacted_on) AS last_contacted_on
    FROM follow_ups f
    WHERE f.person_id = l.person_id AND f.deleted_at IS NULL
) fs ON true;

-- due_state_refresh recomputes the rows of the persons ids (NULL: of everyone). It runs as
-- its owner in the office scope, restored afterwards (an error aborts the transaction, so
-- the caller's scope is never left behind), so a write in a school's scope recomputes from
-- all of the person's rows. It first locks the persons' rows (FOR NO KEY UPDATE, in id
-- order: no deadlock between two refreshes; a foreign key's KEY SHARE does not wait for it)
-- and then reads with a snapshot of its own: of two transactions writing one person's rows,
-- the later one to lock sees the earlier one's committed rows.
-- +goose StatementBegin
CREATE FUNCTION due_state_refresh(ids bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    caller_scope text := coalesce(current_setting('talentdb.scope', true), '');
BEGIN
    PERFORM set_config('talentdb.scope', 'office', true);
    IF ids IS NULL THEN
        LOCK TABLE due_state IN EXCLUSIVE MODE;
        DELETE FROM due_state;
        INSERT INTO due_state SELECT * FROM due_state_source;
    ELSIF cardinality(ids) > 0 THEN
        -- row locks, not advisory ones: an import's thousands of persons would exhaust the
        -- shared lock table (max_locks_per_transaction), row locks live in the rows
        PERFORM 1 FROM persons p WHERE p.id = ANY (ids) ORDER BY p.id FOR NO KEY UPDATE;
        WITH fresh AS (
            SELECT * FROM due_state_source s WHERE s.person_id = ANY (ids)
        ), gone AS (
            DELETE FROM due_state d WHERE d.person_id = ANY (ids)
                AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.person_id = d.person_id)
        )
        INSERT INTO due_state SELECT * FROM fresh
        ON CONFLICT (person_id) DO UPDATE SET
            edition_id = excluded.edition_id, ends_on = excluded.ends_on, school_id = excluded.school_id,
            name = excluded.name, id_masked = excluded.id_masked, listed = excluded.listed,
            opted_out = excluded.opted_out, last_met_on = excluded.last_met_on,
            last_contacted_on = excluded.last_contacted_on
        WHERE (due_state.*) IS DISTINCT FROM (excluded.*);
    END IF;
    PERFORM set_config('talentdb.scope', caller_scope, true);
END;
$$;
-- +goose StatementEnd
REVOKE EXECUTE ON FUNCTION due_state_refresh(bigint[]) FROM PUBLIC;

-- The triggers: statement-level, with the statement's rows as transition tables, so an
-- import recomputes its persons once. A row's old and new person both count (a merge
-- moves rows from one person to another); an update counts only when it changed what the
-- state reads.
-- +goose StatementBegin
CREATE FUNCTION due_state_participations() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM due_state_refresh(ARRAY(SELECT n.person_id FROM new_rows n WHERE n.status = 'completed'));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM due_state_refresh(ARRAY(SELECT o.person_id FROM old_rows o WHERE o.status = 'completed'));
    ELSE
        PERFORM due_state_refresh(ARRAY(
            SELECT x.person_id
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            CROSS JOIN LATERAL (VALUES (o.person_id), (n.person_id)) x (person_id)
            WHERE (o.status = 'completed' OR n.status = 'completed')
              AND (o.person_id, o.edition_id, o.school_id, o.status)
                  IS DISTINCT FROM (n.person_id, n.edition_id, n.school_id, n.status)));
    END IF;
    RETURN NULL;
END;
$$;
CREATE FUNCTION due_state_follow_ups() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM due_state_refresh(ARRAY(SELECT n.person_id FROM new_rows n WHERE n.deleted_at IS NULL));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM due_state_refresh(ARRAY(SELECT o.person_id FROM old_rows o WHERE o.deleted_at IS NULL));
    ELSE
        PERFORM due_state_refresh(ARRAY(
            SELECT x.person_id
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            CROSS JOIN LATERAL (VALUES (o.person_id), (n.person_id)) x (person_id)
            WHERE (o.person_id, o.contacted_on, o.outcome, o.deleted_at IS NULL)
                  IS DISTINCT FROM (n.person_id, n.contacted_on, n.outcome, n.deleted_at IS NULL)));
    END IF;
    RETURN NULL;
END;
$$;
CREATE FUNCTION due_state_persons() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM due_state_refresh(ARRAY(
        SELECT n.id
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.name, o.id_masked, o.merged_into IS NULL, person_listed(o.consent_state))
              IS DISTINCT FROM (n.name, n.id_masked, n.merged_into IS NULL, person_listed(n.consent_state))));
    RETURN NULL;
END;
$$;
CREATE FUNCTION due_state_editions() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM due_state_refresh(ARRAY(
        SELECT pa.person_id
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        JOIN participations pa ON pa.edition_id = n.id AND pa.status = 'completed'
        WHERE o.ends_on IS DISTINCT FROM n.ends_on));
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER due_state_insert AFTER INSERT ON participations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION due_state_participations();
CREATE TRIGGER due_state_update AFTER UPDATE ON participations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION due_state_participations();
CREATE TRIGGER due_state_delete AFTER DELETE ON participations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION due_state_participations();
CREATE TRIGGER due_state_insert AFTER INSERT ON follow_ups
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION due_state_follow_ups();
CREATE TRIGGER due_state_update AFTER UPDATE ON follow_ups
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION due_state_follow_ups();
CREATE TRIGGER due_state_delete AFTER DELETE ON follow_ups
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION due_state_follow_ups();
CREATE TRIGGER due_state_update AFTER UPDATE ON persons
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION due_state_persons();
CREATE TRIGGER due_state_update AFTER UPDATE ON editions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION due_state_editions();

-- due_follow_ups_upto: what a person's follow-ups dated on or before as_of add up to for
-- window [window_from, as_of] and the window before it, [prev_from, prev_to] — for the
-- schedule of a date before some follow-up of the person. A function, planned once per
-- session, so the schedule's own plan stays small; it runs in the caller's scope.
CREATE TYPE due_follow_ups AS (opted_out boolean, met boolean, prev_met boolean, last_contacted_on date);
-- +goose StatementBegin
CREATE FUNCTION due_follow_ups_upto(person bigint, as_of date, window_from date, prev_from date, prev_to date)
    RETURNS due_follow_ups
    LANGUAGE plpgsql STABLE
    SET search_path = public, pg_temp
AS $$
DECLARE
    r due_follow_ups;
BEGIN
    SELECT coalesce(bool_or(f.outcome = 'opted_out'), false),
           coalesce(bool_or(f.outcome IN ('reached', 'declined') AND f.contacted_on >= window_from), false),
           coalesce(bool_or(f.outcome IN ('reached', 'declined') AND f.contacted_on BETWEEN prev_from AND prev_to), false),
           max(f.contacted_on)
    INTO r.opted_out, r.met, r.prev_met, r.last_contacted_on
    FROM follow_ups f
    WHERE f.person_id = person AND f.deleted_at IS NULL AND f.contacted_on <= as_of;
    RETURN r;
END;
$$;
-- +goose StatementEnd

-- Row security: a row belongs to the school of the latest completed participation, read
-- as a school's own rows are (the office and the analyst, that school, its city) — the
-- readers of the schedule (a school's list is its own school's, a city's its city's);
-- written only by the triggers' function, as the owner in the office scope — the
-- service's role may only read.
ALTER TABLE due_state ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON due_state FOR SELECT USING (
    app_scope() IN ('office', 'analyst') OR school_id = app_school_id()
    OR (app_scope() = 'city' AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = app_city_code())));
CREATE POLICY office_write ON due_state FOR ALL USING (app_scope() = 'office') WITH CHECK (app_scope() = 'office');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON due_state FROM talentdb_app;

-- the backfill, as the office
SELECT set_config('talentdb.scope', 'office', true);
INSERT INTO due_state SELECT * FROM due_state_source;
-- a school's alumni on few pages
CLUSTER due_state USING due_state_school_idx;
ANALYZE due_state;

-- +goose Down
DROP TRIGGER due_state_update ON editions;
DROP TRIGGER due_state_update ON persons;
DROP TRIGGER due_state_delete ON follow_ups;
DROP TRIGGER due_state_update ON follow_ups;
DROP TRIGGER due_state_insert ON follow_ups;
DROP TRIGGER due_state_delete ON participations;
DROP TRIGGER due_state_update ON participations;
DROP TRIGGER due_state_insert ON participations;
DROP FUNCTION due_follow_ups_upto(bigint, date, date, date, date);
DROP TYPE due_follow_ups;
DROP FUNCTION due_state_editions();
DROP FUNCTION due_state_persons();
DROP FUNCTION due_state_follow_ups();
DROP FUNCTION due_state_participations();
DROP FUNCTION due_state_refresh(bigint[]);
DROP VIEW due_state_source;
DROP TABLE due_state;
