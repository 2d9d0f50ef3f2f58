-- name: DestinationInsert :one
INSERT INTO destinations (person_id, school_id, type, org_name, org_id, major, started_on, reported_by)
VALUES (@person_id, sqlc.narg(school_id), @type, sqlc.narg(org_name), sqlc.narg(org_id),
        sqlc.narg(major), @started_on, sqlc.narg(reported_by))
ON CONFLICT ON CONSTRAINT destinations_natural_key DO NOTHING
RETURNING id;

-- name: DestinationIDByKey :one
SELECT id FROM destinations
WHERE person_id = @person_id AND type = @type AND started_on = @started_on;

-- name: DestinationGet :one
SELECT d.*, o.code AS org_code, o.kind AS org_kind
FROM destinations d LEFT JOIN organizations o ON o.id = d.org_id
WHERE d.id = @id;

-- name: DestinationLock :one
SELECT version FROM destinations WHERE id = @id FOR UPDATE;

-- name: DestinationUpdate :exec
UPDATE destinations
SET type = @type, org_name = sqlc.narg(org_name), org_id = sqlc.narg(org_id), major = sqlc.narg(major),
    started_on = @started_on, reported_by = sqlc.narg(reported_by)
WHERE id = @id;

-- name: DestinationSetDeleted :exec
UPDATE destinations SET deleted_at = sqlc.narg(deleted_at) WHERE id = @id;

-- name: DestinationList :many
SELECT d.*, o.code AS org_code, o.kind AS org_kind
FROM destinations d LEFT JOIN organizations o ON o.id = d.org_id
WHERE d.person_id = @person_id AND (@include_deleted::boolean OR d.deleted_at IS NULL)
ORDER BY d.started_on, d.id;

-- name: OrganizationResolveCode :one
SELECT id, code, kind, name FROM organizations WHERE code = @code;

-- name: OrganizationResolveName :many
-- At most two organizations with exactly this name: one links, two is ambiguous.
SELECT id, code, kind, name FROM organizations WHERE name = @name ORDER BY id LIMIT 2;

-- name: PersonSchoolFromDestination :execrows
-- The school year a destination starts (from August on, the year itself; before, the year
-- before) continues at its school; never overwrites a row of another source.
INSERT INTO person_schools (person_id, school_year, school_id, source)
VALUES (@person_id, school_year_of(@started_on::date), @school_id, 'destination')
ON CONFLICT ON CONSTRAINT person_schools_person_year_key
DO UPDATE SET school_id = EXCLUDED.school_id
WHERE person_schools.source = 'destination' AND person_schools.school_id <> EXCLUDED.school_id;

-- name: PersonSchoolDropDestination :execrows
-- Removes the school-history row a destination made, unless another live destination of
-- the person makes the same row.
DELETE FROM person_schools ps
WHERE ps.person_id = @person_id AND ps.school_year = school_year_of(@started_on::date)
  AND ps.school_id = @school_id AND ps.source = 'destination'
  AND NOT EXISTS (
      SELECT 1 FROM destinations d
      WHERE d.person_id = ps.person_id AND d.id <> @destination_id AND d.deleted_at IS NULL
        AND d.org_id = ps.school_id AND school_year_of(d.started_on) = ps.school_year);
