package httpapi

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"
)

// openAPIFiles are the OpenAPI document: openapi.json holds info, the shared components
// and the core resources; each openapi-<area>.json fragment (e.g. openapi-tracking.json)
// adds the paths and components of one area, so engineers extending the API do not edit
// one file at once. A path or component defined twice is an error.
//
//go:embed openapi*.json
var openAPIFiles embed.FS

var openAPIOnce = sync.OnceValues(func() ([]byte, error) {
	doc, err := mergeOpenAPI(openAPIFiles)
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
})

// openAPIDocument returns the merged document as JSON.
func openAPIDocument() ([]byte, error) { return openAPIOnce() }

// OpenAPIDocument returns the document GET /api/v1/openapi.json serves, byte for byte, so
// that tools outside the server (the linter, the client generator, the response validator
// of the tests) read exactly what clients read, not the fragment files.
func OpenAPIDocument() ([]byte, error) { return openAPIOnce() }

func mergeOpenAPI(fsys fs.FS) (map[string]any, error) {
	names, err := fs.Glob(fsys, "openapi*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names) // fragments merge in name order, so the result is deterministic
	doc, err := readJSONFile(fsys, "openapi.json")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if n == "openapi.json" {
			continue
		}
		frag, err := readJSONFile(fsys, n)
		if err != nil {
			return nil, err
		}
		if err := mergeSection(doc, frag, n, "paths"); err != nil {
			return nil, err
		}
		if comps, ok := frag["components"].(map[string]any); ok {
			base, _ := doc["components"].(map[string]any)
			if base == nil {
				base = map[string]any{}
				doc["components"] = base
			}
			for kind := range comps {
				if err := mergeSection(base, comps, n, kind); err != nil {
					return nil, err
				}
			}
		}
		if tags, ok := frag["tags"].([]any); ok {
			base, _ := doc["tags"].([]any)
			doc["tags"] = append(base, tags...)
		}
	}
	return doc, nil
}

// mergeSection copies the entries of src[key] into dst[key], refusing duplicates.
func mergeSection(dst, src map[string]any, file, key string) error {
	from, ok := src[key].(map[string]any)
	if !ok {
		return nil
	}
	into, _ := dst[key].(map[string]any)
	if into == nil {
		into = map[string]any{}
		dst[key] = into
	}
	for k, v := range from {
		if _, dup := into[k]; dup {
			return fmt.Errorf("openapi: %s: %s %q is already defined", file, key, k)
		}
		into[k] = v
	}
	return nil
}

func readJSONFile(fsys fs.FS, name string) (map[string]any, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("openapi: %s: %w", name, err)
	}
	return m, nil
}

// openAPI serves the merged OpenAPI document.
func (s *server) openAPI(w http.ResponseWriter, r *http.Request) {
	b, err := openAPIDocument()
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(b)
}
