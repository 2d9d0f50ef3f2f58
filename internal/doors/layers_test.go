package doors_test

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// imports lists the project packages that the non-test files of internal/<dir> import.
func imports(t *testing.T, dir string) []string {
	t.Helper()
	p, err := build.ImportDir(filepath.Join("..", dir), 0)
	if err != nil {
		t.Fatalf("read package %s: %v", dir, err)
	}
	var own []string
	for _, imp := range p.Imports {
		if strings.HasPrefix(imp, "talentdb/") {
			own = append(own, strings.TrimPrefix(imp, "talentdb/"))
		}
	}
	return own
}

// TestPathsGoThroughTheDoors holds the shape of docs/architecture.md: the API and the pages
// reach the data only through the doors, so no path can skip a rule; the API does not reach
// into the pages; and only the store reads the generated queries.
func TestPathsGoThroughTheDoors(t *testing.T) {
	never := map[string][]string{
		"httpapi": {"internal/store", "internal/web", "db"},
		"web":     {"internal/store", "internal/httpapi", "db"},
	}
	for dir, banned := range never {
		got := imports(t, dir)
		for _, b := range banned {
			if slices.Contains(got, b) {
				t.Errorf("internal/%s imports %s; it must go through a door (internal/doors)", dir, b)
			}
		}
	}
	entries, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "store" {
			continue
		}
		if _, err := build.ImportDir(filepath.Join("..", e.Name()), 0); err != nil {
			continue // a folder without a package (testdata, fixtures)
		}
		if slices.Contains(imports(t, e.Name()), "db") {
			t.Errorf("internal/%s imports db; only internal/store may", e.Name())
		}
	}
}

// TestOneTimeZone: the China time zone is defined once, in internal/vocab; every other
// file names vocab.China (and "today" is vocab.Today), so no path can disagree on the date.
func TestOneTimeZone(t *testing.T) {
	def := regexp.MustCompile(`time\.(FixedZone|LoadLocation)\(`)
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if def.Match(b) && filepath.ToSlash(path) != "../vocab/time.go" {
			t.Errorf("%s defines a time zone; use vocab.China", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStoreTypesCarryNoJSON: no struct of internal/store has a json tag. The API's JSON is
// the API's (its views in internal/httpapi) and the audit log's images are built field by
// field in the store (personAudit, awardAudit …), so neither changes when a row type does.
func TestStoreTypesCarryNoJSON(t *testing.T) {
	dir := filepath.Join("..", "store")
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, p := range pkgs {
		for _, f := range p.Files {
			files++
			ast.Inspect(f, func(n ast.Node) bool {
				st, ok := n.(*ast.StructType)
				if !ok {
					return true
				}
				for _, field := range st.Fields.List {
					if field.Tag == nil {
						continue
					}
					tag, err := strconv.Unquote(field.Tag.Value)
					if err != nil {
						t.Fatalf("%s: %v", fset.Position(field.Pos()), err)
					}
					if _, ok := reflect.StructTag(tag).Lookup("json"); ok {
						t.Errorf("%s: a store type has a json tag; give the API a view and the audit an image",
							fset.Position(field.Pos()))
					}
				}
				return true
			})
		}
	}
	if files == 0 {
		t.Fatal("no Go files read in internal/store")
	}
}
