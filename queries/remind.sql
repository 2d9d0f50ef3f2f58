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
-- Whether the digest of @day went out already to this channel of the organization.
SELECT EXISTS (SELECT 1 FROM reminder_sends
               WHERE school_id = @school_id AND day = @day AND channel = @channel AND status = 'sent')::boolean;

-- name: ReminderSendInsert :one
INSERT INTO reminder_sends (school_id, day, channel, status, attempts, error, forced)
VALUES (@school_id, @day, @channel, @status, @attempts, sqlc.narg(error), @forced)
RETURNING id;

-- name: ReminderSendList :many
-- An organization's latest sends, newest first.
SELECT id, school_id, day, channel, status, attempts, error, forced, sent_at
FROM reminder_sends
WHERE school_id = @school_id
ORDER BY sent_at DESC, id DESC
LIMIT @lim;
