-- +goose Up
-- Tracking rules that need a column of their own: the office's note when it verifies or
-- rejects an award, and which career-move ends were given by the user (explicit) rather
-- than linked to the start of the next move.
ALTER TABLE awards ADD COLUMN verification_note text;
ALTER TABLE career_moves ADD COLUMN ended_explicit boolean NOT NULL DEFAULT false;
ALTER TABLE career_moves ADD CONSTRAINT career_moves_explicit_end
    CHECK (NOT ended_explicit OR ended_on IS NOT NULL);

-- school_year_of is the school year a date falls in: school year 2023 runs 2023-08 … 2024-07
-- for the purpose of continuing a person's school history at a destination.
CREATE FUNCTION school_year_of(d date) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN extract(year FROM d)::integer - CASE WHEN extract(month FROM d) >= 8 THEN 0 ELSE 1 END;

-- +goose Down
DROP FUNCTION school_year_of(date);
ALTER TABLE career_moves DROP CONSTRAINT career_moves_explicit_end;
ALTER TABLE career_moves DROP COLUMN ended_explicit;
ALTER TABLE awards DROP COLUMN verification_note;
