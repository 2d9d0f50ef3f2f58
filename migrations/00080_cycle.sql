-- +goose Up
-- The yearly cycle's rules need a few more facts than 00003 laid down: which public notice a
-- nominee was publicized under (recommending waits for that notice to end), how an objection
-- was resolved, who answered a growth log, and the two assessments (mentor and school) of the
-- summary evaluation. See docs/cycle.md.

-- the notice a nominee was publicized under; one per participation
CREATE TABLE public_notice_nominees (
    participation_id bigint PRIMARY KEY REFERENCES participations (id),
    notice_id        bigint NOT NULL REFERENCES public_notices (id),
    school_id        bigint NOT NULL REFERENCES organizations (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_notice_nominees_notice_idx ON public_notice_nominees (notice_id);
CREATE INDEX public_notice_nominees_school_idx ON public_notice_nominees (school_id);

-- who recorded a notice
ALTER TABLE public_notices ADD COLUMN created_by text;

-- an objection is resolved with an outcome: dismissed (the nomination stands) or upheld.
-- A resolved objection without an outcome (written before this column) counts as dismissed.
ALTER TABLE objections ADD COLUMN outcome text CHECK (outcome IN ('dismissed', 'upheld'));
ALTER TABLE objections ADD COLUMN lodged_by text;
ALTER TABLE objections ADD CONSTRAINT objections_outcome_resolved
    CHECK (outcome IS NULL OR resolved_at IS NOT NULL);
-- "are there open objections against these nominees" reads only the open ones
CREATE INDEX objections_open_idx ON objections (participation_id) WHERE resolved_at IS NULL;

ALTER TABLE growth_logs ADD COLUMN feedback_by text;
ALTER TABLE tasks ADD COLUMN created_by text;

-- the summary evaluation: the mentor's and the school's assessment of a participant; the
-- school's is the final one and is mirrored on participations.evaluation
CREATE TABLE participation_assessments (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participation_id bigint NOT NULL REFERENCES participations (id),
    school_id        bigint NOT NULL REFERENCES organizations (id),
    by_role          text NOT NULL CHECK (by_role IN ('mentor', 'school')),
    evaluation       text NOT NULL CHECK (evaluation IN ('excellent', 'pass', 'fail')),
    comment          text,
    assessed_by      text NOT NULL,
    assessed_at      timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1,
    CONSTRAINT participation_assessments_key UNIQUE (participation_id, by_role)
);
CREATE INDEX participation_assessments_school_idx ON participation_assessments (school_id);
CREATE TRIGGER participation_assessments_touch BEFORE UPDATE ON participation_assessments
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- one recommendation of a participant to one activity
ALTER TABLE exchange_recommendations ADD COLUMN recommended_by text;
CREATE UNIQUE INDEX exchange_recommendations_key ON exchange_recommendations (participation_id, activity);

ALTER TABLE typical_cases ADD COLUMN reported_by text;

-- Row-level security of the new tables, as 00070 does for the others: the links of a
-- notice belong to the school; an assessment is also the participant's mentor's.
ALTER TABLE public_notice_nominees ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON public_notice_nominees FOR SELECT USING (app_scope() IN ('office', 'analyst')
    OR school_id = app_school_id()
    OR (app_scope() = 'city' AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = app_city_code())));
CREATE POLICY scope_insert ON public_notice_nominees FOR INSERT
    WITH CHECK (app_scope() = 'office' OR school_id = app_school_id());
CREATE POLICY scope_update ON public_notice_nominees FOR UPDATE
    USING (app_scope() = 'office' OR school_id = app_school_id())
    WITH CHECK (app_scope() = 'office' OR school_id = app_school_id());
CREATE POLICY scope_delete ON public_notice_nominees FOR DELETE
    USING (app_scope() = 'office' OR school_id = app_school_id());

ALTER TABLE participation_assessments ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON participation_assessments FOR SELECT USING (app_scope() IN ('office', 'analyst')
    OR school_id = app_school_id()
    OR (app_scope() = 'city' AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = app_city_code()))
    OR (app_scope() = 'mentor' AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.id = participation_id)));
CREATE POLICY scope_insert ON participation_assessments FOR INSERT WITH CHECK (app_scope() = 'office'
    OR school_id = app_school_id()
    OR (app_scope() = 'mentor' AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.id = participation_id)));
CREATE POLICY scope_update ON participation_assessments FOR UPDATE
    USING (app_scope() = 'office' OR school_id = app_school_id()
        OR (app_scope() = 'mentor' AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.id = participation_id)))
    WITH CHECK (app_scope() = 'office' OR school_id = app_school_id()
        OR (app_scope() = 'mentor' AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.id = participation_id)));
CREATE POLICY scope_delete ON participation_assessments FOR DELETE
    USING (app_scope() = 'office' OR school_id = app_school_id());

-- A mentor reads the application (status and schedule) of the schools of their
-- participants: the evaluation rules open the mentor's assessment with the school's
-- summary-evaluation phase. The API does not list applications to mentors; the rule reads.
CREATE POLICY mentor_read ON applications FOR SELECT USING (app_scope() = 'mentor'
    AND EXISTS (SELECT 1 FROM participations vpa
                WHERE vpa.school_id = applications.school_id AND vpa.edition_id = applications.edition_id));
CREATE POLICY mentor_read ON application_phases FOR SELECT USING (app_scope() = 'mentor'
    AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.school_id = application_phases.school_id));

-- +goose Down
DROP POLICY mentor_read ON application_phases;
DROP POLICY mentor_read ON applications;
DROP TABLE participation_assessments;
DROP TABLE public_notice_nominees;
ALTER TABLE typical_cases DROP COLUMN reported_by;
DROP INDEX exchange_recommendations_key;
ALTER TABLE exchange_recommendations DROP COLUMN recommended_by;
ALTER TABLE tasks DROP COLUMN created_by;
ALTER TABLE growth_logs DROP COLUMN feedback_by;
DROP INDEX objections_open_idx;
ALTER TABLE objections DROP CONSTRAINT objections_outcome_resolved;
ALTER TABLE objections DROP COLUMN lodged_by;
ALTER TABLE objections DROP COLUMN outcome;
ALTER TABLE public_notices DROP COLUMN created_by;
