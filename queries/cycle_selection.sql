-- Selection (选拔): nominee steps, public notices (公示) and objections (异议). See docs/cycle.md.

-- CycleParticipationStep moves a participation to status, stamping the step's time the first
-- time it is entered, and (when given) assigns the mentor and institution.
-- name: CycleParticipationStep :exec
UPDATE participations SET
    status = @status::text,
    mentor_id = coalesce(sqlc.narg(mentor_id), mentor_id),
    institution_id = coalesce(sqlc.narg(institution_id), institution_id),
    registered_at = CASE WHEN @status = 'registered' THEN coalesce(registered_at, @at::timestamptz) ELSE registered_at END,
    reviewed_at = CASE WHEN @status = 'reviewed' THEN coalesce(reviewed_at, @at::timestamptz) ELSE reviewed_at END,
    publicized_at = CASE WHEN @status = 'publicized' THEN coalesce(publicized_at, @at::timestamptz) ELSE publicized_at END,
    recommended_at = CASE WHEN @status = 'recommended' THEN coalesce(recommended_at, @at::timestamptz) ELSE recommended_at END,
    admitted_at = CASE WHEN @status = 'admitted' THEN coalesce(admitted_at, @at::timestamptz) ELSE admitted_at END,
    completed_at = CASE WHEN @status = 'completed' THEN coalesce(completed_at, @at::timestamptz) ELSE completed_at END,
    withdrawn_at = CASE WHEN @status = 'withdrawn' THEN coalesce(withdrawn_at, @at::timestamptz) ELSE withdrawn_at END,
    rejected_at = CASE WHEN @status = 'rejected' THEN coalesce(rejected_at, @at::timestamptz) ELSE rejected_at END
WHERE id = @id;

-- CycleParticipationRegisteredAt sets the registration time of a new nomination from the
-- service's clock (the insert stamped the database's).
-- name: CycleParticipationRegisteredAt :exec
UPDATE participations SET registered_at = @at WHERE id = @id;

-- name: CycleMentorGet :one
SELECT m.id, m.name, m.institution_id, i.code AS institution_code
FROM mentors m LEFT JOIN organizations i ON i.id = m.institution_id
WHERE m.id = @id;

-- name: CycleNoticeInsert :one
INSERT INTO public_notices (edition_id, school_id, starts_on, ends_on, created_by)
VALUES (@edition_id, @school_id, @starts_on, @ends_on, sqlc.narg(created_by))
RETURNING id;

-- name: CycleNoticeGet :one
SELECT n.*, o.code AS school_code, o.city_code AS school_city_code,
       (SELECT count(*) FROM public_notice_nominees nn WHERE nn.notice_id = n.id)::int AS nominees
FROM public_notices n JOIN organizations o ON o.id = n.school_id
WHERE n.id = @id;

-- name: CycleNoticeList :many
SELECT n.*, o.code AS school_code, o.city_code AS school_city_code,
       (SELECT count(*) FROM public_notice_nominees nn WHERE nn.notice_id = n.id)::int AS nominees
FROM public_notices n JOIN organizations o ON o.id = n.school_id
WHERE n.id > @after_id
  AND (sqlc.narg(edition)::text IS NULL OR n.edition_id = sqlc.narg(edition))
  AND (sqlc.narg(school_id)::bigint IS NULL OR n.school_id = sqlc.narg(school_id))
  AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
ORDER BY n.id
LIMIT @lim;

-- CycleNoticeOpen is the notice of a school and edition open on a day (the one ending last
-- when several are).
-- name: CycleNoticeOpen :one
SELECT id FROM public_notices
WHERE school_id = @school_id AND edition_id = @edition_id AND @day::date BETWEEN starts_on AND ends_on
ORDER BY ends_on DESC, id DESC
LIMIT 1;

-- CycleNoticeOfNominee is the notice a nominee was publicized under.
-- name: CycleNoticeOfNominee :one
SELECT n.id, n.starts_on, n.ends_on
FROM public_notice_nominees nn JOIN public_notices n ON n.id = nn.notice_id
WHERE nn.participation_id = @participation_id;

-- CycleNoticeLatestEnd is the end of the last notice of a school and edition that started on
-- or before a day: the notice a nominee publicized without a recorded link (an import, the
-- office's record) counts as being on.
-- name: CycleNoticeLatestEnd :one
SELECT id, starts_on, ends_on FROM public_notices
WHERE school_id = @school_id AND edition_id = @edition_id AND starts_on <= @day::date
ORDER BY ends_on DESC, id DESC
LIMIT 1;

-- name: CycleNoticeLink :exec
INSERT INTO public_notice_nominees (participation_id, notice_id, school_id)
VALUES (@participation_id, @notice_id, @school_id);

-- name: CycleObjectionCounts :one
SELECT count(*) FILTER (WHERE resolved_at IS NULL)::int AS open,
       count(*) FILTER (WHERE outcome = 'upheld')::int AS upheld
FROM objections WHERE participation_id = @participation_id;

-- name: CycleObjectionInsert :one
INSERT INTO objections (participation_id, school_id, lodged_on, content, lodged_by)
VALUES (@participation_id, @school_id, @lodged_on, @content, sqlc.narg(lodged_by))
RETURNING id;

-- name: CycleObjectionGet :one
SELECT ob.*, pa.person_id, pa.edition_id, pa.mentor_id, o.code AS school_code, o.city_code AS school_city_code
FROM objections ob
JOIN participations pa ON pa.id = ob.participation_id
JOIN organizations o ON o.id = ob.school_id
WHERE ob.id = @id;

-- name: CycleObjectionList :many
SELECT ob.*, pa.person_id, pa.edition_id, pa.mentor_id, o.code AS school_code, o.city_code AS school_city_code
FROM objections ob
JOIN participations pa ON pa.id = ob.participation_id
JOIN organizations o ON o.id = ob.school_id
WHERE ob.id > @after_id
  AND (sqlc.narg(edition)::text IS NULL OR pa.edition_id = sqlc.narg(edition))
  AND (sqlc.narg(participation_id)::bigint IS NULL OR ob.participation_id = sqlc.narg(participation_id))
  AND (sqlc.narg(open)::boolean IS NULL OR (ob.resolved_at IS NULL) = sqlc.narg(open))
  AND (sqlc.narg(school_id)::bigint IS NULL OR ob.school_id = sqlc.narg(school_id))
  AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
ORDER BY ob.id
LIMIT @lim;

-- name: CycleObjectionLock :one
SELECT version FROM objections WHERE id = @id FOR UPDATE;

-- name: CycleObjectionResolve :exec
UPDATE objections SET outcome = @outcome, resolution = @resolution, resolved_at = @at, resolved_by = @resolved_by
WHERE id = @id;
