package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"talentdb/db"
)

// The row types below are what the demo-data generator (internal/seed) hands to the store
// for bulk loading. In every one of them a zero value — "", 0, the zero time, a nil slice —
// is written as NULL, so optional columns need no pointers.

// SeedOrganization is one organizations row with an id reserved by SeedTx.ReserveIDs.
type SeedOrganization struct {
	ID                                                                   int64
	Code, Name, Kind, Type, RegionCode, Address, PostalCode              string
	HeadName, HeadTitle, HeadOfficePhone, HeadMobile, HeadEmail, HeadFax string
	LeadName, LeadTitle, LeadOfficePhone, LeadMobile, LeadEmail, LeadFax string
}

// SeedMentor is one mentors row with a reserved id.
type SeedMentor struct {
	ID, InstitutionID int64
	Name, Title       string
	PhoneCipher       []byte
	PhoneMasked       string
	Email             string
}

// SeedPerson is one persons row with a reserved id; identifiers already protected.
type SeedPerson struct {
	ID                  int64
	IDHash, IDCipher    []byte
	IDMasked            string
	Name, Gender        string
	BirthDate           time.Time
	PhoneHash           []byte
	PhoneCipher         []byte
	PhoneMasked         string
	Email               string
	GuardianName        string
	GuardianPhoneHash   []byte
	GuardianPhoneCipher []byte
	GuardianPhoneMasked string
	SchoolID            int64
	ConsentState        string
}

// SeedConsent is one guardian consent.
type SeedConsent struct {
	PersonID, SchoolID                        int64
	GuardianName, Relationship, Method, Scope string
	GrantedOn                                 time.Time
	RecordedBy                                string
}

// SeedPersonSchool is a person's school in one school year.
type SeedPersonSchool struct {
	PersonID   int64
	SchoolYear int
	SchoolID   int64
	Grade      string
	Source     string
}

// SeedParticipation is a person in one edition, with the step timestamps it reached.
type SeedParticipation struct {
	PersonID                                 int64
	EditionID, Program                       string
	SchoolID                                 int64
	CategoryCode, Grade, TeacherRole, Status string
	MentorID, InstitutionID                  int64
	RegisteredAt, ReviewedAt, PublicizedAt   time.Time
	RecommendedAt, AdmittedAt, CompletedAt   time.Time
	WithdrawnAt, RejectedAt                  time.Time
	Evaluation, EvaluationComment            string
	EvaluatedAt                              time.Time
}

// SeedAward is one award.
type SeedAward struct {
	PersonID, SchoolID       int64
	Competition, Level, Rank string
	AwardedOn                time.Time
	Organizer, CategoryCode  string
	Verification, VerifiedBy string
	VerifiedAt               time.Time
	ReportedBy               string
}

// SeedDestination is one graduation destination.
type SeedDestination struct {
	PersonID, SchoolID int64
	Type, OrgName      string
	OrgID              int64
	Major              string
	StartedOn          time.Time
	ReportedBy         string
}

// SeedCareerMove is one career move; EndedOn is the start of the next move or zero.
type SeedCareerMove struct {
	PersonID, SchoolID, OrgID int64
	OrgName, Position, Title  string
	StartedOn, EndedOn        time.Time
	Reason, ReportedBy        string
}

// SeedFollowUp is one contact with an alumnus.
type SeedFollowUp struct {
	PersonID, SchoolID              int64
	ContactedOn                     time.Time
	Channel, Outcome, Notes, MadeBy string
}

// SeedBatch is everything generated for one batch of persons. CopyBatch writes it table by
// table in foreign-key order.
type SeedBatch struct {
	Persons        []SeedPerson
	Consents       []SeedConsent
	PersonSchools  []SeedPersonSchool
	Participations []SeedParticipation
	Awards         []SeedAward
	Destinations   []SeedDestination
	CareerMoves    []SeedCareerMove
	FollowUps      []SeedFollowUp
}

// ErrHasData: the database already holds persons, organizations or participations, and
// demo data must never be mixed into real data.
var ErrHasData = errors.New("database already has data")

// SeedTx is the one transaction in which demo data is loaded.
type SeedTx struct {
	tx pgx.Tx
	q  *db.Queries
}

// Seed runs fn in one transaction holding the seed advisory lock, so that two concurrent
// seeders cannot both find the database empty. The data appears all at once or not at all.
//
// The load runs as the connecting user (the tables' owner, or a superuser), not as AppRole,
// with the office scope: PostgreSQL refuses COPY into a table whose row-level security
// applies to the user. For an owner that is not a superuser the tables' FORCE ROW LEVEL
// SECURITY is lifted inside the transaction and put back before it commits, so no other
// session ever sees it lifted (ALTER TABLE holds its lock until the end).
func (s *Store) Seed(ctx context.Context, fn func(t *SeedTx) error) error {
	opts := pgx.TxOptions{BeginQuery: "BEGIN; " + OfficeScope.settings(true)}
	return pgx.BeginTxFunc(ctx, s.Pool, opts, func(tx pgx.Tx) error {
		t := &SeedTx{tx: tx, q: s.q}
		if err := t.q.SeedLock(ctx, tx); err != nil {
			return mapErr("seed lock", err)
		}
		forced, err := liftForcedRLS(ctx, tx)
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
		for _, table := range forced {
			if _, err := tx.Exec(ctx, "ALTER TABLE "+pgx.Identifier{table}.Sanitize()+" FORCE ROW LEVEL SECURITY"); err != nil {
				return mapErr("seed: restore row security", err)
			}
		}
		return nil
	})
}

// liftForcedRLS switches FORCE ROW LEVEL SECURITY off, for the current transaction, on the
// tables that have it, unless the user is a superuser (whom row security never applies
// to); it returns the tables to switch back on.
func liftForcedRLS(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname::text FROM pg_class c
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relforcerowsecurity
		  AND current_setting('is_superuser') <> 'on'
		ORDER BY c.relname`)
	if err != nil {
		return nil, mapErr("seed: row security", err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, mapErr("seed: row security", err)
	}
	for _, table := range tables {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+pgx.Identifier{table}.Sanitize()+" NO FORCE ROW LEVEL SECURITY"); err != nil {
			return nil, mapErr("seed: row security", err)
		}
	}
	return tables, nil
}

// The two catalog queries of the fast load are written here rather than in queries/seed.sql
// because sqlc does not know the system catalogs.
const (
	seedFastLoadAllowedSQL = `
SELECT current_setting('is_superuser') = 'on'
   AND NOT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                   WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
                     AND (t.tgtype & 4) <> 0 AND t.tgname <> 'persons_consent_gate'
                     AND t.tgname <> 'due_state_insert' AND t.tgname NOT LIKE 'report\_facts\_%\_ins')`
	// seedConsentGateSQL is what the trigger persons_consent_gate does row by row
	// (migrations/00093_consent_gate.sql), set-based: the fast load skips the trigger and
	// applies its rule to the loaded rows before verifying the keys.
	seedConsentGateSQL = `
UPDATE persons SET consent_state = 'pending'
WHERE consent_state = 'not_required' AND needs_guardian_consent(birth_date, china_today())`
	seedForeignKeysSQL = `
SELECT c.conname::text, c.conrelid::regclass::text, c.confrelid::regclass::text,
       array_agg(ca.attname::text ORDER BY k.ord), array_agg(pa.attname::text ORDER BY k.ord)
FROM pg_constraint c
CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k (ck, pk, ord)
JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.ck
JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk
WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
GROUP BY c.oid, c.conname, c.conrelid, c.confrelid
ORDER BY c.conname`
)

// ErrForeignKey: a row loaded with the per-row checks off refers to nothing.
var ErrForeignKey = errors.New("foreign key violated")

// FastLoad switches off, for the rest of the transaction, the per-row foreign-key triggers
// (session_replication_role = replica), which halves the time of a large load. It does so
// only for a superuser and only when the schema has no user-defined INSERT trigger that
// would be skipped too (but the consent gate, the due_state and the report facts
// triggers, which VerifyForeignKeys applies set-based);
// it reports whether it did. The caller must then call
// VerifyForeignKeys before committing.
func (t *SeedTx) FastLoad(ctx context.Context) (bool, error) {
	var ok bool
	if err := t.tx.QueryRow(ctx, seedFastLoadAllowedSQL).Scan(&ok); err != nil {
		return false, mapErr("seed: fast load check", err)
	}
	if !ok {
		return false, nil
	}
	if _, err := t.tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
		return false, mapErr("seed: fast load", err)
	}
	return true, nil
}

// VerifyForeignKeys restores the per-row checks and verifies every foreign key of the
// schema set-based (one anti-join per key), which is what the skipped triggers would have
// checked row by row. A violation is ErrForeignKey naming the constraint.
func (t *SeedTx) VerifyForeignKeys(ctx context.Context) error {
	if _, err := t.tx.Exec(ctx, "SET LOCAL session_replication_role = origin"); err != nil {
		return mapErr("seed: restore checks", err)
	}
	if _, err := t.tx.Exec(ctx, seedConsentGateSQL); err != nil {
		return mapErr("seed: consent gate", err)
	}
	// the due_state and report facts triggers were skipped too: recompute them for everyone,
	// after ANALYZE — the planner must know the rows this transaction loaded (it counts its
	// own), or it plans the recomputation over the whole load as over empty tables
	if _, err := t.tx.Exec(ctx, "ANALYZE persons, participations, editions, awards, destinations, follow_ups, career_moves"); err != nil {
		return mapErr("seed: analyze", err)
	}
	if _, err := t.tx.Exec(ctx, "SELECT due_state_refresh(NULL)"); err != nil {
		return mapErr("seed: due state", err)
	}
	if _, err := t.tx.Exec(ctx, "SELECT report_facts_refresh(ARRAY(SELECT person_id FROM participations "+
		"UNION SELECT person_id FROM awards UNION SELECT person_id FROM destinations UNION SELECT person_id FROM career_moves))"); err != nil {
		return mapErr("seed: report facts", err)
	}
	rows, err := t.tx.Query(ctx, seedForeignKeysSQL)
	if err != nil {
		return mapErr("seed: list foreign keys", err)
	}
	type fk struct {
		name, child, parent   string
		childCols, parentCols []string
	}
	var fks []fk
	for rows.Next() {
		var k fk
		if err := rows.Scan(&k.name, &k.child, &k.parent, &k.childCols, &k.parentCols); err != nil {
			rows.Close()
			return mapErr("seed: list foreign keys", err)
		}
		fks = append(fks, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return mapErr("seed: list foreign keys", err)
	}
	for _, k := range fks {
		var notNull, match []string
		for i := range k.childCols {
			c := pgx.Identifier{k.childCols[i]}.Sanitize()
			notNull = append(notNull, "c."+c+" IS NOT NULL")
			match = append(match, "p."+pgx.Identifier{k.parentCols[i]}.Sanitize()+" = c."+c)
		}
		// MATCH SIMPLE: a row with a NULL in the key is not checked
		q := fmt.Sprintf("SELECT EXISTS (SELECT 1 FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s))",
			k.child, strings.Join(notNull, " AND "), k.parent, strings.Join(match, " AND "))
		var broken bool
		if err := t.tx.QueryRow(ctx, q).Scan(&broken); err != nil {
			return mapErr("seed: verify "+k.name, err)
		}
		if broken {
			return fmt.Errorf("store: seed: %w: %s (%s → %s)", ErrForeignKey, k.name, k.child, k.parent)
		}
	}
	return nil
}

// HasData reports whether persons, organizations or participations hold any row.
func (t *SeedTx) HasData(ctx context.Context) (bool, error) {
	has, err := t.q.SeedHasData(ctx, t.tx)
	return has, mapErr("seed: check empty", err)
}

// ReserveIDs takes n consecutive identity values of table (organizations, mentors or
// persons) and returns the first; the rows are then written with those ids.
func (t *SeedTx) ReserveIDs(ctx context.Context, table string, n int) (int64, error) {
	switch table {
	case "organizations", "mentors", "persons":
	default:
		return 0, fmt.Errorf("store: reserve ids: table %q not supported", table)
	}
	if n <= 0 {
		return 0, fmt.Errorf("store: reserve ids: n = %d", n)
	}
	first, err := t.q.SeedReserveIDs(ctx, t.tx, db.SeedReserveIDsParams{TableName: table, N: int64(n)})
	return first, mapErr("reserve ids", err)
}

// EditionsEnsure creates the editions that do not exist yet (an existing one is kept as it
// is) and returns the editions of the years firstYear … lastYear as they now stand.
func (t *SeedTx) EditionsEnsure(ctx context.Context, eds []Edition, firstYear, lastYear int) ([]Edition, error) {
	for _, e := range eds {
		err := t.q.SeedEditionInsert(ctx, t.tx, db.SeedEditionInsertParams{ID: e.ID, Program: e.Program,
			Year: int32(e.Year), StartsOn: e.StartsOn, EndsOn: e.EndsOn, Status: e.Status})
		if err != nil {
			return nil, mapErr("seed: add edition", err)
		}
	}
	rows, err := t.q.SeedEditionList(ctx, t.tx, db.SeedEditionListParams{FirstYear: int32(firstYear), LastYear: int32(lastYear)})
	if err != nil {
		return nil, mapErr("seed: list editions", err)
	}
	out := make([]Edition, len(rows))
	for i, r := range rows {
		out[i] = Edition{ID: r.ID, Program: r.Program, Year: int(r.Year), StartsOn: r.StartsOn, EndsOn: r.EndsOn, Status: r.Status}
	}
	return out, nil
}

// CopyOrganizations bulk-loads organizations.
func (t *SeedTx) CopyOrganizations(ctx context.Context, rows []SeedOrganization) error {
	return t.copy(ctx, "organizations", []string{"id", "code", "name", "kind", "type", "region_code", "address",
		"postal_code", "head_name", "head_title", "head_office_phone", "head_mobile", "head_email", "head_fax",
		"lead_name", "lead_title", "lead_office_phone", "lead_mobile", "lead_email", "lead_fax"},
		len(rows), func(i int) []any {
			r := &rows[i]
			return []any{r.ID, r.Code, r.Name, r.Kind, seedStr(r.Type), r.RegionCode, seedStr(r.Address), seedStr(r.PostalCode),
				seedStr(r.HeadName), seedStr(r.HeadTitle), seedStr(r.HeadOfficePhone), seedStr(r.HeadMobile), seedStr(r.HeadEmail), seedStr(r.HeadFax),
				seedStr(r.LeadName), seedStr(r.LeadTitle), seedStr(r.LeadOfficePhone), seedStr(r.LeadMobile), seedStr(r.LeadEmail), seedStr(r.LeadFax)}
		})
}

// CopyMentors bulk-loads mentors.
func (t *SeedTx) CopyMentors(ctx context.Context, rows []SeedMentor) error {
	return t.copy(ctx, "mentors", []string{"id", "name", "institution_id", "title", "phone_cipher", "phone_masked", "email"},
		len(rows), func(i int) []any {
			r := &rows[i]
			return []any{r.ID, r.Name, seedInt(r.InstitutionID), seedStr(r.Title), seedBytes(r.PhoneCipher), seedStr(r.PhoneMasked), seedStr(r.Email)}
		})
}

// CopyBatch bulk-loads one batch of persons and everything that refers to them.
func (t *SeedTx) CopyBatch(ctx context.Context, b *SeedBatch) error {
	err := t.copy(ctx, "persons", []string{"id", "id_hash", "id_cipher", "id_masked", "name", "gender", "birth_date",
		"phone_hash", "phone_cipher", "phone_masked", "email", "guardian_name", "guardian_phone_hash",
		"guardian_phone_cipher", "guardian_phone_masked", "school_id", "consent_state"},
		len(b.Persons), func(i int) []any {
			r := &b.Persons[i]
			return []any{r.ID, r.IDHash, r.IDCipher, r.IDMasked, r.Name, r.Gender, r.BirthDate,
				seedBytes(r.PhoneHash), seedBytes(r.PhoneCipher), seedStr(r.PhoneMasked), seedStr(r.Email), seedStr(r.GuardianName), seedBytes(r.GuardianPhoneHash),
				seedBytes(r.GuardianPhoneCipher), seedStr(r.GuardianPhoneMasked), seedInt(r.SchoolID), r.ConsentState}
		})
	if err != nil {
		return err
	}
	err = t.copy(ctx, "consents", []string{"person_id", "school_id", "guardian_name", "relationship", "method", "scope",
		"granted_on", "recorded_by"},
		len(b.Consents), func(i int) []any {
			r := &b.Consents[i]
			return []any{r.PersonID, seedInt(r.SchoolID), r.GuardianName, r.Relationship, r.Method, r.Scope, r.GrantedOn, seedStr(r.RecordedBy)}
		})
	if err != nil {
		return err
	}
	err = t.copy(ctx, "person_schools", []string{"person_id", "school_year", "school_id", "grade", "source"},
		len(b.PersonSchools), func(i int) []any {
			r := &b.PersonSchools[i]
			return []any{r.PersonID, int32(r.SchoolYear), r.SchoolID, seedStr(r.Grade), r.Source}
		})
	if err != nil {
		return err
	}
	err = t.copy(ctx, "participations", []string{"person_id", "edition_id", "program", "school_id", "category_code",
		"grade", "teacher_role", "status", "mentor_id", "institution_id", "registered_at", "reviewed_at", "publicized_at",
		"recommended_at", "admitted_at", "completed_at", "withdrawn_at", "rejected_at", "evaluation",
		"evaluation_comment", "evaluated_at"},
		len(b.Participations), func(i int) []any {
			r := &b.Participations[i]
			return []any{r.PersonID, r.EditionID, r.Program, r.SchoolID, r.CategoryCode, seedStr(r.Grade), seedStr(r.TeacherRole),
				r.Status, seedInt(r.MentorID), seedInt(r.InstitutionID), seedTime(r.RegisteredAt), seedTime(r.ReviewedAt), seedTime(r.PublicizedAt),
				seedTime(r.RecommendedAt), seedTime(r.AdmittedAt), seedTime(r.CompletedAt), seedTime(r.WithdrawnAt), seedTime(r.RejectedAt),
				seedStr(r.Evaluation), seedStr(r.EvaluationComment), seedTime(r.EvaluatedAt)}
		})
	if err != nil {
		return err
	}
	err = t.copy(ctx, "awards", []string{"person_id", "school_id", "competition", "level", "rank", "awarded_on",
		"organizer", "category_code", "verification", "verified_by", "verified_at", "reported_by"},
		len(b.Awards), func(i int) []any {
			r := &b.Awards[i]
			return []any{r.PersonID, seedInt(r.SchoolID), r.Competition, r.Level, seedStr(r.Rank), r.AwardedOn,
				seedStr(r.Organizer), seedStr(r.CategoryCode), r.Verification, seedStr(r.VerifiedBy), seedTime(r.VerifiedAt), seedStr(r.ReportedBy)}
		})
	if err != nil {
		return err
	}
	err = t.copy(ctx, "destinations", []string{"person_id", "school_id", "type", "org_name", "org_id", "major",
		"started_on", "reported_by"},
		len(b.Destinations), func(i int) []any {
			r := &b.Destinations[i]
			return []any{r.PersonID, seedInt(r.SchoolID), r.Type, seedStr(r.OrgName), seedInt(r.OrgID), seedStr(r.Major), r.StartedOn, seedStr(r.ReportedBy)}
		})
	if err != nil {
		return err
	}
	err = t.copy(ctx, "career_moves", []string{"person_id", "school_id", "org_id", "org_name", "position", "title",
		"started_on", "ended_on", "reason", "reported_by"},
		len(b.CareerMoves), func(i int) []any {
			r := &b.CareerMoves[i]
			return []any{r.PersonID, seedInt(r.SchoolID), seedInt(r.OrgID), seedStr(r.OrgName), r.Position, seedStr(r.Title),
				r.StartedOn, seedTime(r.EndedOn), seedStr(r.Reason), seedStr(r.ReportedBy)}
		})
	if err != nil {
		return err
	}
	return t.copy(ctx, "follow_ups", []string{"person_id", "school_id", "contacted_on", "channel", "outcome", "notes", "made_by"},
		len(b.FollowUps), func(i int) []any {
			r := &b.FollowUps[i]
			return []any{r.PersonID, seedInt(r.SchoolID), r.ContactedOn, r.Channel, r.Outcome, seedStr(r.Notes), seedStr(r.MadeBy)}
		})
}

// SeedCycleCounts is how many rows each step of the yearly cycle wrote.
type SeedCycleCounts struct {
	Applications, ApplicationPhases, PublicNotices, Objections, GrowthLogs, Tasks int64
	TrainingSessions, TrainingAttendance, YearSummaries, ExchangeRecommendations  int64
}

// SeedCycle fills the yearly cycle set-based from the participations already loaded:
// applications, phases, public notices and an objection, growth logs, tasks and training
// of the cycle year; year summaries and exchange recommendations of the years before.
// Nothing is dated after today.
func (t *SeedTx) SeedCycle(ctx context.Context, year int, today time.Time) (SeedCycleCounts, error) {
	var c SeedCycleCounts
	y := int32(year)
	steps := []struct {
		name string
		dst  *int64
		run  func() (int64, error)
	}{
		{"applications", &c.Applications, func() (int64, error) { return t.q.SeedCycleApplications(ctx, t.tx, y) }},
		{"application phases", &c.ApplicationPhases, func() (int64, error) { return t.q.SeedCycleApplicationPhases(ctx, t.tx, y) }},
		{"public notices", &c.PublicNotices, func() (int64, error) { return t.q.SeedCyclePublicNotices(ctx, t.tx, y) }},
		{"objections", &c.Objections, func() (int64, error) { return t.q.SeedCycleObjections(ctx, t.tx, y) }},
		{"growth logs", &c.GrowthLogs, func() (int64, error) {
			return t.q.SeedCycleGrowthLogs(ctx, t.tx, db.SeedCycleGrowthLogsParams{Today: today, Year: y})
		}},
		{"tasks", &c.Tasks, func() (int64, error) {
			return t.q.SeedCycleTasks(ctx, t.tx, db.SeedCycleTasksParams{Today: today, Year: y})
		}},
		{"training sessions", &c.TrainingSessions, func() (int64, error) {
			return t.q.SeedCycleTrainingSessions(ctx, t.tx, db.SeedCycleTrainingSessionsParams{Today: today, Year: y})
		}},
		{"training attendance", &c.TrainingAttendance, func() (int64, error) { return t.q.SeedCycleTrainingAttendance(ctx, t.tx, y) }},
		{"year summaries", &c.YearSummaries, func() (int64, error) { return t.q.SeedYearSummaries(ctx, t.tx, y) }},
		{"exchange recommendations", &c.ExchangeRecommendations, func() (int64, error) { return t.q.SeedExchangeRecommendations(ctx, t.tx, y) }},
	}
	for _, s := range steps {
		n, err := s.run()
		if err != nil {
			return c, mapErr("seed "+s.name, err)
		}
		*s.dst = n
	}
	return c, nil
}

// TableCount is the number of rows of one table.
type TableCount struct {
	Table string
	Rows  int64
}

// SeedCounts returns the row count of every table the demo data fills, in a fixed order.
func (t *SeedTx) SeedCounts(ctx context.Context) ([]TableCount, error) {
	r, err := t.q.SeedCounts(ctx, t.tx)
	if err != nil {
		return nil, mapErr("seed counts", err)
	}
	return []TableCount{
		{"organizations", r.Organizations}, {"editions", r.Editions}, {"mentors", r.Mentors},
		{"persons", r.Persons}, {"consents", r.Consents}, {"person_schools", r.PersonSchools},
		{"participations", r.Participations}, {"awards", r.Awards}, {"destinations", r.Destinations},
		{"career_moves", r.CareerMoves}, {"follow_ups", r.FollowUps}, {"applications", r.Applications},
		{"application_phases", r.ApplicationPhases}, {"public_notices", r.PublicNotices},
		{"objections", r.Objections}, {"growth_logs", r.GrowthLogs}, {"tasks", r.Tasks},
		{"training_sessions", r.TrainingSessions}, {"training_attendance", r.TrainingAttendance},
		{"year_summaries", r.YearSummaries}, {"exchange_recommendations", r.ExchangeRecommendations},
	}, nil
}

// Analyze vacuums the loaded tables and refreshes their planner statistics, so that the
// first reports after a bulk load get good plans: the statistics for the planner, the
// visibility map for the index-only scans the reports and the due list rely on (without
// it each of their rows is fetched from the heap; autovacuum may be off, as on the bench
// machine, or late). It runs outside the load transaction (VACUUM cannot run in one).
func (s *Store) Analyze(ctx context.Context) error {
	// the reports' facts and counts and the due state too: written by the load's refresh,
	// unanalyzed they are planned as empty
	_, err := s.Pool.Exec(ctx, "VACUUM (ANALYZE) organizations, mentors, persons, consents, person_schools, participations, "+
		"awards, destinations, career_moves, follow_ups, applications, growth_logs, tasks, due_state, "+
		"report_cohort_facts, report_cohort_counts, report_participant_facts, report_participant_counts, report_alumni_spells, "+
		"report_record_facts, report_record_counts, report_alumni_years, report_alumni_counts, report_reach_facts, report_reach_counts")
	return mapErr("analyze", err)
}

func (t *SeedTx) copy(ctx context.Context, table string, cols []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	_, err := t.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(n, func(i int) ([]any, error) {
		return row(i), nil
	}))
	if err != nil {
		return mapErr("copy "+table, err)
	}
	return nil
}

// seedStr, seedInt, seedBytes and seedTime turn the zero value into NULL.
func seedStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func seedInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func seedBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

func seedTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
