-- name: AuditInsert :exec
INSERT INTO audit_log (actor, actor_role, action, entity, entity_id, person_id, school_id,
                       before, after, fields, row_count, request_id, ip)
VALUES (@actor, sqlc.narg(actor_role), @action, @entity, sqlc.narg(entity_id), sqlc.narg(person_id),
        sqlc.narg(school_id), sqlc.narg(before), sqlc.narg(after), sqlc.narg(fields),
        sqlc.narg(row_count), sqlc.narg(request_id), sqlc.narg(ip));
