-- +goose Up
-- The spine of talentdb: reference tables, organizations, editions, persons for life,
-- participations and the four tracking tables (awards, destinations, career moves,
-- follow-ups), plus the audit log. Enumerations are text columns with CHECK constraints
-- so that their keys are exactly those of the public contract.

-- touch_row keeps updated_at and version honest on every UPDATE of a mutable row; the
-- version is what the API's ETag / If-Match optimistic concurrency compares.
-- +goose StatementBegin
CREATE FUNCTION touch_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- city_of maps any 6-digit GB/T 2260 code to its city/prefecture-level code.
CREATE FUNCTION city_of(code text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN substr(code, 1, 4) || '00';

CREATE TABLE regions (
    code    text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
    name_zh text NOT NULL,
    name_en text NOT NULL,
    level   smallint NOT NULL CHECK (level IN (1, 2)) -- 1 province, 2 city/prefecture
);

CREATE TABLE organizations (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code              text NOT NULL CHECK (code ~ '^\S{1,64}$'),
    name              text NOT NULL CHECK (length(btrim(name)) > 0),
    kind              text NOT NULL CHECK (kind IN ('school', 'institution', 'office')),
    type              text CHECK (type IN ('kindergarten', 'primary', 'junior_high', 'nine_year',
                          'senior_high', 'complete_secondary', 'vocational_high', 'university',
                          'enterprise', 'research_institute', 'out_of_school')),
    region_code       text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
    city_code         text GENERATED ALWAYS AS (city_of(region_code)) STORED
                          REFERENCES regions (code),
    address           text,
    postal_code       text CHECK (postal_code ~ '^[0-9]{6}$'),
    -- contact fields of the application form (申报书): unit head and project lead
    head_name         text,
    head_title        text,
    head_office_phone text,
    head_mobile       text,
    head_email        text,
    head_fax          text,
    lead_name         text,
    lead_title        text,
    lead_office_phone text,
    lead_mobile       text,
    lead_email        text,
    lead_fax          text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           integer NOT NULL DEFAULT 1,
    CONSTRAINT organizations_code_key UNIQUE (code)
);
CREATE INDEX organizations_city_code_idx ON organizations (city_code, kind);
CREATE TRIGGER organizations_touch BEFORE UPDATE ON organizations
    FOR EACH ROW EXECUTE FUNCTION touch_row();

CREATE TABLE programs (
    code    text PRIMARY KEY CHECK (code IN ('jingke', 'jindaoshi')),
    name_zh text NOT NULL,
    name_en text NOT NULL
);
INSERT INTO programs (code, name_zh, name_en) VALUES
    ('jingke', '菁科计划', 'Jingke (students)'),
    ('jindaoshi', '金导师计划', 'Golden Mentor (teachers)');

CREATE TABLE editions (
    id         text PRIMARY KEY,
    program    text NOT NULL REFERENCES programs (code),
    year       integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    starts_on  date NOT NULL,
    ends_on    date NOT NULL,
    status     text NOT NULL DEFAULT 'planned'
                   CHECK (status IN ('planned', 'open', 'closed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    integer NOT NULL DEFAULT 1,
    CONSTRAINT editions_id_format CHECK (id = program || '-' || year),
    CONSTRAINT editions_dates CHECK (ends_on > starts_on),
    CONSTRAINT editions_program_year_key UNIQUE (program, year),
    -- target of participations' composite key so a participation's program is its edition's
    CONSTRAINT editions_id_program_key UNIQUE (id, program)
);
CREATE TRIGGER editions_touch BEFORE UPDATE ON editions
    FOR EACH ROW EXECUTE FUNCTION touch_row();

CREATE TABLE categories (
    code       text PRIMARY KEY,
    program    text NOT NULL REFERENCES programs (code),
    group_zh   text NOT NULL,
    name_zh    text NOT NULL UNIQUE,
    sort_order integer NOT NULL,
    CONSTRAINT categories_code_program_key UNIQUE (code, program)
);

-- persons: one row per human for life. The identity number (居民身份证号) is never stored
-- in clear: id_hash is an HMAC of the normalised number (for matching), id_cipher an AEAD
-- ciphertext (for an authorised reveal), id_masked the display form 5101**********1234.
-- Phone numbers follow the same rule.
CREATE TABLE persons (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id_hash               bytea NOT NULL CHECK (length(id_hash) = 32),
    id_cipher             bytea NOT NULL,
    id_masked             text NOT NULL CHECK (id_masked ~ '^[0-9]{4}\*{10}[0-9]{3}[0-9X]$'),
    name                  text NOT NULL CHECK (length(btrim(name)) > 0),
    gender                text NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date            date NOT NULL,
    phone_cipher          bytea,
    phone_masked          text,
    email                 text,
    guardian_name         text,
    guardian_phone_cipher bytea,
    guardian_phone_masked text,
    -- the school currently responsible for the person (latest nominating school); rows
    -- that belong to a school carry its id directly for row-level security
    school_id             bigint REFERENCES organizations (id),
    -- consent state for minors: 'not_required' (14 or older), 'pending', 'granted', 'withdrawn'
    consent_state         text NOT NULL DEFAULT 'not_required'
                              CHECK (consent_state IN ('not_required', 'pending', 'granted', 'withdrawn')),
    merged_into           bigint REFERENCES persons (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    version               integer NOT NULL DEFAULT 1,
    CONSTRAINT persons_id_hash_key UNIQUE (id_hash),
    CONSTRAINT persons_birth_date_range CHECK (birth_date BETWEEN '1900-01-01' AND '2100-01-01')
);
CREATE INDEX persons_school_id_idx ON persons (school_id);
CREATE INDEX persons_name_birth_idx ON persons (name, birth_date);
CREATE INDEX persons_birth_date_idx ON persons (birth_date);
CREATE INDEX persons_merged_into_idx ON persons (merged_into) WHERE merged_into IS NOT NULL;
CREATE TRIGGER persons_touch BEFORE UPDATE ON persons
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- a student's school by school year (school_year 2023 = 2023-09 … 2024-08), so a person
-- can be followed from primary to junior high to senior high.
CREATE TABLE person_schools (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    school_year integer NOT NULL CHECK (school_year BETWEEN 2000 AND 2100),
    school_id   bigint NOT NULL REFERENCES organizations (id),
    grade       text CHECK (grade IN ('K', '1', '2', '3', '4', '5', '6', '7', '8', '9',
                    '10', '11', '12', 'V1', 'V2', 'V3')),
    source      text NOT NULL DEFAULT 'manual'
                    CHECK (source IN ('manual', 'participation', 'destination', 'import')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1,
    CONSTRAINT person_schools_person_year_key UNIQUE (person_id, school_year)
);
CREATE INDEX person_schools_school_idx ON person_schools (school_id, school_year);
CREATE TRIGGER person_schools_touch BEFORE UPDATE ON person_schools
    FOR EACH ROW EXECUTE FUNCTION touch_row();

CREATE TABLE mentors (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL CHECK (length(btrim(name)) > 0),
    institution_id bigint REFERENCES organizations (id),
    title          text,
    phone_cipher   bytea,
    phone_masked   text,
    email          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    version        integer NOT NULL DEFAULT 1,
    CONSTRAINT mentors_institution_name_key UNIQUE NULLS NOT DISTINCT (institution_id, name)
);
CREATE TRIGGER mentors_touch BEFORE UPDATE ON mentors
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- participation: a person in one edition, with the selection steps and the evaluation.
CREATE TABLE participations (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id          bigint NOT NULL REFERENCES persons (id),
    edition_id         text NOT NULL,
    program            text NOT NULL,
    school_id          bigint NOT NULL REFERENCES organizations (id),
    category_code      text NOT NULL,
    grade              text CHECK (grade IN ('K', '4', '5', '6', '7', '8', '9', 'V1', 'V2', 'V3')),
    teacher_role       text CHECK (teacher_role IN ('new', 'young', 'counsellor', 'admin')),
    status             text NOT NULL DEFAULT 'registered'
                           CHECK (status IN ('registered', 'reviewed', 'publicized', 'recommended',
                               'admitted', 'completed', 'withdrawn', 'rejected')),
    mentor_id          bigint REFERENCES mentors (id),
    institution_id     bigint REFERENCES organizations (id),
    registered_at      timestamptz,
    reviewed_at        timestamptz,
    publicized_at      timestamptz,
    recommended_at     timestamptz,
    admitted_at        timestamptz,
    completed_at       timestamptz,
    withdrawn_at       timestamptz,
    rejected_at        timestamptz,
    evaluation         text CHECK (evaluation IN ('excellent', 'pass', 'fail')),
    evaluation_comment text,
    evaluated_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    version            integer NOT NULL DEFAULT 1,
    CONSTRAINT participations_person_edition_key UNIQUE (person_id, edition_id),
    CONSTRAINT participations_edition_fkey FOREIGN KEY (edition_id, program)
        REFERENCES editions (id, program),
    CONSTRAINT participations_category_fkey FOREIGN KEY (category_code, program)
        REFERENCES categories (code, program),
    CONSTRAINT participations_role_by_program CHECK (
        (program = 'jingke' AND teacher_role IS NULL) OR
        (program = 'jindaoshi' AND grade IS NULL))
);
CREATE INDEX participations_edition_status_idx ON participations (edition_id, status);
CREATE INDEX participations_school_idx ON participations (school_id, edition_id);
CREATE INDEX participations_mentor_idx ON participations (mentor_id) WHERE mentor_id IS NOT NULL;
CREATE INDEX participations_institution_idx ON participations (institution_id) WHERE institution_id IS NOT NULL;
CREATE INDEX participations_category_idx ON participations (category_code, program);
CREATE TRIGGER participations_touch BEFORE UPDATE ON participations
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- awards (获奖). Natural key: person, competition, date. Rejected-on-verification awards
-- and soft-deleted rows (deleted_at) do not count in reports.
CREATE TABLE awards (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id     bigint NOT NULL REFERENCES persons (id),
    school_id     bigint REFERENCES organizations (id),
    competition   text NOT NULL CHECK (length(btrim(competition)) > 0),
    level         text NOT NULL CHECK (level IN ('international', 'national', 'provincial',
                      'municipal', 'county', 'school')),
    rank          text,
    awarded_on    date NOT NULL,
    organizer     text,
    category_code text REFERENCES categories (code),
    evidence      text,
    verification  text NOT NULL DEFAULT 'reported'
                      CHECK (verification IN ('reported', 'verified', 'rejected')),
    verified_by   text,
    verified_at   timestamptz,
    reported_by   text,
    deleted_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1,
    CONSTRAINT awards_natural_key UNIQUE (person_id, competition, awarded_on)
);
CREATE INDEX awards_person_date_idx ON awards (person_id, awarded_on);
CREATE INDEX awards_date_level_idx ON awards (awarded_on, level) WHERE deleted_at IS NULL;
CREATE INDEX awards_school_idx ON awards (school_id);
CREATE TRIGGER awards_touch BEFORE UPDATE ON awards
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- destinations (毕业去向). Natural key: person, type, start date. org_id links a
-- destination to a school that is itself in the database.
CREATE TABLE destinations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES persons (id),
    school_id   bigint REFERENCES organizations (id),
    type        text NOT NULL CHECK (type IN ('junior_high', 'senior_high', 'vocational',
                    'university', 'yingcai', 'talent_program', 'employment', 'other')),
    org_name    text,
    org_id      bigint REFERENCES organizations (id),
    major       text,
    started_on  date NOT NULL,
    reported_by text,
    deleted_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1,
    CONSTRAINT destinations_natural_key UNIQUE (person_id, type, started_on)
);
CREATE INDEX destinations_person_date_idx ON destinations (person_id, started_on);
CREATE INDEX destinations_date_type_idx ON destinations (started_on, type) WHERE deleted_at IS NULL;
CREATE INDEX destinations_school_idx ON destinations (school_id);
CREATE INDEX destinations_org_idx ON destinations (org_id) WHERE org_id IS NOT NULL;
CREATE TRIGGER destinations_touch BEFORE UPDATE ON destinations
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- career moves (工作动向): a teacher's positions as intervals [started_on, ended_on).
-- ended_on is NULL for the open interval; a new move closes it.
CREATE TABLE career_moves (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES persons (id),
    school_id   bigint REFERENCES organizations (id),
    org_id      bigint REFERENCES organizations (id),
    org_name    text,
    position    text NOT NULL CHECK (position IN ('teacher', 'counsellor', 'admin', 'researcher',
                    'left_education')),
    title       text CHECK (title IN ('none', 'level2', 'level1', 'senior', 'professor')),
    started_on  date NOT NULL,
    ended_on    date,
    reason      text CHECK (reason IN ('transfer', 'promotion', 'new_role', 'left', 'retired')),
    reported_by text,
    deleted_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1,
    CONSTRAINT career_moves_natural_key UNIQUE (person_id, started_on),
    CONSTRAINT career_moves_org CHECK (org_id IS NOT NULL OR org_name IS NOT NULL),
    CONSTRAINT career_moves_interval CHECK (ended_on IS NULL OR ended_on > started_on)
);
CREATE INDEX career_moves_person_date_idx ON career_moves (person_id, started_on);
CREATE INDEX career_moves_date_reason_idx ON career_moves (started_on, reason) WHERE deleted_at IS NULL;
CREATE INDEX career_moves_school_idx ON career_moves (school_id);
CREATE INDEX career_moves_org_idx ON career_moves (org_id) WHERE org_id IS NOT NULL;
CREATE TRIGGER career_moves_touch BEFORE UPDATE ON career_moves
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- follow-ups (跟踪联系): one contact after the program. outcome 'opted_out' means
-- do-not-contact from then on.
CREATE TABLE follow_ups (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id    bigint NOT NULL REFERENCES persons (id),
    school_id    bigint REFERENCES organizations (id),
    contacted_on date NOT NULL,
    channel      text NOT NULL CHECK (channel IN ('phone', 'wechat', 'email', 'visit', 'other')),
    outcome      text NOT NULL CHECK (outcome IN ('reached', 'unreachable', 'declined', 'opted_out')),
    notes        text,
    made_by      text,
    deleted_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1,
    CONSTRAINT follow_ups_natural_key UNIQUE (person_id, contacted_on, channel)
);
CREATE INDEX follow_ups_person_date_idx ON follow_ups (person_id, contacted_on) INCLUDE (outcome)
    WHERE deleted_at IS NULL;
CREATE INDEX follow_ups_school_idx ON follow_ups (school_id);
CREATE TRIGGER follow_ups_touch BEFORE UPDATE ON follow_ups
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- audit_log: append-only record of every write (before/after) and of every read or export
-- of personal data (fields, row_count).
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    actor_role  text,
    action      text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'merge',
                    'unmerge', 'import', 'read', 'export', 'reveal', 'login', 'logout', 'transition')),
    entity      text NOT NULL,
    entity_id   text,
    person_id   bigint,
    school_id   bigint,
    before      jsonb,
    after       jsonb,
    fields      text[],
    row_count   integer,
    request_id  text,
    ip          inet
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_person_idx ON audit_log (person_id, at) WHERE person_id IS NOT NULL;
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE follow_ups;
DROP TABLE career_moves;
DROP TABLE destinations;
DROP TABLE awards;
DROP TABLE participations;
DROP TABLE mentors;
DROP TABLE person_schools;
DROP TABLE persons;
DROP TABLE categories;
DROP TABLE editions;
DROP TABLE programs;
DROP TABLE organizations;
DROP TABLE regions;
DROP FUNCTION city_of(text);
DROP FUNCTION touch_row();
