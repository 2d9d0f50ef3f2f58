package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"talentdb/docs/examples/goclient"
	"talentdb/docs/examples/internal/testserver"
	"talentdb/internal/identity"
)

// The example prints the persons and the cohort report of a server that has some.
func TestExample(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := t.Context()
	c, err := goclient.NewClientWithResponses(srv.URL, goclient.WithHTTPClient(srv.Client()),
		goclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+srv.Token)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := c.CreateOrganizationWithResponse(ctx, goclient.OrganizationCreate{Code: "S01", Name: "成都市示例中学",
		Kind: goclient.OrganizationCreateKindSchool, RegionCode: "510104"}); err != nil || r.JSON201 == nil {
		t.Fatalf("organization: %v", err)
	}
	if r, err := c.CreateEditionWithResponse(ctx, goclient.EditionCreate{Id: "jingke-2024"}); err != nil || r.JSON201 == nil {
		t.Fatalf("edition: %v", err)
	}
	first := "510104" + "20120506" + "011"
	check, err := identity.CheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.CreatePersonWithResponse(ctx, goclient.PersonCreate{IdNumber: first + string(check), Name: "张晓明"})
	if err != nil || p.JSON201 == nil {
		t.Fatalf("person: %v", err)
	}
	grade, admitted := goclient.ParticipationCreateGradeN5, goclient.ParticipationCreateStatusAdmitted
	if r, err := c.CreateParticipationWithResponse(ctx, goclient.ParticipationCreate{PersonId: p.JSON201.Id, Edition: "jingke-2024",
		SchoolCode: "S01", Category: "robotics", Grade: &grade, Status: &admitted}); err != nil || r.JSON201 == nil {
		t.Fatalf("participation: %v", err)
	}

	var out bytes.Buffer
	if err := run(ctx, &out, srv.Client(), srv.URL, srv.Token, "S01", "jingke-2024"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\t张晓明\t5101") || !strings.Contains(out.String(), "cohort jingke-2024 on ") ||
		!strings.Contains(out.String(), ": 1 participants") || strings.Contains(out.String(), first) {
		t.Fatalf("output:\n%s", out.String())
	}
	// a refusal comes back as the problem's detail
	err = run(ctx, &out, srv.Client(), srv.URL, "tdb_not-a-token", "", "")
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "/problems/unauthorized") {
		t.Fatalf("bad token: %v", err)
	}
}
