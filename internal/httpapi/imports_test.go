package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/config"
	"talentdb/internal/store"
)

// upload posts data as the multipart field "file" named name; headers as in do (the
// administrator unless they name an Authorization).
func (f *fixture) upload(path, name string, data []byte, headers ...string) resp {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("note", "skipped by the server")
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		f.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	if err := mw.Close(); err != nil {
		f.t.Fatal(err)
	}
	return f.do("POST", path, body.String(), append([]string{"Content-Type", mw.FormDataContentType()}, headers...)...)
}

// summary decodes an import response.
type summaryResp struct {
	Kind               string `json:"kind"`
	Rows               int    `json:"rows"`
	Inserted           int    `json:"inserted"`
	Updated            int    `json:"updated"`
	Unchanged          int    `json:"unchanged"`
	Applied            bool   `json:"applied"`
	DryRun             bool   `json:"dry_run"`
	IdentityCandidates int    `json:"identity_candidates"`
	ImportID           int64  `json:"import_id"`
	Errors             []struct {
		Row    int    `json:"row"`
		Column string `json:"column"`
		Error  string `json:"error"`
	} `json:"errors"`
}

func (r resp) summary(code int) summaryResp {
	r.t.Helper()
	r.want(code)
	var s summaryResp
	if err := json.Unmarshal(r.Body.Bytes(), &s); err != nil {
		r.t.Fatalf("summary: %v: %s", err, r.Body.String())
	}
	if s.Errors == nil {
		r.t.Fatalf("errors missing: %s", r.Body.String())
	}
	return s
}

func (s summaryResp) hasError(row int, column string) bool {
	for _, e := range s.Errors {
		if e.Row == row && e.Column == column {
			return true
		}
	}
	return false
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/import/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edition creates an edition with the contract's default dates.
func (f *fixture) edition(id string, year int) {
	f.t.Helper()
	prog, _, _ := strings.Cut(id, "-")
	if _, _, err := f.st.EditionEnsure(context.Background(), store.Edition{ID: id, Program: prog, Year: year,
		StartsOn: time.Date(year, 3, 1, 0, 0, 0, 0, time.UTC),
		EndsOn:   time.Date(year+1, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.st.Pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// The repository's test files over HTTP: UTF-8, UTF-8 with BOM, GB18030, and an XLSX made
// from the downloaded template; every run recorded with its uploader and hash.
func TestImportUploadFiles(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.edition("jingke-2023", 2023)
	f.edition("jindaoshi-2023", 2023)

	orgs := readTestdata(t, "organizations.csv")
	s := f.upload("/api/v1/imports/organizations", "organizations.csv", orgs).summary(http.StatusOK)
	if !s.Applied || s.Kind != "organizations" || s.Inserted != s.Rows || s.Rows == 0 || s.ImportID == 0 {
		t.Fatalf("organizations: %+v", s)
	}
	gb := f.upload("/api/v1/imports/organizations", "单位.csv", readTestdata(t, "organizations-gb18030.csv")).summary(http.StatusOK)
	if !gb.Applied || gb.Inserted != 3 {
		t.Fatalf("GB18030 organizations: %+v", gb)
	}
	if name := f.count(`SELECT count(*) FROM organizations WHERE name = '乐山市示例初级中学'`); name != 1 {
		t.Fatal("GB18030 text not decoded")
	}
	for _, file := range []string{"persons.csv", "persons-utf8-bom.csv", "participations.csv"} {
		kind := strings.SplitN(strings.TrimSuffix(file, ".csv"), "-utf8", 2)[0]
		s := f.upload("/api/v1/imports/"+kind, file, readTestdata(t, file)).summary(http.StatusOK)
		if !s.Applied || s.Inserted == 0 {
			t.Fatalf("%s: %+v", file, s)
		}
	}
	// the same file again changes nothing
	again := f.upload("/api/v1/imports/participations", "participations.csv", readTestdata(t, "participations.csv")).summary(http.StatusOK)
	if !again.Applied || again.Inserted != 0 || again.Updated != 0 || again.Unchanged != again.Rows {
		t.Fatalf("second upload: %+v", again)
	}
	// recorded: uploader, file name, hash
	sum := sha256.Sum256(orgs)
	var by, name string
	var sha []byte
	if err := f.st.Pool.QueryRow(context.Background(),
		`SELECT uploaded_by, file_name, file_sha256 FROM imports WHERE id = $1`, s.ImportID).Scan(&by, &name, &sha); err != nil {
		t.Fatal(err)
	}
	if by != f.admin || name != "organizations.csv" || !bytes.Equal(sha, sum[:]) {
		t.Fatalf("imports row: %s %s %x", by, name, sha)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'import' AND actor = $1`, f.admin); n != 6 {
		t.Fatalf("%d import audit rows, want 6", n)
	}

	// XLSX: the template, downloaded, with its example row replaced by two persons
	tr := f.do("GET", "/api/v1/imports/persons/template.xlsx", nil).want(http.StatusOK)
	if ct := tr.Header().Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.Contains(tr.Header().Get("Content-Disposition"), "import-persons.xlsx") || !bytes.HasPrefix(tr.Body.Bytes(), []byte("PK")) {
		t.Fatalf("template: %s %v", ct, tr.Header())
	}
	x, err := excelize.OpenReader(bytes.NewReader(tr.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	sheet := x.GetSheetName(0)
	for i, p := range [][]string{{idNumber(t, "20130102", "511"), "欧阳娜娜", "女", "2013-01-02"},
		{idNumber(t, "20130103", "512"), "司马光", "男", "2013-01-03"}} {
		for j, v := range p {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := x.SetCellStr(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for col := 5; col <= 7; col++ { // phones and guardian of the example row
		cell, _ := excelize.CoordinatesToCellName(col, 2)
		_ = x.SetCellValue(sheet, cell, nil)
	}
	var xb bytes.Buffer
	if _, err := x.WriteTo(&xb); err != nil {
		t.Fatal(err)
	}
	xs := f.upload("/api/v1/imports/persons", "人员.xlsx", xb.Bytes()).summary(http.StatusOK)
	if !xs.Applied || xs.Inserted != 2 {
		t.Fatalf("XLSX: %+v", xs)
	}
	if n := f.count(`SELECT count(*) FROM persons WHERE name IN ('欧阳娜娜', '司马光')`); n != 2 {
		t.Fatalf("%d XLSX persons", n)
	}

	// a file with errors: 422, every error listed, nothing written
	bad := "id_number,name,gender,birth_date\n" + idNumber(t, "20130104", "513") + ",甲,男,2013-01-04\n" +
		"51010420130105514X,乙,男,2013-01-05\n" + idNumber(t, "20130106", "515") + ",,男,2013-01-06\n"
	bs := f.upload("/api/v1/imports/persons", "bad.csv", []byte(bad)).summary(http.StatusUnprocessableEntity)
	if bs.Applied || !bs.hasError(3, "id_number") || !bs.hasError(4, "name") || len(bs.Errors) != 2 {
		t.Fatalf("bad file: %+v", bs)
	}
	if n := f.count(`SELECT count(*) FROM persons WHERE name = '甲'`); n != 0 {
		t.Fatal("bad file written")
	}
	// dry run: counts, no write
	good := "id_number,name,gender,birth_date\n" + idNumber(t, "20130104", "513") + ",甲,男,2013-01-04\n"
	ds := f.upload("/api/v1/imports/persons?dry_run=true", "good.csv", []byte(good)).summary(http.StatusOK)
	if !ds.DryRun || ds.Applied || ds.Inserted != 1 || f.count(`SELECT count(*) FROM persons WHERE name = '甲'`) != 0 {
		t.Fatalf("dry run: %+v", ds)
	}

	// the list, newest first, with hash and counts
	items, _ := f.do("GET", "/api/v1/imports?limit=2", nil).items()
	if len(items) != 2 || items[0]["kind"] != "persons" || items[0]["dry_run"] != true {
		t.Fatalf("list: %v", items)
	}
	orgRuns := f.list("/api/v1/imports?kind=organizations")
	if len(orgRuns) != 2 || orgRuns[0]["sha256"] != hex.EncodeToString(gbSum(t)) || orgRuns[0]["error_count"] != 0.0 {
		t.Fatalf("organization runs: %v", orgRuns)
	}
	f.bearer = "" // no credentials
	f.do("GET", "/api/v1/imports", nil).problem(http.StatusUnauthorized, "unauthorized", "")
}

func gbSum(t *testing.T) []byte {
	s := sha256.Sum256(readTestdata(t, "organizations-gb18030.csv"))
	return s[:]
}

// list lists with the administrator's token.
func (f *fixture) list(path string) []map[string]any {
	f.t.Helper()
	items, _ := f.do("GET", path, nil).items()
	return items
}

// Idempotency-Key: the same key and file return the stored summary without running again;
// the same key with another file (or dry run) is 409; another user's key is theirs.
func TestImportIdempotency(t *testing.T) {
	t.Parallel()
	f := setup(t)
	file := []byte("code,name,kind,region_code\nK01,单位一,学校,510104\n")
	first := f.upload("/api/v1/imports/organizations", "o.csv", file, "Idempotency-Key", "batch-2025-01").summary(http.StatusOK)
	if !first.Applied || first.Inserted != 1 {
		t.Fatalf("first: %+v", first)
	}
	// the organization changes meanwhile: a replay must not apply the file again
	if _, err := f.st.Pool.Exec(context.Background(), `UPDATE organizations SET name = '改名' WHERE code = 'K01'`); err != nil {
		t.Fatal(err)
	}
	r := f.upload("/api/v1/imports/organizations", "o.csv", file, "Idempotency-Key", "batch-2025-01")
	again := r.summary(http.StatusOK)
	if r.Header().Get("Idempotent-Replayed") != "true" || again.ImportID != first.ImportID || again.Inserted != 1 {
		t.Fatalf("replay: %v %+v", r.Header(), again)
	}
	if n := f.count(`SELECT count(*) FROM organizations WHERE name = '改名'`); n != 1 {
		t.Fatal("replay ran the import again")
	}
	if n := f.count(`SELECT count(*) FROM imports`); n != 1 {
		t.Fatalf("%d imports rows", n)
	}
	other := []byte("code,name,kind,region_code\nK02,单位二,学校,510104\n")
	f.upload("/api/v1/imports/organizations", "o.csv", other, "Idempotency-Key", "batch-2025-01").
		problem(http.StatusConflict, "idempotency-conflict", "Idempotency-Key")
	f.upload("/api/v1/imports/organizations?dry_run=1", "o.csv", file, "Idempotency-Key", "batch-2025-01").
		problem(http.StatusConflict, "idempotency-conflict", "Idempotency-Key")
	// a failed file is replayed as failed
	bad := []byte("code,name,kind,region_code\nK03,单位三,学校,999999\n")
	b1 := f.upload("/api/v1/imports/organizations", "b.csv", bad, "Idempotency-Key", "bad-1").summary(http.StatusUnprocessableEntity)
	r = f.upload("/api/v1/imports/organizations", "b.csv", bad, "Idempotency-Key", "bad-1")
	if b2 := r.summary(http.StatusUnprocessableEntity); b2.ImportID != b1.ImportID || r.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("failed replay: %+v", b2)
	}
	// keys belong to their user
	u := authtest.User(t, f.st, auth.RoleOfficeAdmin)
	mine := f.upload("/api/v1/imports/organizations", "o.csv", other, "Idempotency-Key", "batch-2025-01",
		"Authorization", "Bearer "+authtest.TokenFor(t, f.st, u)).summary(http.StatusOK)
	if !mine.Applied || mine.ImportID == first.ImportID {
		t.Fatalf("another user's key: %+v", mine)
	}
	f.upload("/api/v1/imports/organizations", "o.csv", file, "Idempotency-Key", "bad key with spaces").
		problem(http.StatusBadRequest, "validation", "Idempotency-Key")

	// two uploads with one key at once: one runs; the other answers with its summary, or —
	// when it arrives while the first still holds the account's import slot — 429, and a
	// retry then replays the summary. The file is applied once either way.
	race := []byte("code,name,kind,region_code\nK04,单位四,学校,510104\n")
	var wg sync.WaitGroup
	res := make([]resp, 2)
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i] = f.upload("/api/v1/imports/organizations", "r.csv", race, "Idempotency-Key", "race")
		}()
	}
	wg.Wait()
	replayed, applied := 0, 0
	for i, r := range res {
		if r.Code == http.StatusTooManyRequests {
			r.problem(http.StatusTooManyRequests, "import-in-progress", "")
			r = f.upload("/api/v1/imports/organizations", "r.csv", race, "Idempotency-Key", "race")
			res[i] = r
		}
		if s := r.summary(http.StatusOK); !s.Applied {
			t.Fatalf("race: %+v", s)
		}
		if r.Header().Get("Idempotent-Replayed") == "true" {
			replayed++
		} else {
			applied++
		}
	}
	if replayed != 1 || applied != 1 || f.count(`SELECT count(*) FROM imports WHERE idempotency_key = 'race'`) != 1 {
		t.Fatalf("race: %d replayed, %d applied", replayed, applied)
	}
}

// Bad requests: size, media type, missing file, unknown kind, bad parameters.
func TestImportBadRequests(t *testing.T) {
	t.Parallel()
	f := setup(t, withConfig(config.Config{ImportMaxBytes: 4 << 10}))
	big := []byte("code,name,kind,region_code\n" + strings.Repeat("K01,单位一,学校,510104\n", 300))
	p := f.upload("/api/v1/imports/organizations", "big.csv", big).problem(http.StatusRequestEntityTooLarge, "payload-too-large", "")
	if !strings.Contains(p["detail"].(string), "4096 bytes") {
		t.Fatalf("413 detail: %v", p["detail"])
	}
	if n := f.count(`SELECT count(*) FROM imports`); n != 0 {
		t.Fatal("an oversized upload was recorded")
	}
	f.do("POST", "/api/v1/imports/organizations", "code\n", "Content-Type", "text/csv").
		problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("other", "x")
	_ = mw.Close()
	f.do("POST", "/api/v1/imports/organizations", body.String(), "Content-Type", mw.FormDataContentType()).
		problem(http.StatusBadRequest, "validation", "file")
	f.upload("/api/v1/imports/teachers", "t.csv", []byte("a\n")).problem(http.StatusNotFound, "not-found", "")
	f.upload("/api/v1/imports/persons?dry_run=maybe", "p.csv", []byte("a\n")).problem(http.StatusBadRequest, "validation", "dry_run")
	f.upload("/api/v1/imports/persons?force=1", "p.csv", []byte("a\n")).problem(http.StatusBadRequest, "validation", "force")
	f.do("GET", "/api/v1/imports/teachers/template.xlsx", nil).problem(http.StatusNotFound, "not-found", "")
}

// Who may import what: the office everything; a school operator only rows of their own
// school, never organizations; other roles nothing. A school operator lists only their own
// uploads.
func TestImportRoles(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.edition("jingke-2023", 2023)
	f.upload("/api/v1/imports/organizations", "o.csv", []byte("code,name,kind,region_code\n"+
		"S1,学校一,学校,510104\nS2,学校二,学校,510104\n")).summary(http.StatusOK)
	idOther := idNumber(t, "20120315", "601")
	f.upload("/api/v1/imports/persons", "p.csv", []byte("id_number,name,gender,birth_date\n"+idOther+",别校生,男,2012-03-15\n")).
		summary(http.StatusOK)
	f.upload("/api/v1/imports/participations", "pa.csv", []byte("id_number,edition,school_code,category,status\n"+
		idOther+",jingke-2023,S2,机器人,admitted\n")).summary(http.StatusOK)

	s1 := "Bearer " + authtest.Token(t, f.st, auth.RoleSchoolOperator, authtest.Scope{SchoolCode: "S1"})
	analyst := f.as(auth.RoleOfficeAnalyst)
	f.upload("/api/v1/imports/persons", "p.csv", []byte("id_number\n"), "Authorization", analyst).problem(http.StatusForbidden, "forbidden", "")
	f.upload("/api/v1/imports/organizations", "o.csv", []byte("code\n"), "Authorization", s1).problem(http.StatusForbidden, "forbidden", "")
	f.do("GET", "/api/v1/imports", nil, "Authorization", f.as(auth.RoleMentor, authtest.Scope{MentorID: f.mentor()})).
		problem(http.StatusForbidden, "forbidden", "")

	// persons: a new number becomes the school's person; another school's is refused
	idMine := idNumber(t, "20120316", "602")
	ps := f.upload("/api/v1/imports/persons", "p.csv", []byte("id_number,name,gender,birth_date\n"+
		idMine+",本校生,女,2012-03-16\n"+idOther+",别校生,男,2012-03-15\n"), "Authorization", s1).summary(http.StatusUnprocessableEntity)
	if !ps.hasError(3, "id_number") || len(ps.Errors) != 1 {
		t.Fatalf("persons of another school: %+v", ps)
	}
	ps = f.upload("/api/v1/imports/persons", "p.csv", []byte("id_number,name,gender,birth_date\n"+
		idMine+",本校生,女,2012-03-16\n"), "Authorization", s1).summary(http.StatusOK)
	if ps.Inserted != 1 || f.count(`SELECT count(*) FROM persons p JOIN organizations o ON o.id = p.school_id
		WHERE p.name = '本校生' AND o.code = 'S1'`) != 1 {
		t.Fatalf("school's new person: %+v", ps)
	}
	// participations: the school must be theirs; a new mentor is the office's
	pa := f.upload("/api/v1/imports/participations", "pa.csv", []byte("id_number,edition,school_code,category,status,mentor\n"+
		idMine+",jingke-2023,S2,机器人,admitted,\n"+idMine+",jingke-2023,S1,机器人,admitted,新导师\n"), "Authorization", s1).
		summary(http.StatusUnprocessableEntity)
	if !pa.hasError(2, "school_code") || !pa.hasError(3, "mentor") || !pa.hasError(3, "id_number") {
		t.Fatalf("participations of another school: %+v", pa)
	}
	f.upload("/api/v1/imports/participations", "pa.csv", []byte("id_number,edition,school_code,category,status\n"+
		idMine+",jingke-2023,S1,机器人,admitted\n"), "Authorization", s1).summary(http.StatusOK)
	// tracking: their persons only (another school's person is not even visible)
	aw := f.upload("/api/v1/imports/awards", "a.csv", []byte("id_number,competition,level,awarded_on,school_code\n"+
		idMine+",市赛,市级,2023-12-01,S1\n"+idOther+",市赛,市级,2023-12-01,\n"+idMine+",省赛,省级,2023-12-02,S2\n"),
		"Authorization", s1).summary(http.StatusUnprocessableEntity)
	if aw.hasError(2, "id_number") || !aw.hasError(3, "id_number") || !aw.hasError(4, "school_code") {
		t.Fatalf("awards: %+v", aw)
	}
	f.upload("/api/v1/imports/awards", "a.csv", []byte("id_number,competition,level,awarded_on\n"+
		idMine+",市赛,市级,2023-12-01\n"), "Authorization", s1).summary(http.StatusOK)

	// the list: the school operator sees their own uploads, the analyst every one
	mine := f.list("/api/v1/imports")
	if len(mine) != 9 {
		t.Fatalf("office sees %d runs", len(mine))
	}
	items, _ := f.do("GET", "/api/v1/imports", nil, "Authorization", s1).items()
	if len(items) != 6 {
		t.Fatalf("school operator sees %d runs", len(items))
	}
	for _, it := range items {
		if it["kind"] == "organizations" || it["uploaded_by"] == f.admin {
			t.Fatalf("school operator sees %v", it)
		}
	}
	items, _ = f.do("GET", "/api/v1/imports", nil, "Authorization", analyst).items()
	if len(items) != 9 {
		t.Fatalf("analyst sees %d runs", len(items))
	}
	// the template: whoever may import
	f.do("GET", "/api/v1/imports/awards/template.xlsx", nil, "Authorization", s1).want(http.StatusOK)
	f.do("GET", "/api/v1/imports/awards/template.xlsx", nil, "Authorization", analyst).problem(http.StatusForbidden, "forbidden", "")
}

// mentor creates a mentor and returns its id.
func (f *fixture) mentor() int64 {
	f.t.Helper()
	var id int64
	if err := f.st.Pool.QueryRow(context.Background(), `INSERT INTO mentors (name) VALUES ('王导师') RETURNING id`).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}
