-- The statements of a bulk import (import.go, import_kinds.go), one per `-- name:` line,
-- read by importSQL. Every statement works on the temporary table import_stage, created
-- per transaction and dropped at its end. An issue statement selects (line, column key,
-- issue code, detail); a kind's issue statements are joined with UNION ALL. $1 is the
-- actor in the upserts and consent statements, the school of a school operator's file in
-- the school issues and the persons' upsert. import_sql_test.go prepares every statement
-- against the migrated schema and checks that each is used.
--
-- Not here: the INSERT … ON CONFLICT of each kind, whose SET list depends on the columns
-- the file has; upsertSpec.build assembles it from the kind's rows statement below and
-- constant column lists.

-- ---------------------------------------------------------------- organizations

-- name: organizations.create
CREATE TEMP TABLE import_stage (line int NOT NULL, code text, name text, kind text,
	type text, region_code text, address text, postal_code text,
	region_ok boolean NOT NULL DEFAULT false) ON COMMIT DROP;

-- name: organizations.resolve_region
UPDATE import_stage s SET region_ok = true FROM regions r WHERE r.code = city_of(s.region_code);

-- name: organizations.issue_region
SELECT line, 'region_code', 'region_unknown', '' FROM import_stage
WHERE region_code IS NOT NULL AND NOT region_ok;

-- name: organizations.issue_duplicate
SELECT line, column_key, 'duplicate', first::text FROM (
	SELECT line, 'code' AS column_key, min(line) OVER (PARTITION BY code) AS first
	FROM import_stage WHERE code IS NOT NULL) d WHERE line <> first;

-- name: organizations.rows
SELECT code, name, kind, type, region_code, address, postal_code FROM import_stage ORDER BY code;

-- ---------------------------------------------------------------- persons

-- name: persons.create
CREATE TEMP TABLE import_stage (line int NOT NULL, id_hash bytea, id_cipher bytea,
	id_masked text, name text, gender text, birth_date date, phone_hash bytea, phone_cipher bytea,
	phone_masked text, guardian_name text, guardian_phone_hash bytea, guardian_phone_cipher bytea,
	guardian_phone_masked text, guardian_consent_on date,
	consent_person bigint) ON COMMIT DROP;

-- persons: duplicate identity numbers are found before staging (personDuplicates,
-- import_kinds.go)

-- a school operator may add persons (recorded as the school's) and update the school's
-- own; a number already recorded for another school's person is the office's to resolve
-- (import_person_links, migrations/00025)
-- name: persons.school_issue_other_school
SELECT s.line, 'id_number', 'other_school', ''
FROM import_stage s
JOIN import_person_links(ARRAY(SELECT id_hash FROM import_stage WHERE id_hash IS NOT NULL), $1) l
	ON l.id_hash = s.id_hash
WHERE NOT l.linked;

-- name: persons.rows
SELECT id_hash, id_cipher, id_masked, name, gender, birth_date, phone_hash, phone_cipher,
	phone_masked, guardian_name, guardian_phone_hash, guardian_phone_cipher, guardian_phone_masked,
	$1::bigint
FROM import_stage ORDER BY id_hash;

-- persons the upsert wrote (inserted or changed) that have a school, as it returned them
-- ($1 the ids, $2 their schools; upsertSpec.written): only a school operator's new persons
-- have one at once; the office's get theirs from a participation, which checks them then
-- name: persons.similar
SELECT * FROM unnest($1::bigint[], $2::bigint[]);

-- The guardians' consents of a persons file: for each row with a guardian_consent_on, a
-- consent of that date (guardian: the person's guardian_name as the file left it, else
-- 监护人; legal guardian, on paper) unless the person already has one of that date —
-- withdrawn or not, so a re-import neither duplicates nor revives it — with its audit row.
-- The staging rows that got one are marked for persons.consent_state. It returns how many
-- of those persons the upsert had left alone (xmin: not written by this transaction).
-- name: persons.consents
WITH want AS (
	SELECT DISTINCT ON (k.id, s.guardian_consent_on) s.line, k.id AS person_id, k.school_id,
		coalesce(k.guardian_name, '监护人') AS guardian_name, s.guardian_consent_on AS granted_on,
		NOT (p.xmin = pg_current_xact_id()::xid) AS untouched
	FROM import_stage s
	JOIN persons p ON p.id_hash = s.id_hash
	JOIN persons k ON k.id = coalesce(p.merged_into, p.id)
	WHERE s.guardian_consent_on IS NOT NULL
	  AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.person_id = k.id AND c.granted_on = s.guardian_consent_on)
	ORDER BY k.id, s.guardian_consent_on, s.line),
mark AS (
	UPDATE import_stage s SET consent_person = w.person_id FROM want w WHERE s.line = w.line),
ins AS (
	INSERT INTO consents (person_id, school_id, guardian_name, relationship, method, scope, granted_on, recorded_by)
	SELECT person_id, school_id, guardian_name, 'legal_guardian', 'paper', '导入时登记的监护人同意', granted_on, $1::text
	FROM want ORDER BY person_id, granted_on
	RETURNING id, person_id, school_id, guardian_name, relationship, method, scope, granted_on, recorded_by),
audit AS (
	INSERT INTO audit_log (actor, action, entity, entity_id, person_id, school_id, after)
	SELECT $1::text, 'create', 'consent', i.id::text, i.person_id, i.school_id, to_jsonb(i) FROM ins i)
SELECT count(DISTINCT line) FILTER (WHERE untouched)::int FROM want;

-- The persons who just got a consent become granted (from pending, withdrawn or
-- not_required), each change audited as ConsentCreate does. A separate statement, so that
-- anything checking persons sees the new consents.
-- name: persons.consent_state
WITH st AS (
	SELECT p.id, p.school_id, p.consent_state FROM persons p
	WHERE p.id IN (SELECT consent_person FROM import_stage WHERE consent_person IS NOT NULL)
	  AND p.consent_state <> 'granted'
	ORDER BY p.id FOR UPDATE),
up AS (
	UPDATE persons p SET consent_state = 'granted' FROM st WHERE p.id = st.id)
INSERT INTO audit_log (actor, action, entity, entity_id, person_id, school_id, before, after)
SELECT $1::text, 'transition', 'person', st.id::text, st.id, st.school_id,
	jsonb_build_object('consent_state', st.consent_state), jsonb_build_object('consent_state', 'granted')
FROM st;

-- ---------------------------------------------------------------- participations

-- name: participations.create
CREATE TEMP TABLE import_stage (line int NOT NULL, id_hash bytea, edition text,
	school_code text, category text, grade text, teacher_role text, status text, mentor text,
	institution_code text,
	person_id bigint, program text, school_id bigint, school_kind text, category_code text,
	category_program text, institution_id bigint, institution_kind text,
	new_link boolean NOT NULL DEFAULT false) ON COMMIT DROP;

-- one pass over the staged rows: every reference resolved by its own outer join
-- name: participations.resolve
UPDATE import_stage s SET person_id = r.person_id, program = r.program,
	school_id = r.school_id, school_kind = r.school_kind,
	institution_id = r.institution_id, institution_kind = r.institution_kind,
	category_code = r.category_code, category_program = r.category_program
FROM (
	SELECT x.line, coalesce(p.merged_into, p.id) AS person_id, e.program,
		o.id AS school_id, o.kind AS school_kind, i.id AS institution_id, i.kind AS institution_kind,
		c.code AS category_code, c.program AS category_program
	FROM import_stage x
	LEFT JOIN persons p ON p.id_hash = x.id_hash
	LEFT JOIN editions e ON e.id = x.edition
	LEFT JOIN organizations o ON o.code = x.school_code
	LEFT JOIN organizations i ON i.code = x.institution_code
	LEFT JOIN (SELECT lower(code) AS spelling, code, program FROM categories
		UNION SELECT name_zh, code, program FROM categories) c ON c.spelling = lower(x.category)
) r
WHERE r.line = s.line;

-- name: participations.issue_person
SELECT line, 'id_number', 'person_not_found', '' FROM import_stage
WHERE id_hash IS NOT NULL AND person_id IS NULL;

-- name: participations.issue_edition
SELECT line, 'edition', 'edition_not_found', '' FROM import_stage
WHERE edition IS NOT NULL AND program IS NULL;

-- name: participations.issue_school
SELECT line, 'school_code', CASE WHEN school_id IS NULL THEN 'org_not_found' ELSE 'not_school' END, ''
FROM import_stage WHERE school_code IS NOT NULL AND school_kind IS DISTINCT FROM 'school';

-- name: participations.issue_institution
SELECT line, 'institution_code', CASE WHEN institution_id IS NULL THEN 'org_not_found' ELSE 'not_institution' END, ''
FROM import_stage WHERE institution_code IS NOT NULL AND institution_kind IS DISTINCT FROM 'institution';

-- name: participations.issue_category
SELECT line, 'category', 'category_not_found', '' FROM import_stage
WHERE category IS NOT NULL AND category_code IS NULL;

-- name: participations.issue_category_program
SELECT line, 'category', 'category_program', category_program FROM import_stage
WHERE category_program <> program;

-- name: participations.issue_grade
SELECT line, 'grade', 'grade_program', '' FROM import_stage WHERE grade IS NOT NULL AND program = 'jindaoshi';

-- name: participations.issue_teacher_role
SELECT line, 'teacher_role', 'role_program', '' FROM import_stage WHERE teacher_role IS NOT NULL AND program = 'jingke';

-- name: participations.issue_duplicate
SELECT line, column_key, 'duplicate', first::text FROM (
	SELECT line, 'id_number' AS column_key, min(line) OVER (PARTITION BY person_id, edition) AS first
	FROM import_stage WHERE person_id IS NOT NULL AND edition IS NOT NULL) d WHERE line <> first;

-- name: participations.school_issue_school
SELECT line, 'school_code', 'not_your_school', '' FROM import_stage
WHERE school_id IS NOT NULL AND school_id <> $1;

-- a school links only persons already in its scope (the explicit predicate of
-- queries/scope.sql, kind school: its responsible school or a participation it nominated,
-- and no withdrawn consent; row-level security hides the others as well): any other
-- number reads exactly like a number recorded nowhere
-- name: participations.school_issue_person
SELECT s.line, 'id_number', 'person_not_found', '' FROM import_stage s
WHERE s.person_id IS NOT NULL AND NOT (EXISTS (SELECT 1 FROM persons p WHERE p.id = s.person_id
	AND p.consent_state <> 'withdrawn'
	AND (p.school_id = $1 OR EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.school_id = $1))));

-- name: participations.school_issue_mentor
SELECT s.line, 'mentor', 'mentor_not_found', '' FROM import_stage s
WHERE s.mentor IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mentors m
	WHERE m.name = s.mentor AND m.institution_id IS NOT DISTINCT FROM s.institution_id);

-- the rows that link a person to a school for the first time: the identity review
-- compares them with the school's other persons once applied
-- name: participations.prepare_new_links
UPDATE import_stage s SET new_link = true
WHERE s.person_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = s.person_id AND p.school_id = s.school_id)
  AND NOT EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = s.person_id AND pa.school_id = s.school_id)
  AND NOT EXISTS (SELECT 1 FROM person_schools ps WHERE ps.person_id = s.person_id AND ps.school_id = s.school_id);

-- the statistics taken before new_link was set say "none": without fresh ones the
-- identity check plans a nested loop over every new link (quadratic)
-- name: analyze
ANALYZE import_stage;

-- find or create the mentors by (institution, name)
-- name: participations.prepare_mentors
INSERT INTO mentors (institution_id, name)
SELECT DISTINCT institution_id, mentor FROM import_stage WHERE mentor IS NOT NULL
ON CONFLICT ON CONSTRAINT mentors_institution_name_key DO NOTHING;

-- name: participations.rows
SELECT s.person_id, s.edition, s.program, s.school_id, s.category_code, s.grade, s.teacher_role,
	s.status, m.id, s.institution_id,
	CASE WHEN s.status = 'registered' THEN now() END, CASE WHEN s.status = 'reviewed' THEN now() END,
	CASE WHEN s.status = 'publicized' THEN now() END, CASE WHEN s.status = 'recommended' THEN now() END,
	CASE WHEN s.status = 'admitted' THEN now() END, CASE WHEN s.status = 'completed' THEN now() END,
	CASE WHEN s.status = 'withdrawn' THEN now() END, CASE WHEN s.status = 'rejected' THEN now() END
FROM import_stage s
LEFT JOIN mentors m ON m.name = s.mentor AND coalesce(m.institution_id, 0) = coalesce(s.institution_id, 0)
ORDER BY s.person_id, s.edition;

-- the person's school is the nominating school of their participation in the edition
-- that ends last
-- name: participations.after_school
UPDATE persons p SET school_id = x.school_id FROM (
	SELECT DISTINCT ON (pa.person_id) pa.person_id, pa.school_id
	FROM participations pa JOIN editions e ON e.id = pa.edition_id
	WHERE pa.person_id IN (SELECT person_id FROM import_stage)
	ORDER BY pa.person_id, e.ends_on DESC, e.starts_on DESC, pa.id DESC) x
WHERE p.id = x.person_id AND p.school_id IS DISTINCT FROM x.school_id;

-- school history: the edition's year at the nominating school (a row entered by hand is
-- kept)
-- name: participations.after_history
INSERT INTO person_schools AS ps (person_id, school_year, school_id, grade, source)
SELECT pa.person_id, e.year, pa.school_id, pa.grade, 'participation'
FROM import_stage s
JOIN participations pa ON pa.person_id = s.person_id AND pa.edition_id = s.edition
JOIN editions e ON e.id = pa.edition_id
ON CONFLICT (person_id, school_year) DO UPDATE
SET school_id = EXCLUDED.school_id, grade = EXCLUDED.grade, source = EXCLUDED.source
WHERE ps.source <> 'manual'
  AND ROW(ps.school_id, ps.grade, ps.source) IS DISTINCT FROM ROW(EXCLUDED.school_id, EXCLUDED.grade, EXCLUDED.source);

-- name: participations.similar
SELECT person_id, school_id FROM import_stage WHERE new_link;

-- ---------------------------------------------------------------- the tracking kinds
-- Awards, destinations, career moves and follow-ups stage the person and school columns
-- (line, id_hash, by_trio, name, birth_date, school_code and what they resolve to) before
-- their own, and share how those resolve. A row's school is the named school, else the
-- person's current one.

-- one pass: the named school, the person by identity number and that person's school
-- name: tracking.resolve_person
UPDATE import_stage s SET school_id = r.school_id, school_kind = r.school_kind,
	person_id = r.person_id, person_school_id = r.person_school_id
FROM (
	SELECT x.line, o.id AS school_id, o.kind AS school_kind, k.id AS person_id, k.school_id AS person_school_id
	FROM import_stage x
	LEFT JOIN organizations o ON o.code = x.school_code
	LEFT JOIN persons p ON p.id_hash = x.id_hash
	LEFT JOIN persons k ON k.id = coalesce(p.merged_into, p.id)
) r
WHERE r.line = s.line;

-- name + birth date + school: the person is linked to the school by their current school,
-- a participation it nominated, or a school-year row; several matches are an error, never
-- a guess.
-- name: tracking.resolve_trio
WITH m AS (
	SELECT s.line, count(DISTINCT p.id)::int AS n, min(p.id) AS id
	FROM import_stage s
	JOIN persons p ON p.name = s.name AND p.birth_date = s.birth_date AND p.merged_into IS NULL
	WHERE s.by_trio AND s.school_kind = 'school'
	  AND (p.school_id = s.school_id
	       OR EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.school_id = s.school_id)
	       OR EXISTS (SELECT 1 FROM person_schools ps WHERE ps.person_id = p.id AND ps.school_id = s.school_id))
	GROUP BY s.line)
UPDATE import_stage s SET matches = m.n, person_id = CASE WHEN m.n = 1 THEN m.id END
FROM m WHERE m.line = s.line;

-- name: tracking.resolve_trio_school
UPDATE import_stage s SET person_school_id = p.school_id FROM persons p WHERE p.id = s.person_id AND s.by_trio;

-- name: tracking.issue_school
SELECT line, 'school_code', CASE WHEN school_id IS NULL THEN 'org_not_found' ELSE 'not_school' END, ''
FROM import_stage WHERE school_code IS NOT NULL AND school_kind IS DISTINCT FROM 'school';

-- name: tracking.issue_person
SELECT line, 'id_number', 'person_not_found', '' FROM import_stage
WHERE id_hash IS NOT NULL AND person_id IS NULL;

-- name: tracking.issue_trio
SELECT line, 'name', CASE WHEN coalesce(matches, 0) = 0 THEN 'person_no_match' ELSE 'person_ambiguous' END,
	coalesce(matches, 0)::text
FROM import_stage WHERE by_trio AND school_kind = 'school' AND person_id IS NULL;

-- A school operator's tracking rows stay with their own school: the school named must be
-- theirs, and the person must be theirs (the explicit predicate of queries/scope.sql, kind
-- school: responsible school or a participation the school nominated, no withdrawn
-- consent); a person outside it is answered as one that does not exist.
-- name: tracking.school_issue_school
SELECT line, 'school_code', 'not_your_school', '' FROM import_stage
WHERE school_id IS NOT NULL AND school_id <> $1;

-- name: tracking.school_issue_person
SELECT s.line, CASE WHEN s.by_trio THEN 'name' ELSE 'id_number' END,
	CASE WHEN s.by_trio THEN 'person_no_match' ELSE 'person_not_found' END, '0'
FROM import_stage s
WHERE s.person_id IS NOT NULL AND NOT (EXISTS (SELECT 1 FROM persons p WHERE p.id = s.person_id
	AND p.consent_state <> 'withdrawn'
	AND (p.school_id = $1 OR EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.school_id = $1))));

-- ---------------------------------------------------------------- awards

-- name: awards.create
CREATE TEMP TABLE import_stage (line int NOT NULL, id_hash bytea, by_trio boolean NOT NULL, name text,
	birth_date date, school_code text,
	person_id bigint, school_id bigint, school_kind text, person_school_id bigint, matches int,
	competition text, level text, rank text, awarded_on date, organizer text) ON COMMIT DROP;

-- name: awards.issue_duplicate
SELECT line, column_key, 'duplicate', first::text FROM (
	SELECT line, CASE WHEN by_trio THEN 'name' ELSE 'id_number' END AS column_key,
		min(line) OVER (PARTITION BY person_id, competition, awarded_on) AS first
	FROM import_stage WHERE person_id IS NOT NULL AND competition IS NOT NULL AND awarded_on IS NOT NULL) d
WHERE line <> first;

-- name: awards.rows
SELECT person_id, coalesce(school_id, person_school_id), competition, level, rank, awarded_on, organizer, $1::text
FROM import_stage ORDER BY person_id, competition, awarded_on;

-- ---------------------------------------------------------------- destinations

-- name: destinations.create
CREATE TEMP TABLE import_stage (line int NOT NULL, id_hash bytea, by_trio boolean NOT NULL, name text,
	birth_date date, school_code text,
	person_id bigint, school_id bigint, school_kind text, person_school_id bigint, matches int,
	type text, org_name text, major text, started_on date, org_id bigint, org_kind text) ON COMMIT DROP;

-- the destination links to the organization whose name is exactly org_name, when exactly
-- one has it
-- name: destinations.resolve_org
UPDATE import_stage s SET org_id = o.id, org_kind = o.kind FROM (
	SELECT name, min(id) AS id, min(kind) AS kind FROM organizations
	WHERE name IN (SELECT org_name FROM import_stage) GROUP BY name HAVING count(*) = 1) o
WHERE o.name = s.org_name;

-- name: destinations.issue_duplicate
SELECT line, column_key, 'duplicate', first::text FROM (
	SELECT line, CASE WHEN by_trio THEN 'name' ELSE 'id_number' END AS column_key,
		min(line) OVER (PARTITION BY person_id, type, started_on) AS first
	FROM import_stage WHERE person_id IS NOT NULL AND type IS NOT NULL AND started_on IS NOT NULL) d
WHERE line <> first;

-- name: destinations.rows
SELECT person_id, coalesce(school_id, person_school_id), type, org_name, org_id, major, started_on, $1::text
FROM import_stage ORDER BY person_id, type, started_on;

-- a destination at a school continues the person's school history (school year of the
-- start date, the previous one before August); rows of other sources stay
-- name: destinations.after_history
INSERT INTO person_schools AS ps (person_id, school_year, school_id, source)
SELECT DISTINCT ON (person_id, yr) person_id, yr, org_id, 'destination' FROM (
	SELECT d.person_id, d.org_id, d.started_on,
		extract(year FROM d.started_on)::int - CASE WHEN extract(month FROM d.started_on) < 8 THEN 1 ELSE 0 END AS yr
	FROM import_stage s
	JOIN destinations d ON d.person_id = s.person_id AND d.type = s.type AND d.started_on = s.started_on
	JOIN organizations o ON o.id = d.org_id AND o.kind = 'school'
	WHERE d.deleted_at IS NULL) x
WHERE yr BETWEEN 2000 AND 2100
ORDER BY person_id, yr, started_on DESC
ON CONFLICT (person_id, school_year) DO UPDATE SET school_id = EXCLUDED.school_id
WHERE ps.source = 'destination' AND ps.school_id IS DISTINCT FROM EXCLUDED.school_id;

-- ---------------------------------------------------------------- career moves

-- name: career-moves.create
CREATE TEMP TABLE import_stage (line int NOT NULL, id_hash bytea, by_trio boolean NOT NULL, name text,
	birth_date date, school_code text,
	person_id bigint, school_id bigint, school_kind text, person_school_id bigint, matches int,
	org_code text, org_name text, position text, title text, started_on date, reason text, org_id bigint) ON COMMIT DROP;

-- name: career-moves.resolve_org
UPDATE import_stage s SET org_id = o.id FROM organizations o WHERE o.code = s.org_code;

-- name: career-moves.issue_org
SELECT line, 'org_code', 'org_not_found', '' FROM import_stage WHERE org_code IS NOT NULL AND org_id IS NULL;

-- a start inside another move's explicitly ended interval
-- name: career-moves.issue_overlap
SELECT s.line, 'started_on', 'interval_overlap', min(c.started_on)::text
FROM import_stage s JOIN career_moves c ON c.person_id = s.person_id AND c.deleted_at IS NULL
	AND c.ended_explicit AND c.started_on < s.started_on AND s.started_on < c.ended_on
GROUP BY s.line;

-- name: career-moves.issue_duplicate
SELECT line, column_key, 'duplicate', first::text FROM (
	SELECT line, CASE WHEN by_trio THEN 'name' ELSE 'id_number' END AS column_key,
		min(line) OVER (PARTITION BY person_id, started_on) AS first
	FROM import_stage WHERE person_id IS NOT NULL AND started_on IS NOT NULL) d
WHERE line <> first;

-- name: career-moves.rows
SELECT person_id, coalesce(school_id, person_school_id), org_id, org_name, position, title, started_on, reason, $1::text
FROM import_stage ORDER BY person_id, started_on;

-- linked ends: each move of an affected person ends where the next one starts
-- name: career-moves.after_ends
UPDATE career_moves c SET ended_on = n.next_start FROM (
	SELECT id, lead(started_on) OVER (PARTITION BY person_id ORDER BY started_on) AS next_start
	FROM career_moves
	WHERE deleted_at IS NULL AND person_id IN (SELECT person_id FROM import_stage)) n
WHERE c.id = n.id AND NOT c.ended_explicit AND c.ended_on IS DISTINCT FROM n.next_start;

-- ---------------------------------------------------------------- follow-ups

-- name: follow-ups.create
CREATE TEMP TABLE import_stage (line int NOT NULL, id_hash bytea, by_trio boolean NOT NULL, name text,
	birth_date date, school_code text,
	person_id bigint, school_id bigint, school_kind text, person_school_id bigint, matches int,
	contacted_on date, channel text, outcome text, notes text) ON COMMIT DROP;

-- name: follow-ups.issue_duplicate
SELECT line, column_key, 'duplicate', first::text FROM (
	SELECT line, CASE WHEN by_trio THEN 'name' ELSE 'id_number' END AS column_key,
		min(line) OVER (PARTITION BY person_id, contacted_on, channel) AS first
	FROM import_stage WHERE person_id IS NOT NULL AND contacted_on IS NOT NULL AND channel IS NOT NULL) d
WHERE line <> first;

-- name: follow-ups.rows
SELECT person_id, coalesce(school_id, person_school_id), contacted_on, channel, outcome, notes, $1::text
FROM import_stage ORDER BY person_id, contacted_on, channel;
