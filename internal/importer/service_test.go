package importer_test

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/identity"
	"talentdb/internal/importer"
)

// TestServiceRules: the door refuses the roles the policy does not name, organizations
// from a school, a malformed key, a second upload of an account while its first runs, and
// a file over the limit; the office's upload is recorded as theirs.
func TestServiceRules(t *testing.T) {
	t.Parallel()
	b := setup(t)
	svc := importer.NewService(b.st, identity.TestKeys(), nil, 64)
	office := access.Caller{Username: "admin", Role: access.RoleOfficeAdmin}
	school := access.Caller{Username: "school", Role: access.RoleSchoolOperator, SchoolID: 1}
	file := func(body string) func() (string, io.ReadCloser, error) {
		return func() (string, io.ReadCloser, error) { return "", io.NopCloser(strings.NewReader(body)), nil }
	}
	for _, role := range access.Roles {
		if slices.Contains(access.Policy[access.ImportWrite].Roles, role) {
			continue
		}
		c := access.Caller{Username: "u", Role: role}
		if _, err := svc.Run(b.ctx, c, importer.Upload{Kind: "persons", Open: file("")}); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("run as %s: %v", role, err)
		}
		if err := svc.Template(b.ctx, c, "persons", io.Discard); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("template as %s: %v", role, err)
		}
		if !slices.Contains(access.Policy[access.ImportRead].Roles, role) {
			if _, err := svc.List(b.ctx, c, importer.RunFilter{Limit: 10}); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("list as %s: %v", role, err)
			}
		}
	}
	if slices.Contains(svc.Kinds(school), "organizations") || !slices.Contains(svc.Kinds(office), "organizations") {
		t.Errorf("kinds: school %v, office %v", svc.Kinds(school), svc.Kinds(office))
	}
	if err := svc.Check(school, importer.Upload{Kind: "organizations"}); !errors.Is(err, importer.ErrOfficeOnly) {
		t.Errorf("organizations from a school: %v", err)
	}
	if err := svc.Check(office, importer.Upload{Kind: "teachers"}); !errors.Is(err, importer.ErrUnknownKind) {
		t.Errorf("unknown kind: %v", err)
	}
	if err := svc.Check(office, importer.Upload{Kind: "persons", IdempotencyKey: "a b"}); !errors.Is(err, importer.ErrBadKey) {
		t.Errorf("bad key: %v", err)
	}
	busy := func() (string, io.ReadCloser, error) {
		_, err := svc.Run(b.ctx, office, importer.Upload{Kind: "persons", Open: file("")})
		if !errors.Is(err, importer.ErrBusy) {
			t.Errorf("second upload while the first runs: %v", err)
		}
		return "p.csv", io.NopCloser(strings.NewReader(strings.Repeat("x", 100))), nil
	}
	var tooLarge *importer.TooLargeError
	if _, err := svc.Run(b.ctx, office, importer.Upload{Kind: "persons", Open: busy}); !errors.As(err, &tooLarge) || tooLarge.Limit != 64 {
		t.Errorf("a file over the limit: %v", err)
	}
	out, err := svc.Run(b.ctx, office, importer.Upload{Kind: "organizations", Open: file("code,name,kind,region_code\n")})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := svc.List(b.ctx, office, importer.RunFilter{Limit: 10})
	if err != nil || len(runs) != 1 || runs[0].ID != out.ImportID || *runs[0].UploadedBy != "admin" || *runs[0].FileName != "upload" {
		t.Fatalf("history: %+v, %v", runs, err)
	}
	if runs, err = svc.List(b.ctx, school, importer.RunFilter{Limit: 10}); err != nil || len(runs) != 0 {
		t.Errorf("a school sees another account's runs: %d, %v", len(runs), err)
	}
}
