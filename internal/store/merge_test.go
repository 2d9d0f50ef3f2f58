package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/importer"
	"talentdb/internal/store"
)

// mergeWorld is two records of one boy, A (kept) and B (merged), with records in every
// table a merge moves, some of them colliding, and X, merged into B earlier. B's
// participation at S1, where A is, put the pair on the review queue.
type mergeWorld struct {
	ctx     context.Context
	st      *store.Store
	a, b, x int64
}

func mergeID(birth string, seq int) string {
	first := fmt.Sprintf("510104%s%03d", birth, seq)
	c, _ := identity.CheckChar(first)
	return first + string(c)
}

func newMergeWorld(t *testing.T) *mergeWorld {
	t.Helper()
	ctx := context.Background()
	st := dbtest.New(t)
	w := &mergeWorld{ctx: ctx, st: st}
	for _, id := range []string{"jingke-2023", "jingke-2024"} {
		var y int
		fmt.Sscanf(id, "jingke-%d", &y)
		if _, _, err := st.EditionEnsure(ctx, store.Edition{ID: id, Program: "jingke", Year: y,
			StartsOn: time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(y+1, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)}); err != nil {
			t.Fatal(err)
		}
	}
	idA, idB, idX := mergeID("20120315", 101), mergeID("20120315", 909), mergeID("20120315", 505)
	im := importer.New(st, identity.TestKeys())
	for _, f := range []struct{ kind, csv string }{
		{"organizations", "code,name,kind,region_code\nS1,学校一,学校,510104\nS2,学校二,学校,510104\n"},
		{"persons", "id_number,name,gender,birth_date\n" + idA + ",张晓明,男,2012-03-15\n" + idB + ",张小明,男,2012-03-15\n" +
			idX + ",张小名,男,2012-03-15\n"},
		{"participations", "id_number,edition,school_code,category,grade,status\n" + idA + ",jingke-2023,S1,机器人,5,completed\n" +
			idB + ",jingke-2023,S1,编程,5,completed\n" + idB + ",jingke-2024,S2,编程,6,admitted\n"},
		{"awards", "id_number,competition,level,awarded_on\n" + idA + ",市赛,市级,2023-12-01\n" + idB + ",市赛,省级,2023-12-01\n" +
			idB + ",省赛,省级,2024-05-01\n"},
		{"career-moves", "id_number,org_name,position,started_on\n" + idA + ",某校,teacher,2020-09-01\n" + idB + ",另一校,counsellor,2022-09-01\n"},
		{"destinations", "id_number,type,org_name,started_on\n" + idB + ",初中,某中学,2024-09-01\n"},
		{"follow-ups", "id_number,contacted_on,channel,outcome\n" + idA + ",2025-01-10,电话,已联系上\n" + idB + ",2025-01-10,电话,未联系上\n" +
			idB + ",2025-06-01,微信,已联系上\n"},
	} {
		sum, err := im.Run(ctx, f.kind, f.kind+".csv", strings.NewReader(f.csv), importer.Options{Actor: "test"})
		if err != nil || !sum.Applied {
			t.Fatalf("%s: %v %+v", f.kind, err, sum.Errors)
		}
	}
	byName := func(n string) int64 {
		var id int64
		if err := st.Pool.QueryRow(ctx, `SELECT id FROM persons WHERE name = $1`, n).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	w.a, w.b, w.x = byName("张晓明"), byName("张小明"), byName("张小名")
	for _, f := range []struct {
		q    string
		args []any
	}{
		{`UPDATE persons SET merged_into = $1 WHERE id = $2`, []any{w.b, w.x}},
		{`INSERT INTO consents (person_id, guardian_name, relationship, method, scope, granted_on)
			VALUES ($1, '张父', 'father', 'paper', 'all', '2023-03-01')`, []any{w.b}},
		{`INSERT INTO person_schools (person_id, school_year, school_id, source)
			SELECT $1, 2021, id, 'manual' FROM organizations WHERE code = 'S2'`, []any{w.b}},
		{`INSERT INTO typical_cases (title, body, reported_on) VALUES ('案例一', '……', '2024-01-01'), ('案例二', '……', '2024-02-01')`, nil},
		{`INSERT INTO typical_case_persons (case_id, person_id) SELECT id, $1 FROM typical_cases WHERE title = '案例一'`, []any{w.a}},
		{`INSERT INTO typical_case_persons (case_id, person_id) SELECT id, $1 FROM typical_cases`, []any{w.b}},
		{`INSERT INTO growth_logs (participation_id, school_id, entry_on, content)
			SELECT id, school_id, '2024-04-01', '日志' FROM participations WHERE person_id = $1 AND edition_id = 'jingke-2024'`, []any{w.b}},
	} {
		if _, err := st.Pool.Exec(ctx, f.q, f.args...); err != nil {
			t.Fatalf("%s: %v", f.q, err)
		}
	}
	return w
}

// snapshot is every row a merge may touch, as JSON without the bookkeeping columns that
// any UPDATE changes (version, updated_at), in a fixed order.
func (w *mergeWorld) snapshot(t *testing.T) string {
	t.Helper()
	var out strings.Builder
	for _, q := range []string{
		`SELECT to_jsonb(t) - 'version' - 'updated_at' FROM persons t ORDER BY id`,
		`SELECT to_jsonb(t) - 'version' - 'updated_at' FROM participations t ORDER BY id`,
		`SELECT to_jsonb(t) - 'version' - 'updated_at' FROM person_schools t ORDER BY id`,
		`SELECT to_jsonb(t) - 'version' - 'updated_at' FROM awards t ORDER BY id`,
		`SELECT to_jsonb(t) - 'version' - 'updated_at' FROM destinations t ORDER BY id`,
		`SELECT to_jsonb(t) - 'version' - 'updated_at' FROM career_moves t ORDER BY id`,
		`SELECT to_jsonb(t) - 'version' - 'updated_at' FROM follow_ups t ORDER BY id`,
		`SELECT to_jsonb(t) - 'version' - 'updated_at' FROM consents t ORDER BY id`,
		`SELECT to_jsonb(t) FROM typical_case_persons t ORDER BY case_id, person_id`,
		`SELECT to_jsonb(t) - 'version' - 'updated_at' FROM growth_logs t ORDER BY id`,
		`SELECT to_jsonb(t) FROM identity_candidates t ORDER BY id`,
	} {
		rows, err := w.st.Pool.Query(w.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out.WriteString(s + "\n")
		}
		if rows.Err() != nil {
			t.Fatal(rows.Err())
		}
	}
	return out.String()
}

func (w *mergeWorld) n(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.st.Pool.QueryRow(w.ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// A merge moves what does not collide, keeps the kept person's record where it does
// (soft-deleting or leaving the other), re-links career moves, repoints earlier merges and
// closes the pair on the queue; its undo restores every row exactly.
func TestPersonMergeAndUndoExactly(t *testing.T) {
	t.Parallel()
	w := newMergeWorld(t)
	before := w.snapshot(t)
	actor := store.Actor{Name: "office1"}

	// B's school years: 2023 collides with A's and is left, 2021 and 2024 move. Their ids
	// follow the order the import happened to insert the rows in, which is not a rule.
	psID := func(year int) int64 {
		var id int64
		if err := w.st.Pool.QueryRow(w.ctx, `SELECT id FROM person_schools WHERE person_id = $1 AND school_year = $2`,
			w.b, year).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	movedPS := []int64{psID(2021), psID(2024)}
	slices.Sort(movedPS)
	m, err := w.st.PersonMerge(w.ctx, actor, w.a, w.b)
	if err != nil {
		t.Fatal(err)
	}
	mv := m.Moved
	want := map[string][2]int{ // moved, collided
		"participations": {1, 1}, "person_schools": {2, 1}, "awards": {1, 1}, "destinations": {1, 0},
		"career_moves": {1, 0}, "follow_ups": {1, 1}, "consents": {1, 0}, "typical_case_persons": {1, 1},
	}
	for table, c := range want {
		left := len(mv.Left[table]) + len(mv.SoftDeleted[table])
		if len(mv.Moved[table]) != c[0] || left != c[1] {
			t.Errorf("%s: moved %v, left %v soft-deleted %v; want %d and %d", table, mv.Moved[table],
				mv.Left[table], mv.SoftDeleted[table], c[0], c[1])
		}
	}
	if len(mv.Repointed) != 1 || mv.Repointed[0] != w.x || len(mv.Candidates) != 1 || !mv.KeptSchoolChanged ||
		len(mv.CareerMoveEnds) != 1 {
		t.Fatalf("merge record: %+v", mv)
	}
	var stored string
	if err := w.st.Pool.QueryRow(w.ctx, `SELECT moved::text FROM person_merges WHERE id = $1`, m.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	// person_merges.moved is what an undo reads back, in this form
	if want := `{"left": {"consents": [], "participations": [1], "person_schools": [` + fmt.Sprint(psID(2023)) + `], "typical_case_persons": [1]}, ` +
		`"moved": {"awards": [2], "consents": [1], "follow_ups": [2], "career_moves": [1], "destinations": [1], ` +
		`"participations": [2], "person_schools": [` + fmt.Sprint(movedPS[0]) + `, ` + fmt.Sprint(movedPS[1]) + `], "typical_case_persons": [2]}, "repointed": [1], ` +
		`"candidates": [{"id": 1, "status": "open", "resolved_at": null, "resolved_by": null}], ` +
		`"soft_deleted": {"awards": [1], "follow_ups": [1], "career_moves": [], "destinations": []}, ` +
		`"career_move_ends": [{"id": 2, "ended_on": null}], "kept_school_before": 1, "kept_school_changed": true}`; stored != want {
		t.Fatalf("person_merges.moved:\n%s\nwant\n%s", stored, want)
	}
	a, b := w.a, w.b
	checks := []struct {
		q    string
		args []any
		want int
	}{
		{`SELECT count(*) FROM persons WHERE id = $1 AND merged_into = $2`, []any{b, a}, 1},
		{`SELECT count(*) FROM persons WHERE merged_into = $1`, []any{a}, 2}, // B, and X through B
		{`SELECT count(*) FROM participations WHERE person_id = $1`, []any{a}, 2},
		{`SELECT count(*) FROM growth_logs g JOIN participations p ON p.id = g.participation_id WHERE p.person_id = $1`, []any{a}, 1},
		{`SELECT count(*) FROM awards WHERE person_id = $1 AND deleted_at IS NOT NULL AND level = 'provincial'`, []any{b}, 1},
		{`SELECT count(*) FROM career_moves WHERE person_id = $1 AND started_on = '2020-09-01' AND ended_on = '2022-09-01'`, []any{a}, 1},
		{`SELECT count(*) FROM identity_candidates WHERE status = 'merged' AND resolved_by = 'office1'`, nil, 1},
		{`SELECT count(*) FROM audit_log WHERE action = 'merge' AND person_id IN ($1, $2)`, []any{a, b}, 2},
		// the responsible school follows B's 2024 participation
		{`SELECT count(*) FROM persons p JOIN organizations o ON o.id = p.school_id WHERE p.id = $1 AND o.code = 'S2'`, []any{a}, 1},
	}
	for _, c := range checks {
		if got := w.n(t, c.q, c.args...); got != c.want {
			t.Errorf("after merge: %s = %d, want %d", c.q, got, c.want)
		}
	}
	// the kept person's timeline has both histories and the merge
	evs, err := w.st.Timeline(w.ctx, w.a)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, e := range evs {
		kinds[e.Kind]++
	}
	if kinds["award"] != 2 || kinds["follow_up"] != 2 || kinds["career_move"] != 2 || kinds["destination"] != 1 ||
		kinds["edit.merge"] != 1 {
		t.Fatalf("kept timeline: %v", kinds)
	}

	// refusals
	var me *store.MergeError
	if _, err := w.st.PersonMerge(w.ctx, actor, w.a, w.b); !errors.As(err, &me) || me.Reason != "from_merged" {
		t.Fatalf("merge twice: %v", err)
	}
	if _, err := w.st.PersonMerge(w.ctx, actor, w.b, w.a); !errors.As(err, &me) || me.Reason != "kept_merged" {
		t.Fatalf("merge into a merged person: %v", err)
	}
	if _, err := w.st.PersonUnmerge(w.ctx, actor, w.b, m.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("undo through the wrong person: %v", err)
	}

	u, err := w.st.PersonUnmerge(w.ctx, actor, w.a, m.ID)
	if err != nil || u.UndoneAt == nil {
		t.Fatalf("undo: %v %+v", err, u)
	}
	if after := w.snapshot(t); after != before {
		t.Fatalf("undo is not exact:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if got := w.n(t, `SELECT count(*) FROM audit_log WHERE action = 'unmerge' AND person_id IN ($1, $2)`, w.a, w.b); got != 2 {
		t.Fatalf("%d unmerge audit rows", got)
	}
	if _, err := w.st.PersonUnmerge(w.ctx, actor, w.a, m.ID); !errors.As(err, &me) || me.Reason != "already_undone" {
		t.Fatalf("undo twice: %v", err)
	}
	// and the pair can be merged again
	if _, err := w.st.PersonMerge(w.ctx, actor, w.a, w.b); err != nil {
		t.Fatalf("merge again: %v", err)
	}
}

// A school operator's persons import makes new persons the school's and compares them with
// the school's persons at once; a person of the same school under another row-level view
// is refused as not the school's.
func TestImportSchoolRestrictionInStore(t *testing.T) {
	t.Parallel()
	w := newMergeWorld(t)
	var s1 int64
	if err := w.st.Pool.QueryRow(w.ctx, `SELECT id FROM organizations WHERE code = 'S1'`).Scan(&s1); err != nil {
		t.Fatal(err)
	}
	im := importer.New(w.st, identity.TestKeys())
	// the test's store acts for the office, so row-level security hides nothing: the
	// import's own check must refuse C, who is S2's only
	idC := mergeID("20110101", 707)
	if sum, err := im.Run(w.ctx, "persons", "c.csv", strings.NewReader("id_number,name,gender,birth_date\n"+idC+",陈晨,女,2011-01-01\n"),
		importer.Options{Actor: "test"}); err != nil || !sum.Applied {
		t.Fatal(err, sum)
	}
	if _, err := w.st.Pool.Exec(w.ctx, `UPDATE persons SET school_id = (SELECT id FROM organizations WHERE code = 'S2') WHERE name = '陈晨'`); err != nil {
		t.Fatal(err)
	}
	sum, err := im.Run(w.ctx, "follow-ups", "f.csv", strings.NewReader("id_number,contacted_on,channel,outcome\n"+idC+",2025-02-01,电话,已联系上\n"),
		importer.Options{Actor: "s1", SchoolID: s1})
	if err != nil || sum.Applied || len(sum.Errors) != 1 || sum.Errors[0].Column != "id_number" ||
		!strings.Contains(sum.Errors[0].Error, "no person with this identity number") {
		// answered as a number recorded nowhere: the school learns nothing of another's persons
		t.Fatalf("another school's person: %v %+v", err, sum)
	}
	sum, err = im.Run(w.ctx, "persons", "p.csv", strings.NewReader("id_number,name,gender,birth_date\n"+idC+",陈晨,女,2011-01-01\n"+
		mergeID("20120315", 808)+",张晓鸣,男,2012-03-15\n"), importer.Options{Actor: "s1", SchoolID: s1})
	if err != nil || sum.Applied || len(sum.Errors) != 1 || sum.Errors[0].Row != 2 {
		t.Fatalf("persons of another school: %v %+v", err, sum)
	}
	sum, err = im.Run(w.ctx, "persons", "p.csv", strings.NewReader("id_number,name,gender,birth_date\n"+
		mergeID("20120315", 808)+",张晓鸣,男,2012-03-15\n"), importer.Options{Actor: "s1", SchoolID: s1})
	// 张晓鸣 resembles 张晓明 (A, at S1) and 张小明 (B, at S1 through his 2024 participation)
	if err != nil || !sum.Applied || sum.IdentityCandidates != 2 {
		t.Fatalf("school's new person: %v %+v", err, sum)
	}
}
