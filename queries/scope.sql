-- The first fence of authorisation: explicit scope predicates the HTTP layer checks before a
-- handler runs, written without relying on row-level security (the second fence). A scope
-- is (kind, school_id, city_code, mentor_id) as in internal/store/scope.go.

-- name: ScopePersonCheck :one
-- Whether a person is within a scope (through the responsible school or any participation
-- at the school, in the city, or with the mentor), and the person's consent state.
SELECT p.consent_state,
       ((@kind::text IN ('office', 'analyst')
        OR (@kind::text = 'school' AND (p.school_id = sqlc.narg(school_id)::bigint OR EXISTS (
                SELECT 1 FROM participations pa
                WHERE pa.person_id = p.id AND pa.school_id = sqlc.narg(school_id)::bigint)))
        OR (@kind::text = 'city' AND (EXISTS (
                SELECT 1 FROM organizations o WHERE o.id = p.school_id AND o.city_code = sqlc.narg(city_code)::text)
             OR EXISTS (
                SELECT 1 FROM participations pa JOIN organizations o ON o.id = pa.school_id
                WHERE pa.person_id = p.id AND o.city_code = sqlc.narg(city_code)::text)))
        OR (@kind::text = 'mentor' AND EXISTS (
                SELECT 1 FROM participations pa
                WHERE pa.person_id = p.id AND pa.mentor_id = sqlc.narg(mentor_id)::bigint)))
       -- a guardian's withdrawal withholds the person from schools, cities and mentors
       AND (@kind::text IN ('office', 'analyst') OR p.consent_state <> 'withdrawn'))::boolean AS in_scope
FROM persons p
WHERE p.id = @person_id;

-- name: ScopeParticipationCheck :one
-- Whether a participation is within a scope (its nominating school, that school's city, its
-- mentor), with its person and the person's consent state.
SELECT pa.person_id, p.consent_state,
       ((@kind::text IN ('office', 'analyst')
        OR (@kind::text = 'school' AND pa.school_id = sqlc.narg(school_id)::bigint)
        OR (@kind::text = 'city' AND o.city_code = sqlc.narg(city_code)::text)
        OR (@kind::text = 'mentor' AND pa.mentor_id = sqlc.narg(mentor_id)::bigint))
       AND (@kind::text IN ('office', 'analyst') OR p.consent_state <> 'withdrawn'))::boolean AS in_scope
FROM participations pa
JOIN organizations o ON o.id = pa.school_id
JOIN persons p ON p.id = pa.person_id
WHERE pa.id = @id;

-- name: ScopeRecordPerson :one
-- The person a tracking record (award, destination, career move, follow-up) belongs to.
SELECT x.person_id::bigint AS person_id FROM (
    SELECT a.person_id FROM awards a WHERE @entity::text = 'award' AND a.id = @id
    UNION ALL
    SELECT d.person_id FROM destinations d WHERE @entity::text = 'destination' AND d.id = @id
    UNION ALL
    SELECT c.person_id FROM career_moves c WHERE @entity::text = 'career_move' AND c.id = @id
    UNION ALL
    SELECT f.person_id FROM follow_ups f WHERE @entity::text = 'follow_up' AND f.id = @id
) x
LIMIT 1;

-- name: PersonSecrets :one
-- The sealed identifiers of a person, for an audited reveal.
SELECT id, id_cipher, phone_cipher, guardian_phone_cipher FROM persons WHERE id = @id;
