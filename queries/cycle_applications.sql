-- Applications (申报书) of the yearly cycle and their schedule table. See docs/cycle.md.

-- name: CycleApplicationGet :one
SELECT a.*, o.code AS school_code, o.city_code AS school_city_code, e.program,
       e.starts_on AS edition_starts_on, e.ends_on AS edition_ends_on
FROM applications a
JOIN organizations o ON o.id = a.school_id
JOIN editions e ON e.id = a.edition_id
WHERE a.id = @id;

-- name: CycleApplicationLock :one
SELECT version FROM applications WHERE id = @id FOR UPDATE;

-- CycleApplicationList pages by id; school_id and city_code narrow it to a caller's scope.
-- name: CycleApplicationList :many
SELECT a.*, o.code AS school_code, o.city_code AS school_city_code, e.program,
       e.starts_on AS edition_starts_on, e.ends_on AS edition_ends_on
FROM applications a
JOIN organizations o ON o.id = a.school_id
JOIN editions e ON e.id = a.edition_id
WHERE a.id > @after_id
  AND (sqlc.narg(edition)::text IS NULL OR a.edition_id = sqlc.narg(edition))
  AND (sqlc.narg(status)::text IS NULL OR a.status = sqlc.narg(status))
  AND (sqlc.narg(school_id)::bigint IS NULL OR a.school_id = sqlc.narg(school_id))
  AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code))
ORDER BY a.id
LIMIT @lim;

-- CycleApplicationCount is how many applications CycleApplicationList's filters match
-- (the cursor aside): the review list's total.
-- name: CycleApplicationCount :one
SELECT count(*)::int
FROM applications a
JOIN organizations o ON o.id = a.school_id
WHERE (sqlc.narg(edition)::text IS NULL OR a.edition_id = sqlc.narg(edition))
  AND (sqlc.narg(status)::text IS NULL OR a.status = sqlc.narg(status))
  AND (sqlc.narg(school_id)::bigint IS NULL OR a.school_id = sqlc.narg(school_id))
  AND (sqlc.narg(city_code)::text IS NULL OR o.city_code = sqlc.narg(city_code));

-- name: CycleApplicationPhases :many
SELECT application_id, phase, content, starts_on, ends_on
FROM application_phases
WHERE application_id = ANY(@ids::bigint[])
ORDER BY application_id, array_position(ARRAY['selection', 'daily_management', 'summary_evaluation'], phase);

-- name: CycleApplicationInsert :one
INSERT INTO applications (edition_id, school_id, unit_name, unit_type, address, postal_code,
    head_name, head_title, head_office_phone, head_mobile, head_email, head_fax,
    lead_name, lead_title, lead_office_phone, lead_mobile, lead_email, lead_fax,
    cond_organization, cond_staff, cond_environment, cond_track_record, cond_rules, cond_funding,
    applied_on)
VALUES (@edition_id, @school_id, @unit_name, sqlc.narg(unit_type), sqlc.narg(address), sqlc.narg(postal_code),
    sqlc.narg(head_name), sqlc.narg(head_title), sqlc.narg(head_office_phone), sqlc.narg(head_mobile),
    sqlc.narg(head_email), sqlc.narg(head_fax),
    sqlc.narg(lead_name), sqlc.narg(lead_title), sqlc.narg(lead_office_phone), sqlc.narg(lead_mobile),
    sqlc.narg(lead_email), sqlc.narg(lead_fax),
    sqlc.narg(cond_organization), sqlc.narg(cond_staff), sqlc.narg(cond_environment),
    sqlc.narg(cond_track_record), sqlc.narg(cond_rules), sqlc.narg(cond_funding),
    sqlc.narg(applied_on))
RETURNING id;

-- CycleApplicationUpdate writes the whole row: the form fields and the review state.
-- name: CycleApplicationUpdate :exec
UPDATE applications SET
    status = @status, unit_name = @unit_name, unit_type = sqlc.narg(unit_type),
    address = sqlc.narg(address), postal_code = sqlc.narg(postal_code),
    head_name = sqlc.narg(head_name), head_title = sqlc.narg(head_title),
    head_office_phone = sqlc.narg(head_office_phone), head_mobile = sqlc.narg(head_mobile),
    head_email = sqlc.narg(head_email), head_fax = sqlc.narg(head_fax),
    lead_name = sqlc.narg(lead_name), lead_title = sqlc.narg(lead_title),
    lead_office_phone = sqlc.narg(lead_office_phone), lead_mobile = sqlc.narg(lead_mobile),
    lead_email = sqlc.narg(lead_email), lead_fax = sqlc.narg(lead_fax),
    cond_organization = sqlc.narg(cond_organization), cond_staff = sqlc.narg(cond_staff),
    cond_environment = sqlc.narg(cond_environment), cond_track_record = sqlc.narg(cond_track_record),
    cond_rules = sqlc.narg(cond_rules), cond_funding = sqlc.narg(cond_funding),
    applied_on = sqlc.narg(applied_on), submitted_at = sqlc.narg(submitted_at),
    reviewed_at = sqlc.narg(reviewed_at), reviewed_by = sqlc.narg(reviewed_by),
    review_comment = sqlc.narg(review_comment)
WHERE id = @id;

-- name: CycleApplicationPhasesDelete :exec
DELETE FROM application_phases WHERE application_id = @application_id;

-- name: CycleApplicationPhaseInsert :exec
INSERT INTO application_phases (application_id, school_id, phase, content, starts_on, ends_on)
VALUES (@application_id, @school_id, @phase, @content, @starts_on, @ends_on);

-- CycleApplicationOf is the application of a school for an edition, with the start of its
-- summary-evaluation phase: what nominating, posting a notice and evaluating depend on.
-- name: CycleApplicationOf :one
SELECT a.id, a.status, ap.starts_on AS summary_starts_on
FROM applications a
LEFT JOIN application_phases ap ON ap.application_id = a.id AND ap.phase = 'summary_evaluation'
WHERE a.edition_id = @edition_id AND a.school_id = @school_id;
