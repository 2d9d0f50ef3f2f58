-- Daily management (日常管理): growth logs, mentor tasks, training sessions and attendance,
-- and who is behind. See docs/cycle.md.

-- name: CycleGrowthLogInsert :one
INSERT INTO growth_logs (participation_id, school_id, entry_on, content)
VALUES (@participation_id, @school_id, @entry_on, @content)
RETURNING id;

-- name: CycleGrowthLogGet :one
SELECT g.id, g.participation_id, g.school_id, g.entry_on, g.content, g.mentor_feedback, g.feedback_at, g.feedback_by,
       g.created_at, g.updated_at, g.version, pa.person_id, pa.edition_id, pa.mentor_id
FROM growth_logs g JOIN participations pa ON pa.id = g.participation_id
WHERE g.id = @id;

-- name: CycleGrowthLogLock :one
SELECT version FROM growth_logs WHERE id = @id FOR UPDATE;

-- name: CycleGrowthLogList :many
SELECT g.id, g.participation_id, g.school_id, g.entry_on, g.content, g.mentor_feedback, g.feedback_at, g.feedback_by,
       g.created_at, g.updated_at, g.version, pa.person_id, pa.edition_id, pa.mentor_id
FROM growth_logs g JOIN participations pa ON pa.id = g.participation_id
WHERE g.participation_id = @participation_id
ORDER BY g.entry_on, g.id;

-- name: CycleGrowthLogUpdate :exec
UPDATE growth_logs SET entry_on = @entry_on, content = @content,
    mentor_feedback = sqlc.narg(mentor_feedback), feedback_at = sqlc.narg(feedback_at),
    feedback_by = sqlc.narg(feedback_by)
WHERE id = @id;

-- name: CycleTaskInsert :one
INSERT INTO tasks (participation_id, school_id, mentor_id, title, due_on, created_by)
VALUES (@participation_id, @school_id, sqlc.narg(mentor_id), @title, @due_on, sqlc.narg(created_by))
RETURNING id;

-- name: CycleTaskGet :one
SELECT t.id, t.participation_id, t.school_id, t.mentor_id, t.title, t.due_on, t.completed_on, t.created_by,
       t.created_at, t.updated_at, t.version, pa.person_id, pa.edition_id, pa.mentor_id AS participation_mentor_id
FROM tasks t JOIN participations pa ON pa.id = t.participation_id
WHERE t.id = @id;

-- name: CycleTaskLock :one
SELECT version FROM tasks WHERE id = @id FOR UPDATE;

-- name: CycleTaskList :many
SELECT t.id, t.participation_id, t.school_id, t.mentor_id, t.title, t.due_on, t.completed_on, t.created_by,
       t.created_at, t.updated_at, t.version, pa.person_id, pa.edition_id, pa.mentor_id AS participation_mentor_id
FROM tasks t JOIN participations pa ON pa.id = t.participation_id
WHERE t.participation_id = @participation_id
ORDER BY t.due_on, t.id;

-- name: CycleTaskUpdate :exec
UPDATE tasks SET title = @title, due_on = @due_on, completed_on = sqlc.narg(completed_on)
WHERE id = @id;

-- name: CycleTrainingInsert :one
INSERT INTO training_sessions (edition_id, school_id, kind, held_on, topic)
VALUES (@edition_id, @school_id, @kind, @held_on, @topic)
RETURNING id;

-- name: CycleTrainingGet :one
SELECT ts.*, o.code AS school_code, o.city_code AS school_city_code,
       coalesce((SELECT array_agg(ta.participation_id ORDER BY ta.participation_id)
                 FROM training_attendance ta WHERE ta.session_id = ts.id), '{}')::bigint[] AS attendees
FROM training_sessions ts JOIN organizations o ON o.id = ts.school_id
WHERE ts.id = @id;

-- name: CycleTrainingLock :one
SELECT id FROM training_sessions WHERE id = @id FOR UPDATE;

-- name: CycleTrainingList :many
SELECT ts.*, o.code AS school_code, o.city_code AS school_city_code,
       coalesce((SELECT array_agg(ta.participation_id ORDER BY ta.participation_id)
                 FROM training_attendance ta WHERE ta.session_id = ts.id), '{}')::bigint[] AS attendees
FROM training_sessions ts JOIN organizations o ON o.id = ts.school_id
WHERE ts.id > @after_id
  AND (sqlc.narg(edition)::text IS NULL OR ts.edition_id = sqlc.narg(edition))
  AND (sqlc.narg(school_id)::bigint IS NULL OR ts.school_id = sqlc.narg(school_id))
  AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
ORDER BY ts.id
LIMIT @lim;

-- CycleTrainingAttendees returns, of the given participations, those that may attend a
-- session: admitted participants of its school and edition.
-- name: CycleTrainingAttendees :many
SELECT pa.id FROM participations pa
JOIN training_sessions ts ON ts.edition_id = pa.edition_id AND ts.school_id = pa.school_id
WHERE ts.id = @session_id AND pa.id = ANY(@ids::bigint[]) AND pa.status IN ('admitted', 'completed')
ORDER BY pa.id;

-- name: CycleTrainingAttendanceClear :exec
DELETE FROM training_attendance WHERE session_id = @session_id;

-- name: CycleTrainingAttendanceAdd :exec
INSERT INTO training_attendance (session_id, participation_id, school_id)
SELECT @session_id, pa.id, pa.school_id FROM participations pa WHERE pa.id = ANY(@ids::bigint[]);

-- CycleBehind lists, in one statement, the admitted participants of an edition who are
-- behind on as_of: a growth-log grade (jingke 4-8) without an entry in the 30 days up to
-- as_of (log_since = as_of - 29 … as_of), or a task due before as_of and not completed. Scoped by
-- school, city or mentor.
-- name: CycleBehind :many
WITH facts AS (
    SELECT pa.id AS participation_id, pa.person_id, pa.grade, pa.school_id, pa.mentor_id,
           (pa.program = 'jingke' AND pa.grade IN ('4', '5', '6', '7', '8') AND NOT EXISTS (
                SELECT 1 FROM growth_logs gl WHERE gl.participation_id = pa.id
                  AND gl.entry_on BETWEEN @log_since::date AND @as_of::date)) AS log_behind,
           (SELECT max(gl.entry_on) FROM growth_logs gl
            WHERE gl.participation_id = pa.id AND gl.entry_on <= @as_of::date) AS last_log_on,
           (SELECT count(*) FROM tasks tk
            WHERE tk.participation_id = pa.id AND tk.completed_on IS NULL AND tk.due_on < @as_of::date) AS overdue_tasks,
           (SELECT min(tk.due_on) FROM tasks tk
            WHERE tk.participation_id = pa.id AND tk.completed_on IS NULL AND tk.due_on < @as_of::date) AS oldest_due_on
    FROM participations pa
    JOIN organizations o ON o.id = pa.school_id
    WHERE pa.edition_id = @edition::text AND pa.status = 'admitted'
      AND (sqlc.narg(school_id)::bigint IS NULL OR pa.school_id = sqlc.narg(school_id))
      AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
      AND (sqlc.narg(mentor_id)::bigint IS NULL OR pa.mentor_id = sqlc.narg(mentor_id))
)
SELECT f.participation_id, f.person_id, p.name AS person_name, f.grade,
       f.school_id, o.code AS school_code, o.name AS school_name, f.mentor_id, m.name AS mentor_name,
       f.last_log_on, f.oldest_due_on,
       f.overdue_tasks::int AS overdue_tasks,
       f.log_behind::boolean AS log_behind
FROM facts f
JOIN persons p ON p.id = f.person_id AND person_listed(p.consent_state)
JOIN organizations o ON o.id = f.school_id
LEFT JOIN mentors m ON m.id = f.mentor_id
WHERE f.log_behind OR f.overdue_tasks > 0
ORDER BY o.code, m.name NULLS LAST, p.name, f.participation_id;
