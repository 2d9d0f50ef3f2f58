-- Summary evaluation (总结评估): assessments, year summaries, exchange recommendations and
-- typical cases (典型案例). See docs/cycle.md.

-- name: CycleAssessmentUpsert :exec
INSERT INTO participation_assessments (participation_id, school_id, by_role, evaluation, comment,
    assessed_by, assessed_at)
VALUES (@participation_id, @school_id, @by_role, @evaluation, sqlc.narg(comment), @assessed_by, @at)
ON CONFLICT (participation_id, by_role) DO UPDATE SET
    evaluation = EXCLUDED.evaluation, comment = EXCLUDED.comment,
    assessed_by = EXCLUDED.assessed_by, assessed_at = EXCLUDED.assessed_at;

-- name: CycleAssessmentList :many
SELECT * FROM participation_assessments
WHERE participation_id = @participation_id
ORDER BY by_role;

-- CycleParticipationEvaluate records the final (school's) evaluation on the participation.
-- name: CycleParticipationEvaluate :exec
UPDATE participations SET evaluation = @evaluation::text, evaluation_comment = sqlc.narg(comment),
    evaluated_at = @at
WHERE id = @id;

-- name: CycleYearSummaryInsert :one
INSERT INTO year_summaries (edition_id, school_id, content) VALUES (@edition_id, @school_id, @content)
RETURNING id;

-- name: CycleYearSummaryGet :one
SELECT y.*, o.code AS school_code, o.city_code AS school_city_code
FROM year_summaries y JOIN organizations o ON o.id = y.school_id
WHERE y.id = @id;

-- name: CycleYearSummaryLock :one
SELECT version FROM year_summaries WHERE id = @id FOR UPDATE;

-- name: CycleYearSummaryList :many
SELECT y.*, o.code AS school_code, o.city_code AS school_city_code
FROM year_summaries y JOIN organizations o ON o.id = y.school_id
WHERE y.id > @after_id
  AND (sqlc.narg(edition)::text IS NULL OR y.edition_id = sqlc.narg(edition))
  AND (sqlc.narg(school_id)::bigint IS NULL OR y.school_id = sqlc.narg(school_id))
  AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
ORDER BY y.id
LIMIT @lim;

-- name: CycleYearSummaryUpdate :exec
UPDATE year_summaries SET content = @content, submitted_at = sqlc.narg(submitted_at) WHERE id = @id;

-- name: CycleExchangeInsert :one
INSERT INTO exchange_recommendations (participation_id, school_id, activity, recommended_on, recommended_by)
VALUES (@participation_id, @school_id, @activity, @recommended_on, sqlc.narg(recommended_by))
RETURNING id;

-- name: CycleExchangeList :many
SELECT x.*, pa.person_id, pa.edition_id, pa.mentor_id, o.code AS school_code, o.city_code AS school_city_code
FROM exchange_recommendations x
JOIN participations pa ON pa.id = x.participation_id
JOIN organizations o ON o.id = x.school_id
WHERE x.id > @after_id
  AND (sqlc.narg(edition)::text IS NULL OR pa.edition_id = sqlc.narg(edition))
  AND (sqlc.narg(school_id)::bigint IS NULL OR x.school_id = sqlc.narg(school_id))
  AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
  AND (sqlc.narg(mentor_id)::bigint IS NULL OR pa.mentor_id = sqlc.narg(mentor_id))
ORDER BY x.id
LIMIT @lim;

-- name: CycleExchangeGet :one
SELECT x.*, pa.person_id, pa.edition_id, pa.mentor_id, o.code AS school_code, o.city_code AS school_city_code
FROM exchange_recommendations x
JOIN participations pa ON pa.id = x.participation_id
JOIN organizations o ON o.id = x.school_id
WHERE x.id = @id;

-- name: CycleCaseInsert :one
INSERT INTO typical_cases (edition_id, school_id, title, body, reported_on, reported_by)
VALUES (sqlc.narg(edition_id), sqlc.narg(school_id), @title, @body, @reported_on, sqlc.narg(reported_by))
RETURNING id;

-- name: CycleCasePersonsAdd :exec
INSERT INTO typical_case_persons (case_id, person_id)
SELECT @case_id, unnest(@person_ids::bigint[]);

-- CycleCasePersonSchools returns, of the given persons, those that exist with their
-- responsible school (to check a school links only its own people).
-- name: CycleCasePersonSchools :many
SELECT id, school_id FROM persons WHERE id = ANY(@ids::bigint[]) ORDER BY id;

-- name: CycleCaseGet :one
SELECT c.*, o.code AS school_code, o.city_code AS school_city_code,
       coalesce((SELECT array_agg(cp.person_id ORDER BY cp.person_id)
                 FROM typical_case_persons cp WHERE cp.case_id = c.id), '{}')::bigint[] AS person_ids
FROM typical_cases c LEFT JOIN organizations o ON o.id = c.school_id
WHERE c.id = @id;

-- name: CycleCaseList :many
SELECT c.*, o.code AS school_code, o.city_code AS school_city_code,
       coalesce((SELECT array_agg(cp.person_id ORDER BY cp.person_id)
                 FROM typical_case_persons cp WHERE cp.case_id = c.id), '{}')::bigint[] AS person_ids
FROM typical_cases c LEFT JOIN organizations o ON o.id = c.school_id
WHERE c.id > @after_id
  AND (sqlc.narg(edition)::text IS NULL OR c.edition_id = sqlc.narg(edition))
  AND (sqlc.narg(school_id)::bigint IS NULL OR c.school_id = sqlc.narg(school_id))
  AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
  AND (sqlc.narg(person_id)::bigint IS NULL OR EXISTS (
        SELECT 1 FROM typical_case_persons cp WHERE cp.case_id = c.id AND cp.person_id = sqlc.narg(person_id)))
ORDER BY c.id
LIMIT @lim;

-- name: CycleSchoolCity :one
SELECT city_code FROM organizations WHERE id = @id;
