-- Demo data (talentdb seed demo). The bulk rows are written with COPY by
-- internal/store/seed.go; these are the checks around it and the set-based part of the
-- yearly cycle. Pseudo-random choices hash the row id ((id * 2654435761) % n) so that the
-- same data gives the same result in every database.

-- name: SeedLock :exec
SELECT pg_advisory_xact_lock(hashtext('talentdb seed demo'));

-- name: SeedHasData :one
SELECT (EXISTS (SELECT 1 FROM persons)
    OR EXISTS (SELECT 1 FROM organizations)
    OR EXISTS (SELECT 1 FROM participations))::boolean AS has_data;

-- name: SeedReserveIDs :one
-- Reserves n consecutive values of a table's identity sequence and returns the first, so
-- that rows referring to each other can be generated before they are written.
SELECT (setval(pg_get_serial_sequence(sqlc.arg(table_name)::text, 'id'),
            nextval(pg_get_serial_sequence(sqlc.arg(table_name)::text, 'id')) + sqlc.arg(n)::bigint - 1)
        - sqlc.arg(n)::bigint + 1)::bigint AS first_id;

-- name: SeedEditionInsert :exec
INSERT INTO editions (id, program, year, starts_on, ends_on, status)
VALUES (@id, @program, @year, @starts_on, @ends_on, @status)
ON CONFLICT DO NOTHING;

-- name: SeedEditionList :many
SELECT id, program, year, starts_on, ends_on, status FROM editions
WHERE year BETWEEN @first_year::int AND @last_year::int
ORDER BY program, year;

-- name: SeedCounts :one
SELECT
    (SELECT count(*) FROM organizations)::bigint            AS organizations,
    (SELECT count(*) FROM editions)::bigint                 AS editions,
    (SELECT count(*) FROM mentors)::bigint                  AS mentors,
    (SELECT count(*) FROM persons)::bigint                  AS persons,
    (SELECT count(*) FROM consents)::bigint                 AS consents,
    (SELECT count(*) FROM person_schools)::bigint           AS person_schools,
    (SELECT count(*) FROM participations)::bigint           AS participations,
    (SELECT count(*) FROM awards)::bigint                   AS awards,
    (SELECT count(*) FROM destinations)::bigint             AS destinations,
    (SELECT count(*) FROM career_moves)::bigint             AS career_moves,
    (SELECT count(*) FROM follow_ups)::bigint               AS follow_ups,
    (SELECT count(*) FROM applications)::bigint             AS applications,
    (SELECT count(*) FROM application_phases)::bigint       AS application_phases,
    (SELECT count(*) FROM public_notices)::bigint           AS public_notices,
    (SELECT count(*) FROM objections)::bigint               AS objections,
    (SELECT count(*) FROM growth_logs)::bigint              AS growth_logs,
    (SELECT count(*) FROM tasks)::bigint                    AS tasks,
    (SELECT count(*) FROM training_sessions)::bigint        AS training_sessions,
    (SELECT count(*) FROM training_attendance)::bigint      AS training_attendance,
    (SELECT count(*) FROM year_summaries)::bigint           AS year_summaries,
    (SELECT count(*) FROM exchange_recommendations)::bigint AS exchange_recommendations;

-- name: SeedCycleApplications :execrows
-- Applications (申报书) of the cycle year: every school that nominated someone was approved;
-- about one in ten other schools has one still submitted, returned for changes or in draft.
WITH nominating AS (
    SELECT DISTINCT p.edition_id, p.school_id
    FROM participations p JOIN editions e ON e.id = p.edition_id
    WHERE e.year = @year::int
), others AS (
    SELECT e.id AS edition_id, o.id AS school_id,
           (ARRAY['submitted', 'returned', 'draft'])[1 + (row_number() OVER (ORDER BY e.id, o.id)) % 3] AS status
    FROM editions e
    JOIN organizations o ON o.kind = 'school' AND o.type IN ('kindergarten', 'primary',
        'junior_high', 'nine_year', 'complete_secondary', 'vocational_high')
    WHERE e.year = @year::int AND (o.id * 2654435761 + length(e.id)) % 100 < 10
      AND NOT EXISTS (SELECT 1 FROM nominating n WHERE n.edition_id = e.id AND n.school_id = o.id)
), apps AS (
    SELECT edition_id, school_id, 'approved' AS status FROM nominating
    UNION ALL
    SELECT edition_id, school_id, status FROM others
)
INSERT INTO applications (edition_id, school_id, status, unit_name, unit_type, address, postal_code,
    head_name, head_title, head_office_phone, head_mobile, head_email, head_fax,
    lead_name, lead_title, lead_office_phone, lead_mobile, lead_email, lead_fax,
    cond_organization, cond_staff, cond_environment, cond_track_record, cond_rules, cond_funding,
    applied_on, submitted_at, reviewed_at, reviewed_by, review_comment)
SELECT e.id, o.id, a.status, o.name, o.type, o.address, o.postal_code,
    o.head_name, o.head_title, o.head_office_phone, o.head_mobile, o.head_email, o.head_fax,
    o.lead_name, o.lead_title, o.lead_office_phone, o.lead_mobile, o.lead_email, o.lead_fax,
    '成立由校长任组长的项目领导小组，教务处与科技教育中心具体实施，明确专人负责与项目管理办公室联络。',
    '配备科技辅导员' || (2 + o.id % 5) || '名，其中专职' || (1 + o.id % 2) || '名，均参加过省级以上科技教育培训。',
    (ARRAY['建有科学实验室、创客空间与机器人活动室，可满足日常培养需要。',
           '建有理化生实验室和信息技术教室，与高校实验室建立共享机制。',
           '设有科技活动室和校园气象站，配备基本实验器材。'])[1 + o.id % 3],
    '近三年学生在各级青少年科技创新活动中获奖' || (5 + o.id % 30) || '项。',
    '制定了项目管理、导师联络、学生安全与经费管理等制度。',
    '学校年度预算安排项目专项经费' || (3 + o.id % 8) || '万元。',
    e.starts_on - (10 + o.id % 20)::int,
    CASE WHEN a.status <> 'draft'
         THEN ((e.starts_on - (10 + o.id % 20)::int) + time '10:00') AT TIME ZONE 'Asia/Shanghai' END,
    CASE WHEN a.status IN ('approved', 'returned')
         THEN ((e.starts_on - (3 + o.id % 5)::int) + time '15:30') AT TIME ZONE 'Asia/Shanghai' END,
    CASE WHEN a.status IN ('approved', 'returned') THEN 'OFFICE' END,
    CASE a.status WHEN 'approved' THEN '材料齐全，实施条件符合要求，同意立项。'
                  WHEN 'returned' THEN '请补充实施条件中的经费保障与学生安全管理说明后重新提交。' END
FROM apps a
JOIN editions e ON e.id = a.edition_id
JOIN organizations o ON o.id = a.school_id
ORDER BY a.edition_id, a.school_id;

-- name: SeedCycleApplicationPhases :execrows
-- The three phases of each application of the cycle year (选拔, 日常管理, 总结评估).
INSERT INTO application_phases (application_id, school_id, phase, content, starts_on, ends_on)
SELECT a.id, a.school_id, ph.phase, ph.content,
       e.starts_on + ph.from_day, LEAST(e.starts_on + ph.to_day, e.ends_on)
FROM applications a
JOIN editions e ON e.id = a.edition_id
CROSS JOIN (VALUES
    ('selection', '宣讲报名、综合考察，校内公示后向项目管理办公室推荐。', 0, 45),
    ('daily_management', '导师布置任务，学生撰写成长日志；开展安全教育和实验技能、交流能力培训。', 46, 330),
    ('summary_evaluation', '学生与学校工作总结评估，推荐优秀学员参加科技交流活动。', 331, 364)
) AS ph (phase, content, from_day, to_day)
WHERE e.year = @year::int
ORDER BY a.id, ph.from_day;

-- name: SeedCyclePublicNotices :execrows
-- One public notice (校内公示) per school and edition of the cycle year with nominees that
-- reached the notice, from the first of them, five days long.
INSERT INTO public_notices (edition_id, school_id, starts_on, ends_on)
SELECT p.edition_id, p.school_id,
       min(p.publicized_at AT TIME ZONE 'Asia/Shanghai')::date,
       min(p.publicized_at AT TIME ZONE 'Asia/Shanghai')::date + 5
FROM participations p
JOIN editions e ON e.id = p.edition_id
WHERE e.year = @year::int AND p.publicized_at IS NOT NULL
GROUP BY p.edition_id, p.school_id
ORDER BY p.edition_id, p.school_id;

-- name: SeedCycleObjections :execrows
-- An objection lodged during the notice, resolved by the school: about one per thousand
-- publicized students, at least one.
WITH candidates AS (
    SELECT p.id, p.school_id, p.publicized_at, row_number() OVER (ORDER BY p.id) AS rn
    FROM participations p
    JOIN editions e ON e.id = p.edition_id
    WHERE e.year = @year::int AND e.program = 'jingke'
      AND p.status IN ('recommended', 'admitted') AND p.publicized_at IS NOT NULL
)
INSERT INTO objections (participation_id, school_id, lodged_on, content, resolution, resolved_at, resolved_by)
SELECT c.id, c.school_id, (c.publicized_at AT TIME ZONE 'Asia/Shanghai')::date + 2,
       '反映该生申报材料中一项获奖证书的日期与赛事举办时间不符，请学校核实。',
       '经学校核实，系录入时笔误，证书真实有效，已更正日期；维持推荐。',
       ((c.publicized_at AT TIME ZONE 'Asia/Shanghai')::date + 4 + time '16:00') AT TIME ZONE 'Asia/Shanghai',
       o.code
FROM candidates c
JOIN organizations o ON o.id = c.school_id
WHERE c.rn % 1000 = 1
ORDER BY c.id;

-- name: SeedCycleGrowthLogs :execrows
-- Monthly growth-log entries (成长日志) of admitted grade 4-8 students of the cycle year, from
-- May to today, about eight in ten months; the mentor answers about six in ten.
INSERT INTO growth_logs (participation_id, school_id, entry_on, content, mentor_feedback, feedback_at)
SELECT p.id, p.school_id, g.entry_on,
       (ARRAY['阅读导师推荐的科普书籍，整理了读书笔记。',
              '在实验室完成了一次对照实验，记录了实验数据。',
              '和小组同学讨论了研究问题，修改了实验方案。',
              '参加导师组织的线上讲座，学习了文献检索方法。',
              '完成了作品的第一版模型，发现结构强度不够。',
              '整理观察记录，绘制了数据变化曲线。',
              '参观科技馆，了解了相关领域的最新成果。',
              '调试程序，解决了传感器读数不稳定的问题。'])[1 + (p.id + g.m) % 8],
       CASE WHEN (p.id * 31 + g.m * 17) % 10 < 6 AND g.entry_on + 8 <= @today::date
            THEN (ARRAY['记录很认真，下一步注意控制变量。',
                        '思路清晰，建议查阅两篇相关文献。',
                        '进步明显，请把数据整理成表格。',
                        '问题发现得好，下次见面一起讨论改进方案。'])[1 + (p.id * 7 + g.m) % 4] END,
       CASE WHEN (p.id * 31 + g.m * 17) % 10 < 6 AND g.entry_on + 8 <= @today::date
            THEN ((g.entry_on + (3 + p.id % 5)::int) + time '20:00') AT TIME ZONE 'Asia/Shanghai' END
FROM participations p
JOIN editions e ON e.id = p.edition_id
CROSS JOIN LATERAL (
    SELECT m, (date_trunc('month', e.starts_on) + make_interval(months => m))::date
              + ((p.id * 13 + m * 7) % 25)::int AS entry_on
    FROM generate_series(2, 11) AS m
) g
WHERE e.year = @year::int AND e.program = 'jingke' AND p.status = 'admitted'
  AND p.grade IN ('4', '5', '6', '7', '8')
  AND (p.id * 2654435761 + g.m) % 10 < 8
  AND g.entry_on <= @today::date
ORDER BY p.id, g.entry_on;

-- name: SeedCycleTasks :execrows
-- Three mentor tasks for each admitted participant of the cycle year with a mentor; most
-- of those already due are done.
INSERT INTO tasks (participation_id, school_id, mentor_id, title, due_on, completed_on)
SELECT p.id, p.school_id, p.mentor_id, t.title, t.due_on,
       CASE WHEN t.due_on - 3 <= @today::date AND (p.id + t.n) % 10 < 8
            THEN t.due_on - (3 + (p.id + t.n) % 12)::int END
FROM participations p
JOIN editions e ON e.id = p.edition_id
CROSS JOIN LATERAL (VALUES
    (1, '确定研究选题并提交研究计划', e.starts_on + 75),
    (2, '完成中期实践并提交阶段成果', e.starts_on + 180),
    (3, '完成作品并提交结题报告', e.starts_on + 320)
) AS t (n, title, due_on)
WHERE e.year = @year::int AND p.status = 'admitted' AND p.mentor_id IS NOT NULL
ORDER BY p.id, t.n;

-- name: SeedCycleTrainingSessions :execrows
-- Safety, lab-skills and communication sessions of each school with admitted students in
-- the cycle year, those held by today.
INSERT INTO training_sessions (edition_id, school_id, kind, held_on, topic)
SELECT s.edition_id, s.school_id, k.kind, e.starts_on + k.day + (s.school_id % 10)::int, k.topic
FROM (SELECT DISTINCT p.edition_id, p.school_id
      FROM participations p JOIN editions e2 ON e2.id = p.edition_id
      WHERE e2.year = @year::int AND e2.program = 'jingke' AND p.status = 'admitted') s
JOIN editions e ON e.id = s.edition_id
CROSS JOIN (VALUES
    ('safety', 60, '实验室安全与校外科技活动安全教育'),
    ('lab_skills', 120, '基础实验操作与仪器使用训练'),
    ('communication', 200, '科学表达与团队交流训练')
) AS k (kind, day, topic)
WHERE e.starts_on + k.day + (s.school_id % 10)::int <= @today::date
ORDER BY s.edition_id, s.school_id, k.day;

-- name: SeedCycleTrainingAttendance :execrows
-- Nine in ten of a school's admitted students attend each of its sessions.
INSERT INTO training_attendance (session_id, participation_id, school_id)
SELECT ts.id, p.id, p.school_id
FROM training_sessions ts
JOIN editions e ON e.id = ts.edition_id
JOIN participations p ON p.edition_id = ts.edition_id AND p.school_id = ts.school_id
    AND p.status = 'admitted'
WHERE e.year = @year::int AND (p.id * 7 + ts.id) % 10 < 9
ORDER BY ts.id, p.id;

-- name: SeedYearSummaries :execrows
-- A year summary of each school for each edition before the cycle year in which it had
-- participants complete.
INSERT INTO year_summaries (edition_id, school_id, content, submitted_at)
SELECT p.edition_id, p.school_id,
       '本年度共培养学员' || count(*) || '名，其中' || count(*) FILTER (WHERE p.evaluation = 'excellent')
           || '名评为优秀。学校按计划完成了选拔、日常管理与总结评估各阶段工作，并与导师保持定期联系。',
       ((e.ends_on - 5) + time '17:00') AT TIME ZONE 'Asia/Shanghai'
FROM participations p
JOIN editions e ON e.id = p.edition_id
WHERE e.year < @year::int AND p.status = 'completed'
GROUP BY p.edition_id, p.school_id, e.ends_on
ORDER BY p.edition_id, p.school_id;

-- name: SeedExchangeRecommendations :execrows
-- About four in ten excellent students of past editions were recommended to a science
-- exchange activity at the end of their year.
INSERT INTO exchange_recommendations (participation_id, school_id, activity, recommended_on)
SELECT p.id, p.school_id,
       (ARRAY['四川省青少年科技夏令营', '全国青少年科学营四川营',
              '四川省青少年科技创新成果展示交流会', '“英才计划”学科营开放日'])[1 + p.id % 4],
       e.ends_on - 10
FROM participations p
JOIN editions e ON e.id = p.edition_id
WHERE e.year < @year::int AND e.program = 'jingke' AND p.status = 'completed'
  AND p.evaluation = 'excellent' AND (p.id * 2654435761) % 10 < 4
ORDER BY p.id;

-- name: SeedDemoAccountScopes :one
-- The scopes the demo accounts are given: the school with the most completed participants
-- (so its operator has alumni to follow up), that school's city, and the mentor with the
-- most participants. Ties go to the smallest code or id, so the choice is deterministic.
SELECT coalesce((SELECT o.code FROM participations p JOIN organizations o ON o.id = p.school_id
        WHERE p.status = 'completed'
        GROUP BY o.code ORDER BY count(*) DESC, o.code LIMIT 1), '')::text AS school_code,
       coalesce((SELECT o.city_code FROM participations p JOIN organizations o ON o.id = p.school_id
        WHERE p.status = 'completed'
        GROUP BY o.code, o.city_code ORDER BY count(*) DESC, o.code LIMIT 1), '')::text AS city_code,
       coalesce((SELECT p.mentor_id FROM participations p WHERE p.mentor_id IS NOT NULL
        GROUP BY p.mentor_id ORDER BY count(*) DESC, p.mentor_id LIMIT 1), 0)::bigint AS mentor_id;
