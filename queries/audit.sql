-- name: AuditInsert :exec
INSERT INTO audit_log (actor, actor_role, action, entity, entity_id, person_id, school_id,
                       before, after, fields, row_count, request_id, ip)
VALUES (@actor, sqlc.narg(actor_role), @action, @entity, sqlc.narg(entity_id), sqlc.narg(person_id),
        sqlc.narg(school_id), sqlc.narg(before), sqlc.narg(after), sqlc.narg(fields),
        sqlc.narg(row_count), sqlc.narg(request_id), sqlc.narg(ip));

-- name: AuditInsertGroup :exec
-- The read-audit rows of several requests in one statement (store/audit_group.go): one
-- element per row in each array (unnest side by side zips them); '' (text), 0 (ids), -1
-- (row_count) and JSON null (fields) stand for NULL, which the generated code's arrays
-- cannot carry.
INSERT INTO audit_log (actor, actor_role, action, entity, entity_id, person_id, school_id,
                       fields, row_count, request_id, ip)
SELECT u.actor, nullif(u.actor_role, ''), u.action, u.entity, nullif(u.entity_id, ''),
       nullif(u.person_id, 0), nullif(u.school_id, 0),
       CASE WHEN jsonb_typeof(u.fields) = 'array'
            THEN ARRAY(SELECT jsonb_array_elements_text(u.fields)) END,
       nullif(u.row_count, -1), nullif(u.request_id, ''), nullif(u.ip, '')::inet
FROM (SELECT unnest(@actors::text[]) AS actor, unnest(@actor_roles::text[]) AS actor_role,
             unnest(@actions::text[]) AS action, unnest(@entities::text[]) AS entity,
             unnest(@entity_ids::text[]) AS entity_id, unnest(@person_ids::bigint[]) AS person_id,
             unnest(@school_ids::bigint[]) AS school_id, unnest(@fields::jsonb[]) AS fields,
             unnest(@row_counts::int[]) AS row_count, unnest(@request_ids::text[]) AS request_id,
             unnest(@ips::text[]) AS ip) u;
