-- +goose Up
-- The rest of the data model: accounts and consent (who may see what), the yearly cycle of
-- an edition (applications, public notice and objections, growth logs, tasks, training
-- sessions, year summaries, typical cases) and the bookkeeping of imports, identity review
-- and frozen reports. Later work adds behaviour on these tables, not a new spine.

CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.@-]{3,64}$'),
    display_name    text,
    password_hash   text NOT NULL,
    role            text NOT NULL CHECK (role IN ('office_admin', 'office_analyst', 'city_coordinator',
                        'school_operator', 'mentor', 'auditor')),
    school_id       bigint REFERENCES organizations (id),
    city_code       text REFERENCES regions (code),
    mentor_id       bigint REFERENCES mentors (id),
    failed_logins   integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    disabled_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1,
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_scope CHECK (
        (role = 'school_operator' AND school_id IS NOT NULL) OR
        (role = 'city_coordinator' AND city_code IS NOT NULL) OR
        (role = 'mentor' AND mentor_id IS NOT NULL) OR
        (role IN ('office_admin', 'office_analyst', 'auditor')))
);
CREATE INDEX users_school_idx ON users (school_id) WHERE school_id IS NOT NULL;
CREATE INDEX users_mentor_idx ON users (mentor_id) WHERE mentor_id IS NOT NULL;
CREATE TRIGGER users_touch BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- server-side web sessions; the cookie carries a random token, the table its hash
CREATE TABLE sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   bytea NOT NULL UNIQUE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    ip           inet,
    user_agent   text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- personal API tokens for scripts, stored hashed
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   bytea NOT NULL UNIQUE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- guardian consent for persons under 14 (PIPL)
CREATE TABLE consents (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id     bigint NOT NULL REFERENCES persons (id),
    school_id     bigint REFERENCES organizations (id),
    guardian_name text NOT NULL,
    relationship  text NOT NULL CHECK (relationship IN ('father', 'mother', 'grandparent',
                      'legal_guardian', 'other')),
    method        text NOT NULL CHECK (method IN ('paper', 'electronic', 'in_person')),
    scope         text NOT NULL,
    granted_on    date NOT NULL,
    withdrawn_on  date,
    recorded_by   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1,
    CONSTRAINT consents_dates CHECK (withdrawn_on IS NULL OR withdrawn_on >= granted_on)
);
CREATE INDEX consents_person_idx ON consents (person_id);
CREATE INDEX consents_school_idx ON consents (school_id);
CREATE TRIGGER consents_touch BEFORE UPDATE ON consents
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- applications (申报书): a school's request to take part in an edition
CREATE TABLE applications (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edition_id              text NOT NULL REFERENCES editions (id),
    school_id               bigint NOT NULL REFERENCES organizations (id),
    status                  text NOT NULL DEFAULT 'draft'
                                CHECK (status IN ('draft', 'submitted', 'returned', 'approved', 'rejected')),
    unit_name               text NOT NULL,
    unit_type               text,
    address                 text,
    postal_code             text,
    head_name               text,
    head_title              text,
    head_office_phone       text,
    head_mobile             text,
    head_email              text,
    head_fax                text,
    lead_name               text,
    lead_title              text,
    lead_office_phone       text,
    lead_mobile             text,
    lead_email              text,
    lead_fax                text,
    -- implementation conditions (实施条件)
    cond_organization       text,
    cond_staff              text,
    cond_environment        text,
    cond_track_record       text,
    cond_rules              text,
    cond_funding            text,
    applied_on              date,
    submitted_at            timestamptz,
    reviewed_at             timestamptz,
    reviewed_by             text,
    review_comment          text,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    version                 integer NOT NULL DEFAULT 1,
    CONSTRAINT applications_edition_school_key UNIQUE (edition_id, school_id)
);
CREATE INDEX applications_school_idx ON applications (school_id);
CREATE TRIGGER applications_touch BEFORE UPDATE ON applications
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- the schedule table of an application: selection, daily management, summary evaluation
CREATE TABLE application_phases (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    school_id      bigint NOT NULL REFERENCES organizations (id),
    phase          text NOT NULL CHECK (phase IN ('selection', 'daily_management', 'summary_evaluation')),
    content        text NOT NULL,
    starts_on      date NOT NULL,
    ends_on        date NOT NULL,
    CONSTRAINT application_phases_key UNIQUE (application_id, phase),
    CONSTRAINT application_phases_dates CHECK (ends_on >= starts_on)
);
CREATE INDEX application_phases_school_idx ON application_phases (school_id);

-- public notice (公示) of nominees and objections lodged during it
CREATE TABLE public_notices (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edition_id text NOT NULL REFERENCES editions (id),
    school_id  bigint NOT NULL REFERENCES organizations (id),
    starts_on  date NOT NULL,
    ends_on    date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT public_notices_dates CHECK (ends_on >= starts_on)
);
CREATE INDEX public_notices_school_idx ON public_notices (school_id, edition_id);

CREATE TABLE objections (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participation_id bigint NOT NULL REFERENCES participations (id),
    school_id        bigint NOT NULL REFERENCES organizations (id),
    lodged_on        date NOT NULL,
    content          text NOT NULL,
    resolution       text,
    resolved_at      timestamptz,
    resolved_by      text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1
);
CREATE INDEX objections_participation_idx ON objections (participation_id);
CREATE INDEX objections_school_idx ON objections (school_id);
CREATE TRIGGER objections_touch BEFORE UPDATE ON objections
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- growth logs (成长日志) of grades 4-8 students, with mentor feedback
CREATE TABLE growth_logs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participation_id bigint NOT NULL REFERENCES participations (id),
    school_id        bigint NOT NULL REFERENCES organizations (id),
    entry_on         date NOT NULL,
    content          text NOT NULL,
    mentor_feedback  text,
    feedback_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1
);
CREATE INDEX growth_logs_participation_idx ON growth_logs (participation_id, entry_on);
CREATE INDEX growth_logs_school_idx ON growth_logs (school_id);
CREATE TRIGGER growth_logs_touch BEFORE UPDATE ON growth_logs
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- mentor-set tasks
CREATE TABLE tasks (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participation_id bigint NOT NULL REFERENCES participations (id),
    school_id        bigint NOT NULL REFERENCES organizations (id),
    mentor_id        bigint REFERENCES mentors (id),
    title            text NOT NULL,
    due_on           date NOT NULL,
    completed_on     date,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1
);
CREATE INDEX tasks_participation_idx ON tasks (participation_id, due_on);
CREATE INDEX tasks_school_idx ON tasks (school_id);
CREATE INDEX tasks_mentor_idx ON tasks (mentor_id) WHERE mentor_id IS NOT NULL;
CREATE TRIGGER tasks_touch BEFORE UPDATE ON tasks
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- a school's safety-education and training sessions, with attendance
CREATE TABLE training_sessions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edition_id text NOT NULL REFERENCES editions (id),
    school_id  bigint NOT NULL REFERENCES organizations (id),
    kind       text NOT NULL CHECK (kind IN ('safety', 'lab_skills', 'communication', 'other')),
    held_on    date NOT NULL,
    topic      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_sessions_school_idx ON training_sessions (school_id, edition_id);

CREATE TABLE training_attendance (
    session_id       bigint NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    participation_id bigint NOT NULL REFERENCES participations (id),
    school_id        bigint NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (session_id, participation_id)
);
CREATE INDEX training_attendance_participation_idx ON training_attendance (participation_id);
CREATE INDEX training_attendance_school_idx ON training_attendance (school_id);

-- a school's year summary of an edition, and the office's recommendations to exchanges
CREATE TABLE year_summaries (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edition_id   text NOT NULL REFERENCES editions (id),
    school_id    bigint NOT NULL REFERENCES organizations (id),
    content      text NOT NULL,
    submitted_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1,
    CONSTRAINT year_summaries_key UNIQUE (edition_id, school_id)
);
CREATE INDEX year_summaries_school_idx ON year_summaries (school_id);
CREATE TRIGGER year_summaries_touch BEFORE UPDATE ON year_summaries
    FOR EACH ROW EXECUTE FUNCTION touch_row();

CREATE TABLE exchange_recommendations (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participation_id bigint NOT NULL REFERENCES participations (id),
    school_id        bigint NOT NULL REFERENCES organizations (id),
    activity         text NOT NULL,
    recommended_on   date NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exchange_recommendations_participation_idx ON exchange_recommendations (participation_id);
CREATE INDEX exchange_recommendations_school_idx ON exchange_recommendations (school_id);

-- typical cases (典型案例) for publicity, linked to people
CREATE TABLE typical_cases (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edition_id  text REFERENCES editions (id),
    school_id   bigint REFERENCES organizations (id),
    title       text NOT NULL,
    body        text NOT NULL,
    reported_on date NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1
);
CREATE INDEX typical_cases_school_idx ON typical_cases (school_id);
CREATE TRIGGER typical_cases_touch BEFORE UPDATE ON typical_cases
    FOR EACH ROW EXECUTE FUNCTION touch_row();

CREATE TABLE typical_case_persons (
    case_id   bigint NOT NULL REFERENCES typical_cases (id) ON DELETE CASCADE,
    person_id bigint NOT NULL REFERENCES persons (id),
    PRIMARY KEY (case_id, person_id)
);
CREATE INDEX typical_case_persons_person_idx ON typical_case_persons (person_id);

-- imports: one row per applied (or dry-run) file, with its hash and summary
CREATE TABLE imports (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL,
    file_name       text,
    file_sha256     bytea NOT NULL,
    uploaded_by     text,
    idempotency_key text,
    dry_run         boolean NOT NULL DEFAULT false,
    applied         boolean NOT NULL,
    summary         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT imports_idempotency_key UNIQUE (uploaded_by, idempotency_key)
);
CREATE INDEX imports_created_idx ON imports (created_at);

-- identity review queue: a new person who closely resembles an existing one
CREATE TABLE identity_candidates (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  bigint NOT NULL REFERENCES persons (id),
    similar_id bigint NOT NULL REFERENCES persons (id),
    reason     text NOT NULL,
    status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'dismissed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolved_by text,
    CONSTRAINT identity_candidates_pair_key UNIQUE (person_id, similar_id)
);
CREATE INDEX identity_candidates_similar_idx ON identity_candidates (similar_id);

-- person merges, kept so a merge can be undone
CREATE TABLE person_merges (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kept_id     bigint NOT NULL REFERENCES persons (id),
    merged_id   bigint NOT NULL REFERENCES persons (id),
    moved       jsonb NOT NULL,
    merged_by   text,
    merged_at   timestamptz NOT NULL DEFAULT now(),
    undone_at   timestamptz
);
CREATE INDEX person_merges_kept_idx ON person_merges (kept_id);
CREATE INDEX person_merges_merged_idx ON person_merges (merged_id);

-- reports as published: later corrections to the data do not change a frozen report
CREATE TABLE frozen_reports (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('annual', 'cohort')),
    params     jsonb NOT NULL,
    as_of      date NOT NULL,
    body       jsonb NOT NULL,
    frozen_by  text NOT NULL,
    frozen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX frozen_reports_kind_idx ON frozen_reports (kind, frozen_at);

-- +goose Down
DROP TABLE frozen_reports;
DROP TABLE person_merges;
DROP TABLE identity_candidates;
DROP TABLE imports;
DROP TABLE typical_case_persons;
DROP TABLE typical_cases;
DROP TABLE exchange_recommendations;
DROP TABLE year_summaries;
DROP TABLE training_attendance;
DROP TABLE training_sessions;
DROP TABLE tasks;
DROP TABLE growth_logs;
DROP TABLE objections;
DROP TABLE public_notices;
DROP TABLE application_phases;
DROP TABLE applications;
DROP TABLE consents;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
