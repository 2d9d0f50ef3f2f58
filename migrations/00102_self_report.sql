-- +goose Up
-- Self-report links (docs/self-report.md): a school makes a link per alumnus, the alumnus
-- (or, under 14, the guardian) answers on a page without an account, the school accepts
-- the answer, which records a follow-up of channel 'survey'.

-- A link: the SHA-256 of its token (never the token), whose alumnus, which school made it,
-- until when it holds. used_at is set in the transaction of the one answer it takes.
CREATE TABLE self_report_links (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  bigint NOT NULL REFERENCES persons (id),
    school_id  bigint NOT NULL REFERENCES organizations (id),
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    made_by    text NOT NULL,
    made_at    timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_by text,
    used_at    timestamptz,
    CHECK (expires_at > made_at)
);
-- a school's links, newest first; a person's open links
CREATE INDEX self_report_links_school_idx ON self_report_links (school_id, made_at DESC);
CREATE INDEX self_report_links_person_idx ON self_report_links (person_id);

-- An answer, as the respondent gave it, waiting for the school: where they are now, the
-- prizes since the last contact (a JSON array of {competition, level, awarded_on}, checked
-- by the door with the rules of awards), whether they may be contacted again. Accepting it
-- records the destination, the awards and a follow-up (their ids are kept here).
CREATE TABLE self_reports (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    link_id         bigint NOT NULL UNIQUE REFERENCES self_report_links (id),
    person_id       bigint NOT NULL REFERENCES persons (id),
    school_id       bigint NOT NULL REFERENCES organizations (id),
    answered_on     date NOT NULL,
    answered_at     timestamptz NOT NULL DEFAULT now(),
    respondent      text NOT NULL CHECK (respondent IN ('self', 'guardian')),
    guardian_name   text CHECK (guardian_name IS NULL OR length(guardian_name) BETWEEN 1 AND 50),
    dest_type       text CHECK (dest_type IN ('junior_high', 'senior_high', 'vocational', 'university', 'yingcai',
                                              'talent_program', 'employment', 'other')),
    dest_org_name   text CHECK (dest_org_name IS NULL OR length(dest_org_name) <= 200),
    dest_started_on date,
    prizes          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(prizes) = 'array' AND jsonb_array_length(prizes) <= 10),
    contact_again   boolean NOT NULL,
    note            text CHECK (note IS NULL OR length(note) <= 500),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    reviewed_by     text,
    reviewed_at     timestamptz,
    review_note     text CHECK (review_note IS NULL OR length(review_note) <= 500),
    follow_up_id    bigint REFERENCES follow_ups (id),
    destination_id  bigint REFERENCES destinations (id),
    award_ids       bigint[] NOT NULL DEFAULT '{}',
    version         int NOT NULL DEFAULT 1,
    CHECK ((respondent = 'guardian') = (guardian_name IS NOT NULL)),
    CHECK ((dest_type IS NULL) = (dest_started_on IS NULL)),
    CHECK ((status = 'pending') = (reviewed_at IS NULL))
);
-- the school's queue: its pending answers, oldest first
CREATE INDEX self_reports_school_idx ON self_reports (school_id, status, answered_at);
CREATE INDEX self_reports_person_idx ON self_reports (person_id);

-- Row-level security as a school's own tables: the office reads and writes every row, a
-- city reads its schools', a school reads and writes its own, for the persons it sees.
-- The analysts and mentors see none: an answer not yet accepted is not a record.
ALTER TABLE self_report_links ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE self_reports ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON self_report_links FOR SELECT USING ((SELECT app_scope()) = 'office'
    OR school_id = (SELECT app_school_id())
    OR ((SELECT app_scope()) = 'city' AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = (SELECT app_city_code()))));
CREATE POLICY scope_insert ON self_report_links FOR INSERT WITH CHECK ((SELECT app_scope()) = 'office'
    OR (school_id = (SELECT app_school_id()) AND app_sees_person(person_id)));
-- a link changes once, when it is revoked (used_at is set by self_report_answer)
CREATE POLICY scope_update ON self_report_links FOR UPDATE
    USING ((SELECT app_scope()) = 'office' OR school_id = (SELECT app_school_id()))
    WITH CHECK ((SELECT app_scope()) = 'office' OR school_id = (SELECT app_school_id()));
CREATE POLICY scope_read ON self_reports FOR SELECT USING ((SELECT app_scope()) = 'office'
    OR school_id = (SELECT app_school_id())
    OR ((SELECT app_scope()) = 'city' AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = (SELECT app_city_code()))));
-- answers are written by self_report_answer alone, which acts as the office
CREATE POLICY scope_insert ON self_reports FOR INSERT WITH CHECK ((SELECT app_scope()) = 'office');
-- the review (the store's one UPDATE changes only a pending answer, SelfReportReview;
-- a reviewed answer stays lockable so that a second review is told it came too late)
CREATE POLICY scope_update ON self_reports FOR UPDATE
    USING ((SELECT app_scope()) = 'office' OR school_id = (SELECT app_school_id()))
    WITH CHECK ((SELECT app_scope()) = 'office' OR school_id = (SELECT app_school_id()));
REVOKE DELETE ON self_reports FROM talentdb_app;
GRANT SELECT, INSERT, UPDATE ON self_reports TO talentdb_app;
-- a link's hash is the functions' business: the app writes it once and never reads it back,
-- so a school (or anything running as the app) cannot answer through another's link
REVOKE ALL ON self_report_links FROM talentdb_app;
GRANT INSERT, UPDATE ON self_report_links TO talentdb_app;
GRANT SELECT (id, person_id, school_id, made_by, made_at, expires_at, revoked_at, revoked_by, used_at)
    ON self_report_links TO talentdb_app;

-- The respondent. A link's holder has no account and no scope: its transactions see no row
-- of any table. What it may do is these two functions, and only for the link whose token
-- it holds: read the given name, the school and the birth date of the link's person (to
-- address a guardian), and answer once. They run as the tables' owner with the office's
-- scope set for their own statements (and the caller's restored before they return; a
-- failure aborts the transaction), so nothing else is reachable through them.
-- A link that is unknown, expired, revoked or used answers nothing, alike.
-- +goose StatementBegin
CREATE FUNCTION self_report_open(p_hash bytea)
    RETURNS TABLE (link_id bigint, person_id bigint, name text, birth_date date, school_name text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    prev text := current_setting('talentdb.scope', true);
BEGIN
    -- the office's scope for this function's statements only: restored before it returns
    PERFORM set_config('talentdb.scope', 'office', true);
    RETURN QUERY
    SELECT l.id, p.id, p.name, p.birth_date, o.name
    FROM self_report_links l
    JOIN persons p ON p.id = l.person_id AND p.merged_into IS NULL AND p.consent_state IN ('not_required', 'granted')
    JOIN organizations o ON o.id = l.school_id
    WHERE l.token_hash = p_hash AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > now();
    PERFORM set_config('talentdb.scope', coalesce(prev, ''), true);
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION self_report_answer(p_hash bytea, p_answered_on date, p_respondent text, p_guardian_name text,
        p_dest_type text, p_dest_org_name text, p_dest_started_on date, p_prizes jsonb, p_contact_again boolean,
        p_note text, p_request_id text, p_ip inet)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    l self_report_links;
    answer_id bigint;
    prev text := current_setting('talentdb.scope', true);
BEGIN
    PERFORM set_config('talentdb.scope', 'office', true);
    SELECT * INTO l FROM self_report_links
    WHERE token_hash = p_hash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
    FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM set_config('talentdb.scope', coalesce(prev, ''), true);
        RETURN NULL;
    END IF;
    UPDATE self_report_links SET used_at = now() WHERE id = l.id;
    INSERT INTO self_reports (link_id, person_id, school_id, answered_on, respondent, guardian_name, dest_type,
                              dest_org_name, dest_started_on, prizes, contact_again, note)
    VALUES (l.id, l.person_id, l.school_id, p_answered_on, p_respondent, p_guardian_name, p_dest_type,
            p_dest_org_name, p_dest_started_on, p_prizes, p_contact_again, p_note)
    RETURNING id INTO answer_id;
    INSERT INTO audit_log (actor, actor_role, action, entity, entity_id, person_id, school_id, fields, request_id, ip)
    VALUES ('self-report link ' || l.id, 'respondent', 'create', 'self_report', answer_id::text, l.person_id,
            l.school_id, ARRAY['respondent', 'destination', 'prizes', 'contact_again'], p_request_id, p_ip);
    PERFORM set_config('talentdb.scope', coalesce(prev, ''), true);
    RETURN answer_id;
END;
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION self_report_open(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION self_report_answer(bytea, date, text, text, text, text, date, jsonb, boolean, text, text, inet) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION self_report_open(bytea) TO talentdb_app;
GRANT EXECUTE ON FUNCTION self_report_answer(bytea, date, text, text, text, text, date, jsonb, boolean, text, text, inet) TO talentdb_app;

-- +goose Down
DROP FUNCTION self_report_answer(bytea, date, text, text, text, text, date, jsonb, boolean, text, text, inet);
DROP FUNCTION self_report_open(bytea);
DROP TABLE self_reports;
DROP TABLE self_report_links;
