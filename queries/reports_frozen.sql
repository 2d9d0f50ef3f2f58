-- Reports as published (frozen_reports): the body is stored once and never updated, so
-- later corrections to the data do not change it.

-- name: FrozenReportInsert :one
INSERT INTO frozen_reports (kind, params, as_of, body, frozen_by)
VALUES (@kind, @params, @as_of, @body, @frozen_by)
RETURNING id, frozen_at;

-- name: FrozenReportGet :one
SELECT id, kind, params, as_of, body, frozen_by, frozen_at
FROM frozen_reports
WHERE id = @id;

-- name: FrozenReportList :many
-- Frozen reports without their bodies, oldest first, keyset-paginated by id; kind
-- filters when given.
SELECT id, kind, params, as_of, frozen_by, frozen_at
FROM frozen_reports
WHERE id > @after_id AND (sqlc.narg(kind)::text IS NULL OR kind = sqlc.narg(kind))
ORDER BY id
LIMIT @lim;
