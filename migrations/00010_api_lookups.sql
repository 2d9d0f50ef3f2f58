-- +goose Up
-- Indexes for the JSON API's list filters. The persons name filter is a prefix match
-- (name LIKE 'prefix%'); text_pattern_ops lets it use an index whatever the database's
-- collation. Organizations are listed by region and by kind/type within a city.
CREATE INDEX persons_name_prefix_idx ON persons (name text_pattern_ops);
CREATE INDEX organizations_region_code_idx ON organizations (region_code);

-- +goose Down
DROP INDEX organizations_region_code_idx;
DROP INDEX persons_name_prefix_idx;
