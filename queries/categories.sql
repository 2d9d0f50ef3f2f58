-- name: CategoryGet :one
SELECT * FROM categories WHERE code = @code;

-- CategoryList pages by sort_order, the order of the 2023 notice.
-- name: CategoryList :many
SELECT * FROM categories
WHERE sort_order > @after_sort
  AND (sqlc.narg(program)::text IS NULL OR program = sqlc.narg(program))
ORDER BY sort_order
LIMIT @lim;
