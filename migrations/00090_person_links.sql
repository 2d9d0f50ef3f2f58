-- +goose Up
-- A school acts only on persons already in its scope (docs/security.md, "Links between
-- persons and schools"). Before this migration a school could insert a participation of
-- any person as long as the row named its own school — and since a participation makes
-- its person visible, the school had then taken the person over. The rows that link a
-- person (or a participation) to a school may now be written in a school's scope only
-- when the person (or participation) is already visible in that scope; linking a person
-- of another school is the office's. These policies refuse what the store refuses, so a
-- forgotten check in Go still cannot open the door.
--
-- "visible" is the persons (or participations) SELECT policy itself: the subqueries below
-- run under row-level security. A WITH CHECK on INSERT is evaluated before the new row
-- is in the table and with the statement's snapshot, so a participation being inserted
-- cannot vouch for its own person.

-- app_sees_person: is the person visible in the current scope (the persons SELECT policy
-- decides; the function runs as its caller). The participations policies cannot name
-- persons in a subquery of their own — persons' policy reads participations, which the
-- rewriter refuses as infinite recursion — so they ask through this function, which is
-- planned on its own.
-- +goose StatementBegin
CREATE FUNCTION app_sees_person(pid bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM persons WHERE id = pid);
END;
$$;
-- +goose StatementEnd

-- participations: the school's own nomination of a person it already sees
ALTER POLICY scope_insert ON participations
    WITH CHECK (app_scope() = 'office' OR (school_id = app_school_id() AND app_sees_person(person_id)));
ALTER POLICY scope_update ON participations
    USING (app_scope() = 'office' OR school_id = app_school_id() OR mentor_id = app_mentor_id())
    WITH CHECK (app_scope() = 'office' OR mentor_id = app_mentor_id()
        OR (school_id = app_school_id() AND app_sees_person(person_id)));

-- rows of one person: a school writes them only for a person it sees, whatever school_id
-- the row names (a row naming the school no longer admits a stranger's person_id)
-- +goose StatementBegin
DO $$
DECLARE
    t text;
    person_writable constant text := $p$(app_scope() = 'office' OR (app_scope() = 'school'
        AND EXISTS (SELECT 1 FROM persons vp WHERE vp.id = person_id)))$p$;
    part_writable constant text := $p$(app_scope() = 'office'
        OR (app_scope() = 'school' AND school_id = app_school_id()
            AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.id = participation_id))
        OR (app_scope() = 'mentor' AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.id = participation_id)))$p$;
    part_school constant text := $p$(app_scope() = 'office'
        OR (app_scope() = 'school' AND school_id = app_school_id()
            AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.id = participation_id)))$p$;
BEGIN
    FOREACH t IN ARRAY ARRAY['person_schools', 'awards', 'destinations', 'career_moves', 'follow_ups',
                             'consents'] LOOP
        EXECUTE format('ALTER POLICY scope_insert ON %I WITH CHECK %s', t, person_writable);
        EXECUTE format('ALTER POLICY scope_update ON %I USING %s WITH CHECK %s', t, person_writable, person_writable);
        EXECUTE format('ALTER POLICY scope_delete ON %I USING %s', t, person_writable);
    END LOOP;
    -- rows of one participation that its mentor writes too
    FOREACH t IN ARRAY ARRAY['objections', 'growth_logs', 'tasks', 'training_attendance',
                             'exchange_recommendations', 'participation_assessments'] LOOP
        EXECUTE format('ALTER POLICY scope_insert ON %I WITH CHECK %s', t, part_writable);
        EXECUTE format('ALTER POLICY scope_update ON %I USING %s WITH CHECK %s', t, part_writable, part_writable);
    END LOOP;
    -- a notice's nominees: the school's own participations
    EXECUTE format('ALTER POLICY scope_insert ON public_notice_nominees WITH CHECK %s', part_school);
    EXECUTE format('ALTER POLICY scope_update ON public_notice_nominees USING %s WITH CHECK %s', part_school, part_school);
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
    read_s constant text := $p$(app_scope() IN ('office', 'analyst') OR school_id = app_school_id()
        OR (app_scope() = 'city' AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = app_city_code())))$p$;
    write_s constant text := $p$(app_scope() = 'office' OR school_id = app_school_id())$p$;
    person_writable constant text := $p$(app_scope() = 'school'
        AND EXISTS (SELECT 1 FROM persons vp WHERE vp.id = person_id))$p$;
    mentor_sees constant text := $p$(app_scope() = 'mentor'
        AND EXISTS (SELECT 1 FROM participations vpa WHERE vpa.id = participation_id))$p$;
BEGIN
    FOREACH t IN ARRAY ARRAY['person_schools', 'awards', 'destinations', 'career_moves', 'follow_ups',
                             'consents'] LOOP
        EXECUTE format('ALTER POLICY scope_insert ON %I WITH CHECK (%s OR %s)', t, write_s, person_writable);
        EXECUTE format('ALTER POLICY scope_update ON %I USING (%s OR %s) WITH CHECK (%s OR %s)',
            t, write_s, person_writable, write_s, person_writable);
        EXECUTE format('ALTER POLICY scope_delete ON %I USING (%s OR %s)', t, write_s, person_writable);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['objections', 'growth_logs', 'tasks', 'training_attendance',
                             'exchange_recommendations', 'participation_assessments'] LOOP
        EXECUTE format('ALTER POLICY scope_insert ON %I WITH CHECK (%s OR %s)', t, write_s, mentor_sees);
        EXECUTE format('ALTER POLICY scope_update ON %I USING (%s OR %s) WITH CHECK (%s OR %s)',
            t, write_s, mentor_sees, write_s, mentor_sees);
    END LOOP;
    EXECUTE format('ALTER POLICY scope_insert ON public_notice_nominees WITH CHECK %s', write_s);
    EXECUTE format('ALTER POLICY scope_update ON public_notice_nominees USING %s WITH CHECK %s', write_s, write_s);
END;
$$;
-- +goose StatementEnd
ALTER POLICY scope_update ON participations
    USING (app_scope() = 'office' OR school_id = app_school_id() OR mentor_id = app_mentor_id())
    WITH CHECK (app_scope() = 'office' OR school_id = app_school_id() OR mentor_id = app_mentor_id());
ALTER POLICY scope_insert ON participations
    WITH CHECK (app_scope() = 'office' OR school_id = app_school_id());
DROP FUNCTION app_sees_person(bigint);
