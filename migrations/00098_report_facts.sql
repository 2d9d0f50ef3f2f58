-- +goose Up
-- The reports' facts (docs/report-state.md), kept current by triggers in the same
-- transaction as the writes that change them. The cohort report's: per edition and cohort
-- member, the first date of each kind of event in each window of the edition; the cohort
-- report reads an edition's rows through one index instead of probing every member's
-- awards, destinations and follow-ups once per window. The annual report's: the
-- participations of persons not merged with the person's gender, and each alumnus's
-- placing participation per span of years.
CREATE TABLE report_cohort_facts (
    edition_id    text NOT NULL,
    person_id     bigint NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('member', 'award', 'prov', 'prov_first', 'reached',
                                                'yingcai_first', 'dest')),
    k             int,     -- the window of on_date; NULL for member, prov_first, yingcai_first
    on_date       date,    -- NULL for member
    dest_type     text,    -- the destination type of a dest fact
    school_id     bigint NOT NULL, -- the participation's nominating school (the cuts)
    category_code text NOT NULL    -- the participation's category (the cuts)
);
-- the cohort report: an edition's facts, read in one index-only range scan in the order
-- the report counts them (kind, window, date), so the count needs no sort
CREATE INDEX report_cohort_facts_edition_idx ON report_cohort_facts (edition_id, kind, k, on_date, dest_type)
    INCLUDE (school_id, category_code);
-- the refresh: a person's facts
CREATE INDEX report_cohort_facts_person_idx ON report_cohort_facts (person_id);

-- The annual report's participants: every participation of a person not merged, with the
-- edition's year and the person's gender. Within a program a person has one a year.
CREATE TABLE report_participant_facts (
    year          int NOT NULL,
    person_id     bigint NOT NULL,
    program       text NOT NULL,
    status        text NOT NULL,
    category_code text NOT NULL,
    grade         text,
    school_id     bigint NOT NULL,
    gender        text NOT NULL
);
-- the annual report: a year's participants, read index-only
CREATE INDEX report_participant_facts_year_idx ON report_participant_facts (year)
    INCLUDE (program, status, category_code, grade, school_id, gender);
CREATE INDEX report_participant_facts_person_idx ON report_participant_facts (person_id);

-- The annual report's alumni: a person not merged is an alumnus of year Y through the
-- completed participation whose edition ends last before Y + 1 (on equal ends_on the
-- greater edition id): one row per completed participation and the years from_year <= Y
-- < to_year (NULL: no end) it places the person, participations that never place them
-- (a later one ends in the same year) left out.
CREATE TABLE report_alumni_spells (
    person_id     bigint NOT NULL,
    from_year     int NOT NULL,
    to_year       int,
    program       text NOT NULL,
    category_code text NOT NULL,
    school_id     bigint NOT NULL
);
-- the annual report: the alumni of a year, read index-only
CREATE INDEX report_alumni_spells_year_idx ON report_alumni_spells (from_year)
    INCLUDE (to_year, person_id, program, category_code, school_id);
CREATE INDEX report_alumni_spells_person_idx ON report_alumni_spells (person_id);

-- The annual report's records of the year, read index-only: the policies' columns
-- (person_id, school_id) and the filters' in the index.
DROP INDEX awards_date_level_idx;
CREATE INDEX awards_date_level_idx ON awards (awarded_on, level) INCLUDE (verification, person_id, school_id)
    WHERE deleted_at IS NULL;
DROP INDEX destinations_date_type_idx;
CREATE INDEX destinations_date_type_idx ON destinations (started_on, type) INCLUDE (person_id, school_id)
    WHERE deleted_at IS NULL;
DROP INDEX career_moves_date_reason_idx;
CREATE INDEX career_moves_date_reason_idx ON career_moves (started_on, reason) INCLUDE (person_id, school_id)
    WHERE deleted_at IS NULL;
-- the annual report's alumni: the persons opted out before the year and those reached in
-- it, each read once by date (index-only, the policy's school_id included)
CREATE INDEX follow_ups_reached_date_idx ON follow_ups (contacted_on) INCLUDE (person_id, school_id)
    WHERE deleted_at IS NULL AND outcome = 'reached';
CREATE INDEX follow_ups_opted_out_date_idx ON follow_ups (contacted_on) INCLUDE (person_id, school_id)
    WHERE deleted_at IS NULL AND outcome = 'opted_out';

-- A fact merges rows of several tables with different policies, so it is readable only by
-- the scopes that see every source row; the reports count from the source tables for
-- every other scope. Only report_facts_refresh (as the owner, in the office scope)
-- writes; its policies are for INSERT and DELETE only, so that a read is filtered by
-- scope_read alone (every permissive policy of a command is OR-ed into each row's filter).
ALTER TABLE report_cohort_facts ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_cohort_facts FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_cohort_facts FOR SELECT USING (app_scope() IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_cohort_facts FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_delete ON report_cohort_facts FOR DELETE USING (app_scope() = 'office');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_cohort_facts FROM talentdb_app;
ALTER TABLE report_participant_facts ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_participant_facts FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_participant_facts FOR SELECT USING (app_scope() IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_participant_facts FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_delete ON report_participant_facts FOR DELETE USING (app_scope() = 'office');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_participant_facts FROM talentdb_app;
ALTER TABLE report_alumni_spells ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_alumni_spells FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_alumni_spells FOR SELECT USING (app_scope() IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_alumni_spells FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_delete ON report_alumni_spells FOR DELETE USING (app_scope() = 'office');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_alumni_spells FROM talentdb_app;

-- The window k of date d for an edition (docs/reports.md, "windows"): 0 from starts_on to
-- ends_on; after it, with y = year(d) - year(ends_on), y when d <= ends_on + y years, else
-- y + 1. NULL before starts_on (no window).
-- +goose StatementBegin
CREATE FUNCTION report_window_of(starts_on date, ends_on date, d date) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN d < starts_on THEN NULL
    WHEN d <= ends_on THEN 0
    WHEN d <= (ends_on + make_interval(years => extract(year FROM d)::int - extract(year FROM ends_on)::int))::date
        THEN extract(year FROM d)::int - extract(year FROM ends_on)::int
    ELSE extract(year FROM d)::int - extract(year FROM ends_on)::int + 1
END;
-- +goose StatementEnd

-- report_facts_refresh recomputes the facts of the given persons from the source
-- tables. It runs as the owner in the office scope (the scope's setting restored before it
-- returns; an error aborts the transaction), since the facts of a person written by a
-- school operator are made of all of that person's rows, not of the rows the operator sees.
-- +goose StatementBegin
CREATE FUNCTION report_facts_refresh(ids bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    caller_scope text := coalesce(current_setting('talentdb.scope', true), '');
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM set_config('talentdb.scope', 'office', true);
    -- the persons' rows locked first (in id order, as due_state_refresh does), and every
    -- statement below reads with a snapshot of its own: of two transactions writing one
    -- person's rows, the later one recomputes from the earlier one's committed rows
    PERFORM 1 FROM persons p WHERE p.id = ANY (ids) ORDER BY p.id FOR NO KEY UPDATE;
    DELETE FROM report_cohort_facts f WHERE f.person_id = ANY (ids);
    INSERT INTO report_cohort_facts (edition_id, person_id, kind, k, on_date, dest_type, school_id, category_code)
    WITH m AS (
        SELECT pa.edition_id, pa.person_id, pa.school_id, pa.category_code, e.starts_on, e.ends_on
        FROM participations pa
        JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
        JOIN editions e ON e.id = pa.edition_id
        WHERE pa.person_id = ANY (ids) AND pa.status IN ('admitted', 'completed')
    ),
    aw AS (
        SELECT m.edition_id, m.person_id, m.school_id, m.category_code, a.awarded_on,
               report_window_of(m.starts_on, m.ends_on, a.awarded_on) AS k,
               a.level IN ('provincial', 'national', 'international') AS prov
        FROM m JOIN awards a ON a.person_id = m.person_id
        WHERE a.deleted_at IS NULL AND a.verification <> 'rejected' AND a.awarded_on >= m.starts_on
    ),
    de AS (
        SELECT m.edition_id, m.person_id, m.school_id, m.category_code, d.started_on, d.type,
               report_window_of(m.starts_on, m.ends_on, d.started_on) AS k
        FROM m JOIN destinations d ON d.person_id = m.person_id
        WHERE d.deleted_at IS NULL AND d.started_on >= m.starts_on
    )
    SELECT m.edition_id, m.person_id, 'member', NULL::int, NULL::date, NULL::text, m.school_id, m.category_code
    FROM m
    UNION ALL
    SELECT edition_id, person_id, 'award', k, min(awarded_on), NULL, school_id, category_code
    FROM aw GROUP BY edition_id, person_id, school_id, category_code, k
    UNION ALL
    SELECT edition_id, person_id, 'prov', k, min(awarded_on), NULL, school_id, category_code
    FROM aw WHERE prov GROUP BY edition_id, person_id, school_id, category_code, k
    UNION ALL
    SELECT edition_id, person_id, 'prov_first', NULL, min(awarded_on), NULL, school_id, category_code
    FROM aw WHERE prov GROUP BY edition_id, person_id, school_id, category_code
    UNION ALL
    SELECT m.edition_id, m.person_id, 'reached', report_window_of(m.starts_on, m.ends_on, f.contacted_on),
           min(f.contacted_on), NULL, m.school_id, m.category_code
    FROM m JOIN follow_ups f ON f.person_id = m.person_id
    WHERE f.deleted_at IS NULL AND f.outcome = 'reached' AND f.contacted_on >= m.starts_on
    GROUP BY m.edition_id, m.person_id, m.school_id, m.category_code,
             report_window_of(m.starts_on, m.ends_on, f.contacted_on)
    UNION ALL
    SELECT edition_id, person_id, 'yingcai_first', NULL, min(started_on), NULL, school_id, category_code
    FROM de WHERE type = 'yingcai' GROUP BY edition_id, person_id, school_id, category_code
    UNION ALL
    SELECT edition_id, person_id, 'dest', k, started_on, type, school_id, category_code
    FROM de;

    DELETE FROM report_participant_facts f WHERE f.person_id = ANY (ids);
    INSERT INTO report_participant_facts (year, person_id, program, status, category_code, grade, school_id, gender)
    SELECT e.year, pa.person_id, pa.program, pa.status, pa.category_code, pa.grade, pa.school_id, p.gender
    FROM participations pa
    JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
    JOIN editions e ON e.id = pa.edition_id
    WHERE pa.person_id = ANY (ids);

    DELETE FROM report_alumni_spells s WHERE s.person_id = ANY (ids);
    INSERT INTO report_alumni_spells (person_id, from_year, to_year, program, category_code, school_id)
    SELECT c.person_id, c.from_year, c.to_year, c.program, c.category_code, c.school_id
    FROM (SELECT pa.person_id, pa.program, pa.category_code, pa.school_id,
                 extract(year FROM e.ends_on)::int AS from_year,
                 lead(extract(year FROM e.ends_on)::int)
                     OVER (PARTITION BY pa.person_id ORDER BY e.ends_on, e.id COLLATE "C") AS to_year
          FROM participations pa
          JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
          JOIN editions e ON e.id = pa.edition_id
          WHERE pa.person_id = ANY (ids) AND pa.status = 'completed') c
    WHERE c.to_year IS NULL OR c.to_year > c.from_year;
    PERFORM set_config('talentdb.scope', caller_scope, true);
END;
$$;
-- +goose StatementEnd

-- report_facts_touch is the statement trigger of the tables the facts are made of: it
-- refreshes the persons (column TG_ARGV[0]) of the rows a statement inserted or deleted,
-- and of the rows it updated where one of the columns TG_ARGV[1:] changed (old and new
-- person alike, so a row moved to another person refreshes both).
-- +goose StatementBegin
CREATE FUNCTION report_facts_touch() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
AS $$
DECLARE
    ids bigint[];
    changed text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('SELECT array_agg(DISTINCT %I) FROM new_rows', TG_ARGV[0]) INTO ids;
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT array_agg(DISTINCT %I) FROM old_rows', TG_ARGV[0]) INTO ids;
    ELSE
        SELECT string_agg(format('n.%1$I IS DISTINCT FROM o.%1$I', c), ' OR ')
        INTO changed FROM unnest(TG_ARGV[1:]) AS c;
        EXECUTE format('SELECT array_agg(DISTINCT v.id) FROM new_rows n JOIN old_rows o ON o.id = n.id, '
                       'LATERAL (VALUES (n.%1$I), (o.%1$I)) AS v (id) WHERE %2$s', TG_ARGV[0], changed)
            INTO ids;
    END IF;
    PERFORM report_facts_refresh(ids);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER report_facts_awards_ins AFTER INSERT ON awards REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id');
CREATE TRIGGER report_facts_awards_upd AFTER UPDATE ON awards REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id', 'person_id', 'awarded_on', 'level',
        'verification', 'deleted_at');
CREATE TRIGGER report_facts_awards_del AFTER DELETE ON awards REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id');

CREATE TRIGGER report_facts_destinations_ins AFTER INSERT ON destinations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id');
CREATE TRIGGER report_facts_destinations_upd AFTER UPDATE ON destinations REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id', 'person_id', 'started_on', 'type', 'deleted_at');
CREATE TRIGGER report_facts_destinations_del AFTER DELETE ON destinations REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id');

CREATE TRIGGER report_facts_follow_ups_ins AFTER INSERT ON follow_ups REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id');
CREATE TRIGGER report_facts_follow_ups_upd AFTER UPDATE ON follow_ups REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id', 'person_id', 'contacted_on', 'outcome', 'deleted_at');
CREATE TRIGGER report_facts_follow_ups_del AFTER DELETE ON follow_ups REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id');

CREATE TRIGGER report_facts_participations_ins AFTER INSERT ON participations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id');
CREATE TRIGGER report_facts_participations_upd AFTER UPDATE ON participations REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id', 'person_id', 'edition_id', 'status', 'school_id',
        'category_code', 'grade');
CREATE TRIGGER report_facts_participations_del AFTER DELETE ON participations REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id');

-- a merge (or its undoing) sets or clears merged_into; the annual report counts genders
CREATE TRIGGER report_facts_persons_upd AFTER UPDATE ON persons REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('id', 'merged_into', 'gender');

-- an edition's dates move its windows: refresh its participants
-- +goose StatementBegin
CREATE FUNCTION report_facts_touch_edition() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    caller_scope text := coalesce(current_setting('talentdb.scope', true), '');
    ids bigint[];
BEGIN
    PERFORM set_config('talentdb.scope', 'office', true);
    SELECT array_agg(DISTINCT pa.person_id) INTO ids
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN participations pa ON pa.edition_id = n.id
    WHERE (n.starts_on, n.ends_on) IS DISTINCT FROM (o.starts_on, o.ends_on);
    PERFORM set_config('talentdb.scope', caller_scope, true);
    PERFORM report_facts_refresh(ids);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER report_facts_editions_upd AFTER UPDATE ON editions REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch_edition();

-- the facts of the data already there
-- +goose StatementBegin
DO $$
DECLARE
    caller_scope text := coalesce(current_setting('talentdb.scope', true), '');
    ids bigint[];
BEGIN
    PERFORM set_config('talentdb.scope', 'office', true);
    SELECT array_agg(DISTINCT person_id) INTO ids FROM participations;
    PERFORM set_config('talentdb.scope', caller_scope, true);
    PERFORM report_facts_refresh(ids);
END;
$$;
-- +goose StatementEnd
ANALYZE report_cohort_facts, report_participant_facts, report_alumni_spells;

-- +goose Down
DROP TRIGGER report_facts_editions_upd ON editions;
DROP FUNCTION report_facts_touch_edition();
DROP TRIGGER report_facts_persons_upd ON persons;
DROP TRIGGER report_facts_participations_del ON participations;
DROP TRIGGER report_facts_participations_upd ON participations;
DROP TRIGGER report_facts_participations_ins ON participations;
DROP TRIGGER report_facts_follow_ups_del ON follow_ups;
DROP TRIGGER report_facts_follow_ups_upd ON follow_ups;
DROP TRIGGER report_facts_follow_ups_ins ON follow_ups;
DROP TRIGGER report_facts_destinations_del ON destinations;
DROP TRIGGER report_facts_destinations_upd ON destinations;
DROP TRIGGER report_facts_destinations_ins ON destinations;
DROP TRIGGER report_facts_awards_del ON awards;
DROP TRIGGER report_facts_awards_upd ON awards;
DROP TRIGGER report_facts_awards_ins ON awards;
DROP FUNCTION report_facts_touch();
DROP FUNCTION report_facts_refresh(bigint[]);
DROP FUNCTION report_window_of(date, date, date);
DROP INDEX follow_ups_opted_out_date_idx;
DROP INDEX follow_ups_reached_date_idx;
DROP INDEX career_moves_date_reason_idx;
CREATE INDEX career_moves_date_reason_idx ON career_moves (started_on, reason) WHERE deleted_at IS NULL;
DROP INDEX destinations_date_type_idx;
CREATE INDEX destinations_date_type_idx ON destinations (started_on, type) WHERE deleted_at IS NULL;
DROP INDEX awards_date_level_idx;
CREATE INDEX awards_date_level_idx ON awards (awarded_on, level) WHERE deleted_at IS NULL;
DROP TABLE report_alumni_spells;
DROP TABLE report_participant_facts;
DROP TABLE report_cohort_facts;
