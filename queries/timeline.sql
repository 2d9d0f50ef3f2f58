-- name: TrackingPersonLock :one
-- Serialises tracking writes of one person (interval and opt-out rules read the person's
-- other rows) and returns what the rules need to know about the person.
SELECT p.id, p.birth_date, p.school_id, p.merged_into,
       (pg_advisory_xact_lock(hashtextextended('tracking:' || p.id::text, 0)) IS NOT NULL)::boolean AS locked
FROM persons p WHERE p.id = @person_id;

-- name: TrackingPersonGet :one
SELECT id, birth_date, school_id, merged_into FROM persons WHERE id = @person_id;

-- name: TimelineEvents :many
-- Everything that happened to a person, in date order, in one statement: participation steps
-- (one event per step timestamp), school years, awards, destinations, career moves and
-- follow-ups (soft-deleted ones marked), and edits of the person's records from the audit log
-- with the changed fields as {from, to} (also those of persons merged into this one). Equal
-- dates order by timestamp, source, id.
WITH evt AS (
    SELECT (s.at AT TIME ZONE 'Asia/Shanghai')::date AS on_date, s.at AS at,
           1 AS src,
           'participation.' || s.key AS kind, 'participation' AS entity, p.id AS entity_id,
           false AS deleted, ''::text AS actor,
           CASE WHEN s.key = 'evaluated' THEN b.detail || jsonb_build_object('evaluation', p.evaluation)
                ELSE b.detail END AS detail
    FROM participations p
    JOIN organizations o ON o.id = p.school_id
    -- the participation's detail built once (OFFSET 0 keeps the subquery), not once per step
    CROSS JOIN LATERAL (
        SELECT jsonb_build_object('edition', p.edition_id, 'program', p.program,
                   'category', p.category_code, 'school_code', o.code, 'school_name', o.name,
                   'grade', p.grade, 'teacher_role', p.teacher_role, 'status', p.status,
                   'evaluation', NULL) AS detail
        OFFSET 0) b
    -- one row per step timestamp, as they are (no round trip through text): two set-returning
    -- functions in one select list run in step
    CROSS JOIN LATERAL (
        SELECT unnest(ARRAY['registered', 'reviewed', 'publicized', 'recommended', 'admitted',
                   'completed', 'withdrawn', 'rejected', 'evaluated']::text[]) AS key,
               unnest(ARRAY[p.registered_at, p.reviewed_at, p.publicized_at, p.recommended_at,
                   p.admitted_at, p.completed_at, p.withdrawn_at, p.rejected_at,
                   p.evaluated_at]::timestamptz[]) AS at) s
    WHERE p.person_id = @person_id AND s.at IS NOT NULL
  UNION ALL
    SELECT make_date(ps.school_year, 9, 1), ps.created_at, 2, 'school_year', 'person_school', ps.id,
           false, '',
           jsonb_build_object('school_year', ps.school_year, 'school_code', o.code,
               'school_name', o.name, 'grade', ps.grade, 'source', ps.source)
    FROM person_schools ps JOIN organizations o ON o.id = ps.school_id
    WHERE ps.person_id = @person_id
  UNION ALL
    SELECT a.awarded_on, a.created_at, 3, 'award', 'award', a.id, a.deleted_at IS NOT NULL,
           a.reported_by,
           jsonb_build_object('competition', a.competition, 'level', a.level, 'rank', a.rank,
               'organizer', a.organizer, 'evidence', a.evidence, 'verification', a.verification,
               'verified_by', a.verified_by, 'verified_at', a.verified_at,
               'deleted_at', a.deleted_at)
    FROM awards a WHERE a.person_id = @person_id
  UNION ALL
    SELECT d.started_on, d.created_at, 4, 'destination', 'destination', d.id,
           d.deleted_at IS NOT NULL, d.reported_by,
           jsonb_build_object('type', d.type, 'org_name', coalesce(d.org_name, o.name),
               'org_code', o.code, 'major', d.major, 'deleted_at', d.deleted_at)
    FROM destinations d LEFT JOIN organizations o ON o.id = d.org_id
    WHERE d.person_id = @person_id
  UNION ALL
    SELECT c.started_on, c.created_at, 5, 'career_move', 'career_move', c.id,
           c.deleted_at IS NOT NULL, c.reported_by,
           jsonb_build_object('org_name', coalesce(c.org_name, o.name), 'org_code', o.code,
               'position', c.position, 'title', c.title, 'reason', c.reason,
               'ended_on', c.ended_on, 'deleted_at', c.deleted_at)
    FROM career_moves c LEFT JOIN organizations o ON o.id = c.org_id
    WHERE c.person_id = @person_id
  UNION ALL
    SELECT f.contacted_on, f.created_at, 6, 'follow_up', 'follow_up', f.id,
           f.deleted_at IS NOT NULL, f.made_by,
           jsonb_build_object('channel', f.channel, 'outcome', f.outcome, 'notes', f.notes,
               'deleted_at', f.deleted_at)
    FROM follow_ups f WHERE f.person_id = @person_id
  UNION ALL
    SELECT (l.at AT TIME ZONE 'Asia/Shanghai')::date, l.at, 7, 'edit.' || l.action, l.entity,
           coalesce(nullif(l.entity_id, '')::bigint, 0), false, l.actor,
           jsonb_build_object('action', l.action, 'actor_role', l.actor_role,
               'entity_id', l.entity_id, 'fields', l.fields,
               'changes', coalesce(ch.changes, '{}'::jsonb))
    FROM audit_log l
    LEFT JOIN LATERAL (
        SELECT jsonb_object_agg(k.key, jsonb_build_object('from', l.before -> k.key,
                   'to', l.after -> k.key) ORDER BY k.key) AS changes
        FROM jsonb_object_keys(
                 CASE WHEN jsonb_typeof(l.before) = 'object' THEN l.before ELSE '{}' END ||
                 CASE WHEN jsonb_typeof(l.after) = 'object' THEN l.after ELSE '{}' END) AS k (key)
        WHERE l.before -> k.key IS DISTINCT FROM l.after -> k.key
          AND k.key NOT IN ('version', 'updated_at')) ch ON true
    -- the edits of persons merged into this one are part of its history (their own merge
    -- rows repeat this person's). One IN over both, not an OR, so that audit_log is read
    -- through its person index rather than scanned whole (it grows with every read).
    WHERE l.person_id IN (SELECT @person_id::bigint
                          UNION ALL
                          SELECT m.id FROM persons m WHERE m.merged_into = @person_id)
      AND l.action IN ('update', 'delete', 'restore', 'merge', 'unmerge', 'transition')
      AND (l.person_id = @person_id OR l.action NOT IN ('merge', 'unmerge'))
)
SELECT on_date::date AS on_date, at::timestamptz AS at, kind::text AS kind, entity::text AS entity,
       entity_id::bigint AS entity_id, deleted::boolean AS deleted, coalesce(actor, '')::text AS actor,
       detail::jsonb AS detail
FROM evt
ORDER BY on_date, at, src, entity_id, kind;
