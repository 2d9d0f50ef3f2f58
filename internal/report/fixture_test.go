package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// fixture inserts hand-made datasets with plain SQL, the way the tests describe them.
type fixture struct {
	t     testing.TB
	ctx   context.Context
	st    *store.Store
	keys  *identity.Keys
	seq   int
	chans map[string]int
}

func setup(t testing.TB) *fixture {
	t.Helper()
	return &fixture{t: t, ctx: context.Background(), st: dbtest.New(t), keys: identity.TestKeys(),
		chans: map[string]int{}}
}

func (f *fixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.st.Pool.Exec(f.ctx, sql, args...); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

func (f *fixture) id(sql string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.st.Pool.QueryRow(f.ctx, sql, args...).Scan(&id); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return id
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// org creates a school with its code and region code.
func (f *fixture) org(code, region string) int64 {
	return f.id(`INSERT INTO organizations (code, name, kind, type, region_code)
		VALUES ($1, $1 || '学校', 'school', 'primary', $2) RETURNING id`, code, region)
}

// edition creates an edition; empty dates mean the default ones.
func (f *fixture) edition(id, startsOn, endsOn string) {
	var prog string
	var year int
	if _, err := fmt.Sscanf(id[len(id)-4:], "%d", &year); err != nil {
		f.t.Fatalf("edition %s: %v", id, err)
	}
	prog = id[:len(id)-5]
	if startsOn == "" {
		startsOn = fmt.Sprintf("%d-03-01", year)
	}
	if endsOn == "" {
		endsOn = time.Date(year+1, time.March, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1).Format(time.DateOnly)
	}
	f.exec(`INSERT INTO editions (id, program, year, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5)`,
		id, prog, year, day(startsOn), day(endsOn))
}

// person creates a person with a valid, protected identity number.
func (f *fixture) person(name, gender string) int64 {
	f.t.Helper()
	f.seq++
	seq := f.seq * 2 // the 17th digit's parity is the gender
	if gender == "male" {
		seq++
	}
	first17 := fmt.Sprintf("510104%s%03d", time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, seq/1000).Format("20060102"), seq%1000)
	c, err := identity.CheckChar(first17)
	if err != nil {
		f.t.Fatal(err)
	}
	idn, err := identity.ParseIDNumber(first17 + string(c))
	if err != nil {
		f.t.Fatal(err)
	}
	p := f.keys.ProtectID(idn)
	return f.id(`INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, p.Hash, p.Cipher, p.Masked, name, gender, idn.BirthDate())
}

func (f *fixture) masked(person int64) string {
	var m string
	if err := f.st.Pool.QueryRow(f.ctx, `SELECT id_masked FROM persons WHERE id = $1`, person).Scan(&m); err != nil {
		f.t.Fatal(err)
	}
	return m
}

func (f *fixture) merge(person, into int64) {
	f.exec(`UPDATE persons SET merged_into = $2 WHERE id = $1`, person, into)
}

func (f *fixture) consent(person int64, state string) {
	f.exec(`UPDATE persons SET consent_state = $2 WHERE id = $1`, person, state)
}

// student enrols a person in a jingke edition; grade "" is no grade.
func (f *fixture) student(person int64, edition string, school int64, category, grade, status string) {
	var g *string
	if grade != "" {
		g = &grade
	}
	f.exec(`INSERT INTO participations (person_id, edition_id, program, school_id, category_code, grade, status)
		VALUES ($1, $2, 'jingke', $3, $4, $5, $6)`, person, edition, school, category, g, status)
}

// teacher enrols a person in a jindaoshi edition.
func (f *fixture) teacher(person int64, edition string, school int64, category, status string) {
	f.exec(`INSERT INTO participations (person_id, edition_id, program, school_id, category_code, teacher_role, status)
		VALUES ($1, $2, 'jindaoshi', $3, $4, 'young', $5)`, person, edition, school, category, status)
}

// award records an award; verification "" is reported.
func (f *fixture) award(person int64, level, on, verification string, deleted bool) {
	if verification == "" {
		verification = "reported"
	}
	f.seq++
	f.exec(`INSERT INTO awards (person_id, competition, level, awarded_on, verification, deleted_at)
		VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() END)`,
		person, fmt.Sprintf("赛事%d", f.seq), level, day(on), verification, deleted)
}

func (f *fixture) destination(person int64, typ, on string, deleted bool) {
	f.exec(`INSERT INTO destinations (person_id, type, org_name, started_on, deleted_at)
		VALUES ($1, $2, '某校', $3, CASE WHEN $4 THEN now() END)`, person, typ, day(on), deleted)
}

// move records a career move; reason "" is no reason.
func (f *fixture) move(person int64, reason, on string, deleted bool) {
	var r *string
	if reason != "" {
		r = &reason
	}
	f.exec(`INSERT INTO career_moves (person_id, org_name, position, started_on, reason, deleted_at)
		VALUES ($1, '某校', 'teacher', $2, $3, CASE WHEN $4 THEN now() END)`, person, day(on), r, deleted)
}

// followUp records a contact; a second contact on the same day uses another channel.
func (f *fixture) followUp(person int64, on, outcome string, deleted bool) {
	channels := []string{"phone", "wechat", "email", "visit", "other"}
	k := fmt.Sprint(person, on)
	ch := channels[f.chans[k]]
	f.chans[k]++
	f.exec(`INSERT INTO follow_ups (person_id, contacted_on, channel, outcome, deleted_at)
		VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END)`, person, day(on), ch, outcome, deleted)
}

// sameJSON fails unless got encodes to the same JSON value as want.
func sameJSON(t *testing.T, got any, want string) {
	t.Helper()
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expected JSON: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("JSON differs\n got: %s\nwant: %s", b, want)
	}
}
