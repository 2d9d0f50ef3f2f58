package httpapi

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// Every operation says in itself how to call it, as the server asks: no credentials ([])
// exactly for the paths authenticate lets through (publicPaths) and those outside /api/v1,
// a token or a session for every other. Generators and linters read the operation.
func TestOpenAPISecurityPerOperation(t *testing.T) {
	t.Parallel()
	b, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Security *json.RawMessage `json:"security"`
		// an entry of a path item is an operation, or the path's parameters (an array)
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Security != nil {
		t.Errorf("the document has a root security %s: declare it per operation", *doc.Security)
	}
	n := 0
	for path, item := range doc.Paths {
		for method, raw := range item {
			if !slices.Contains([]string{"get", "post", "put", "patch", "delete"}, method) {
				continue
			}
			n++
			var op struct {
				Security *[]map[string][]string `json:"security"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			if op.Security == nil {
				t.Errorf("%s %s declares no security", method, path)
				continue
			}
			public := publicPaths[path] || !strings.HasPrefix(path, "/api/v1/")
			switch {
			case public && len(*op.Security) != 0:
				t.Errorf("%s %s needs no credentials but declares %v", method, path, *op.Security)
			case !public && len(*op.Security) == 0:
				t.Errorf("%s %s needs credentials but declares none", method, path)
			}
			for _, req := range *op.Security {
				for scheme := range req {
					if scheme != "bearer" && scheme != "session" {
						t.Errorf("%s %s names the scheme %q, which the server does not know", method, path, scheme)
					}
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d operations in the document", n)
	}
}
