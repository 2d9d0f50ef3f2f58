package importer_test

import (
	"strings"
	"testing"

	"talentdb/internal/importer"
)

func TestImportOrganizations(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sum := b.mustApply("organizations", orgsCSV)
	wantCounts(t, sum, 4, 4, 0, 0)
	if got := b.str("SELECT type FROM organizations WHERE code = 'BS02'"); got != "junior_high" {
		t.Fatalf("BS02 type = %s", got)
	}
	if got := b.str("SELECT city_code FROM organizations WHERE code = 'BS02'"); got != "510700" {
		t.Fatalf("BS02 city = %s", got)
	}
	// the run is recorded with the file's hash, and audited
	if n := b.count(`SELECT count(*) FROM imports i JOIN audit_log a ON a.entity_id = i.id::text
		WHERE i.applied AND NOT i.dry_run AND i.kind = 'organizations' AND i.uploaded_by = 'test:runner'
		  AND i.file_sha256 = sha256(convert_to($1, 'UTF8')) AND (i.summary->>'inserted')::int = 4
		  AND a.action = 'import' AND a.entity = 'organizations' AND a.actor = 'test' AND a.row_count = 4
		  AND (a.after->>'inserted')::int = 4`, orgsCSV); n != 1 {
		t.Fatalf("%d recorded and audited runs", n)
	}
	// again: nothing changes
	wantCounts(t, b.mustApply("organizations", orgsCSV), 4, 0, 0, 4)
	// a file without the address column leaves addresses alone; an empty postal code clears it
	sum = b.mustApply("organizations", "code,name,kind,region_code,postal_code\nBS01,成都市锦江区示例小学,school,510104,\n")
	wantCounts(t, sum, 1, 0, 1, 0)
	if got := b.str("SELECT address FROM organizations WHERE code = 'BS01'"); got != "锦江区示例路1号" {
		t.Fatalf("address = %s", got)
	}
	if got := b.str("SELECT postal_code FROM organizations WHERE code = 'BS01'"); got != "<nil>" {
		t.Fatalf("postal code = %s, want cleared", got)
	}
	bad := b.run("organizations", "code,name,kind,type,region_code,postal_code\n"+
		"X 1,甲,school,primary,510104,610000\n"+ // code with a space
		"X2,乙,factory,primary,520100,61000\n"+ // bad kind, unknown city, bad postal code
		"X3,丙,school,小学,5101,\n") // region not 6 digits
	if bad.Applied {
		t.Fatal("bad file applied")
	}
	wantErrorsAt(t, bad, []cellAt{{2, "code"}, {3, "kind"}, {3, "region_code"}, {3, "postal_code"}, {4, "region_code"}})
	if n := b.count("SELECT count(*) FROM organizations WHERE code LIKE 'X%'"); n != 0 {
		t.Fatalf("%d rows written from a bad file", n)
	}
}

func TestImportPersons(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sum := b.mustApply("persons", personsCSV())
	wantCounts(t, sum, 3, 3, 0, 0)
	if got := b.str("SELECT phone_masked FROM persons WHERE name = '王芳'"); got != "138****8001" {
		t.Fatalf("phone masked = %s", got)
	}
	if got := b.str("SELECT id_masked FROM persons WHERE name = '张晓明'"); got != idA[:4]+"**************" {
		t.Fatalf("id masked = %s", got)
	}
	if n := b.count("SELECT count(*) FROM persons WHERE position($1 in encode(id_cipher, 'escape')) > 0", idA); n != 0 {
		t.Fatal("identity number stored in clear")
	}
	// re-import: all unchanged (phones compared by hash, not ciphertext)
	wantCounts(t, b.mustApply("persons", personsCSV()), 3, 0, 0, 3)
	// one changed phone, one changed name, one unchanged
	changed := "id_number,name,gender,birth_date,phone\n" +
		idA + ",张晓明,male,2012-03-15,13800138009\n" +
		idB + ",李思宇,female,2011-07-02,\n" +
		idC + ",王芳,female,1985-01-10,13800138001\n"
	wantCounts(t, b.mustApply("persons", changed), 3, 0, 2, 1)
	// guardian columns absent: left alone
	if got := b.str("SELECT guardian_name FROM persons WHERE name = '张晓明'"); got != "张伟" {
		t.Fatalf("guardian = %s", got)
	}
	bad := b.run("persons", "id_number,name,gender,birth_date\n"+
		idA[:17]+"0,甲,男,2012-03-15\n"+ // wrong check digit (unless it is 0)
		idB+",乙,男,2011-07-03\n"+ // birth date disagrees
		idC+",,未知,1985-01-10\n") // name missing, gender invalid
	if idA[17] == '0' {
		t.Skip("example number has check digit 0")
	}
	wantErrorsAt(t, bad, []cellAt{{2, "id_number"}, {3, "birth_date"}, {4, "name"}, {4, "gender"}})
}

func TestImportParticipations(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.base()
	csv := "id_number,edition,school_code,category,grade,teacher_role,status,mentor,institution_code\n" +
		idA + ",jingke-2023,BS01,机器人,五年级,,已录取,王老师,PX01\n" +
		idB + ",jingke-2023,BS01,robotics,4,,registered,王老师,PX01\n" +
		idC + ",jindaoshi-2023,BS02,科研,,科技辅导员,completed,,\n" +
		idA + ",jingke-2024,BS02,科学影像(科普动画),6年级,,admitted,,\n"
	wantCounts(t, b.mustApply("participations", csv), 4, 4, 0, 0)
	if n := b.count("SELECT count(*) FROM mentors WHERE name = '王老师'"); n != 1 {
		t.Fatalf("%d mentors, want one found-or-created", n)
	}
	if got := b.str("SELECT category_code FROM participations pa JOIN persons p ON p.id = pa.person_id WHERE p.name = '张晓明' AND edition_id = 'jingke-2024'"); got != "science_animation" {
		t.Fatalf("category = %s", got)
	}
	if n := b.count("SELECT count(*) FROM participations WHERE status = 'admitted' AND admitted_at IS NOT NULL AND registered_at IS NULL"); n != 2 {
		t.Fatalf("%d admitted with only admitted_at set", n)
	}
	// the person's school is the school of the edition that ends last (jingke-2024: BS02)
	if got := b.str("SELECT o.code FROM persons p JOIN organizations o ON o.id = p.school_id WHERE p.name = '张晓明'"); got != "BS02" {
		t.Fatalf("school = %s", got)
	}
	if n := b.count("SELECT count(*) FROM person_schools ps JOIN persons p ON p.id = ps.person_id WHERE p.name = '张晓明'"); n != 2 {
		t.Fatalf("%d school years, want 2", n)
	}
	if got := b.str("SELECT grade FROM person_schools ps JOIN persons p ON p.id = ps.person_id WHERE p.name = '张晓明' AND school_year = 2023"); got != "5" {
		t.Fatalf("school year grade = %s", got)
	}
	wantCounts(t, b.mustApply("participations", csv), 4, 0, 0, 4)
	// status moves on: completed_at set, admitted_at kept
	sum := b.mustApply("participations", "id_number,edition,school_code,category,status\n"+idA+",jingke-2023,BS01,机器人,已结业\n")
	wantCounts(t, sum, 1, 0, 1, 0)
	if n := b.count("SELECT count(*) FROM participations WHERE completed_at IS NOT NULL AND admitted_at IS NOT NULL AND mentor_id IS NOT NULL"); n != 1 {
		t.Fatal("step timestamps or mentor not kept")
	}

	bad := b.run("participations", "id_number,edition,school_code,category,grade,teacher_role,status,institution_code\n"+
		idA+",jingke-2031,BS01,机器人,五年级,,已录取,\n"+ // edition does not exist
		idB+",jingke-2023,PX01,科研,,,已录取,BS01\n"+ // school not a school, category of the other program, institution not an institution
		idC+",jindaoshi-2023,BS02,科研,五年级,,已录取,\n"+ // grade in a teachers' edition
		idB+",jingke-2024,BS01,机器人,,new,已录取,\n"+ // teacher role in a students' edition
		idNumber("20100101", 1)+",jingke-2023,NOPE,无此类别,三年级,,done,\n"+ // person, school, category, grade, status
		idA+",jingke-2031,BS01,机器人,五年级,,已录取,\n") // duplicate of row 2
	wantErrorsAt(t, bad, []cellAt{{2, "edition"}, {3, "school_code"}, {3, "category"}, {3, "institution_code"}, {4, "grade"}, {5, "teacher_role"},
		{6, "id_number"}, {6, "school_code"}, {6, "category"}, {6, "grade"}, {6, "status"}, {7, "edition"}})
	if bad.Applied || bad.Inserted != 0 {
		t.Fatalf("bad file applied: %+v", bad)
	}
}

func TestImportTracking(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.base()
	b.mustApply("participations", "id_number,edition,school_code,category,grade,status\n"+
		idA+",jingke-2023,BS01,机器人,5,completed\n"+idB+",jingke-2023,BS02,机器人,6,completed\n")
	b.mustApply("participations", "id_number,edition,school_code,category,teacher_role,status\n"+
		idC+",jindaoshi-2023,BS01,科研,counsellor,completed\n")

	awards := "id_number,competition,level,rank,awarded_on,organizer\n" +
		idA + ",四川省青少年科技创新大赛,省级,一等奖,2023-11-20,四川省科协\n" +
		idA + ",全国青少年机器人竞赛,national,金牌,2024/5/3,\n" +
		idB + ",市科技节,市级,,2023-10-01,\n"
	wantCounts(t, b.mustApply("awards", awards), 3, 3, 0, 0)
	if got := b.str("SELECT o.code FROM awards a JOIN organizations o ON o.id = a.school_id WHERE a.competition = '市科技节'"); got != "BS02" {
		t.Fatalf("award school = %s, want the person's school", got)
	}
	wantCounts(t, b.mustApply("awards", awards), 3, 0, 0, 3)
	// a soft-deleted award imported again is restored and counts as updated
	b.st.Pool.Exec(b.ctx, "UPDATE awards SET deleted_at = now() WHERE competition = '市科技节'")
	wantCounts(t, b.mustApply("awards", awards), 3, 0, 1, 2)
	if n := b.count("SELECT count(*) FROM awards WHERE deleted_at IS NOT NULL"); n != 0 {
		t.Fatal("award not restored")
	}

	dest := "id_number,type,org_name,major,started_on\n" +
		idA + ",初中,绵阳市示例中学,,2024-09-01\n" +
		idB + ",yingcai,,,2025-03-01\n"
	wantCounts(t, b.mustApply("destinations", dest), 2, 2, 0, 0)
	if got := b.str("SELECT o.code FROM destinations d JOIN organizations o ON o.id = d.org_id WHERE d.type = 'junior_high'"); got != "BS02" {
		t.Fatalf("destination org = %s", got)
	}
	if n := b.count("SELECT count(*) FROM person_schools WHERE source = 'destination' AND school_year = 2024"); n != 1 {
		t.Fatalf("%d destination school years", n)
	}
	wantCounts(t, b.mustApply("destinations", dest), 2, 0, 0, 2)

	moves := "id_number,org_code,org_name,position,title,started_on,reason\n" +
		idC + ",BS01,,teacher,一级教师,2019-09-01,\n" +
		idC + ",,某区教研室,教研员,高级教师,2024-09-01,晋升\n" +
		idC + ",BS02,,counsellor,,2022-02-15,调动\n"
	wantCounts(t, b.mustApply("career-moves", moves), 3, 3, 0, 0)
	ends := b.str("SELECT string_agg(started_on || '>' || coalesce(ended_on::text, 'open'), ' ' ORDER BY started_on) FROM career_moves")
	if ends != "2019-09-01>2022-02-15 2022-02-15>2024-09-01 2024-09-01>open" {
		t.Fatalf("career intervals = %s", ends)
	}
	wantCounts(t, b.mustApply("career-moves", moves), 3, 0, 0, 3)

	fu := "id_number,contacted_on,channel,outcome,notes\n" +
		idA + ",2025-04-02,电话,已联系上,升入初中\n" +
		idB + ",2025-04-03,wechat,opted_out,\n" +
		idB + ",2025-06-03,wechat,reached,\n" // after opting out: accepted, it is history
	wantCounts(t, b.mustApply("follow-ups", fu), 3, 3, 0, 0)
	fu2 := "id_number,contacted_on,channel,outcome\n" + idA + ",2025-04-02,电话,未联系上\n"
	wantCounts(t, b.mustApply("follow-ups", fu2), 1, 0, 1, 0)
	if got := b.str("SELECT notes FROM follow_ups WHERE contacted_on = '2025-04-02'"); got != "升入初中" {
		t.Fatalf("notes = %s (absent column must leave it)", got)
	}
	// the channels the contract added: a text message and an alumnus's own survey answer
	fu3 := "id_number,contacted_on,channel,outcome\n" + idA + ",2025-05-01,短信,已联系上\n" + idA + ",2025-05-02,Survey,reached\n"
	wantCounts(t, b.mustApply("follow-ups", fu3), 2, 2, 0, 0)
	if got := b.str("SELECT string_agg(channel, ' ' ORDER BY contacted_on) FROM follow_ups WHERE contacted_on BETWEEN '2025-05-01' AND '2025-05-02'"); got != "sms survey" {
		t.Fatalf("channels = %s", got)
	}
	if n := b.count("SELECT count(*) FROM audit_log WHERE action = 'import'"); n < 10 {
		t.Fatalf("%d import audit rows", n)
	}
}

// A person named by name + birth date + school: linked by current school, by a
// participation or by a school year; ambiguous and missing matches are errors.
func TestImportPersonByNameBirthSchool(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustApply("organizations", orgsCSV)
	twin1, twin2, other := idNumber("20120315", 111), idNumber("20120315", 222), idNumber("20120315", 333)
	b.mustApply("persons", "id_number,name,gender,birth_date\n"+
		twin1+",刘洋,男,2012-03-15\n"+twin2+",刘洋,男,2012-03-15\n"+other+",陈晨,女,2012-03-15\n")
	b.edition("jingke-2023")
	b.mustApply("participations", "id_number,edition,school_code,category,status\n"+
		twin1+",jingke-2023,BS01,机器人,completed\n"+twin2+",jingke-2023,BS02,机器人,completed\n"+
		other+",jingke-2023,BS01,机器人,completed\n")
	// 刘洋 at BS01 is twin1 only
	sum := b.mustApply("awards", "姓名,出生日期,学校代码,赛事名称,级别,获奖日期\n刘洋,2012-03-15,BS01,市赛,市级,2023-12-01\n")
	wantCounts(t, sum, 1, 1, 0, 0)
	if got := b.str("SELECT p.id_masked FROM awards a JOIN persons p ON p.id = a.person_id"); got != twin1[:4]+"**************" {
		t.Fatalf("matched %s", got)
	}
	// twin2 also gets a school year at BS01: now 刘洋 at BS01 is ambiguous
	b.st.Pool.Exec(b.ctx, `INSERT INTO person_schools (person_id, school_year, school_id, source)
		SELECT p.id, 2022, o.id, 'manual' FROM persons p, organizations o WHERE p.id_hash = (SELECT id_hash FROM persons ORDER BY id OFFSET 1 LIMIT 1) AND o.code = 'BS01'`)
	bad := b.run("follow-ups", "id_number,name,birth_date,school_code,contacted_on,channel,outcome\n"+
		",刘洋,2012-03-15,BS01,2025-01-01,phone,reached\n"+ // ambiguous
		",陈晨,2012-03-16,BS01,2025-01-01,phone,reached\n"+ // no match (birth date)
		",陈晨,2012-03-15,BS02,2025-01-01,phone,reached\n"+ // no match (school)
		",陈晨,,BS01,2025-01-01,phone,reached\n"+ // trio incomplete
		",陈晨,2012-03-15,PX01,2025-01-01,phone,reached\n") // not a school
	wantErrorsAt(t, bad, []cellAt{{2, "name"}, {3, "name"}, {4, "name"}, {5, "birth_date"}, {6, "school_code"}})
	if bad.Applied || b.count("SELECT count(*) FROM follow_ups") != 0 {
		t.Fatal("bad file applied")
	}
	ok := b.mustApply("follow-ups", "name,birth_date,school_code,contacted_on,channel,outcome\n陈晨,2012-03-15,BS01,2025-01-01,phone,reached\n")
	wantCounts(t, ok, 1, 1, 0, 0)
}

// Changing the claim (level, rank) of a verified award reports it anew; changing only the
// organizer, or a file without the rank column, does not.
func TestImportAwardVerification(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.base()
	b.mustApply("awards", "id_number,competition,level,rank,awarded_on,organizer\n"+idA+",市赛,市级,一等奖,2023-12-01,甲\n")
	verify := func() { b.st.Pool.Exec(b.ctx, "UPDATE awards SET verification = 'verified'") }
	verify()
	wantCounts(t, b.mustApply("awards", "id_number,competition,level,awarded_on,organizer\n"+idA+",市赛,市级,2023-12-01,乙\n"), 1, 0, 1, 0)
	if got := b.str("SELECT verification FROM awards"); got != "verified" {
		t.Fatalf("organizer change: verification %s", got)
	}
	wantCounts(t, b.mustApply("awards", "id_number,competition,level,rank,awarded_on\n"+idA+",市赛,市级,二等奖,2023-12-01\n"), 1, 0, 1, 0)
	if got := b.str("SELECT verification FROM awards"); got != "reported" {
		t.Fatalf("rank change: verification %s", got)
	}
}

// Two imports of overlapping files at once: both apply, each person is inserted once.
func TestImportConcurrent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	done := make(chan importer.Summary, 2)
	for i := 0; i < 2; i++ {
		go func() {
			sum, err := b.im.Run(b.ctx, "persons", "p.csv", strings.NewReader(personsCSV()), importer.Options{Actor: "test"})
			if err != nil {
				t.Error(err)
			}
			done <- sum
		}()
	}
	s1, s2 := <-done, <-done
	if !s1.Applied || !s2.Applied || s1.Inserted+s2.Inserted != 3 || s1.Unchanged+s2.Unchanged != 3 {
		t.Fatalf("concurrent imports: %+v %+v", s1, s2)
	}
	if n := b.count("SELECT count(*) FROM persons"); n != 3 {
		t.Fatalf("%d persons", n)
	}
}
