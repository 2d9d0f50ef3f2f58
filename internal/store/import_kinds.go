package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// importSpec is how one kind is staged, checked and applied. Every statement works on
// the temporary table import_stage, created per transaction and dropped at its end. The
// statements are import.sql's, constant per kind; the only variable part, the list of
// columns an update assigns, is chosen from constant fragments by the columns present in
// the file (upsertSpec.build).
type importSpec struct {
	create  string   // CREATE TEMP TABLE import_stage …
	columns []string // the columns COPY fills, in the order rows returns them
	rows    func(*ImportBatch) [][]any
	analyze bool     // ANALYZE the staging table before resolving (kinds that join)
	resolve []string // UPDATE import_stage … FROM …: references to ids
	issues  string   // (line, column, code, detail) of every problem; "" when check finds them all
	// check finds problems in the batch itself, without the database, before the issues
	// query (persons: duplicate identity numbers).
	check   func(*ImportBatch) []ImportIssue
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
	// school, to compare with the school's other persons (flagSimilar, identity.go). With
	// upsert.written it selects them from $1 (the ids) and $2 (their schools), the rows the
	// upsert returned, and is not run when there are none.
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
	// written: the statement also returns, as two arrays, the ids and schools of the rows
	// it wrote (inserted or changed) that have a school — what importSpec.similar compares,
	// without reading the rows again.
	written bool
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
	returning, written := "", ""
	if u.written {
		returning = ", t.id, t.school_id"
		written = `,
	coalesce(array_agg(id) FILTER (WHERE school_id IS NOT NULL), '{}'),
	coalesce(array_agg(school_id) FILTER (WHERE school_id IS NOT NULL), '{}')`
	}
	return fmt.Sprintf(`WITH up AS (
	INSERT INTO %s AS t (%s)
	%s
	ON CONFLICT %s DO UPDATE SET %s
	WHERE ROW(%s) IS DISTINCT FROM ROW(%s)
	RETURNING (t.xmax = 0) AS ins%s)
SELECT (count(*) FILTER (WHERE ins))::int, (count(*) FILTER (WHERE NOT ins))::int%s FROM up`,
		u.table, u.insert, u.selectSQL, u.conflict, strings.Join(sets, ", "),
		strings.Join(olds, ", "), strings.Join(news, ", "), returning, written)
}

func union(parts ...string) string {
	return strings.Join(parts, "\nUNION ALL\n") + "\nORDER BY 1, 2"
}

// The columns every tracking kind stages first: the person and the school.
var trackingCopyCols = []string{"line", "id_hash", "by_trio", "name", "birth_date", "school_code"}

func personRefValues(line int, p ImportPersonRef) []any {
	return []any{line, p.IDHash, p.ByTrio, p.Name, p.BirthDate, p.SchoolCode}
}

// trackingResolve resolves the person and school of a tracking row (import.sql).
var trackingResolve = importSQL("tracking.resolve_person", "tracking.resolve_trio", "tracking.resolve_trio_school")

// trackingIssues are the person and school problems of a tracking kind, then its own.
func trackingIssues(own ...string) string {
	return union(append(importSQL("tracking.issue_school", "tracking.issue_person", "tracking.issue_trio"),
		importSQL(own...)...)...)
}

// trackingSchoolIssues keep a school operator's tracking rows to their own school.
var trackingSchoolIssues = union(importSQL("tracking.school_issue_school", "tracking.school_issue_person")...)

var importSpecs = map[string]importSpec{
	KindOrganizations: {
		create:  importSQL1("organizations.create"),
		columns: []string{"line", "code", "name", "kind", "type", "region_code", "address", "postal_code"},
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.Organizations))
			for i, r := range b.Organizations {
				out[i] = []any{r.Line, r.Code, r.Name, r.Kind, r.Type, r.RegionCode, r.Address, r.PostalCode}
			}
			return out
		},
		resolve: importSQL("organizations.resolve_region"),
		issues:  union(importSQL("organizations.issue_region", "organizations.issue_duplicate")...),
		upsert: upsertSpec{
			table:     "organizations",
			insert:    "code, name, kind, type, region_code, address, postal_code",
			selectSQL: importSQL1("organizations.rows"),
			conflict:  "(code)",
			set: []setCol{{cols: []string{"name", "kind", "region_code"}},
				{key: "type", cols: []string{"type"}}, {key: "address", cols: []string{"address"}},
				{key: "postal_code", cols: []string{"postal_code"}}},
		},
	},

	KindPersons: {
		create: importSQL1("persons.create"),
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
		check:        personDuplicates,
		schoolIssues: union(importSQL("persons.school_issue_other_school")...),
		upsert: upsertSpec{
			table: "persons",
			insert: `id_hash, id_cipher, id_masked, name, gender, birth_date, phone_hash, phone_cipher,
				phone_masked, guardian_name, guardian_phone_hash, guardian_phone_cipher, guardian_phone_masked,
				school_id`,
			selectSQL: importSQL1("persons.rows"),
			useSchool: true,
			written:   true,
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
		record:  importConsents,
		similar: importSQL1("persons.similar"),
	},

	KindParticipations: {
		analyze: true,
		create:  importSQL1("participations.create"),
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
		resolve: importSQL("participations.resolve"),
		issues: union(importSQL("participations.issue_person", "participations.issue_edition",
			"participations.issue_school", "participations.issue_institution", "participations.issue_category",
			"participations.issue_category_program", "participations.issue_grade", "participations.issue_teacher_role",
			"participations.issue_duplicate")...),
		schoolIssues: union(importSQL("participations.school_issue_school", "participations.school_issue_person",
			"participations.school_issue_mentor")...),
		prepare: importSQL("participations.prepare_new_links", "analyze", "participations.prepare_mentors"),
		upsert: upsertSpec{
			table: "participations",
			insert: `person_id, edition_id, program, school_id, category_code, grade, teacher_role, status,
				mentor_id, institution_id, registered_at, reviewed_at, publicized_at, recommended_at,
				admitted_at, completed_at, withdrawn_at, rejected_at`,
			selectSQL: importSQL1("participations.rows"),
			conflict:  "(person_id, edition_id)",
			set: []setCol{{cols: []string{"school_id", "category_code", "status"}},
				{key: "grade", cols: []string{"grade"}}, {key: "teacher_role", cols: []string{"teacher_role"}},
				{key: "mentor", cols: []string{"mentor_id"}}, {key: "institution_code", cols: []string{"institution_id"}}},
			extraSet: func(map[string]bool) []string { return stepTimestamps() },
		},
		after:   importSQL("participations.after_school", "participations.after_history"),
		similar: importSQL1("participations.similar"),
	},

	KindAwards: {
		analyze: true,
		create:  importSQL1("awards.create"),
		columns: append(append([]string{}, trackingCopyCols...), "competition", "level", "rank", "awarded_on", "organizer"),
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.Awards))
			for i, r := range b.Awards {
				out[i] = append(personRefValues(r.Line, r.Person), r.Competition, r.Level, r.Rank, r.AwardedOn, r.Organizer)
			}
			return out
		},
		resolve:      trackingResolve,
		issues:       trackingIssues("awards.issue_duplicate"),
		schoolIssues: trackingSchoolIssues,
		upsert: upsertSpec{
			table:     "awards",
			insert:    "person_id, school_id, competition, level, rank, awarded_on, organizer, reported_by",
			selectSQL: importSQL1("awards.rows"),
			conflict:  "(person_id, competition, awarded_on)",
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
		create:  importSQL1("destinations.create"),
		columns: append(append([]string{}, trackingCopyCols...), "type", "org_name", "major", "started_on"),
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.Destinations))
			for i, r := range b.Destinations {
				out[i] = append(personRefValues(r.Line, r.Person), r.Type, r.OrgName, r.Major, r.StartedOn)
			}
			return out
		},
		resolve:      append(slices.Clone(trackingResolve), importSQL("destinations.resolve_org")...),
		issues:       trackingIssues("destinations.issue_duplicate"),
		schoolIssues: trackingSchoolIssues,
		upsert: upsertSpec{
			table:     "destinations",
			insert:    "person_id, school_id, type, org_name, org_id, major, started_on, reported_by",
			selectSQL: importSQL1("destinations.rows"),
			conflict:  "(person_id, type, started_on)",
			set: []setCol{{key: "org_name", cols: []string{"org_name", "org_id"}}, {key: "major", cols: []string{"major"}},
				{key: "school_code", cols: []string{"school_id"}}},
			restore:  true,
			useActor: true,
		},
		after: importSQL("destinations.after_history"),
	},

	KindCareerMoves: {
		analyze: true,
		create:  importSQL1("career-moves.create"),
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
		resolve: append(slices.Clone(trackingResolve), importSQL("career-moves.resolve_org")...),
		issues: trackingIssues("career-moves.issue_org", "career-moves.issue_overlap",
			"career-moves.issue_duplicate"),
		schoolIssues: trackingSchoolIssues,
		upsert: upsertSpec{
			table:     "career_moves",
			insert:    "person_id, school_id, org_id, org_name, position, title, started_on, reason, reported_by",
			selectSQL: importSQL1("career-moves.rows"),
			conflict:  "(person_id, started_on)",
			set: []setCol{{cols: []string{"position"}}, {key: "org_code", cols: []string{"org_id"}},
				{key: "org_name", cols: []string{"org_name"}}, {key: "title", cols: []string{"title"}},
				{key: "reason", cols: []string{"reason"}}, {key: "school_code", cols: []string{"school_id"}}},
			restore:  true,
			useActor: true,
		},
		after: importSQL("career-moves.after_ends"),
	},

	KindFollowUps: {
		analyze: true,
		create:  importSQL1("follow-ups.create"),
		columns: append(append([]string{}, trackingCopyCols...), "contacted_on", "channel", "outcome", "notes"),
		rows: func(b *ImportBatch) [][]any {
			out := make([][]any, len(b.FollowUps))
			for i, r := range b.FollowUps {
				out[i] = append(personRefValues(r.Line, r.Person), r.ContactedOn, r.Channel, r.Outcome, r.Notes)
			}
			return out
		},
		resolve:      trackingResolve,
		issues:       trackingIssues("follow-ups.issue_duplicate"),
		schoolIssues: trackingSchoolIssues,
		upsert: upsertSpec{
			table:     "follow_ups",
			insert:    "person_id, school_id, contacted_on, channel, outcome, notes, made_by",
			selectSQL: importSQL1("follow-ups.rows"),
			conflict:  "(person_id, contacted_on, channel)",
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

// importConsentSQL records the consents, then the persons' new state (import.sql).
var importConsentSQL = importSQL("persons.consents", "persons.consent_state")

// importConsents records the guardians' consents of a persons file and makes those persons
// granted (import.sql: persons.consents, persons.consent_state).
func importConsents(ctx context.Context, tx pgx.Tx, actor string) (int, error) {
	if actor == "" {
		actor = "unknown"
	}
	var untouched int
	if err := tx.QueryRow(ctx, importConsentSQL[0], actor).Scan(&untouched); err != nil {
		return 0, fmt.Errorf("consents: %w", err)
	}
	if _, err := tx.Exec(ctx, importConsentSQL[1], actor); err != nil {
		return 0, fmt.Errorf("consent state: %w", err)
	}
	return untouched, nil
}

// personDuplicates are the rows of a persons batch whose identity number a row of a
// smaller line also has: "duplicate of row N", N the smallest such line, on id_number, by
// line — what a window over the staged rows partitioned by id_hash gave, without sorting
// them all in the database.
func personDuplicates(b *ImportBatch) []ImportIssue {
	first := make(map[string]int, len(b.Persons))
	for _, r := range b.Persons {
		if r.IDHash == nil {
			continue
		}
		if f, ok := first[string(r.IDHash)]; !ok || r.Line < f {
			first[string(r.IDHash)] = r.Line
		}
	}
	var out []ImportIssue
	for _, r := range b.Persons {
		if f := first[string(r.IDHash)]; r.IDHash != nil && r.Line != f {
			out = append(out, ImportIssue{Line: r.Line, Column: "id_number", Code: IssueDuplicate, Detail: strconv.Itoa(f)})
		}
	}
	slices.SortStableFunc(out, func(a, b ImportIssue) int { return a.Line - b.Line })
	return out
}
