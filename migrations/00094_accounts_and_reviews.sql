-- +goose Up
-- Accounts out of the service role's reach, and row-level security on the last tables
-- without it (docs/security.md, "Accounts and the service's roles").
--
-- The default privileges of 00070 gave talentdb_app every table, accounts included: in a
-- school's scope it could read every password hash and UPDATE users SET role. Accounts,
-- sessions and tokens now belong to a role of their own, talentdb_auth, which the store
-- takes for its account transactions only (sign-in, session and token checks, account
-- management); talentdb_app has no privilege on them at all. The auth role reads the
-- reference tables the account queries join and appends to the audit log, nothing else.

-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'talentdb_auth') THEN
        BEGIN
            CREATE ROLE talentdb_auth NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database's migration created it meanwhile
        END;
    END IF;
    IF NOT pg_has_role(current_user, 'talentdb_auth', 'MEMBER') THEN
        BEGIN
            GRANT talentdb_auth TO CURRENT_USER;
        EXCEPTION WHEN unique_violation THEN
            NULL;
        END;
    END IF;
END;
$$;
-- +goose StatementEnd

REVOKE ALL ON users, sessions, api_tokens FROM talentdb_app;
GRANT USAGE ON SCHEMA public TO talentdb_auth;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, api_tokens TO talentdb_auth;
GRANT SELECT ON organizations, regions, mentors TO talentdb_auth;
GRANT INSERT ON audit_log TO talentdb_auth;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO talentdb_auth;

-- frozen reports are published figures: written once by the office, never changed
REVOKE UPDATE, DELETE, TRUNCATE ON frozen_reports FROM talentdb_app;
ALTER TABLE frozen_reports ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
-- aggregates only (no person is named in a report); every role that reads statistics
-- reads the published ones
CREATE POLICY published_read ON frozen_reports FOR SELECT USING (app_scope() IN ('office', 'analyst', 'city', 'school'));
CREATE POLICY office_insert ON frozen_reports FOR INSERT WITH CHECK (app_scope() = 'office');

-- imports: a school's uploads are the school's; the row takes the caller's school itself
ALTER TABLE imports ADD COLUMN school_id bigint REFERENCES organizations (id) DEFAULT app_school_id();
UPDATE imports i SET school_id = u.school_id FROM users u
WHERE u.username = i.uploaded_by AND u.role = 'school_operator';
CREATE INDEX imports_school_idx ON imports (school_id, id DESC) WHERE school_id IS NOT NULL;
ALTER TABLE imports ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON imports FOR SELECT
    USING (app_scope() IN ('office', 'analyst') OR school_id = app_school_id());
CREATE POLICY scope_insert ON imports FOR INSERT
    WITH CHECK (app_scope() = 'office' OR (app_scope() = 'school' AND school_id = app_school_id()));

-- the identity review queue and merges are the office's; a school's import or nomination
-- may file a candidate pair of two persons it sees (flagSimilar runs in its transaction)
ALTER TABLE identity_candidates ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON identity_candidates FOR SELECT USING (app_scope() IN ('office', 'analyst'));
CREATE POLICY scope_insert ON identity_candidates FOR INSERT
    WITH CHECK (app_scope() = 'office'
        OR (app_scope() = 'school' AND app_sees_person(person_id) AND app_sees_person(similar_id)));
CREATE POLICY office_update ON identity_candidates FOR UPDATE
    USING (app_scope() = 'office') WITH CHECK (app_scope() = 'office');
CREATE POLICY office_delete ON identity_candidates FOR DELETE USING (app_scope() = 'office');

ALTER TABLE person_merges ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON person_merges FOR SELECT USING (app_scope() IN ('office', 'analyst'));
CREATE POLICY office_insert ON person_merges FOR INSERT WITH CHECK (app_scope() = 'office');
CREATE POLICY office_update ON person_merges FOR UPDATE
    USING (app_scope() = 'office') WITH CHECK (app_scope() = 'office');

-- a typical case's persons: visible with the case; linked by whoever may write the case,
-- and only persons they see
ALTER TABLE typical_case_persons ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON typical_case_persons FOR SELECT
    USING (EXISTS (SELECT 1 FROM typical_cases c WHERE c.id = case_id));
CREATE POLICY scope_insert ON typical_case_persons FOR INSERT
    WITH CHECK (app_scope() = 'office'
        OR (app_scope() = 'school' AND app_sees_person(person_id)
            AND EXISTS (SELECT 1 FROM typical_cases c WHERE c.id = case_id AND c.school_id = app_school_id())));
CREATE POLICY office_update ON typical_case_persons FOR UPDATE
    USING (app_scope() = 'office') WITH CHECK (app_scope() = 'office');
CREATE POLICY scope_delete ON typical_case_persons FOR DELETE
    USING (app_scope() = 'office'
        OR EXISTS (SELECT 1 FROM typical_cases c WHERE c.id = case_id AND c.school_id = app_school_id()));

-- +goose Down
DROP POLICY scope_delete ON typical_case_persons;
DROP POLICY office_update ON typical_case_persons;
DROP POLICY scope_insert ON typical_case_persons;
DROP POLICY scope_read ON typical_case_persons;
ALTER TABLE typical_case_persons DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY;
DROP POLICY office_update ON person_merges;
DROP POLICY office_insert ON person_merges;
DROP POLICY scope_read ON person_merges;
ALTER TABLE person_merges DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY;
DROP POLICY office_delete ON identity_candidates;
DROP POLICY office_update ON identity_candidates;
DROP POLICY scope_insert ON identity_candidates;
DROP POLICY scope_read ON identity_candidates;
ALTER TABLE identity_candidates DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY;
DROP POLICY scope_insert ON imports;
DROP POLICY scope_read ON imports;
ALTER TABLE imports DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY;
DROP INDEX imports_school_idx;
ALTER TABLE imports DROP COLUMN school_id;
DROP POLICY office_insert ON frozen_reports;
DROP POLICY published_read ON frozen_reports;
ALTER TABLE frozen_reports DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY;
GRANT UPDATE, DELETE ON frozen_reports TO talentdb_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM talentdb_auth;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM talentdb_auth;
REVOKE USAGE ON SCHEMA public FROM talentdb_auth;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, api_tokens TO talentdb_app;
