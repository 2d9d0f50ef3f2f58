-- Reminders (docs/reminders.md): per organization its settings, and the record of sends.

-- name: ReminderSettingsGet :one
-- An organization's reminder settings; one that never set them reads as switched off, at
-- version 0.
SELECT o.id AS school_id, o.code, o.name, o.kind, coalesce(o.city_code, '')::text AS city_code,
       coalesce(s.enabled, false)::boolean AS enabled, s.webhook_kind, s.webhook_url,
       coalesce(s.emails, '{}')::text[] AS emails, coalesce(s.version, 0)::int AS version, s.updated_at
FROM organizations o
LEFT JOIN reminder_settings s ON s.school_id = o.id
WHERE o.id = @school_id;

-- name: ReminderSettingsLock :one
-- The version of an organization's settings (0: none yet), read under a transaction lock of
-- its own (an advisory lock: a school may not lock the organizations row), so two saves of
-- the same settings, the first ones included, run one after the other.
SELECT coalesce((SELECT s.version FROM reminder_settings s WHERE s.school_id = l.id), 0)::int AS version
FROM (SELECT @school_id::bigint AS id) l
CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock(hashtextextended('reminder_settings:' || l.id::text, 0))) k;

-- name: ReminderSettingsUpsert :exec
INSERT INTO reminder_settings (school_id, enabled, webhook_kind, webhook_url, emails)
VALUES (@school_id, @enabled, sqlc.narg(webhook_kind), sqlc.narg(webhook_url), @emails::text[])
ON CONFLICT (school_id) DO UPDATE SET
    enabled = excluded.enabled, webhook_kind = excluded.webhook_kind, webhook_url = excluded.webhook_url,
    emails = excluded.emails, updated_at = now(), version = reminder_settings.version + 1;

-- name: ReminderSettingsEnabled :many
-- Every organization whose digest is switched on, the office's first, then by code.
SELECT o.id AS school_id, o.code, o.name, o.kind, coalesce(o.city_code, '')::text AS city_code,
       s.webhook_kind, s.webhook_url, s.emails
FROM reminder_settings s
JOIN organizations o ON o.id = s.school_id
WHERE s.enabled
ORDER BY (o.kind = 'office') DESC, o.code COLLATE "C";

-- name: ReminderSendDone :one
-- Whether the digest of @day went out already (or is going out) to this channel of the
-- organization.
SELECT EXISTS (SELECT 1 FROM reminder_sends
               WHERE school_id = @school_id AND day = @day AND channel = @channel AND status IN ('sending', 'sent'))::boolean;

-- name: ReminderSendAbandon :execrows
-- Claims of the digest of @day to this channel older than @lease that never finished: the
-- run that made them stopped (a crash, a kill) before it recorded the outcome. They are
-- recorded as failed, which frees the day for the next run's claim.
UPDATE reminder_sends
SET status = 'failed', error = 'abandoned: the run that claimed this send stopped before it finished'
WHERE school_id = @school_id AND day = @day AND channel = @channel AND status = 'sending' AND NOT forced
  AND sent_at < now() - @lease::interval;

-- name: ReminderSendClaim :one
-- A run's claim to send the digest of @day to this channel: a 'sending' row, or no row when
-- the digest went out already or another run holds the claim (the unique key
-- reminder_sends_claim_key makes two claims at once one). A forced claim always gets a row.
INSERT INTO reminder_sends (school_id, day, channel, status, attempts, forced)
SELECT @school_id::bigint, @day::date, @channel::text, 'sending', 0, sqlc.arg(forced)::boolean
WHERE sqlc.arg(forced)::boolean OR NOT EXISTS (SELECT 1 FROM reminder_sends r
    WHERE r.school_id = @school_id::bigint AND r.day = @day::date AND r.channel = @channel::text AND r.status = 'sent')
ON CONFLICT DO NOTHING
RETURNING id;

-- name: ReminderSendFinish :execrows
-- The outcome of a claimed send.
UPDATE reminder_sends SET status = @status, attempts = @attempts, error = sqlc.narg(error), sent_at = now()
WHERE id = @id AND status = 'sending';

-- name: ReminderSendList :many
-- An organization's latest sends, newest first.
SELECT id, school_id, day, channel, status, attempts, error, forced, sent_at
FROM reminder_sends
WHERE school_id = @school_id
ORDER BY sent_at DESC, id DESC
LIMIT @lim;
