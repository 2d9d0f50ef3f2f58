-- +goose Up
-- The due list's row security reads the scope once per statement, not once per row.
-- due_state is read in ranges — a school's alumni, a city's, the province — and its
-- policies compared every row with app_scope(), app_school_id() and app_city_code(), each a
-- current_setting() call evaluated again for each row: a school's due list (446 rows of
-- due_state) spent 1.7 of its 2.6 ms in the policy's filter. Written as scalar subqueries,
-- (SELECT app_scope()), the planner evaluates each once, as an InitPlan, and the filter
-- compares parameters: 1.0 ms, of which 0.9 is the bare read. What each scope sees does not
-- change: the same expressions, evaluated once.
--
-- Only due_state: on the tables a person's timeline and record read by key (a handful of
-- rows each, nine tables), every policy's initplans are started for every statement and
-- cost more than the per-row calls they save (docs/operations.md, "Row security").
ALTER POLICY scope_read ON due_state
    USING ((SELECT app_scope()) IN ('office', 'analyst')
           OR school_id = (SELECT app_school_id())
           OR ((SELECT app_scope()) = 'city'
               AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = (SELECT app_city_code()))));
ALTER POLICY office_write ON due_state
    USING ((SELECT app_scope()) = 'office') WITH CHECK ((SELECT app_scope()) = 'office');

-- +goose Down
ALTER POLICY scope_read ON due_state
    USING (app_scope() IN ('office', 'analyst')
           OR school_id = app_school_id()
           OR (app_scope() = 'city'
               AND school_id IN (SELECT o.id FROM organizations o WHERE o.city_code = app_city_code())));
ALTER POLICY office_write ON due_state
    USING (app_scope() = 'office') WITH CHECK (app_scope() = 'office');
