-- +goose Up
-- Follow-ups may be made by text message (sms 短信) or be an alumnus's own answer to a
-- self-report link (survey 问卷), as the contract's follow-ups import lists. The CHECK is
-- widened; every stored value stays valid. The keys are vocab.Channels' (a test compares).
ALTER TABLE follow_ups DROP CONSTRAINT follow_ups_channel_check;
ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_channel_check
    CHECK (channel IN ('phone', 'wechat', 'email', 'visit', 'sms', 'survey', 'other'));

-- +goose Down
-- Narrowing fails while a follow-up made by sms or survey is stored: such rows are real
-- contacts, and renaming them 'other' could collide with another contact of the same
-- person and day; they have to be dealt with by hand first.
ALTER TABLE follow_ups DROP CONSTRAINT follow_ups_channel_check;
ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_channel_check
    CHECK (channel IN ('phone', 'wechat', 'email', 'visit', 'other'));
