-- +goose Up
-- Row security that costs little on a read by key. A policy's person branch was
-- EXISTS (SELECT 1 FROM persons vp WHERE vp.id = t.person_id), and the rewriter expands the
-- persons policy inside it, whose participant branch expands the participations policy,
-- each with its city subquery: the generic plan of a person's timeline carried about 80
-- subplans, every one of them started (its relations opened and locked) on every
-- execution although the office and analyst scopes never run one. With RLS the timeline
-- statement was 2.2x the superuser's (pgbench, 8 clients: 1,190 against 2,661 tps).
--
-- The person and participation branches now ask plpgsql functions, as app_sees_person
-- already did for the participations policies (00090): planned on their own, their
-- queries run as the caller under the same policies, so every scope sees exactly what it
-- saw; the plan that reads a table holds one call instead of a tree. The office and
-- analyst branch still comes first and stops the OR there. For the school, city and
-- mentor scopes a row that their cheaper branches do not admit costs a function call
-- (a cached plan by key) instead of an inline subplan. The city branch, a hashed subplan
-- over organizations_city_code_idx built once per statement, stays: a city's reads pass
-- every row through it. After: 1,900-2,660 tps (docs/operations.md, "Row security").
--
-- app_sees_participant: does the person take part in anything the scope sees;
-- app_sees_participation: is the participation visible. Both read participations by an
-- index leading with the compared column (participations_person_edition_key, the key).
-- +goose StatementBegin
CREATE FUNCTION app_sees_participant(pid bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM participations WHERE person_id = pid);
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION app_sees_participation(pid bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM participations WHERE id = pid);
END;
$$;
-- +goose StatementEnd

ALTER POLICY audit_read ON audit_log
    USING (((app_scope() = ANY (ARRAY['office'::text, 'auditor'::text])) OR ((app_scope() = ANY (ARRAY['analyst'::text, 'city'::text, 'school'::text, 'mentor'::text])) AND (person_id IS NOT NULL) AND (action = ANY (ARRAY['update'::text, 'delete'::text, 'restore'::text, 'merge'::text, 'unmerge'::text, 'transition'::text])) AND app_sees_person(audit_log.person_id))));
ALTER POLICY scope_delete ON awards
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(awards.person_id))));
ALTER POLICY scope_insert ON awards
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(awards.person_id))));
ALTER POLICY scope_read ON awards
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND app_sees_person(awards.person_id))));
ALTER POLICY scope_update ON awards
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(awards.person_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(awards.person_id))));
ALTER POLICY scope_delete ON career_moves
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(career_moves.person_id))));
ALTER POLICY scope_insert ON career_moves
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(career_moves.person_id))));
ALTER POLICY scope_read ON career_moves
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND app_sees_person(career_moves.person_id))));
ALTER POLICY scope_update ON career_moves
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(career_moves.person_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(career_moves.person_id))));
ALTER POLICY scope_delete ON consents
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(consents.person_id))));
ALTER POLICY scope_insert ON consents
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(consents.person_id))));
ALTER POLICY scope_read ON consents
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND app_sees_person(consents.person_id))));
ALTER POLICY scope_update ON consents
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(consents.person_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(consents.person_id))));
ALTER POLICY scope_delete ON destinations
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(destinations.person_id))));
ALTER POLICY scope_insert ON destinations
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(destinations.person_id))));
ALTER POLICY scope_read ON destinations
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND app_sees_person(destinations.person_id))));
ALTER POLICY scope_update ON destinations
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(destinations.person_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(destinations.person_id))));
ALTER POLICY scope_insert ON exchange_recommendations
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(exchange_recommendations.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(exchange_recommendations.participation_id))));
ALTER POLICY scope_read ON exchange_recommendations
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(exchange_recommendations.participation_id))));
ALTER POLICY scope_update ON exchange_recommendations
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(exchange_recommendations.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(exchange_recommendations.participation_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(exchange_recommendations.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(exchange_recommendations.participation_id))));
ALTER POLICY scope_delete ON follow_ups
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(follow_ups.person_id))));
ALTER POLICY scope_insert ON follow_ups
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(follow_ups.person_id))));
ALTER POLICY scope_read ON follow_ups
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND app_sees_person(follow_ups.person_id))));
ALTER POLICY scope_update ON follow_ups
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(follow_ups.person_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(follow_ups.person_id))));
ALTER POLICY scope_insert ON growth_logs
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(growth_logs.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(growth_logs.participation_id))));
ALTER POLICY scope_read ON growth_logs
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(growth_logs.participation_id))));
ALTER POLICY scope_update ON growth_logs
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(growth_logs.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(growth_logs.participation_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(growth_logs.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(growth_logs.participation_id))));
ALTER POLICY scope_insert ON objections
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(objections.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(objections.participation_id))));
ALTER POLICY scope_read ON objections
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(objections.participation_id))));
ALTER POLICY scope_update ON objections
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(objections.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(objections.participation_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(objections.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(objections.participation_id))));
ALTER POLICY scope_insert ON participation_assessments
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(participation_assessments.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(participation_assessments.participation_id))));
ALTER POLICY scope_read ON participation_assessments
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(participation_assessments.participation_id))));
ALTER POLICY scope_update ON participation_assessments
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(participation_assessments.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(participation_assessments.participation_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(participation_assessments.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(participation_assessments.participation_id))));
ALTER POLICY scope_delete ON person_schools
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(person_schools.person_id))));
ALTER POLICY scope_insert ON person_schools
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(person_schools.person_id))));
ALTER POLICY scope_read ON person_schools
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND app_sees_person(person_schools.person_id))));
ALTER POLICY scope_update ON person_schools
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(person_schools.person_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND app_sees_person(person_schools.person_id))));
ALTER POLICY scope_read ON persons
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND app_sees_participant(persons.id))));
ALTER POLICY scope_update ON persons
    USING (((app_scope() = 'office'::text) OR (school_id = app_school_id()) OR ((app_scope() = 'school'::text) AND app_sees_participant(persons.id))))
    WITH CHECK (((app_scope() = 'office'::text) OR (school_id = app_school_id()) OR ((app_scope() = 'school'::text) AND app_sees_participant(persons.id))));
ALTER POLICY scope_insert ON public_notice_nominees
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(public_notice_nominees.participation_id))));
ALTER POLICY scope_update ON public_notice_nominees
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(public_notice_nominees.participation_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(public_notice_nominees.participation_id))));
ALTER POLICY scope_insert ON tasks
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(tasks.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(tasks.participation_id))));
ALTER POLICY scope_read ON tasks
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(tasks.participation_id))));
ALTER POLICY scope_update ON tasks
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(tasks.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(tasks.participation_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(tasks.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(tasks.participation_id))));
ALTER POLICY scope_insert ON training_attendance
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(training_attendance.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(training_attendance.participation_id))));
ALTER POLICY scope_read ON training_attendance
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(training_attendance.participation_id))));
ALTER POLICY scope_update ON training_attendance
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(training_attendance.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(training_attendance.participation_id))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND app_sees_participation(training_attendance.participation_id)) OR ((app_scope() = 'mentor'::text) AND app_sees_participation(training_attendance.participation_id))));

-- +goose Down
ALTER POLICY audit_read ON audit_log
    USING (((app_scope() = ANY (ARRAY['office'::text, 'auditor'::text])) OR ((app_scope() = ANY (ARRAY['analyst'::text, 'city'::text, 'school'::text, 'mentor'::text])) AND (person_id IS NOT NULL) AND (action = ANY (ARRAY['update'::text, 'delete'::text, 'restore'::text, 'merge'::text, 'unmerge'::text, 'transition'::text])) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = audit_log.person_id))))));
ALTER POLICY scope_delete ON awards
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = awards.person_id))))));
ALTER POLICY scope_insert ON awards
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = awards.person_id))))));
ALTER POLICY scope_read ON awards
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = awards.person_id))))));
ALTER POLICY scope_update ON awards
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = awards.person_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = awards.person_id))))));
ALTER POLICY scope_delete ON career_moves
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = career_moves.person_id))))));
ALTER POLICY scope_insert ON career_moves
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = career_moves.person_id))))));
ALTER POLICY scope_read ON career_moves
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = career_moves.person_id))))));
ALTER POLICY scope_update ON career_moves
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = career_moves.person_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = career_moves.person_id))))));
ALTER POLICY scope_delete ON consents
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = consents.person_id))))));
ALTER POLICY scope_insert ON consents
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = consents.person_id))))));
ALTER POLICY scope_read ON consents
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = consents.person_id))))));
ALTER POLICY scope_update ON consents
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = consents.person_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = consents.person_id))))));
ALTER POLICY scope_delete ON destinations
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = destinations.person_id))))));
ALTER POLICY scope_insert ON destinations
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = destinations.person_id))))));
ALTER POLICY scope_read ON destinations
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = destinations.person_id))))));
ALTER POLICY scope_update ON destinations
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = destinations.person_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = destinations.person_id))))));
ALTER POLICY scope_insert ON exchange_recommendations
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = exchange_recommendations.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = exchange_recommendations.participation_id))))));
ALTER POLICY scope_read ON exchange_recommendations
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = exchange_recommendations.participation_id))))));
ALTER POLICY scope_update ON exchange_recommendations
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = exchange_recommendations.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = exchange_recommendations.participation_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = exchange_recommendations.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = exchange_recommendations.participation_id))))));
ALTER POLICY scope_delete ON follow_ups
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = follow_ups.person_id))))));
ALTER POLICY scope_insert ON follow_ups
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = follow_ups.person_id))))));
ALTER POLICY scope_read ON follow_ups
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = follow_ups.person_id))))));
ALTER POLICY scope_update ON follow_ups
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = follow_ups.person_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = follow_ups.person_id))))));
ALTER POLICY scope_insert ON growth_logs
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = growth_logs.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = growth_logs.participation_id))))));
ALTER POLICY scope_read ON growth_logs
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = growth_logs.participation_id))))));
ALTER POLICY scope_update ON growth_logs
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = growth_logs.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = growth_logs.participation_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = growth_logs.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = growth_logs.participation_id))))));
ALTER POLICY scope_insert ON objections
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = objections.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = objections.participation_id))))));
ALTER POLICY scope_read ON objections
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = objections.participation_id))))));
ALTER POLICY scope_update ON objections
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = objections.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = objections.participation_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = objections.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = objections.participation_id))))));
ALTER POLICY scope_insert ON participation_assessments
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = participation_assessments.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = participation_assessments.participation_id))))));
ALTER POLICY scope_read ON participation_assessments
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = participation_assessments.participation_id))))));
ALTER POLICY scope_update ON participation_assessments
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = participation_assessments.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = participation_assessments.participation_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = participation_assessments.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = participation_assessments.participation_id))))));
ALTER POLICY scope_delete ON person_schools
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = person_schools.person_id))))));
ALTER POLICY scope_insert ON person_schools
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = person_schools.person_id))))));
ALTER POLICY scope_read ON person_schools
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = person_schools.person_id))))));
ALTER POLICY scope_update ON person_schools
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = person_schools.person_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM persons vp
  WHERE (vp.id = person_schools.person_id))))));
ALTER POLICY scope_read ON persons
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = ANY (ARRAY['school'::text, 'city'::text, 'mentor'::text])) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.person_id = persons.id))))));
ALTER POLICY scope_update ON persons
    USING (((app_scope() = 'office'::text) OR (school_id = app_school_id()) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.person_id = persons.id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR (school_id = app_school_id()) OR ((app_scope() = 'school'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.person_id = persons.id))))));
ALTER POLICY scope_insert ON public_notice_nominees
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = public_notice_nominees.participation_id))))));
ALTER POLICY scope_update ON public_notice_nominees
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = public_notice_nominees.participation_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = public_notice_nominees.participation_id))))));
ALTER POLICY scope_insert ON tasks
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = tasks.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = tasks.participation_id))))));
ALTER POLICY scope_read ON tasks
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = tasks.participation_id))))));
ALTER POLICY scope_update ON tasks
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = tasks.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = tasks.participation_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = tasks.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = tasks.participation_id))))));
ALTER POLICY scope_insert ON training_attendance
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = training_attendance.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = training_attendance.participation_id))))));
ALTER POLICY scope_read ON training_attendance
    USING (((app_scope() = ANY (ARRAY['office'::text, 'analyst'::text])) OR (school_id = app_school_id()) OR ((app_scope() = 'city'::text) AND (school_id IN ( SELECT o.id
   FROM organizations o
  WHERE (o.city_code = app_city_code())))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = training_attendance.participation_id))))));
ALTER POLICY scope_update ON training_attendance
    USING (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = training_attendance.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = training_attendance.participation_id))))))
    WITH CHECK (((app_scope() = 'office'::text) OR ((app_scope() = 'school'::text) AND (school_id = app_school_id()) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = training_attendance.participation_id)))) OR ((app_scope() = 'mentor'::text) AND (EXISTS ( SELECT 1
   FROM participations vpa
  WHERE (vpa.id = training_attendance.participation_id))))));
DROP FUNCTION app_sees_participation(bigint);
DROP FUNCTION app_sees_participant(bigint);
