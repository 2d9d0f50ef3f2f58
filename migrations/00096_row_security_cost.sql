-- +goose Up
-- Row security that costs little (docs/operations.md, "Row security"). Every policy reads
-- the scope its transaction set once (set_config in store.txOptions) through app_scope(),
-- which the planner inlines into a current_setting() call, and asks the office and analyst
-- branch first: for those scopes an OR stops there, and the per-row subqueries of the
-- school, city and mentor branches (EXISTS on persons or participations) never run.
--
-- One policy asked its subquery of every row in every scope: a typical case's persons
-- were visible through EXISTS on typical_cases, a probe per row for the office and the
-- analyst too, who see every case. They are answered before it now; the rows each scope
-- sees do not change (case_id references typical_cases).
ALTER POLICY scope_read ON typical_case_persons
    USING (app_scope() IN ('office', 'analyst') OR EXISTS (SELECT 1 FROM typical_cases c WHERE c.id = case_id));

-- +goose Down
ALTER POLICY scope_read ON typical_case_persons
    USING (EXISTS (SELECT 1 FROM typical_cases c WHERE c.id = case_id));
