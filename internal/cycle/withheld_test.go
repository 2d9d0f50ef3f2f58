package cycle_test

import (
	"context"
	"errors"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/cycle"
	"talentdb/internal/dbtest"
	"talentdb/internal/doortest"
)

// A participant whose guardian withdrew consent is withheld from the school, the city and
// the mentor even by id (docs/security.md): the door answers not found for the
// participant's records, whichever path asks — not only behind the API's route fence.
func TestDoorWithholdsAWithdrawnParticipant(t *testing.T) {
	t.Parallel()
	st := dbtest.New(t)
	ctx := context.Background()
	var school, mentor, pid int64
	steps := []string{
		`INSERT INTO organizations (code, name, kind, type, region_code) VALUES ('SA', '甲校', 'school', 'primary', '510104')`,
		`INSERT INTO editions (id, program, year, starts_on, ends_on) VALUES ('jingke-2026', 'jingke', 2026, '2026-03-01', '2027-02-28')`,
	}
	for _, s := range steps {
		if _, err := st.Pool.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := st.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE code = 'SA'`).Scan(&school); err != nil {
		t.Fatal(err)
	}
	if err := st.Pool.QueryRow(ctx, `INSERT INTO mentors (name) VALUES ('导师') RETURNING id`).Scan(&mentor); err != nil {
		t.Fatal(err)
	}
	var person int64
	if err := st.Pool.QueryRow(ctx, `INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date, school_id, consent_state)
		VALUES (decode(md5('p') || md5('q'), 'hex'), '\x00', '5101**************', '学生', 'male', '2010-01-01', $1, 'granted') RETURNING id`, school).Scan(&person); err != nil {
		t.Fatal(err)
	}
	if err := st.Pool.QueryRow(ctx, `INSERT INTO participations (person_id, edition_id, program, school_id, category_code, grade,
		status, registered_at, mentor_id) VALUES ($1, 'jingke-2026', 'jingke', $2, 'robotics', '5', 'admitted', '2026-03-10', $3)
		RETURNING id`, person, school, mentor).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	svc := cycle.New(st)
	callers := []access.Caller{
		doortest.As(access.RoleSchoolOperator, school),
		{Username: "city", Role: access.RoleCityCoordinator, CityCode: "510100"},
		{Username: "mentor", Role: access.RoleMentor, MentorID: mentor},
	}
	for _, c := range callers {
		if _, err := svc.GrowthLogs(ctx, c, pid); err != nil {
			t.Fatalf("%s reads the growth log of a consenting participant: %v", c.Role, err)
		}
	}
	if _, err := st.Pool.Exec(ctx, `UPDATE persons SET consent_state = 'withdrawn' WHERE id = $1`, person); err != nil {
		t.Fatal(err)
	}
	for _, c := range callers {
		if _, err := svc.GrowthLogs(ctx, c, pid); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("%s reads the growth log of a withdrawn participant: err = %v, want not found", c.Role, err)
		}
		if _, err := svc.Tasks(ctx, c, pid); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("%s reads the tasks of a withdrawn participant: err = %v, want not found", c.Role, err)
		}
	}
}
