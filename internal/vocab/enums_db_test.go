package vocab_test

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"testing"

	"talentdb/internal/dbtest"
	"talentdb/internal/doortest"
	"talentdb/internal/vocab"
)

// checked maps each column whose CHECK lists its values to the enumeration that holds them.
var checked = map[string]vocab.Enum{
	"programs.code":                        vocab.Programs,
	"editions.status":                      vocab.EditionStatuses,
	"organizations.kind":                   vocab.OrgKinds,
	"organizations.type":                   vocab.OrgTypes,
	"persons.gender":                       vocab.Genders,
	"persons.consent_state":                vocab.ConsentStates,
	"consents.relationship":                vocab.ConsentRelationships,
	"consents.method":                      vocab.ConsentMethods,
	"participations.grade":                 vocab.Grades,
	"participations.teacher_role":          vocab.TeacherRoles,
	"participations.status":                vocab.Statuses,
	"participations.evaluation":            vocab.Evaluations,
	"participation_assessments.evaluation": vocab.Evaluations,
	"participation_assessments.by_role":    vocab.AssessorRoles,
	"awards.level":                         vocab.Levels,
	"awards.verification":                  vocab.Verifications,
	"destinations.type":                    vocab.DestinationTypes,
	"career_moves.position":                vocab.Positions,
	"career_moves.title":                   vocab.Titles,
	"career_moves.reason":                  vocab.Reasons,
	"follow_ups.channel":                   vocab.Channels,
	"follow_ups.outcome":                   vocab.Outcomes,
	"users.role":                           vocab.Roles,
	"audit_log.action":                     vocab.AuditActions,
	"reminder_settings.webhook_kind":       vocab.WebhookKinds,
	"reminder_sends.status":                vocab.ReminderSendStatuses,
	"reminder_sends.channel":               vocab.ReminderChannels,
	"self_reports.status":                  vocab.SelfReportStatuses,
	"self_reports.respondent":              vocab.Respondents,
	"self_reports.dest_type":               vocab.DestinationTypes,
	"applications.status":                  vocab.ApplicationStatuses,
	"application_phases.phase":             vocab.Phases,
	"objections.outcome":                   vocab.ObjectionOutcomes,
	"training_sessions.kind":               vocab.TrainingKinds,
	"frozen_reports.kind":                  vocab.ReportKinds,
}

// notVocab are the listing CHECKs that are no enumeration of the product's words: school-year
// grades 1-12 (a person's history, never entered as a participation grade), where a school
// year came from, the identity review's states, the region level (a number), and the kinds
// of the reports' facts (internal to the cohort statement, never shown or entered).
var notVocab = []string{"person_schools.grade", "person_schools.source", "identity_candidates.status",
	"regions.level", "report_cohort_facts.kind"}

var quoted = regexp.MustCompile(`'([^']*)'`)

// TestEnumsMatchSchema: for every column whose CHECK lists its values, the vocab
// enumeration has exactly those keys — a key added on either side fails here — and no such
// CHECK is left without its enumeration.
func TestEnumsMatchSchema(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	rows, err := st.Pool.Query(context.Background(), `
		SELECT c.conrelid::regclass::text, a.attname, pg_get_constraintdef(c.oid)
		FROM pg_constraint c
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		WHERE c.contype = 'c' AND cardinality(c.conkey) = 1
		  AND c.connamespace = 'public'::regnamespace
		  AND pg_get_constraintdef(c.oid) ~ '= ANY \(ARRAY\['`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	found := map[string]bool{}
	for rows.Next() {
		var table, column, def string
		if err := rows.Scan(&table, &column, &def); err != nil {
			t.Fatal(err)
		}
		col := table + "." + column
		found[col] = true
		e, ok := checked[col]
		if !ok {
			if !slices.Contains(notVocab, col) {
				t.Errorf("%s has a CHECK listing values (%s) but no vocab enumeration", col, def)
			}
			continue
		}
		var keys []string
		for _, m := range quoted.FindAllStringSubmatch(def, -1) {
			keys = append(keys, m[1])
		}
		want := e.Keys()
		sort.Strings(keys)
		sort.Strings(want)
		if !slices.Equal(keys, want) {
			t.Errorf("%s: the CHECK allows %v, vocab.%s has %v", col, keys, e.Name, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for col := range checked {
		if !found[col] {
			t.Errorf("%s: no CHECK listing its values in the schema", col)
		}
	}
}

// TestCategoriesMatchReferenceData: vocab.Categories are the categories table's codes and
// Chinese names, in its order.
func TestCategoriesMatchReferenceData(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	rows, err := st.Pool.Query(context.Background(), `SELECT code, name_zh FROM categories ORDER BY sort_order, code`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []vocab.Term
	for rows.Next() {
		var tm vocab.Term
		if err := rows.Scan(&tm.Key, &tm.Zh); err != nil {
			t.Fatal(err)
		}
		got = append(got, tm)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(vocab.Categories.Terms) {
		t.Fatalf("the table has %d categories, vocab %d", len(got), len(vocab.Categories.Terms))
	}
	for i, tm := range got {
		if v := vocab.Categories.Terms[i]; v.Key != tm.Key || v.Zh != tm.Zh {
			t.Errorf("category %d: table %s %s, vocab %s %s", i+1, tm.Key, tm.Zh, v.Key, v.Zh)
		}
	}
}

// TestCountiesMatchRegions: the cities of the county list are the regions table's cities,
// every one of them with its counties.
func TestCountiesMatchRegions(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	table := doortest.Strings(t, st, `SELECT code FROM regions WHERE level = 2 ORDER BY code`)
	var cities []string
	for _, c := range vocab.Counties {
		if !slices.Contains(cities, c.City) {
			cities = append(cities, c.City)
		}
	}
	sort.Strings(cities)
	if !slices.Equal(table, cities) {
		t.Fatalf("the regions table's cities %v, the counties' %v", table, cities)
	}
}
