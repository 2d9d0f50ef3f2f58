package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/store"
)

// takeoverWorld: schools SA and SC (both 成都); person pC of school C with a completed
// participation there, and pM, a nine-year-old of school C whose guardian's consent is
// pending. The attacker is school A's operator.
type takeoverWorld struct {
	*fixture
	pC, pM   int64
	idC, idM string
	schoolA  string // Authorization of school A's operator
	sa, sc   int64  // the schools' ids
}

func newTakeoverWorld(t *testing.T) *takeoverWorld {
	t.Helper()
	f := setup(t)
	w := &takeoverWorld{fixture: f}
	w.sa = num(f.mkOrg("SA", "school", "510104")["id"])
	w.sc = num(f.mkOrg("SC", "school", "510105")["id"])
	f.mkEdition("jingke-2023")
	f.mkEdition("jingke-2026")
	w.idC = idNumber(t, "20080304", "021")
	w.pC = num(f.do("POST", "/api/v1/persons", map[string]any{"id_number": w.idC, "name": "丙同学",
		"school_code": "SC"}).want(http.StatusCreated).json()["id"])
	f.do("POST", "/api/v1/participations", map[string]any{"person_id": w.pC, "edition": "jingke-2023",
		"school_code": "SC", "category": "math", "grade": "9", "status": "completed"}).want(http.StatusCreated)
	w.idM, _ = idBornYearsAgo(t, 9, "031")
	mj := f.do("POST", "/api/v1/persons", map[string]any{"id_number": w.idM, "name": "小明",
		"school_code": "SC"}).want(http.StatusCreated).json()
	if mj["consent_state"] != "pending" {
		t.Fatalf("a nine-year-old starts %v, want pending", mj["consent_state"])
	}
	w.pM = num(mj["id"])
	// school A's application for 2026 is approved: it may nominate
	if _, err := f.st.Pool.Exec(context.Background(), `INSERT INTO applications (edition_id, school_id, status, unit_name) VALUES ('jingke-2026', $1, 'approved', '单位SA')`,
		w.sa); err != nil {
		t.Fatal(err)
	}
	w.schoolA = f.as(auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "SA"})
	return w
}

// state is what the database says of a person's link to schools.
func (w *takeoverWorld) state(person int64) string {
	w.t.Helper()
	var school int64
	var parts int
	if err := w.st.Pool.QueryRow(context.Background(), `SELECT p.school_id,
		(SELECT count(*) FROM participations pa WHERE pa.person_id = p.id)
		FROM persons p WHERE p.id = $1`, person).Scan(&school, &parts); err != nil {
		w.t.Fatal(err)
	}
	return fmt.Sprintf("school %d, %d participations", school, parts)
}

// answer is what a client can tell of a refusal: status, problem type and the fields named.
func answer(r resp) string {
	if r.Code < 400 {
		return fmt.Sprintf("%d", r.Code)
	}
	m := r.json()
	var fields []string
	errs, _ := m["errors"].([]any)
	for _, e := range errs {
		em := e.(map[string]any)
		fields = append(fields, fmt.Sprint(em["field"], ":", em["rule"], ":", em["message"]))
	}
	return fmt.Sprintf("%d %v %v %s", r.Code, m["type"], fields, m["detail"])
}

// TestSchoolCannotTakeOverAnotherSchoolsPerson: a school names a person of another school
// in a new participation or nomination. It gets exactly the answer a person_id that
// exists nowhere gets, and nothing changes: not the person's school, not their
// participations, and the person stays out of the school's reach.
func TestSchoolCannotTakeOverAnotherSchoolsPerson(t *testing.T) {
	t.Parallel()
	w := newTakeoverWorld(t)
	for _, path := range []string{"/api/v1/participations", "/api/v1/nominations"} {
		body := func(person int64) map[string]any {
			return map[string]any{"person_id": person, "edition": "jingke-2026", "school_code": "SA",
				"category": "math", "grade": "8"}
		}
		nobody := answer(w.do("POST", path, body(987654321), "Authorization", w.schoolA))
		if strings.HasPrefix(nobody, "2") {
			t.Fatalf("%s: a person_id that exists nowhere answers %s", path, nobody)
		}
		for name, p := range map[string]int64{"other school's person": w.pC, "pending minor": w.pM} {
			before := w.state(p)
			got := answer(w.do("POST", path, body(p), "Authorization", w.schoolA))
			if got != nobody {
				t.Errorf("%s, %s: answer %q, want the answer of a person that does not exist: %q", path, name, got, nobody)
			}
			if after := w.state(p); after != before {
				t.Errorf("%s, %s: database changed: %s → %s", path, name, before, after)
			}
		}
	}
	for _, p := range []int64{w.pC, w.pM} {
		for _, sub := range []string{"", "/timeline", "/consents", "/awards"} {
			w.do("GET", fmt.Sprintf("/api/v1/persons/%d%s", p, sub), nil, "Authorization", w.schoolA).
				problem(http.StatusNotFound, "not-found", "")
		}
	}
}

// TestSchoolImportCannotTakeOver: the same through the participations import. A row
// naming another school's person gets the error of a number recorded nowhere; nothing is
// written.
func TestSchoolImportCannotTakeOver(t *testing.T) {
	t.Parallel()
	w := newTakeoverWorld(t)
	unknown := idNumber(t, "20080304", "099")
	csv := "id_number,edition,school_code,category,grade,status\n" +
		w.idC + ",jingke-2026,SA,math,8,registered\n" +
		unknown + ",jingke-2026,SA,math,8,registered\n" +
		w.idM + ",jingke-2026,SA,math,8,registered\n"
	before := w.state(w.pC) + w.state(w.pM)
	s := w.upload("/api/v1/imports/participations", "p.csv", []byte(csv), "Authorization", w.schoolA).
		summary(http.StatusUnprocessableEntity)
	byRow := map[int]string{}
	for _, e := range s.Errors {
		byRow[e.Row] += e.Column + ":" + e.Error
	}
	if byRow[3] == "" || byRow[2] != byRow[3] || byRow[4] != byRow[3] {
		t.Errorf("row errors %v: other school's person (2) and pending minor (4) must read as the unknown number (3)", byRow)
	}
	if after := w.state(w.pC) + w.state(w.pM); after != before {
		t.Errorf("database changed: %s → %s", before, after)
	}
}

// TestPoliciesRefuseTakeoverWithoutTheHandler: the store called in a school's scope with
// no handler check at all. Row-level security must refuse a participation, a school-year
// row or a tracking record that links another school's person to the school.
func TestPoliciesRefuseTakeoverWithoutTheHandler(t *testing.T) {
	t.Parallel()
	w := newTakeoverWorld(t)
	ctx := store.WithScope(context.Background(), store.Scope{Kind: store.ScopeSchool, SchoolID: w.sa})
	before := w.state(w.pC)
	_, err := w.st.WithoutDefault().ParticipationCreate(ctx, store.Actor{Name: "test"}, store.ParticipationInput{
		PersonID: w.pC, EditionID: "jingke-2026", SchoolCode: "SA", CategoryCode: "math", Status: "registered"})
	if err == nil {
		t.Fatal("the store created a participation of another school's person in a school's scope")
	}
	for _, q := range []string{
		fmt.Sprintf(`INSERT INTO participations (person_id, edition_id, program, school_id, category_code, grade, status)
			VALUES (%d, 'jingke-2026', 'jingke', %d, 'math', '9', 'registered')`, w.pC, w.sa),
		fmt.Sprintf(`INSERT INTO person_schools (person_id, school_year, school_id, source) VALUES (%d, 2026, %d, 'manual')`, w.pC, w.sa),
		fmt.Sprintf(`INSERT INTO awards (person_id, school_id, competition, level, awarded_on) VALUES (%d, %d, '赛', 'school', '2026-01-01')`, w.pC, w.sa),
		fmt.Sprintf(`INSERT INTO follow_ups (person_id, school_id, contacted_on, channel, outcome) VALUES (%d, %d, '2026-01-01', 'phone', 'reached')`, w.pC, w.sa),
		fmt.Sprintf(`UPDATE persons SET school_id = %d WHERE id = %d`, w.sa, w.pC),
	} {
		var n int64
		err := w.st.WithoutDefault().InTx(ctx, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, q)
			n = tag.RowsAffected()
			return err
		})
		if err == nil && n > 0 {
			t.Errorf("row-level security let a school through: %s", q)
		}
	}
	if after := w.state(w.pC); after != before {
		t.Errorf("database changed: %s → %s", before, after)
	}
}
