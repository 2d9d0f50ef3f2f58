-- name: OrganizationGet :one
SELECT * FROM organizations WHERE id = @id;

-- name: OrganizationLock :one
SELECT version FROM organizations WHERE id = @id FOR UPDATE;

-- name: OrganizationGetByCode :one
SELECT * FROM organizations WHERE code = @code;

-- OrganizationList pages by id. region is a province code (……0000: the whole province),
-- a city/prefecture code (……00: its city and every county in it) or a county code.
-- name: OrganizationList :many
SELECT * FROM organizations
WHERE id > @after_id
  AND (sqlc.narg(code)::text IS NULL OR code = sqlc.narg(code))
  AND (sqlc.narg(codes)::text[] IS NULL OR code = ANY (sqlc.narg(codes)::text[]))
  AND (sqlc.narg(kind)::text IS NULL OR kind = sqlc.narg(kind))
  AND (sqlc.narg(type)::text IS NULL OR type = sqlc.narg(type))
  AND (sqlc.narg(region)::text IS NULL
       OR (sqlc.narg(region) LIKE '%0000' AND left(region_code, 2) = left(sqlc.narg(region), 2))
       OR (sqlc.narg(region) NOT LIKE '%0000' AND sqlc.narg(region) LIKE '%00' AND city_code = sqlc.narg(region))
       OR region_code = sqlc.narg(region))
  AND (sqlc.narg(name_contains)::text IS NULL OR strpos(name, sqlc.narg(name_contains)) > 0)
ORDER BY id
LIMIT @lim;

-- name: OrganizationInsert :one
INSERT INTO organizations (code, name, kind, type, region_code, address, postal_code,
    head_name, head_title, head_office_phone, head_mobile, head_email, head_fax,
    lead_name, lead_title, lead_office_phone, lead_mobile, lead_email, lead_fax)
VALUES (@code, @name, @kind, sqlc.narg(type), @region_code, sqlc.narg(address), sqlc.narg(postal_code),
    sqlc.narg(head_name), sqlc.narg(head_title), sqlc.narg(head_office_phone), sqlc.narg(head_mobile),
    sqlc.narg(head_email), sqlc.narg(head_fax),
    sqlc.narg(lead_name), sqlc.narg(lead_title), sqlc.narg(lead_office_phone), sqlc.narg(lead_mobile),
    sqlc.narg(lead_email), sqlc.narg(lead_fax))
RETURNING *;

-- name: OrganizationUpdate :one
UPDATE organizations SET
    code = @code, name = @name, kind = @kind, type = sqlc.narg(type), region_code = @region_code,
    address = sqlc.narg(address), postal_code = sqlc.narg(postal_code),
    head_name = sqlc.narg(head_name), head_title = sqlc.narg(head_title),
    head_office_phone = sqlc.narg(head_office_phone), head_mobile = sqlc.narg(head_mobile),
    head_email = sqlc.narg(head_email), head_fax = sqlc.narg(head_fax),
    lead_name = sqlc.narg(lead_name), lead_title = sqlc.narg(lead_title),
    lead_office_phone = sqlc.narg(lead_office_phone), lead_mobile = sqlc.narg(lead_mobile),
    lead_email = sqlc.narg(lead_email), lead_fax = sqlc.narg(lead_fax)
WHERE id = @id
RETURNING *;

-- name: OrganizationDelete :execrows
DELETE FROM organizations WHERE id = @id;
