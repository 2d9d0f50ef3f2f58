-- +goose Up
-- The cohort report's counts (docs/report-state.md, "Counts"): the cohort facts of
-- report_cohort_facts counted per edition, kind, window, date and destination type — what
-- the report groups the facts by — so that the report without a cut reads a few thousand
-- counts (one per day that has an event, at most) instead of every member's facts. The
-- facts' refresh applies the difference it makes to the counts in the same statement, so
-- the counts are exactly the facts grouped, in every transaction. The member count of an
-- edition, which every admission of the province changes, is kept in 64 shards (by the
-- school's id): two writers wait for each other only when their schools share a shard.
CREATE TABLE report_cohort_counts (
    edition_id text NOT NULL,
    kind       text NOT NULL,   -- as report_cohort_facts.kind
    k          int,             -- NULL for member, prov_first, yingcai_first
    on_date    date,            -- NULL for member
    dest_type  text,            -- a dest count's destination type
    shard      smallint,        -- a member count's shard, school_id % 64; NULL for other kinds
    n          bigint NOT NULL  -- the facts of the key (zero once all are gone)
);
-- the key, and the report's read of an edition's counts in the order it groups them
CREATE UNIQUE INDEX report_cohort_counts_key ON report_cohort_counts
    (edition_id, kind, k, on_date, dest_type, shard) INCLUDE (n) NULLS NOT DISTINCT;

-- as the facts: readable in the scopes that see every source row, written by the refresh
ALTER TABLE report_cohort_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_cohort_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_cohort_counts FOR SELECT USING ((SELECT app_scope()) IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_cohort_counts FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_update ON report_cohort_counts FOR UPDATE USING (app_scope() = 'office')
    WITH CHECK (app_scope() = 'office');
GRANT SELECT ON report_cohort_counts TO talentdb_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_cohort_counts FROM talentdb_app;

-- The annual report's participant counts: the participant facts of a year and program
-- counted along each dimension the report shows — by status (every participation), and for
-- the admitted and completed ones by school (the report's region is the school's city,
-- looked up when read), category, grade (the report's band is the program and grade's) and
-- gender — each in 64 shards by school id, so that two writers of the same year's
-- participations wait for each other only when their schools share a shard.
CREATE TABLE report_participant_counts (
    year    int NOT NULL,
    program text NOT NULL,
    dim     text NOT NULL,   -- status, school, category, grade, gender
    key     text,            -- the value (the school's id as text; a grade may be NULL)
    shard   smallint NOT NULL,
    n       bigint NOT NULL
);
CREATE UNIQUE INDEX report_participant_counts_key ON report_participant_counts
    (year, program, dim, key, shard) INCLUDE (n) NULLS NOT DISTINCT;
ALTER TABLE report_participant_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_participant_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_participant_counts FOR SELECT USING ((SELECT app_scope()) IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_participant_counts FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_update ON report_participant_counts FOR UPDATE USING (app_scope() = 'office')
    WITH CHECK (app_scope() = 'office');
GRANT SELECT ON report_participant_counts TO talentdb_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_participant_counts FROM talentdb_app;

-- The annual report's records of the year — awards (not rejected), destinations, career
-- moves (with a reason) — of persons not merged, one fact per record not deleted, counted
-- per section, date and key (level, type, reason): the report without a cut reads a year's
-- counts (a few per day) instead of every record of the year. Unsharded: two writers wait
-- for each other only when they write records of the same section, day and key.
CREATE TABLE report_record_facts (
    person_id bigint NOT NULL,
    section   text NOT NULL,   -- awards, destinations, career_moves
    on_date   date NOT NULL,
    key       text NOT NULL
);
CREATE INDEX report_record_facts_person_idx ON report_record_facts (person_id);
CREATE TABLE report_record_counts (
    section text NOT NULL,
    on_date date NOT NULL,
    key     text NOT NULL,
    n       bigint NOT NULL,
    CONSTRAINT report_record_counts_key PRIMARY KEY (section, on_date, key) INCLUDE (n)
);
ALTER TABLE report_record_facts ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_record_facts FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_record_facts FOR SELECT USING ((SELECT app_scope()) IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_record_facts FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_delete ON report_record_facts FOR DELETE USING (app_scope() = 'office');
GRANT SELECT ON report_record_facts TO talentdb_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_record_facts FROM talentdb_app;
ALTER TABLE report_record_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_record_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_record_counts FOR SELECT USING ((SELECT app_scope()) IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_record_counts FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_update ON report_record_counts FOR UPDATE USING (app_scope() = 'office')
    WITH CHECK (app_scope() = 'office');
GRANT SELECT ON report_record_counts TO talentdb_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_record_counts FROM talentdb_app;
ALTER TABLE report_record_facts SET (parallel_workers = 0);
ALTER TABLE report_record_counts SET (parallel_workers = 0);

-- career moves refresh their person's facts too (awards and destinations already do)
CREATE TRIGGER report_facts_career_moves_ins AFTER INSERT ON career_moves REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id');
CREATE TRIGGER report_facts_career_moves_upd AFTER UPDATE ON career_moves REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id', 'person_id', 'started_on', 'reason', 'deleted_at');
CREATE TRIGGER report_facts_career_moves_del AFTER DELETE ON career_moves REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch('person_id');

-- The keys one participant fact counts under.
-- +goose StatementBegin
CREATE FUNCTION report_participant_keys(status text, category_code text, grade text, school_id bigint, gender text)
    RETURNS TABLE (dim text, key text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT 'status', status
    UNION ALL
    SELECT v.dim, v.key
    FROM (VALUES ('school', school_id::text), ('category', category_code), ('grade', grade), ('gender', gender)) v (dim, key)
    WHERE status IN ('admitted', 'completed')
$$;
-- +goose StatementEnd

-- The facts and counts are read by index (an edition's, a person's), never worth a parallel scan:
-- gated out by the report without a cut, a parallel plan still started its workers (about
-- 20 ms under load) to scan nothing.
ALTER TABLE report_cohort_facts SET (parallel_workers = 0);
ALTER TABLE report_cohort_counts SET (parallel_workers = 0);
ALTER TABLE report_participant_counts SET (parallel_workers = 0);

-- The facts' read policies ask for the scope once per statement (an init plan), not once
-- per row: the annual report reads 110,000 alumni spells.
ALTER POLICY scope_read ON report_cohort_facts USING ((SELECT app_scope()) IN ('office', 'analyst'));
ALTER POLICY scope_read ON report_participant_facts USING ((SELECT app_scope()) IN ('office', 'analyst'));
ALTER POLICY scope_read ON report_alumni_spells USING ((SELECT app_scope()) IN ('office', 'analyst'));

-- report_facts_refresh as in 00098, its cohort facts now written with their counts
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_facts_refresh(ids bigint[]) RETURNS void
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
    -- the cohort facts replaced in one statement that also applies the difference to the
    -- counts: the old facts (deleted) count -1, the new ones +1, and only the keys whose
    -- sum is not zero are written, in key order (two writers lock shared keys in the same
    -- order). A write that leaves a person's facts as they were writes no count.
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
    ),
    old_facts AS (
        DELETE FROM report_cohort_facts f WHERE f.person_id = ANY (ids)
        RETURNING f.edition_id, f.kind, f.k, f.on_date, f.dest_type, f.school_id
    ),
    new_facts AS (
        INSERT INTO report_cohort_facts (edition_id, person_id, kind, k, on_date, dest_type, school_id, category_code)
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
        FROM de
        RETURNING edition_id, kind, k, on_date, dest_type, school_id
    ),
    delta AS (
        SELECT x.edition_id, x.kind, x.k, x.on_date, x.dest_type,
               CASE WHEN x.kind = 'member' THEN (x.school_id % 64)::smallint END AS shard, sum(x.d) AS n
        FROM (SELECT o.*, -1 AS d FROM old_facts o UNION ALL SELECT n.*, 1 FROM new_facts n) x
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING sum(x.d) <> 0
    )
    INSERT INTO report_cohort_counts AS c (edition_id, kind, k, on_date, dest_type, shard, n)
    SELECT d.edition_id, d.kind, d.k, d.on_date, d.dest_type, d.shard, d.n
    FROM delta d
    ORDER BY d.edition_id, d.kind, d.k, d.on_date, d.dest_type, d.shard
    ON CONFLICT (edition_id, kind, k, on_date, dest_type, shard) DO UPDATE SET n = c.n + excluded.n;

    -- the participant facts replaced, and their difference applied to the counts, the same way
    WITH old_facts AS (
        DELETE FROM report_participant_facts f WHERE f.person_id = ANY (ids)
        RETURNING f.year, f.program, f.status, f.category_code, f.grade, f.school_id, f.gender
    ),
    new_facts AS (
        INSERT INTO report_participant_facts (year, person_id, program, status, category_code, grade, school_id, gender)
        SELECT e.year, pa.person_id, pa.program, pa.status, pa.category_code, pa.grade, pa.school_id, p.gender
        FROM participations pa
        JOIN persons p ON p.id = pa.person_id AND p.merged_into IS NULL
        JOIN editions e ON e.id = pa.edition_id
        WHERE pa.person_id = ANY (ids)
        RETURNING year, program, status, category_code, grade, school_id, gender
    ),
    delta AS (
        SELECT x.year, x.program, v.dim, v.key, (x.school_id % 64)::smallint AS shard, sum(x.d) AS n
        FROM (SELECT o.*, -1 AS d FROM old_facts o UNION ALL SELECT n.*, 1 FROM new_facts n) x
        CROSS JOIN LATERAL report_participant_keys(x.status, x.category_code, x.grade, x.school_id, x.gender) v
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(x.d) <> 0
    )
    INSERT INTO report_participant_counts AS c (year, program, dim, key, shard, n)
    SELECT d.year, d.program, d.dim, d.key, d.shard, d.n
    FROM delta d
    ORDER BY d.year, d.program, d.dim, d.key, d.shard
    ON CONFLICT (year, program, dim, key, shard) DO UPDATE SET n = c.n + excluded.n;

    -- the record facts replaced, and their difference applied to the counts
    WITH old_facts AS (
        DELETE FROM report_record_facts f WHERE f.person_id = ANY (ids)
        RETURNING f.section, f.on_date, f.key
    ),
    new_facts AS (
        INSERT INTO report_record_facts (person_id, section, on_date, key)
        SELECT a.person_id, 'awards', a.awarded_on, a.level
        FROM awards a JOIN persons p ON p.id = a.person_id AND p.merged_into IS NULL
        WHERE a.person_id = ANY (ids) AND a.deleted_at IS NULL AND a.verification <> 'rejected'
        UNION ALL
        SELECT d.person_id, 'destinations', d.started_on, d.type
        FROM destinations d JOIN persons p ON p.id = d.person_id AND p.merged_into IS NULL
        WHERE d.person_id = ANY (ids) AND d.deleted_at IS NULL
        UNION ALL
        SELECT c.person_id, 'career_moves', c.started_on, c.reason
        FROM career_moves c JOIN persons p ON p.id = c.person_id AND p.merged_into IS NULL
        WHERE c.person_id = ANY (ids) AND c.deleted_at IS NULL AND c.reason IS NOT NULL
        RETURNING section, on_date, key
    ),
    delta AS (
        SELECT x.section, x.on_date, x.key, sum(x.d) AS n
        FROM (SELECT o.*, -1 AS d FROM old_facts o UNION ALL SELECT n.*, 1 FROM new_facts n) x
        GROUP BY 1, 2, 3
        HAVING sum(x.d) <> 0
    )
    INSERT INTO report_record_counts AS c (section, on_date, key, n)
    SELECT d.section, d.on_date, d.key, d.n
    FROM delta d
    ORDER BY d.section, d.on_date, d.key
    ON CONFLICT (section, on_date, key) DO UPDATE SET n = c.n + excluded.n;

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

-- the counts of the facts already there
-- +goose StatementBegin
DO $$
DECLARE
    caller_scope text := coalesce(current_setting('talentdb.scope', true), '');
BEGIN
    PERFORM set_config('talentdb.scope', 'office', true);
    INSERT INTO report_cohort_counts (edition_id, kind, k, on_date, dest_type, shard, n)
    SELECT f.edition_id, f.kind, f.k, f.on_date, f.dest_type,
           CASE WHEN f.kind = 'member' THEN (f.school_id % 64)::smallint END, count(*)
    FROM report_cohort_facts f
    GROUP BY 1, 2, 3, 4, 5, 6;
    INSERT INTO report_participant_counts (year, program, dim, key, shard, n)
    SELECT f.year, f.program, v.dim, v.key, (f.school_id % 64)::smallint, count(*)
    FROM report_participant_facts f
    CROSS JOIN LATERAL report_participant_keys(f.status, f.category_code, f.grade, f.school_id, f.gender) v
    GROUP BY 1, 2, 3, 4, 5;
    -- the record facts are new: written for every record, as the refresh writes them
    INSERT INTO report_record_facts (person_id, section, on_date, key)
    SELECT a.person_id, 'awards', a.awarded_on, a.level
    FROM awards a JOIN persons p ON p.id = a.person_id AND p.merged_into IS NULL
    WHERE a.deleted_at IS NULL AND a.verification <> 'rejected'
    UNION ALL
    SELECT d.person_id, 'destinations', d.started_on, d.type
    FROM destinations d JOIN persons p ON p.id = d.person_id AND p.merged_into IS NULL
    WHERE d.deleted_at IS NULL
    UNION ALL
    SELECT c.person_id, 'career_moves', c.started_on, c.reason
    FROM career_moves c JOIN persons p ON p.id = c.person_id AND p.merged_into IS NULL
    WHERE c.deleted_at IS NULL AND c.reason IS NOT NULL;
    INSERT INTO report_record_counts (section, on_date, key, n)
    SELECT f.section, f.on_date, f.key, count(*) FROM report_record_facts f GROUP BY 1, 2, 3;
    PERFORM set_config('talentdb.scope', caller_scope, true);
END;
$$;
-- +goose StatementEnd
-- the facts too: a database loaded in bulk before this migration may never have analyzed
-- them (the seed's ANALYZE left them out), and unanalyzed they are planned as empty
ANALYZE report_cohort_counts, report_participant_counts, report_record_counts, report_cohort_facts,
    report_participant_facts, report_record_facts, report_alumni_spells;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_facts_refresh(ids bigint[]) RETURNS void
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
ALTER TABLE report_cohort_facts RESET (parallel_workers);
ALTER POLICY scope_read ON report_cohort_facts USING (app_scope() IN ('office', 'analyst'));
ALTER POLICY scope_read ON report_participant_facts USING (app_scope() IN ('office', 'analyst'));
ALTER POLICY scope_read ON report_alumni_spells USING (app_scope() IN ('office', 'analyst'));
DROP TRIGGER IF EXISTS report_facts_career_moves_del ON career_moves;
DROP TRIGGER IF EXISTS report_facts_career_moves_upd ON career_moves;
DROP TRIGGER IF EXISTS report_facts_career_moves_ins ON career_moves;
DROP TABLE IF EXISTS report_record_counts;
DROP TABLE IF EXISTS report_record_facts;
DROP FUNCTION IF EXISTS report_participant_keys(text, text, text, bigint, text);
DROP TABLE IF EXISTS report_participant_counts;
DROP TABLE report_cohort_counts;
