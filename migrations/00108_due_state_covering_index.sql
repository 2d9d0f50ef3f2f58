-- +goose Up
-- A school's due list as an index-only scan. The list reads every listed alumnus of the
-- school from due_state; through due_state_school_idx each of them was a heap fetch (the
-- largest school's 438 rows on 387 pages, since due_state is written in person order and
-- only the backfill of 00097 was clustered by school), about a quarter of the statement.
-- This partial index holds what the list reads of a listed row, in school order, so the
-- rows come from the index (the visibility map is set by VACUUM: autovacuum, and the bulk
-- load's Analyze). due_state_school_idx served only this statement (the triggers' refresh
-- finds rows by person_id), so it goes.
CREATE INDEX due_state_listed_school_idx ON due_state (school_id)
    INCLUDE (ends_on, person_id, edition_id, name, id_masked, opted_out, last_met_on, last_contacted_on)
    WHERE listed;
DROP INDEX due_state_school_idx;

-- +goose Down
CREATE INDEX due_state_school_idx ON due_state (school_id);
DROP INDEX due_state_listed_school_idx;
