-- +goose Up
-- The annual report's follow-up coverage counted (docs/report-state.md, "Coverage counts").
-- The office and the analyst counted the coverage of year Y from report_alumni_spells: every
-- spell covering Y, less the persons opted out before Y, probed against the persons reached
-- in Y. That is linear in the alumni: 110,000 spells at province scale, 2.75 M nationally,
-- where the annual report took 6.2 s (the goal is 2 s). Now:
--
-- report_alumni_years: each spell of report_alumni_spells with the person's first opt-out
-- applied — an alumnus with an opted_out follow-up dated d is no alumnus of the years after
-- year(d), so the spell [from_year, to_year) becomes [from_year, least(to_year, year(d) + 1)),
-- and with the city of its school. report_alumni_counts: those spells counted as starts
-- minus ends per program, city and year, so that the alumni of Y in a city are the sum of
-- its counts of the years <= Y (a few hundred rows, whatever the persons).
--
-- report_reach_facts: per alumnus and year Y covered by one of their spells, the first
-- reached follow-up dated in Y, with the spell's program and city. report_reach_counts:
-- those counted per day, program and city, so that the contacted alumni of Y up to as_of
-- are the counts of the days from January 1 to least(December 31, as_of).
--
-- Exactness: "no opted_out follow-up dated before January 1 of Y (and on or before as_of)"
-- is "the first one is dated before January 1 of Y" whenever as_of is on or after December
-- 31 of Y - 1; the report reads the counts then, and the spells as before for an as_of
-- earlier than that (the year not begun) or a cut by school, city or category.
CREATE TABLE report_alumni_years (
    person_id  bigint NOT NULL,
    program    text NOT NULL,
    city_code  text,          -- the spell's school's city (organizations.city_code)
    from_year  int NOT NULL,
    until_year int            -- the first year the spell no longer covers; NULL: none
);
CREATE INDEX report_alumni_years_person_idx ON report_alumni_years (person_id);
CREATE TABLE report_alumni_counts (
    program   text NOT NULL,
    city_code text,
    year      int NOT NULL,
    n         bigint NOT NULL  -- spells starting in year minus spells ending (until_year = year)
);
CREATE UNIQUE INDEX report_alumni_counts_key ON report_alumni_counts (program, city_code, year)
    INCLUDE (n) NULLS NOT DISTINCT;
CREATE TABLE report_reach_facts (
    person_id bigint NOT NULL,
    on_date   date NOT NULL,  -- the first reached follow-up of the person in its year
    program   text NOT NULL,
    city_code text
);
CREATE INDEX report_reach_facts_person_idx ON report_reach_facts (person_id);
CREATE TABLE report_reach_counts (
    on_date   date NOT NULL,
    program   text NOT NULL,
    city_code text,
    n         bigint NOT NULL
);
CREATE UNIQUE INDEX report_reach_counts_key ON report_reach_counts (on_date, program, city_code)
    INCLUDE (n) NULLS NOT DISTINCT;

-- as the other facts and counts: readable in the scopes that see every source row, written
-- only by the refresh (as the owner, in the office scope)
ALTER TABLE report_alumni_years ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_alumni_years FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_alumni_years FOR SELECT USING ((SELECT app_scope()) IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_alumni_years FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_delete ON report_alumni_years FOR DELETE USING (app_scope() = 'office');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_alumni_years FROM talentdb_app;
ALTER TABLE report_reach_facts ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_reach_facts FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_reach_facts FOR SELECT USING ((SELECT app_scope()) IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_reach_facts FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_delete ON report_reach_facts FOR DELETE USING (app_scope() = 'office');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_reach_facts FROM talentdb_app;
ALTER TABLE report_alumni_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_alumni_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_alumni_counts FOR SELECT USING ((SELECT app_scope()) IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_alumni_counts FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_update ON report_alumni_counts FOR UPDATE USING (app_scope() = 'office')
    WITH CHECK (app_scope() = 'office');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_alumni_counts FROM talentdb_app;
ALTER TABLE report_reach_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_reach_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON report_reach_counts FOR SELECT USING ((SELECT app_scope()) IN ('office', 'analyst'));
CREATE POLICY refresh_insert ON report_reach_counts FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY refresh_update ON report_reach_counts FOR UPDATE USING (app_scope() = 'office')
    WITH CHECK (app_scope() = 'office');
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON report_reach_counts FROM talentdb_app;
GRANT SELECT ON report_alumni_years, report_alumni_counts, report_reach_facts, report_reach_counts TO talentdb_app;
ALTER TABLE report_alumni_years SET (parallel_workers = 0);
ALTER TABLE report_alumni_counts SET (parallel_workers = 0);
ALTER TABLE report_reach_facts SET (parallel_workers = 0);
ALTER TABLE report_reach_counts SET (parallel_workers = 0);

-- report_coverage_refresh recomputes the coverage facts of the given persons from their
-- alumni spells (already refreshed) and follow-ups, and applies the difference to the
-- counts in the same statement, as report_facts_refresh does for the other counts: -1 per
-- old fact, +1 per new one, only the keys whose sum is not zero, in key order.
-- +goose StatementBegin
CREATE FUNCTION report_coverage_refresh(ids bigint[]) RETURNS void
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
    PERFORM 1 FROM persons p WHERE p.id = ANY (ids) ORDER BY p.id FOR NO KEY UPDATE;
    WITH opt AS (
        SELECT f.person_id, min(f.contacted_on) AS first_on
        FROM follow_ups f
        WHERE f.person_id = ANY (ids) AND f.deleted_at IS NULL AND f.outcome = 'opted_out'
        GROUP BY f.person_id
    ),
    old_years AS (
        DELETE FROM report_alumni_years y WHERE y.person_id = ANY (ids)
        RETURNING y.program, y.city_code, y.from_year, y.until_year
    ),
    new_years AS (
        INSERT INTO report_alumni_years (person_id, program, city_code, from_year, until_year)
        SELECT s.person_id, s.program, o.city_code, s.from_year, u.until_year
        FROM report_alumni_spells s
        JOIN organizations o ON o.id = s.school_id
        LEFT JOIN opt ON opt.person_id = s.person_id
        -- least() ignores a NULL: an open spell ends the year after the opt-out
        CROSS JOIN LATERAL (SELECT least(s.to_year, extract(year FROM opt.first_on)::int + 1) AS until_year) u
        WHERE s.person_id = ANY (ids) AND (u.until_year IS NULL OR u.until_year > s.from_year)
        RETURNING program, city_code, from_year, until_year
    ),
    delta AS (
        SELECT x.program, x.city_code, x.year, sum(x.d) AS n
        FROM (SELECT o.program, o.city_code, o.from_year AS year, -1 AS d FROM old_years o
              UNION ALL
              SELECT o.program, o.city_code, o.until_year, 1 FROM old_years o WHERE o.until_year IS NOT NULL
              UNION ALL
              SELECT n.program, n.city_code, n.from_year, 1 FROM new_years n
              UNION ALL
              SELECT n.program, n.city_code, n.until_year, -1 FROM new_years n WHERE n.until_year IS NOT NULL) x
        GROUP BY 1, 2, 3
        HAVING sum(x.d) <> 0
    )
    INSERT INTO report_alumni_counts AS c (program, city_code, year, n)
    SELECT d.program, d.city_code, d.year, d.n
    FROM delta d
    ORDER BY d.program, d.city_code, d.year
    ON CONFLICT (program, city_code, year) DO UPDATE SET n = c.n + excluded.n;

    WITH reached AS (
        SELECT f.person_id, min(f.contacted_on) AS on_date
        FROM follow_ups f
        WHERE f.person_id = ANY (ids) AND f.deleted_at IS NULL AND f.outcome = 'reached'
        GROUP BY f.person_id, extract(year FROM f.contacted_on)
    ),
    old_facts AS (
        DELETE FROM report_reach_facts f WHERE f.person_id = ANY (ids)
        RETURNING f.on_date, f.program, f.city_code
    ),
    new_facts AS (
        INSERT INTO report_reach_facts (person_id, on_date, program, city_code)
        SELECT r.person_id, r.on_date, y.program, y.city_code
        FROM reached r
        JOIN report_alumni_years y ON y.person_id = r.person_id
         AND y.from_year <= extract(year FROM r.on_date)
         AND (y.until_year IS NULL OR y.until_year > extract(year FROM r.on_date))
        RETURNING on_date, program, city_code
    ),
    delta AS (
        SELECT x.on_date, x.program, x.city_code, sum(x.d) AS n
        FROM (SELECT o.*, -1 AS d FROM old_facts o UNION ALL SELECT n.*, 1 FROM new_facts n) x
        GROUP BY 1, 2, 3
        HAVING sum(x.d) <> 0
    )
    INSERT INTO report_reach_counts AS c (on_date, program, city_code, n)
    SELECT d.on_date, d.program, d.city_code, d.n
    FROM delta d
    ORDER BY d.on_date, d.program, d.city_code
    ON CONFLICT (on_date, program, city_code) DO UPDATE SET n = c.n + excluded.n;
    PERFORM set_config('talentdb.scope', caller_scope, true);
END;
$$;
-- +goose StatementEnd

-- report_facts_refresh, which every trigger and the bulk load call, now also refreshes the
-- coverage: the function of 00101 keeps its body under another name
ALTER FUNCTION report_facts_refresh(bigint[]) RENAME TO report_facts_refresh_core;
-- (OR REPLACE only for sqlc, which does not follow the rename)
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION report_facts_refresh(ids bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM report_facts_refresh_core(ids);
    PERFORM report_coverage_refresh(ids);
END;
$$;
-- +goose StatementEnd

-- a school whose region moves to another city moves its alumni's coverage counts with it
-- (the other facts keep the school's id and look its city up when read)
-- +goose StatementBegin
CREATE FUNCTION report_facts_touch_organization() RETURNS trigger
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
    JOIN participations pa ON pa.school_id = n.id AND pa.status = 'completed'
    WHERE n.city_code IS DISTINCT FROM o.city_code;
    PERFORM set_config('talentdb.scope', caller_scope, true);
    PERFORM report_coverage_refresh(ids);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER report_facts_organizations_upd AFTER UPDATE ON organizations
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_facts_touch_organization();

-- the coverage of the data already there, set-based
-- +goose StatementBegin
DO $$
DECLARE
    caller_scope text := coalesce(current_setting('talentdb.scope', true), '');
BEGIN
    PERFORM set_config('talentdb.scope', 'office', true);
    INSERT INTO report_alumni_years (person_id, program, city_code, from_year, until_year)
    SELECT s.person_id, s.program, o.city_code, s.from_year, u.until_year
    FROM report_alumni_spells s
    JOIN organizations o ON o.id = s.school_id
    LEFT JOIN (SELECT f.person_id, min(f.contacted_on) AS first_on
               FROM follow_ups f WHERE f.deleted_at IS NULL AND f.outcome = 'opted_out'
               GROUP BY f.person_id) opt ON opt.person_id = s.person_id
    CROSS JOIN LATERAL (SELECT least(s.to_year, extract(year FROM opt.first_on)::int + 1) AS until_year) u
    WHERE u.until_year IS NULL OR u.until_year > s.from_year;
    INSERT INTO report_alumni_counts (program, city_code, year, n)
    SELECT x.program, x.city_code, x.year, sum(x.d)
    FROM (SELECT y.program, y.city_code, y.from_year AS year, 1 AS d FROM report_alumni_years y
          UNION ALL
          SELECT y.program, y.city_code, y.until_year, -1 FROM report_alumni_years y WHERE y.until_year IS NOT NULL) x
    GROUP BY 1, 2, 3
    HAVING sum(x.d) <> 0;
    INSERT INTO report_reach_facts (person_id, on_date, program, city_code)
    SELECT r.person_id, r.on_date, y.program, y.city_code
    FROM (SELECT f.person_id, min(f.contacted_on) AS on_date
          FROM follow_ups f WHERE f.deleted_at IS NULL AND f.outcome = 'reached'
          GROUP BY f.person_id, extract(year FROM f.contacted_on)) r
    JOIN report_alumni_years y ON y.person_id = r.person_id
     AND y.from_year <= extract(year FROM r.on_date)
     AND (y.until_year IS NULL OR y.until_year > extract(year FROM r.on_date));
    INSERT INTO report_reach_counts (on_date, program, city_code, n)
    SELECT f.on_date, f.program, f.city_code, count(*) FROM report_reach_facts f GROUP BY 1, 2, 3;
    PERFORM set_config('talentdb.scope', caller_scope, true);
END;
$$;
-- +goose StatementEnd
ANALYZE report_alumni_years, report_alumni_counts, report_reach_facts, report_reach_counts;

-- +goose Down
DROP TRIGGER report_facts_organizations_upd ON organizations;
DROP FUNCTION report_facts_touch_organization();
DROP FUNCTION report_facts_refresh(bigint[]);
ALTER FUNCTION report_facts_refresh_core(bigint[]) RENAME TO report_facts_refresh;
DROP FUNCTION report_coverage_refresh(bigint[]);
DROP TABLE report_reach_counts, report_reach_facts, report_alumni_counts, report_alumni_years;
