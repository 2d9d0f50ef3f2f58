-- Participations as the API shows them, with the codes of the organizations they name.

-- name: ParticipationGet :one
SELECT pa.*, s.code AS school_code, i.code AS institution_code, m.name AS mentor_name
FROM participations pa
JOIN organizations s ON s.id = pa.school_id
LEFT JOIN organizations i ON i.id = pa.institution_id
LEFT JOIN mentors m ON m.id = pa.mentor_id
WHERE pa.id = @id;

-- name: ParticipationLock :one
SELECT version FROM participations WHERE id = @id FOR UPDATE;

-- name: ParticipationList :many
SELECT pa.*, s.code AS school_code, i.code AS institution_code, m.name AS mentor_name
FROM participations pa
JOIN organizations s ON s.id = pa.school_id
LEFT JOIN organizations i ON i.id = pa.institution_id
LEFT JOIN mentors m ON m.id = pa.mentor_id
WHERE pa.id > @after_id
  AND (sqlc.narg(edition)::text IS NULL OR pa.edition_id = sqlc.narg(edition))
  AND (sqlc.narg(school_code)::text IS NULL OR s.code = sqlc.narg(school_code))
  AND (sqlc.narg(status)::text IS NULL OR pa.status = sqlc.narg(status))
  AND (sqlc.narg(category)::text IS NULL OR pa.category_code = sqlc.narg(category))
  AND (sqlc.narg(program)::text IS NULL OR pa.program = sqlc.narg(program))
  AND (sqlc.narg(person_id)::bigint IS NULL OR pa.person_id = sqlc.narg(person_id))
  -- the caller's scope (the first fence; row-level security is the second), and never a
  -- person waiting for or having withdrawn a guardian's consent
  AND (sqlc.narg(scope_school_id)::bigint IS NULL OR pa.school_id = sqlc.narg(scope_school_id))
  AND (sqlc.narg(scope_city_code)::text IS NULL OR s.city_code = sqlc.narg(scope_city_code))
  AND (sqlc.narg(scope_mentor_id)::bigint IS NULL OR pa.mentor_id = sqlc.narg(scope_mentor_id))
  AND EXISTS (SELECT 1 FROM persons cp WHERE cp.id = pa.person_id AND person_listed(cp.consent_state))
ORDER BY pa.id
LIMIT @lim;

-- ParticipationInsert stamps the time of the status it starts in.
-- name: ParticipationInsert :one
INSERT INTO participations (person_id, edition_id, program, school_id, category_code, grade,
    teacher_role, status, mentor_id, institution_id, evaluation, evaluation_comment, evaluated_at,
    registered_at, reviewed_at, publicized_at, recommended_at, admitted_at, completed_at,
    withdrawn_at, rejected_at)
VALUES (@person_id, @edition_id, @program, @school_id, @category_code, sqlc.narg(grade),
    sqlc.narg(teacher_role), @status::text, sqlc.narg(mentor_id), sqlc.narg(institution_id),
    sqlc.narg(evaluation)::text, sqlc.narg(evaluation_comment),
    CASE WHEN sqlc.narg(evaluation)::text IS NOT NULL THEN now() END,
    CASE WHEN @status = 'registered' THEN now() END,
    CASE WHEN @status = 'reviewed' THEN now() END,
    CASE WHEN @status = 'publicized' THEN now() END,
    CASE WHEN @status = 'recommended' THEN now() END,
    CASE WHEN @status = 'admitted' THEN now() END,
    CASE WHEN @status = 'completed' THEN now() END,
    CASE WHEN @status = 'withdrawn' THEN now() END,
    CASE WHEN @status = 'rejected' THEN now() END)
RETURNING id;

-- ParticipationUpdate rewrites the editable fields; entering a status stamps its time
-- (the first time only), and a changed evaluation stamps evaluated_at.
-- name: ParticipationUpdate :exec
UPDATE participations SET
    school_id = @school_id, category_code = @category_code, grade = sqlc.narg(grade),
    teacher_role = sqlc.narg(teacher_role), status = @status::text, mentor_id = sqlc.narg(mentor_id),
    institution_id = sqlc.narg(institution_id), evaluation = sqlc.narg(evaluation)::text,
    evaluation_comment = sqlc.narg(evaluation_comment),
    evaluated_at = CASE WHEN evaluation IS DISTINCT FROM sqlc.narg(evaluation)::text
                        THEN CASE WHEN sqlc.narg(evaluation)::text IS NOT NULL THEN now() END
                        ELSE evaluated_at END,
    registered_at = CASE WHEN @status = 'registered' THEN coalesce(registered_at, now()) ELSE registered_at END,
    reviewed_at = CASE WHEN @status = 'reviewed' THEN coalesce(reviewed_at, now()) ELSE reviewed_at END,
    publicized_at = CASE WHEN @status = 'publicized' THEN coalesce(publicized_at, now()) ELSE publicized_at END,
    recommended_at = CASE WHEN @status = 'recommended' THEN coalesce(recommended_at, now()) ELSE recommended_at END,
    admitted_at = CASE WHEN @status = 'admitted' THEN coalesce(admitted_at, now()) ELSE admitted_at END,
    completed_at = CASE WHEN @status = 'completed' THEN coalesce(completed_at, now()) ELSE completed_at END,
    withdrawn_at = CASE WHEN @status = 'withdrawn' THEN coalesce(withdrawn_at, now()) ELSE withdrawn_at END,
    rejected_at = CASE WHEN @status = 'rejected' THEN coalesce(rejected_at, now()) ELSE rejected_at END
WHERE id = @id;

-- name: ParticipationDelete :execrows
DELETE FROM participations WHERE id = @id;
