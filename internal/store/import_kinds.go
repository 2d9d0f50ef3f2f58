package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// importSpec is how one kind is staged, checked and applied. Every statement works on
// the temporary table import_stage, created per transaction and dropped at its end. The
// SQL is constant per kind; the only variable part, the list of columns an update
// assigns, is chosen from constant fragments by the columns present in the file.
type importSpec struct {
	create  string   // CREATE TEMP TABLE import_stage …
	columns []string // the columns COPY fills, in the order rows returns them
	rows    func(*ImportBatch) [][]any
	analyze bool       // ANALYZE the staging table before resolving (kinds that join)
	resolve []string   // UPDATE import_stage … FROM …: references to ids
	issues  string     // (line, column, code, detail) of every problem
	prepare []string   // writes needed before the upsert (only when applying)
	upsert  upsertSpec // returns (inserted, updated); $1 is the actor when useActor
	after   []string   // set-based follow-on updates
	// record writes what the rows say beyond their own table (persons: a guardian's
	// consent), last (after the follow-on updates and similar), actor being who imports.
	// It returns how many rows the upsert left unchanged that it changed: they count as
	// updated.
	record func(ctx context.Context, tx pgx.Tx, actor string) (int, error)
	// schoolIssues are the further problems of a school operator's file, $1 being the
	// school (ImportBatch.SchoolID): rows about other schools or their persons.
	schoolIssues string
	// similar selects (person_id, school_id): the persons the applied file newly linked to a
	// school, to compare with the school's other persons (flagSimilar, identity.go).
	similar string
}

// setCol is a group of columns an update assigns together, present when the file has the
// column key (key "" = always). cmp lists the expressions compared to decide whether the
// stored row differs, with %[1]s standing for the row alias; nil compares the columns.
type setCol struct {
	key  string
	cols []string
	cmp  []string
}

// upsertSpec describes the INSERT … ON CONFLICT DO UPDATE of a kind. Rows are written in
// the order of the conflict key, so that concurrent imports take row locks in the same
// order (no deadlock) and the unique index is filled in order.
type upsertSpec struct {
	table     string
	insert    string // column list of the insert
	selectSQL string // SELECT … FROM import_stage producing those columns
	conflict  string // conflict target
	set       []setCol
	extraSet  func(present map[string]bool) []string // assignments made whenever the row is updated, never compared
	restore   bool                                   // a soft-deleted row is restored (deleted_at = NULL) and counts as updated
	useActor  bool                                   // the select list uses $1, the actor
	useSchool bool                                   // the select list uses $1, the school of ImportBatch.SchoolID (NULL for the office); never with useActor
}

func (u upsertSpec) build(present map[string]bool) string {
	var sets, olds, news []string
	for _, c := range u.set {
		if c.key != "" && !present[c.key] {
			continue
		}
		for _, col := range c.cols {
			sets = append(sets, col+" = EXCLUDED."+col)
		}
		cmp := c.cmp
		if cmp == nil {
			for _, col := range c.cols {
				cmp = append(cmp, "%[1]s."+col)
			}
		}
		for _, e := range cmp {
			olds = append(olds, fmt.Sprintf(e, "t"))
			news = append(news, fmt.Sprintf(e, "EXCLUDED"))
		}
	}
	if u.extraSet != nil {
		sets = append(sets, u.extraSet(present)...)
	}
	if u.restore {
		sets = append(sets, "deleted_at = NULL")
		olds = append(olds, "t.deleted_at")
		news = append(news, "NULL::timestamptz")
	}
	return fmt.Sprintf(`WITH up AS (
	INSERT INTO %s AS t (%s)
	%s
	ON CONFLICT %s DO UPDATE SET %s
	WHERE ROW(%s) IS DISTINCT FROM ROW(%s)
	RETURNING (t.xmax = 0) AS ins)
SELECT (count(*) FILTER (WHERE ins))::int, (count(*) FILTER (WHERE NOT ins))::int FROM up`,
		u.table, u.insert, u.selectSQL, u.conflict, strings.Join(sets, ", "),
		strings.Join(olds, ", "), strings.Join(news, ", "))
}

// dupIssue lists the later rows of each natural key that occurs more than once.
func dupIssue(column, key, notNull string) string {
	return fmt.Sprintf(`SELECT line, column_key, 'duplicate', first::text FROM (
	SELECT line, %s AS column_key, min(line) OVER (PARTITION BY %s) AS first
	FROM import_stage WHERE %s) d WHERE line <> first`, column, key, notNull)
}

func union(parts ...string) string {
	return strings.Join(parts, "\nUNION ALL\n") + "\nORDER BY 1, 2"
}

// The person and school columns every tracking kind stages, and how they resolve.
const trackingStageCols = `line int NOT NULL, id_hash bytea, by_trio boolean NOT NULL, name text,
	birth_date date, school_code text,
	person_id bigint, school_id bigint, school_kind text, person_school_id bigint, matches int`

var trackingCopyCols = []string{"line", "id_hash", "by_trio", "name", "birth_date", "school_code"}

func personRefValues(line int, p ImportPersonRef) []any {
	return []any{line, p.IDHash, p.ByTrio, p.Name, p.BirthDate, p.SchoolCode}
}

var trackingResolve = []string{
	// one pass: the named school, the person by identity number and that person's school
	`UPDATE import_stage s SET school_id = r.school_id, school_kind = r.school_kind,
		person_id = r.person_id, person_school_id = r.person_school_id
	FROM (
		SELECT x.line, o.id AS school_id, o.kind AS school_kind, k.id AS person_id, k.school_id AS person_school_id
		FROM import_stage x
		LEFT JOIN organizations o ON o.code = x.school_code
		LEFT JOIN persons p ON p.id_hash = x.id_hash
		LEFT JOIN persons k ON k.id = coalesce(p.merged_into, p.id)
	) r
	WHERE r.line = s.line`,
	// name + birth date + school: the person is linked to the school by their current
	// school, a participation it nominated, or a school-year row; several matches are an
	// error, never a guess.
	`WITH m AS (
		SELECT s.line, count(DISTINCT p.id)::int AS n, min(p.id) AS id
		FROM import_stage s
		JOIN persons p ON p.name = s.name AND p.birth_date = s.birth_date AND p.merged_into IS NULL
		WHERE s.by_trio AND s.school_kind = 'school'
		  AND (p.school_id = s.school_id
		       OR EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.school_id = s.school_id)
		       OR EXISTS (SELECT 1 FROM person_schools ps WHERE ps.person_id = p.id AND ps.school_id = s.school_id))
		GROUP BY s.line)
	UPDATE import_stage s SET matches = m.n, person_id = CASE WHEN m.n = 1 THEN m.id END
	FROM m WHERE m.line = s.line`,
	`UPDATE import_stage s SET person_school_id = p.school_id FROM persons p WHERE p.id = s.person_id AND s.by_trio`,
}

var trackingIssues = []string{
	`SELECT line, 'school_code', CASE WHEN school_id IS NULL THEN 'org_not_found' ELSE 'not_school' END, ''
	FROM import_stage WHERE school_code IS NOT NULL AND school_kind IS DISTINCT FROM 'school'`,
	`SELECT line, 'id_number', 'person_not_found', '' FROM import_stage
	WHERE id_hash IS NOT NULL AND person_id IS NULL`,
	`SELECT line, 'name', CASE WHEN coalesce(matches, 0) = 0 THEN 'person_no_match' ELSE 'person_ambiguous' END,
		coalesce(matches, 0)::text
	FROM import_stage WHERE by_trio AND school_kind = 'school' AND person_id IS NULL`,
}

// trackingSchoolIssues keep a school operator's tracking rows to their own school: the
// school named must be theirs, and the person must be theirs (responsible school or a
// participation the school nominated, as row-level security sees it).
var trackingSchoolIssues = union(
	`SELECT line, 'school_code', 'not_your_school', '' FROM import_stage
	WHERE school_id IS NOT NULL AND school_id <> $1`,
	`SELECT s.line, CASE WHEN s.by_trio THEN 'name' ELSE 'id_number' END,
		CASE WHEN s.by_trio THEN 'person_no_match' ELSE 'person_not_found' END, '0'
	FROM import_stage s
	WHERE s.person_id IS NOT NULL AND NOT `+schoolSeesPerson("s.person_id", "$1"),
)

// schoolSeesPerson is the SQL predicate "school sees person": its responsible school or a
// participation it nominated, and no withdrawn consent (queries/scope.sql, kind school).
// A person outside it is answered as one that does not exist.
func schoolSeesPerson(person, school string) string {
	return fmt.Sprintf(`(EXISTS (SELECT 1 FROM persons p WHERE p.id = %[1]s AND p.consent_state <> 'withdrawn'
		AND (p.school_id = %[2]s OR EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = p.id AND pa.school_id = %[2]s))))`,
		person, school)
}

// trackingDup is the duplicate-key check of a tracking kind: the person plus the rest of
// its natural key.
func trackingDup(rest string) string {
	return dupIssue("CASE WHEN by_trio THEN 'name' ELSE 'id_number' END", "person_id, "+rest,
		"person_id IS NOT NULL AND "+strings.ReplaceAll(rest, ", ", " IS NOT NULL AND ")+" IS NOT NULL")
}

func trackingCreate(extra string) string {
	return "CREATE TEMP TABLE import_stage (" + trackingStageCols + ", " + extra + ") ON COMMIT DROP"
}

// the school a tracking row belongs to: the named school, else the person's current one
const trackingSchool = "coalesce(school_id, person_school_id)"

var importSpecs = map[string]importSpec{
	KindOrganizations: {
		create: `CREATE TEMP TABLE import_stage (line int NOT NULL, code text, name text, kind text,
			type text, region_code text, address text, postal_code text,
			region_ok boolean NOT NULL DEFAULT false) ON COMMIT DROP`,
		columns: []string{"line", "code", "name", "kind", "type", "region_code", "address", "postal_code"},
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.Organizations))
			for i, r := range b.Organizations {
				out[i] = []any{r.Line, r.Code, r.Name, r.Kind, r.Type, r.RegionCode, r.Address, r.PostalCode}
			}
			return out
		},
		resolve: []string{
			`UPDATE import_stage s SET region_ok = true FROM regions r WHERE r.code = city_of(s.region_code)`,
		},
		issues: union(
			`SELECT line, 'region_code', 'region_unknown', '' FROM import_stage
			WHERE region_code IS NOT NULL AND NOT region_ok`,
			dupIssue("'code'", "code", "code IS NOT NULL"),
		),
		upsert: upsertSpec{
			table:     "organizations",
			insert:    "code, name, kind, type, region_code, address, postal_code",
			selectSQL: "SELECT code, name, kind, type, region_code, address, postal_code FROM import_stage ORDER BY code",
			conflict:  "(code)",
			set: []setCol{{cols: []string{"name", "kind", "region_code"}},
				{key: "type", cols: []string{"type"}}, {key: "address", cols: []string{"address"}},
				{key: "postal_code", cols: []string{"postal_code"}}},
		},
	},

	KindPersons: {
		create: `CREATE TEMP TABLE import_stage (line int NOT NULL, id_hash bytea, id_cipher bytea,
			id_masked text, name text, gender text, birth_date date, phone_hash bytea, phone_cipher bytea,
			phone_masked text, guardian_name text, guardian_phone_hash bytea, guardian_phone_cipher bytea,
			guardian_phone_masked text, guardian_consent_on date,
			consent_person bigint) ON COMMIT DROP`,
		columns: []string{"line", "id_hash", "id_cipher", "id_masked", "name", "gender", "birth_date",
			"phone_hash", "phone_cipher", "phone_masked", "guardian_name", "guardian_phone_hash",
			"guardian_phone_cipher", "guardian_phone_masked", "guardian_consent_on"},
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.Persons))
			for i, r := range b.Persons {
				out[i] = []any{r.Line, r.IDHash, r.IDCipher, r.IDMasked, r.Name, r.Gender, r.BirthDate,
					r.PhoneHash, r.PhoneCipher, r.PhoneMasked, r.GuardianName, r.GuardianPhoneHash,
					r.GuardianCipher, r.GuardianPhoneMasked, r.GuardianConsentOn}
			}
			return out
		},
		issues: union(dupIssue("'id_number'", "id_hash", "id_hash IS NOT NULL")),
		// a school operator may add persons (recorded as the school's) and update the
		// school's own; a number already recorded for another school's person is the
		// office's to resolve (import_person_links, migrations/00025)
		schoolIssues: union(`SELECT s.line, 'id_number', 'other_school', ''
			FROM import_stage s
			JOIN import_person_links(ARRAY(SELECT id_hash FROM import_stage WHERE id_hash IS NOT NULL), $1) l
				ON l.id_hash = s.id_hash
			WHERE NOT l.linked`),
		upsert: upsertSpec{
			table: "persons",
			insert: `id_hash, id_cipher, id_masked, name, gender, birth_date, phone_hash, phone_cipher,
				phone_masked, guardian_name, guardian_phone_hash, guardian_phone_cipher, guardian_phone_masked,
				school_id`,
			selectSQL: `SELECT id_hash, id_cipher, id_masked, name, gender, birth_date, phone_hash, phone_cipher,
				phone_masked, guardian_name, guardian_phone_hash, guardian_phone_cipher, guardian_phone_masked,
				$1::bigint
				FROM import_stage ORDER BY id_hash`,
			useSchool: true,
			conflict:  "(id_hash)",
			set: []setCol{{cols: []string{"name", "gender", "birth_date"}},
				// phones are compared by hash (ciphertexts differ on every encryption), and a
				// stored ciphertext without a hash counts as different
				{key: "phone", cols: []string{"phone_hash", "phone_cipher", "phone_masked"},
					cmp: []string{"%[1]s.phone_hash", "(%[1]s.phone_cipher IS NULL)"}},
				{key: "guardian_name", cols: []string{"guardian_name"}},
				{key: "guardian_phone", cols: []string{"guardian_phone_hash", "guardian_phone_cipher", "guardian_phone_masked"},
					cmp: []string{"%[1]s.guardian_phone_hash", "(%[1]s.guardian_phone_cipher IS NULL)"}}},
		},
		record: importConsents,
		// persons this transaction wrote (inserted or changed) that have a school: only a
		// school operator's new persons have one at once; the office's get theirs from a
		// participation, which checks them then
		similar: `SELECT p.id, p.school_id FROM import_stage s JOIN persons p ON p.id_hash = s.id_hash
			WHERE p.xmin = pg_current_xact_id()::xid AND p.school_id IS NOT NULL`,
	},

	KindParticipations: {
		analyze: true,
		create: `CREATE TEMP TABLE import_stage (line int NOT NULL, id_hash bytea, edition text,
			school_code text, category text, grade text, teacher_role text, status text, mentor text,
			institution_code text,
			person_id bigint, program text, school_id bigint, school_kind text, category_code text,
			category_program text, institution_id bigint, institution_kind text,
			new_link boolean NOT NULL DEFAULT false) ON COMMIT DROP`,
		columns: []string{"line", "id_hash", "edition", "school_code", "category", "grade", "teacher_role",
			"status", "mentor", "institution_code"},
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.Participations))
			for i, r := range b.Participations {
				out[i] = []any{r.Line, r.IDHash, r.Edition, r.SchoolCode, r.Category, r.Grade, r.TeacherRole,
					r.Status, r.Mentor, r.InstCode}
			}
			return out
		},
		resolve: []string{
			// one pass over the staged rows: every reference resolved by its own outer join
			`UPDATE import_stage s SET person_id = r.person_id, program = r.program,
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
			WHERE r.line = s.line`,
		},
		issues: union(
			`SELECT line, 'id_number', 'person_not_found', '' FROM import_stage
			WHERE id_hash IS NOT NULL AND person_id IS NULL`,
			`SELECT line, 'edition', 'edition_not_found', '' FROM import_stage
			WHERE edition IS NOT NULL AND program IS NULL`,
			`SELECT line, 'school_code', CASE WHEN school_id IS NULL THEN 'org_not_found' ELSE 'not_school' END, ''
			FROM import_stage WHERE school_code IS NOT NULL AND school_kind IS DISTINCT FROM 'school'`,
			`SELECT line, 'institution_code', CASE WHEN institution_id IS NULL THEN 'org_not_found' ELSE 'not_institution' END, ''
			FROM import_stage WHERE institution_code IS NOT NULL AND institution_kind IS DISTINCT FROM 'institution'`,
			`SELECT line, 'category', 'category_not_found', '' FROM import_stage
			WHERE category IS NOT NULL AND category_code IS NULL`,
			`SELECT line, 'category', 'category_program', category_program FROM import_stage
			WHERE category_program <> program`,
			`SELECT line, 'grade', 'grade_program', '' FROM import_stage WHERE grade IS NOT NULL AND program = 'jindaoshi'`,
			`SELECT line, 'teacher_role', 'role_program', '' FROM import_stage WHERE teacher_role IS NOT NULL AND program = 'jingke'`,
			dupIssue("'id_number'", "person_id, edition", "person_id IS NOT NULL AND edition IS NOT NULL"),
		),
		schoolIssues: union(
			`SELECT line, 'school_code', 'not_your_school', '' FROM import_stage
			WHERE school_id IS NOT NULL AND school_id <> $1`,
			// a school links only persons already in its scope (the explicit predicate of
			// queries/scope.sql; row-level security hides the others as well): any other
			// number reads exactly like a number recorded nowhere
			`SELECT s.line, 'id_number', 'person_not_found', '' FROM import_stage s
			WHERE s.person_id IS NOT NULL AND NOT `+schoolSeesPerson("s.person_id", "$1"),
			`SELECT s.line, 'mentor', 'mentor_not_found', '' FROM import_stage s
			WHERE s.mentor IS NOT NULL AND NOT EXISTS (SELECT 1 FROM mentors m
				WHERE m.name = s.mentor AND m.institution_id IS NOT DISTINCT FROM s.institution_id)`,
		),
		prepare: []string{
			// the rows that link a person to a school for the first time: the identity
			// review compares them with the school's other persons once applied
			`UPDATE import_stage s SET new_link = true
			WHERE s.person_id IS NOT NULL
			  AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = s.person_id AND p.school_id = s.school_id)
			  AND NOT EXISTS (SELECT 1 FROM participations pa WHERE pa.person_id = s.person_id AND pa.school_id = s.school_id)
			  AND NOT EXISTS (SELECT 1 FROM person_schools ps WHERE ps.person_id = s.person_id AND ps.school_id = s.school_id)`,
			// the statistics taken before new_link was set say "none": without fresh ones the
			// identity check plans a nested loop over every new link (quadratic)
			`ANALYZE import_stage`,
			// find or create the mentors by (institution, name)
			`INSERT INTO mentors (institution_id, name)
			SELECT DISTINCT institution_id, mentor FROM import_stage WHERE mentor IS NOT NULL
			ON CONFLICT ON CONSTRAINT mentors_institution_name_key DO NOTHING`,
		},
		upsert: upsertSpec{
			table: "participations",
			insert: `person_id, edition_id, program, school_id, category_code, grade, teacher_role, status,
				mentor_id, institution_id, registered_at, reviewed_at, publicized_at, recommended_at,
				admitted_at, completed_at, withdrawn_at, rejected_at`,
			selectSQL: `SELECT s.person_id, s.edition, s.program, s.school_id, s.category_code, s.grade, s.teacher_role,
				s.status, m.id, s.institution_id,
				CASE WHEN s.status = 'registered' THEN now() END, CASE WHEN s.status = 'reviewed' THEN now() END,
				CASE WHEN s.status = 'publicized' THEN now() END, CASE WHEN s.status = 'recommended' THEN now() END,
				CASE WHEN s.status = 'admitted' THEN now() END, CASE WHEN s.status = 'completed' THEN now() END,
				CASE WHEN s.status = 'withdrawn' THEN now() END, CASE WHEN s.status = 'rejected' THEN now() END
				FROM import_stage s
				LEFT JOIN mentors m ON m.name = s.mentor AND coalesce(m.institution_id, 0) = coalesce(s.institution_id, 0)
				ORDER BY s.person_id, s.edition`,
			conflict: "(person_id, edition_id)",
			set: []setCol{{cols: []string{"school_id", "category_code", "status"}},
				{key: "grade", cols: []string{"grade"}}, {key: "teacher_role", cols: []string{"teacher_role"}},
				{key: "mentor", cols: []string{"mentor_id"}}, {key: "institution_code", cols: []string{"institution_id"}}},
			extraSet: func(map[string]bool) []string { return stepTimestamps() },
		},
		after: []string{
			// the person's school is the nominating school of their participation in the
			// edition that ends last
			`UPDATE persons p SET school_id = x.school_id FROM (
				SELECT DISTINCT ON (pa.person_id) pa.person_id, pa.school_id
				FROM participations pa JOIN editions e ON e.id = pa.edition_id
				WHERE pa.person_id IN (SELECT person_id FROM import_stage)
				ORDER BY pa.person_id, e.ends_on DESC, e.starts_on DESC, pa.id DESC) x
			WHERE p.id = x.person_id AND p.school_id IS DISTINCT FROM x.school_id`,
			// school history: the edition's year at the nominating school (a row entered by
			// hand is kept)
			`INSERT INTO person_schools AS ps (person_id, school_year, school_id, grade, source)
			SELECT pa.person_id, e.year, pa.school_id, pa.grade, 'participation'
			FROM import_stage s
			JOIN participations pa ON pa.person_id = s.person_id AND pa.edition_id = s.edition
			JOIN editions e ON e.id = pa.edition_id
			ON CONFLICT (person_id, school_year) DO UPDATE
			SET school_id = EXCLUDED.school_id, grade = EXCLUDED.grade, source = EXCLUDED.source
			WHERE ps.source <> 'manual'
			  AND ROW(ps.school_id, ps.grade, ps.source) IS DISTINCT FROM ROW(EXCLUDED.school_id, EXCLUDED.grade, EXCLUDED.source)`,
		},
		similar: `SELECT person_id, school_id FROM import_stage WHERE new_link`,
	},

	KindAwards: {
		analyze: true,
		create:  trackingCreate("competition text, level text, rank text, awarded_on date, organizer text"),
		columns: append(append([]string{}, trackingCopyCols...), "competition", "level", "rank", "awarded_on", "organizer"),
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.Awards))
			for i, r := range b.Awards {
				out[i] = append(personRefValues(r.Line, r.Person), r.Competition, r.Level, r.Rank, r.AwardedOn, r.Organizer)
			}
			return out
		},
		resolve:      trackingResolve,
		issues:       union(append(append([]string{}, trackingIssues...), trackingDup("competition, awarded_on"))...),
		schoolIssues: trackingSchoolIssues,
		upsert: upsertSpec{
			table:  "awards",
			insert: "person_id, school_id, competition, level, rank, awarded_on, organizer, reported_by",
			selectSQL: `SELECT person_id, ` + trackingSchool + `, competition, level, rank, awarded_on, organizer, $1::text
				FROM import_stage ORDER BY person_id, competition, awarded_on`,
			conflict: "(person_id, competition, awarded_on)",
			set: []setCol{{cols: []string{"level"}}, {key: "rank", cols: []string{"rank"}},
				{key: "organizer", cols: []string{"organizer"}}, {key: "school_code", cols: []string{"school_id"}}},
			// a changed claim (level or rank) of a verified or rejected award is reported anew
			extraSet: func(present map[string]bool) []string {
				claim := "t.level IS DISTINCT FROM EXCLUDED.level"
				if present["rank"] {
					claim += " OR t.rank IS DISTINCT FROM EXCLUDED.rank"
				}
				return []string{"verification = CASE WHEN " + claim + " THEN 'reported' ELSE t.verification END"}
			},
			restore:  true,
			useActor: true,
		},
	},

	KindDestinations: {
		analyze: true,
		create:  trackingCreate("type text, org_name text, major text, started_on date, org_id bigint, org_kind text"),
		columns: append(append([]string{}, trackingCopyCols...), "type", "org_name", "major", "started_on"),
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.Destinations))
			for i, r := range b.Destinations {
				out[i] = append(personRefValues(r.Line, r.Person), r.Type, r.OrgName, r.Major, r.StartedOn)
			}
			return out
		},
		resolve: append(append([]string{}, trackingResolve...),
			// the destination links to the organization whose name is exactly org_name, when
			// exactly one has it
			`UPDATE import_stage s SET org_id = o.id, org_kind = o.kind FROM (
				SELECT name, min(id) AS id, min(kind) AS kind FROM organizations
				WHERE name IN (SELECT org_name FROM import_stage) GROUP BY name HAVING count(*) = 1) o
			WHERE o.name = s.org_name`),
		issues:       union(append(append([]string{}, trackingIssues...), trackingDup("type, started_on"))...),
		schoolIssues: trackingSchoolIssues,
		upsert: upsertSpec{
			table:  "destinations",
			insert: "person_id, school_id, type, org_name, org_id, major, started_on, reported_by",
			selectSQL: `SELECT person_id, ` + trackingSchool + `, type, org_name, org_id, major, started_on, $1::text
				FROM import_stage ORDER BY person_id, type, started_on`,
			conflict: "(person_id, type, started_on)",
			set: []setCol{{key: "org_name", cols: []string{"org_name", "org_id"}}, {key: "major", cols: []string{"major"}},
				{key: "school_code", cols: []string{"school_id"}}},
			restore:  true,
			useActor: true,
		},
		after: []string{
			// a destination at a school continues the person's school history (school year
			// of the start date, the previous one before August); rows of other sources stay
			`INSERT INTO person_schools AS ps (person_id, school_year, school_id, source)
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
			WHERE ps.source = 'destination' AND ps.school_id IS DISTINCT FROM EXCLUDED.school_id`,
		},
	},

	KindCareerMoves: {
		analyze: true,
		create: trackingCreate("org_code text, org_name text, position text, title text, started_on date, " +
			"reason text, org_id bigint"),
		columns: append(append([]string{}, trackingCopyCols...), "org_code", "org_name", "position", "title",
			"started_on", "reason"),
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.CareerMoves))
			for i, r := range b.CareerMoves {
				out[i] = append(personRefValues(r.Line, r.Person), r.OrgCode, r.OrgName, r.Position, r.Title,
					r.StartedOn, r.Reason)
			}
			return out
		},
		resolve: append(append([]string{}, trackingResolve...),
			`UPDATE import_stage s SET org_id = o.id FROM organizations o WHERE o.code = s.org_code`),
		issues: union(append(append([]string{}, trackingIssues...),
			`SELECT line, 'org_code', 'org_not_found', '' FROM import_stage WHERE org_code IS NOT NULL AND org_id IS NULL`,
			// a start inside another move's explicitly ended interval
			`SELECT s.line, 'started_on', 'interval_overlap', min(c.started_on)::text
			FROM import_stage s JOIN career_moves c ON c.person_id = s.person_id AND c.deleted_at IS NULL
				AND c.ended_explicit AND c.started_on < s.started_on AND s.started_on < c.ended_on
			GROUP BY s.line`,
			trackingDup("started_on"))...),
		schoolIssues: trackingSchoolIssues,
		upsert: upsertSpec{
			table:  "career_moves",
			insert: "person_id, school_id, org_id, org_name, position, title, started_on, reason, reported_by",
			selectSQL: `SELECT person_id, ` + trackingSchool + `, org_id, org_name, position, title, started_on, reason, $1::text
				FROM import_stage ORDER BY person_id, started_on`,
			conflict: "(person_id, started_on)",
			set: []setCol{{cols: []string{"position"}}, {key: "org_code", cols: []string{"org_id"}},
				{key: "org_name", cols: []string{"org_name"}}, {key: "title", cols: []string{"title"}},
				{key: "reason", cols: []string{"reason"}}, {key: "school_code", cols: []string{"school_id"}}},
			restore:  true,
			useActor: true,
		},
		after: []string{
			// linked ends: each move of an affected person ends where the next one starts
			`UPDATE career_moves c SET ended_on = n.next_start FROM (
				SELECT id, lead(started_on) OVER (PARTITION BY person_id ORDER BY started_on) AS next_start
				FROM career_moves
				WHERE deleted_at IS NULL AND person_id IN (SELECT person_id FROM import_stage)) n
			WHERE c.id = n.id AND NOT c.ended_explicit AND c.ended_on IS DISTINCT FROM n.next_start`,
		},
	},

	KindFollowUps: {
		analyze: true,
		create:  trackingCreate("contacted_on date, channel text, outcome text, notes text"),
		columns: append(append([]string{}, trackingCopyCols...), "contacted_on", "channel", "outcome", "notes"),
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.FollowUps))
			for i, r := range b.FollowUps {
				out[i] = append(personRefValues(r.Line, r.Person), r.ContactedOn, r.Channel, r.Outcome, r.Notes)
			}
			return out
		},
		resolve:      trackingResolve,
		issues:       union(append(append([]string{}, trackingIssues...), trackingDup("contacted_on, channel"))...),
		schoolIssues: trackingSchoolIssues,
		upsert: upsertSpec{
			table:  "follow_ups",
			insert: "person_id, school_id, contacted_on, channel, outcome, notes, made_by",
			selectSQL: `SELECT person_id, ` + trackingSchool + `, contacted_on, channel, outcome, notes, $1::text
				FROM import_stage ORDER BY person_id, contacted_on, channel`,
			conflict: "(person_id, contacted_on, channel)",
			set: []setCol{{cols: []string{"outcome"}}, {key: "notes", cols: []string{"notes"}},
				{key: "school_code", cols: []string{"school_id"}}},
			restore:  true,
			useActor: true,
		},
	},
}

// stepTimestamps sets the timestamp of the status a participation reaches, the first
// time it reaches it.
func stepTimestamps() []string {
	var out []string
	for _, st := range []string{"registered", "reviewed", "publicized", "recommended", "admitted",
		"completed", "withdrawn", "rejected"} {
		out = append(out, fmt.Sprintf("%[1]s_at = CASE WHEN EXCLUDED.status = '%[1]s' THEN coalesce(t.%[1]s_at, now()) ELSE t.%[1]s_at END", st))
	}
	return out
}

// importConsentSQL records the guardians' consents of a persons file: for each row with a
// guardian_consent_on, a consent of that date (guardian: the person's guardian_name as the
// file left it, else 监护人; legal guardian, on paper) unless the person already has one of
// that date — withdrawn or not, so a re-import neither duplicates nor revives it — with its
// audit row. The staging rows that got one are marked for importConsentStateSQL. It
// returns how many of those persons the upsert had left alone (xmin: not written by this
// transaction). $1 is the actor.
const importConsentSQL = `WITH want AS (
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
SELECT count(DISTINCT line) FILTER (WHERE untouched)::int FROM want`

// importConsentStateSQL makes the persons who just got a consent granted (from pending,
// withdrawn or not_required), auditing each change as ConsentCreate does. A separate
// statement, so that anything checking persons sees the new consents. $1 is the actor.
const importConsentStateSQL = `WITH st AS (
	SELECT p.id, p.school_id, p.consent_state FROM persons p
	WHERE p.id IN (SELECT consent_person FROM import_stage WHERE consent_person IS NOT NULL)
	  AND p.consent_state <> 'granted'
	ORDER BY p.id FOR UPDATE),
up AS (
	UPDATE persons p SET consent_state = 'granted' FROM st WHERE p.id = st.id)
INSERT INTO audit_log (actor, action, entity, entity_id, person_id, school_id, before, after)
SELECT $1::text, 'transition', 'person', st.id::text, st.id, st.school_id,
	jsonb_build_object('consent_state', st.consent_state), jsonb_build_object('consent_state', 'granted')
FROM st`

// importConsents runs importConsentSQL and importConsentStateSQL.
func importConsents(ctx context.Context, tx pgx.Tx, actor string) (int, error) {
	if actor == "" {
		actor = "unknown"
	}
	var untouched int
	if err := tx.QueryRow(ctx, importConsentSQL, actor).Scan(&untouched); err != nil {
		return 0, fmt.Errorf("consents: %w", err)
	}
	if _, err := tx.Exec(ctx, importConsentStateSQL, actor); err != nil {
		return 0, fmt.Errorf("consent state: %w", err)
	}
	return untouched, nil
}
