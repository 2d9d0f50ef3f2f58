-- Self-report links and the answers they bring (docs/self-report.md).

-- name: SelfReportLinkInsert :one
INSERT INTO self_report_links AS l (person_id, school_id, token_hash, made_by, expires_at)
VALUES (@person_id, @school_id, @token_hash, @made_by, @expires_at)
RETURNING l.id, l.person_id, l.school_id, l.made_by, l.made_at, l.expires_at, l.revoked_at, l.revoked_by, l.used_at,
    (SELECT p.name FROM persons p WHERE p.id = l.person_id)::text AS name;

-- name: SelfReportLinkList :many
-- A school's links, newest first, with their persons' names (@person_id 0: every person).
SELECT l.id, l.person_id, l.school_id, l.made_by, l.made_at, l.expires_at, l.revoked_at, l.revoked_by, l.used_at,
       p.name
FROM self_report_links l JOIN persons p ON p.id = l.person_id
WHERE l.school_id = @school_id AND (@person_id::bigint = 0 OR l.person_id = @person_id)
ORDER BY l.made_at DESC, l.id DESC
LIMIT @lim;

-- name: SelfReportLinkRevoke :one
-- Revokes an open link; no row when it is not open (used, revoked already) or not visible.
UPDATE self_report_links l SET revoked_at = now(), revoked_by = @revoked_by
WHERE l.id = @id AND l.revoked_at IS NULL AND l.used_at IS NULL
RETURNING l.id, l.person_id, l.school_id, l.made_by, l.made_at, l.expires_at, l.revoked_at, l.revoked_by, l.used_at,
    (SELECT p.name FROM persons p WHERE p.id = l.person_id)::text AS name;

-- name: SelfReportOpen :one
SELECT link_id::bigint AS link_id, person_id::bigint AS person_id, name::text AS name,
       birth_date::date AS birth_date, school_name::text AS school_name
FROM self_report_open(@token_hash);

-- name: SelfReportAnswer :one
-- The answer's id, or 0 when the link is not open (any more).
SELECT coalesce(self_report_answer(@token_hash, @answered_on, @respondent, sqlc.narg(guardian_name)::text,
    sqlc.narg(dest_type)::text, sqlc.narg(dest_org_name)::text, sqlc.narg(dest_started_on)::date,
    @prizes::jsonb, @contact_again::boolean, sqlc.narg(note)::text, sqlc.narg(request_id)::text,
    sqlc.narg(ip)::inet), 0)::bigint AS id;

-- name: SelfReportList :many
-- A school's answers of one status (@school_id 0: every school the scope sees), oldest
-- first, with the person's name and masked identity number.
SELECT r.id, r.link_id, r.person_id, r.school_id, r.answered_on, r.answered_at, r.respondent, r.guardian_name,
       r.dest_type, r.dest_org_name, r.dest_started_on, r.prizes, r.contact_again, r.note, r.status,
       r.reviewed_by, r.reviewed_at, r.review_note, r.follow_up_id, r.destination_id, r.award_ids, r.version,
       p.name, p.id_masked, o.code AS school_code
FROM self_reports r JOIN persons p ON p.id = r.person_id JOIN organizations o ON o.id = r.school_id
WHERE (@school_id::bigint = 0 OR r.school_id = @school_id) AND r.status = @status
ORDER BY r.answered_at, r.id
LIMIT @lim;

-- name: SelfReportGetForUpdate :one
SELECT r.id, r.link_id, r.person_id, r.school_id, r.answered_on, r.answered_at, r.respondent, r.guardian_name,
       r.dest_type, r.dest_org_name, r.dest_started_on, r.prizes, r.contact_again, r.note, r.status,
       r.reviewed_by, r.reviewed_at, r.review_note, r.follow_up_id, r.destination_id, r.award_ids, r.version,
       p.name, p.id_masked, o.code AS school_code
FROM self_reports r JOIN persons p ON p.id = r.person_id JOIN organizations o ON o.id = r.school_id
WHERE r.id = @id
FOR UPDATE OF r;

-- name: SelfReportReview :one
-- The school's review of a pending answer: accepted (with the records it made) or rejected.
UPDATE self_reports SET status = @status, reviewed_by = @reviewed_by, reviewed_at = now(),
    review_note = sqlc.narg(review_note), follow_up_id = sqlc.narg(follow_up_id),
    destination_id = sqlc.narg(destination_id), award_ids = @award_ids, version = version + 1
WHERE id = @id AND status = 'pending'
RETURNING id;
