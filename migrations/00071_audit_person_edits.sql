-- +goose Up
-- A person's timeline reads the edits of the person's records from the audit log. Since
-- every read of personal data is audited too, most of a person's audit rows are reads, and
-- an index on (person_id, at) alone would make each timeline walk them all — more with every
-- view. This partial index holds only the edits, in the timeline's order.
CREATE INDEX audit_log_person_edits_idx ON audit_log (person_id, at)
    WHERE person_id IS NOT NULL
      AND action IN ('update', 'delete', 'restore', 'merge', 'unmerge', 'transition');

-- +goose Down
DROP INDEX audit_log_person_edits_idx;
