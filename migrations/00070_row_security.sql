-- +goose Up
-- Row-level security: the second of the two fences around personal data (the first is the
-- scope check in the HTTP handlers; docs/security.md). The service runs every statement
-- as the role talentdb_app — not a superuser, not the owner of any table, no BYPASSRLS —
-- inside a transaction that sets the caller's scope with set_config(…, true):
--   talentdb.scope      office | analyst | city | school | mentor | auditor ('' = none)
--   talentdb.school_id  the school of a school operator
--   talentdb.city_code  the city/prefecture code of a city coordinator
--   talentdb.mentor_id  the mentor of a mentor account
-- With no scope a query sees no personal row at all. Tables are also FORCEd, so the owner
-- (the migrating user, when it is not a superuser) is held to the same policies: a later
-- data migration must set talentdb.scope = 'office' first.

-- Roles are cluster-wide: create the app role once, tolerate a concurrent creator, and
-- make the migrating user a member so that it may SET LOCAL ROLE talentdb_app.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'talentdb_app') THEN
        BEGIN
            CREATE ROLE talentdb_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database's migration created it meanwhile
        END;
    END IF;
    IF NOT pg_has_role(current_user, 'talentdb_app', 'MEMBER') THEN
        BEGIN
            GRANT talentdb_app TO CURRENT_USER;
        EXCEPTION WHEN unique_violation THEN
            NULL;
        END;
    END IF;
END;
$$;
-- +goose StatementEnd

-- The scope of the current transaction. SQL-bodied and STABLE so the planner inlines them
-- and evaluates them once per statement, not once per row.
CREATE FUNCTION app_scope() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(current_setting('talentdb.scope', true), '');
CREATE FUNCTION app_school_id() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN nullif(current_setting('talentdb.school_id', true), '')::bigint;
CREATE FUNCTION app_city_code() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN nullif(current_setting('talentdb.city_code', true), '');
CREATE FUNCTION app_mentor_id() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN nullif(current_setting('talentdb.mentor_id', true), '')::bigint;

GRANT USAGE ON SCHEMA public TO talentdb_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO talentdb_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO talentdb_app;
-- tables of later migrations (created by the same migrating user) get the same grants
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO talentdb_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO talentdb_app;
REVOKE ALL ON goose_db_version FROM talentdb_app;
-- the audit log is append-only for the service
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM talentdb_app;

-- Policies. The predicates, with S the row's school_id:
--   read(S)  = office or analyst; or S is the caller's school; or (city) S is in the city
--   write(S) = office; or S is the caller's school
-- Rows that belong to a person are also visible when the person is (a person is visible to
-- a school, city or mentor through the responsible school or any participation there or
-- with that mentor), and a school may write the records of the persons it sees.
-- +goose StatementBegin
DO $$
DECLARE
    t text;
    read_s constant text := $p$(app_scope() IN ('office', 'analyst') OR school_id = app_school_id()
        OR (app_scope() = 'city' AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = app_city_code())))$p$;
    write_s constant text := $p$(app_scope() = 'office' OR school_id = app_school_id())$p$;
    person_seen constant text := $p$(app_scope() IN ('school', 'city', 'mentor')
        AND EXISTS (SELECT 1 FROM persons vp WHERE vp.id = person_id))$p$;
    person_writable constant text := $p$(app_scope() = 'school'
        AND EXISTS (SELECT 1 FROM persons vp WHERE vp.id = person_id))$p$;
    mentor_sees constant text := $p$(app_scope() = 'mentor'
        AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.id = participation_id))$p$;
BEGIN
    -- reference data: everyone reads, the office writes
    FOREACH t IN ARRAY ARRAY['regions', 'programs', 'editions', 'categories', 'organizations', 'mentors'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY reference_read ON %I FOR SELECT USING (true)', t);
        EXECUTE format('CREATE POLICY office_insert ON %I FOR INSERT WITH CHECK (app_scope() = ''office'')', t);
        EXECUTE format('CREATE POLICY office_update ON %I FOR UPDATE USING (app_scope() = ''office'') WITH CHECK (app_scope() = ''office'')', t);
        EXECUTE format('CREATE POLICY office_delete ON %I FOR DELETE USING (app_scope() = ''office'')', t);
    END LOOP;

    -- a school's own tables
    FOREACH t IN ARRAY ARRAY['applications', 'application_phases', 'public_notices', 'training_sessions',
                             'year_summaries', 'typical_cases'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY scope_read ON %I FOR SELECT USING %s', t, read_s);
        EXECUTE format('CREATE POLICY scope_insert ON %I FOR INSERT WITH CHECK %s', t, write_s);
        EXECUTE format('CREATE POLICY scope_update ON %I FOR UPDATE USING %s WITH CHECK %s', t, write_s, write_s);
        EXECUTE format('CREATE POLICY scope_delete ON %I FOR DELETE USING %s', t, write_s);
    END LOOP;

    -- rows of one participation: also the participation's mentor (tasks, growth-log feedback)
    FOREACH t IN ARRAY ARRAY['objections', 'growth_logs', 'tasks', 'training_attendance',
                             'exchange_recommendations'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY scope_read ON %I FOR SELECT USING (%s OR %s)', t, read_s, mentor_sees);
        EXECUTE format('CREATE POLICY scope_insert ON %I FOR INSERT WITH CHECK (%s OR %s)', t, write_s, mentor_sees);
        EXECUTE format('CREATE POLICY scope_update ON %I FOR UPDATE USING (%s OR %s) WITH CHECK (%s OR %s)',
            t, write_s, mentor_sees, write_s, mentor_sees);
        EXECUTE format('CREATE POLICY scope_delete ON %I FOR DELETE USING %s', t, write_s);
    END LOOP;

    -- rows of one person: also visible (and, for a school, writable) when the person is
    FOREACH t IN ARRAY ARRAY['person_schools', 'awards', 'destinations', 'career_moves', 'follow_ups',
                             'consents'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY scope_read ON %I FOR SELECT USING (%s OR %s)', t, read_s, person_seen);
        EXECUTE format('CREATE POLICY scope_insert ON %I FOR INSERT WITH CHECK (%s OR %s)', t, write_s, person_writable);
        EXECUTE format('CREATE POLICY scope_update ON %I FOR UPDATE USING (%s OR %s) WITH CHECK (%s OR %s)',
            t, write_s, person_writable, write_s, person_writable);
        EXECUTE format('CREATE POLICY scope_delete ON %I FOR DELETE USING (%s OR %s)', t, write_s, person_writable);
    END LOOP;
END;
$$;
-- +goose StatementEnd

-- participations: the school's, the city's, and the mentor's own (who may record an
-- evaluation, so may update them)
ALTER TABLE participations ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON participations FOR SELECT USING (
    app_scope() IN ('office', 'analyst') OR school_id = app_school_id() OR mentor_id = app_mentor_id()
    OR (app_scope() = 'city' AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = app_city_code())));
CREATE POLICY scope_insert ON participations FOR INSERT
    WITH CHECK (app_scope() = 'office' OR school_id = app_school_id());
CREATE POLICY scope_update ON participations FOR UPDATE
    USING (app_scope() = 'office' OR school_id = app_school_id() OR mentor_id = app_mentor_id())
    WITH CHECK (app_scope() = 'office' OR school_id = app_school_id() OR mentor_id = app_mentor_id());
CREATE POLICY scope_delete ON participations FOR DELETE
    USING (app_scope() = 'office' OR school_id = app_school_id());

-- persons: through the responsible school, or any participation the caller sees
ALTER TABLE persons ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON persons FOR SELECT USING (
    app_scope() IN ('office', 'analyst') OR school_id = app_school_id()
    OR (app_scope() = 'city' AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = app_city_code()))
    OR (app_scope() IN ('school', 'city', 'mentor')
        AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.person_id = persons.id)));
CREATE POLICY scope_insert ON persons FOR INSERT
    WITH CHECK (app_scope() = 'office' OR school_id = app_school_id());
CREATE POLICY scope_update ON persons FOR UPDATE
    USING (app_scope() = 'office' OR school_id = app_school_id()
        OR (app_scope() = 'school' AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.person_id = persons.id)))
    WITH CHECK (app_scope() = 'office' OR school_id = app_school_id()
        OR (app_scope() = 'school' AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.person_id = persons.id)));
CREATE POLICY scope_delete ON persons FOR DELETE
    USING (app_scope() = 'office' OR school_id = app_school_id());

-- audit_log: everyone appends; the office and the auditor read it all; the others read
-- only the edits of the persons they see (a person's timeline shows who changed what).
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_append ON audit_log FOR INSERT WITH CHECK (true);
CREATE POLICY audit_read ON audit_log FOR SELECT USING (
    app_scope() IN ('office', 'auditor')
    OR (app_scope() IN ('analyst', 'city', 'school', 'mentor') AND person_id IS NOT NULL
        AND action IN ('update', 'delete', 'restore', 'merge', 'unmerge', 'transition')
        AND EXISTS (SELECT 1 FROM persons vp WHERE vp.id = audit_log.person_id)));

-- …and nobody but the table's owner (running a migration) may change or remove a row,
-- whatever grants a later mistake hands out.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_user <> (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = TG_RELID) THEN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
-- The role stays (other databases of the cluster use it); this database stops using it.
DROP TRIGGER audit_log_no_truncate ON audit_log;
DROP TRIGGER audit_log_append_only ON audit_log;
DROP FUNCTION audit_log_append_only();
-- +goose StatementBegin
DO $$
DECLARE
    t text;
    r record;
BEGIN
    FOREACH t IN ARRAY ARRAY['regions', 'programs', 'editions', 'categories', 'organizations', 'mentors',
        'applications', 'application_phases', 'public_notices', 'training_sessions', 'year_summaries',
        'typical_cases', 'objections', 'growth_logs', 'tasks', 'training_attendance',
        'exchange_recommendations', 'person_schools', 'awards', 'destinations', 'career_moves',
        'follow_ups', 'consents', 'participations', 'persons', 'audit_log'] LOOP
        FOR r IN SELECT pol.polname FROM pg_policy pol WHERE pol.polrelid = t::regclass LOOP
            EXECUTE format('DROP POLICY %I ON %I', r.polname, t);
        END LOOP;
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END;
$$;
-- +goose StatementEnd
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM talentdb_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM talentdb_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM talentdb_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM talentdb_app;
REVOKE USAGE ON SCHEMA public FROM talentdb_app;
DROP FUNCTION app_mentor_id();
DROP FUNCTION app_city_code();
DROP FUNCTION app_school_id();
DROP FUNCTION app_scope();
