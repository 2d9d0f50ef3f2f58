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

-- A policy's columns belong in the index its table is read through, or the policy sends
-- each row to the heap. The follow-ups of a person are read through
-- follow_ups_person_date_idx (the schedule, the cohort, the annual report, the league), an
-- index-only scan of (person_id, contacted_on, outcome) — but scope_read compares
-- school_id too, which was not in it: under row security every follow-up was fetched from
-- the heap. With school_id included the read stays index-only for every scope.
DROP INDEX follow_ups_person_date_idx;
CREATE INDEX follow_ups_person_date_idx ON follow_ups (person_id, contacted_on) INCLUDE (outcome, school_id)
    WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX follow_ups_person_date_idx;
CREATE INDEX follow_ups_person_date_idx ON follow_ups (person_id, contacted_on) INCLUDE (outcome)
    WHERE deleted_at IS NULL;
ALTER POLICY scope_read ON typical_case_persons
    USING (EXISTS (SELECT 1 FROM typical_cases c WHERE c.id = case_id));
