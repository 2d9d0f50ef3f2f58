package goclient_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"reflect"
	"slices"
	"strings"
	"testing"

	"talentdb/docs/examples/goclient"
	"talentdb/docs/examples/internal/testserver"
	"talentdb/internal/identity"
)

// The generated client does what a partner does, against the real handler: sign in with a
// password, make an API token, then with the token create a school and an edition, upload
// an import of persons, list them, register one, read the timeline, run the cohort and
// annual reports, and sign out. Each answer decodes into the generated types; the server
// checks each against the document too (testserver).
func TestClientAgainstTheServer(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := t.Context()

	// sign in: the session cookie goes to a jar, the CSRF token comes in the answer
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := srv.Client()
	browser.Jar = jar
	session, err := goclient.NewClientWithResponses(srv.URL, goclient.WithHTTPClient(browser))
	if err != nil {
		t.Fatal(err)
	}
	login, err := session.LoginWithResponse(ctx, goclient.LoginRequest{Username: srv.Username, Password: testserver.Password})
	if err != nil || login.JSON200 == nil {
		t.Fatalf("login: %v %s", err, body(login))
	}
	csrf := header("X-CSRF-Token", login.JSON200.CsrfToken)

	// an API token can be made only from a session, with the CSRF token
	days := 30
	made, err := session.CreateTokenWithResponse(ctx, goclient.TokenCreate{Name: "partner sync", ExpiresInDays: &days}, csrf)
	if err != nil || made.JSON201 == nil || !strings.HasPrefix(made.JSON201.Token, "tdb_") {
		t.Fatalf("create token: %v %s", err, body(made))
	}
	c, err := goclient.NewClientWithResponses(srv.URL, goclient.WithHTTPClient(srv.Client()),
		goclient.WithRequestEditorFn(header("Authorization", "Bearer "+made.JSON201.Token)))
	if err != nil {
		t.Fatal(err)
	}
	me, err := c.GetMeWithResponse(ctx)
	if err != nil || me.JSON200 == nil || me.JSON200.User.Username != srv.Username {
		t.Fatalf("me: %v %s", err, body(me))
	}

	org, err := c.CreateOrganizationWithResponse(ctx, goclient.OrganizationCreate{Code: "S01", Name: "成都市示例中学",
		Kind: goclient.OrganizationCreateKindSchool, RegionCode: "510104"})
	if err != nil || org.JSON201 == nil {
		t.Fatalf("create organization: %v %s", err, body(org))
	}
	ed, err := c.CreateEditionWithResponse(ctx, goclient.EditionCreate{Id: "jingke-2024"})
	if err != nil || ed.JSON201 == nil {
		t.Fatalf("create edition: %v %s", err, body(ed))
	}

	// an import: the file goes as the multipart field "file"
	csv := "id_number,name,gender,birth_date\n" +
		idNumber(t, "20120506", "011") + ",张晓明,男,2012-05-06\n" +
		idNumber(t, "20110214", "022") + ",李小红,女,2011-02-14\n"
	form, contentType := multipartFile(t, "persons.csv", csv)
	imp, err := c.UploadImportWithBodyWithResponse(ctx, goclient.ImportKindPersons, &goclient.UploadImportParams{}, contentType, form)
	if err != nil || imp.JSON200 == nil || !imp.JSON200.Applied || imp.JSON200.Inserted != 2 {
		t.Fatalf("upload import: %v %s", err, body(imp))
	}

	limit := 1 // one per page, to follow the cursor
	var persons []goclient.Person
	params := &goclient.ListPersonsParams{Limit: &limit}
	for {
		page, err := c.ListPersonsWithResponse(ctx, params)
		if err != nil || page.JSON200 == nil {
			t.Fatalf("list persons: %v %s", err, body(page))
		}
		persons = append(persons, page.JSON200.Items...)
		if page.JSON200.Next == nil {
			break
		}
		params.After = page.JSON200.Next
	}
	if len(persons) != 2 || persons[0].Name != "张晓明" || strings.Contains(persons[0].IdNumberMasked, "20120506") {
		t.Fatalf("persons %+v", persons)
	}

	grade, admitted := goclient.ParticipationCreateGradeN5, goclient.ParticipationCreateStatusAdmitted
	part, err := c.CreateParticipationWithResponse(ctx, goclient.ParticipationCreate{PersonId: persons[0].Id,
		Edition: "jingke-2024", SchoolCode: "S01", Category: "robotics", Grade: &grade, Status: &admitted})
	if err != nil || part.JSON201 == nil {
		t.Fatalf("create participation: %v %s", err, body(part))
	}
	tl, err := c.PersonTimelineWithResponse(ctx, persons[0].Id)
	if err != nil || tl.JSON200 == nil {
		t.Fatalf("timeline: %v %s", err, body(tl))
	}
	if !slices.ContainsFunc(tl.JSON200.Events, func(e goclient.TimelineEvent) bool { return e.Kind == "participation.admitted" }) {
		t.Fatalf("timeline without the registration: %+v", tl.JSON200.Events)
	}

	cohort, err := c.CohortReportWithResponse(ctx, &goclient.CohortReportParams{Edition: "jingke-2024"})
	if err != nil || cohort.JSON200 == nil || cohort.JSON200.Edition != "jingke-2024" {
		t.Fatalf("cohort report: %v %s", err, body(cohort))
	}
	if n, err := cohort.JSON200.CohortSize.AsCount0(); err != nil || n != 1 {
		t.Fatalf("cohort size %v, %v", n, err)
	}
	format := goclient.CohortReportParamsFormatCsv
	cohortCSV, err := c.CohortReportWithResponse(ctx, &goclient.CohortReportParams{Edition: "jingke-2024", Format: &format})
	if err != nil || cohortCSV.StatusCode() != http.StatusOK || !strings.HasPrefix(cohortCSV.HTTPResponse.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("cohort report as CSV: %v %s", err, body(cohortCSV))
	}
	annual, err := c.AnnualReportWithResponse(ctx, &goclient.AnnualReportParams{Year: 2024})
	if err != nil || annual.JSON200 == nil {
		t.Fatalf("annual report: %v %s", err, body(annual))
	}

	// a problem decodes too: a person that does not exist
	missing, err := c.GetPersonWithResponse(ctx, 999999)
	if err != nil || missing.ApplicationproblemJSON404 == nil || !strings.HasSuffix(missing.ApplicationproblemJSON404.Type, "/not-found") {
		t.Fatalf("missing person: %v %s", err, body(missing))
	}

	out, err := session.LogoutWithResponse(ctx, csrf)
	if err != nil || out.StatusCode() != http.StatusNoContent {
		t.Fatalf("logout: %v %s", err, body(out))
	}
	if n := srv.Checker.Checked(); n < 15 {
		t.Fatalf("the server checked %d responses against the document", n)
	}
}

// header returns a request editor that sets one header.
func header(name, value string) goclient.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set(name, value)
		return nil
	}
}

// body shows a generated answer (*XxxResponse, nil after a transport error) in a failure
// message: its status and body.
func body(answer any) string {
	v := reflect.ValueOf(answer)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return "(no answer)"
	}
	r, _ := v.Elem().FieldByName("HTTPResponse").Interface().(*http.Response)
	if r == nil {
		return "(no answer)"
	}
	return fmt.Sprintf("%s: %s", r.Status, v.Elem().FieldByName("Body").Bytes())
}

// multipartFile is a multipart/form-data body with data as the field "file".
func multipartFile(t *testing.T, name, data string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, mw.FormDataContentType()
}

// idNumber is a valid identity number of region 510104 born on birth (YYYYMMDD).
func idNumber(t *testing.T, birth, seq string) string {
	t.Helper()
	first := "510104" + birth + seq
	c, err := identity.CheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}
