-- +goose Up
-- Reminders (docs/reminders.md): per organization — a school, or the office for the
-- province digest — whether a daily digest of its follow-up schedule is sent and to whom;
-- and every send, which makes a run idempotent per school, day and channel. A digest
-- carries counts only, so neither table holds anything about a person.
CREATE TABLE reminder_settings (
    school_id    bigint PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    enabled      boolean NOT NULL DEFAULT false,
    webhook_kind text CHECK (webhook_kind IN ('wecom', 'dingtalk')),
    webhook_url  text CHECK (length(webhook_url) <= 500),
    emails       text[] NOT NULL DEFAULT '{}' CHECK (cardinality(emails) <= 20),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      int NOT NULL DEFAULT 1,
    -- a webhook has both its kind and its URL, or neither
    CHECK ((webhook_kind IS NULL) = (webhook_url IS NULL))
);

CREATE TABLE reminder_sends (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id bigint NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    day       date NOT NULL,
    channel   text NOT NULL CHECK (channel IN ('wecom', 'dingtalk', 'email')),
    -- sending: claimed by a run, which is posting it now
    status    text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    attempts  int NOT NULL CHECK (attempts >= 0), -- 0: not tried (a webhook host off the allow-list)
    error     text,
    forced    boolean NOT NULL DEFAULT false,
    sent_at   timestamptz NOT NULL DEFAULT now()
);
-- a run asks, per school and channel, whether the day's digest went out already
CREATE INDEX reminder_sends_school_day_idx ON reminder_sends (school_id, day, channel) WHERE status IN ('sending', 'sent');
-- the claim: a run inserts its 'sending' row before it sends, and of two runs at the same
-- moment (cron's and the server's daily job) only one gets it; a forced send is outside.
CREATE UNIQUE INDEX reminder_sends_claim_key ON reminder_sends (school_id, day, channel)
    WHERE status IN ('sending', 'sent') AND NOT forced;

-- Row-level security as a school's own tables (00070): the office and the analysts read
-- every row, a city its schools', a school its own; the office writes every row, a school
-- its own (a school may set its own recipients; sends are written by the office's run).
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['reminder_settings', 'reminder_sends'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY scope_read ON %I FOR SELECT USING (app_scope() IN ('office', 'analyst')
            OR school_id = app_school_id()
            OR (app_scope() = 'city' AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = app_city_code())))$p$, t);
        EXECUTE format($p$CREATE POLICY scope_insert ON %I FOR INSERT
            WITH CHECK (app_scope() = 'office' OR school_id = app_school_id())$p$, t);
        EXECUTE format($p$CREATE POLICY scope_update ON %I FOR UPDATE
            USING (app_scope() = 'office' OR school_id = app_school_id())
            WITH CHECK (app_scope() = 'office' OR school_id = app_school_id())$p$, t);
        EXECUTE format($p$CREATE POLICY scope_delete ON %I FOR DELETE
            USING (app_scope() = 'office' OR school_id = app_school_id())$p$, t);
    END LOOP;
END;
$$;
-- +goose StatementEnd
-- the sends are a record: a school reads its own, only the office's run writes them
DROP POLICY scope_insert ON reminder_sends;
CREATE POLICY scope_insert ON reminder_sends FOR INSERT WITH CHECK (app_scope() = 'office');
-- and the run finishes its own claim: only a 'sending' row may change, so a record stays as written
DROP POLICY scope_update ON reminder_sends;
CREATE POLICY scope_update ON reminder_sends FOR UPDATE USING (app_scope() = 'office' AND status = 'sending')
    WITH CHECK (app_scope() = 'office');
-- the index the update policy's status test needs (TestRLSPolicyColumnsIndexed): the claims
-- still sending are few
CREATE INDEX reminder_sends_sending_idx ON reminder_sends (status) WHERE status = 'sending';
DROP POLICY scope_delete ON reminder_sends;

-- +goose Down
DROP TABLE reminder_sends;
DROP TABLE reminder_settings;
