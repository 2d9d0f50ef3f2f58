-- Persons as the API shows them: never the ciphertexts, with the responsible school's code.

-- name: PersonGet :one
SELECT p.id, p.id_masked, p.name, p.gender, p.birth_date, p.phone_masked, p.guardian_name,
       p.guardian_phone_masked, p.school_id, o.code AS school_code, p.consent_state, p.merged_into,
       p.created_at, p.updated_at, p.version
FROM persons p LEFT JOIN organizations o ON o.id = p.school_id
WHERE p.id = @id;

-- name: PersonLock :one
SELECT version FROM persons WHERE id = @id FOR UPDATE;

-- PersonList pages by id. name is a prefix; edition keeps persons with a participation in it.
-- Persons waiting for or having withdrawn a guardian's consent are never listed. This is the
-- list of the province-wide scopes; PersonListScoped is the same list for a school, a city or
-- a mentor.
-- name: PersonList :many
SELECT p.id, p.id_masked, p.name, p.gender, p.birth_date, p.phone_masked, p.guardian_name,
       p.guardian_phone_masked, p.school_id, o.code AS school_code, p.consent_state, p.merged_into,
       p.created_at, p.updated_at, p.version
FROM persons p LEFT JOIN organizations o ON o.id = p.school_id
WHERE p.id > @after_id
  AND (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
  AND (sqlc.narg(name_prefix)::text IS NULL
       OR p.name LIKE replace(replace(replace(sqlc.narg(name_prefix), '\', '\\'), '%', '\%'), '_', '\_') || '%')
  AND (sqlc.narg(birth_date)::date IS NULL OR p.birth_date = sqlc.narg(birth_date))
  AND (sqlc.narg(edition)::text IS NULL OR EXISTS (
        SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.edition_id = sqlc.narg(edition)))
  AND person_listed(p.consent_state)
ORDER BY p.id
LIMIT @lim;

-- PersonListScoped is PersonList within a school, a city or a mentor (the first fence of
-- authorisation; row-level security is the second): the persons whose responsible school
-- is the school or in the city, or with a participation nominated by that school, in that
-- city or with that mentor. The scope's persons are found first through the school, city
-- and mentor indexes (the branches of the other scopes find nothing), so a small school's
-- page does not walk every person of the province.
-- name: PersonListScoped :many
WITH scoped AS (
    SELECT sp.id FROM persons sp WHERE sp.school_id = sqlc.narg(scope_school_id)::bigint
    UNION
    SELECT pa.person_id FROM participations pa WHERE pa.school_id = sqlc.narg(scope_school_id)::bigint
    UNION
    SELECT sp.id FROM persons sp JOIN organizations so ON so.id = sp.school_id
    WHERE so.city_code = sqlc.narg(scope_city_code)::text
    UNION
    SELECT pa.person_id FROM participations pa JOIN organizations so ON so.id = pa.school_id
    WHERE so.city_code = sqlc.narg(scope_city_code)::text
    UNION
    SELECT pa.person_id FROM participations pa WHERE pa.mentor_id = sqlc.narg(scope_mentor_id)::bigint
)
SELECT p.id, p.id_masked, p.name, p.gender, p.birth_date, p.phone_masked, p.guardian_name,
       p.guardian_phone_masked, p.school_id, o.code AS school_code, p.consent_state, p.merged_into,
       p.created_at, p.updated_at, p.version
FROM scoped JOIN persons p ON p.id = scoped.id
LEFT JOIN organizations o ON o.id = p.school_id
WHERE p.id > @after_id
  AND (sqlc.narg(school_code)::text IS NULL OR o.code = sqlc.narg(school_code))
  AND (sqlc.narg(name_prefix)::text IS NULL
       OR p.name LIKE replace(replace(replace(sqlc.narg(name_prefix), '\', '\\'), '%', '\%'), '_', '\_') || '%')
  AND (sqlc.narg(birth_date)::date IS NULL OR p.birth_date = sqlc.narg(birth_date))
  AND (sqlc.narg(edition)::text IS NULL OR EXISTS (
        SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.edition_id = sqlc.narg(edition)))
  AND person_listed(p.consent_state)
ORDER BY p.id
LIMIT @lim;

-- name: PersonInsert :one
INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date, phone_cipher,
    phone_masked, guardian_name, guardian_phone_cipher, guardian_phone_masked, school_id, consent_state)
VALUES (@id_hash, @id_cipher, @id_masked, @name, @gender, @birth_date, sqlc.narg(phone_cipher),
    sqlc.narg(phone_masked), sqlc.narg(guardian_name), sqlc.narg(guardian_phone_cipher),
    sqlc.narg(guardian_phone_masked), sqlc.narg(school_id), coalesce(sqlc.narg(consent_state), 'not_required'))
RETURNING id;

-- PersonUpdate rewrites the person's fields; the protected identifiers change only when
-- the caller sends new ones (set_id, set_phone, set_guardian_phone).
-- name: PersonUpdate :exec
UPDATE persons SET
    name = @name, gender = @gender, birth_date = @birth_date, guardian_name = sqlc.narg(guardian_name),
    school_id = sqlc.narg(school_id),
    id_hash = CASE WHEN @set_id::bool THEN @id_hash::bytea ELSE id_hash END,
    id_cipher = CASE WHEN @set_id::bool THEN @id_cipher::bytea ELSE id_cipher END,
    id_masked = CASE WHEN @set_id::bool THEN @id_masked::text ELSE id_masked END,
    phone_cipher = CASE WHEN @set_phone::bool THEN sqlc.narg(phone_cipher)::bytea ELSE phone_cipher END,
    phone_masked = CASE WHEN @set_phone::bool THEN sqlc.narg(phone_masked)::text ELSE phone_masked END,
    guardian_phone_cipher = CASE WHEN @set_guardian_phone::bool THEN sqlc.narg(guardian_phone_cipher)::bytea
                                 ELSE guardian_phone_cipher END,
    guardian_phone_masked = CASE WHEN @set_guardian_phone::bool THEN sqlc.narg(guardian_phone_masked)::text
                                 ELSE guardian_phone_masked END
WHERE id = @id;

-- name: PersonDelete :execrows
DELETE FROM persons WHERE id = @id;

-- PersonSchoolFollow points a person's responsible school at the school that nominated
-- them for their latest edition (by start date), leaving the row alone when it already does.
-- name: PersonSchoolFollow :exec
UPDATE persons p SET school_id = latest.school_id
FROM (SELECT pa.school_id FROM participations pa JOIN editions e ON e.id = pa.edition_id
      WHERE pa.person_id = @person_id
      ORDER BY e.starts_on DESC, pa.id DESC LIMIT 1) latest
WHERE p.id = @person_id AND p.school_id IS DISTINCT FROM latest.school_id;
