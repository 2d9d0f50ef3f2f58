// Command openapidoc writes the OpenAPI document that GET /api/v1/openapi.json serves, indented,
// to a file (or stdout), for the tools that read a file: the Redocly linter of .ci/run and the
// oapi-codegen client in docs/examples/goclient. It writes the served document, never the
// fragment files, so what is linted and generated is what clients read.
//
//	go run ./internal/httpapi/openapidoc -o /tmp/openapi.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"talentdb/internal/httpapi"
)

func main() {
	out := flag.String("o", "-", "file to write; - is stdout")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "openapidoc:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	doc, err := httpapi.OpenAPIDocument()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, doc, "", "  "); err != nil {
		return err
	}
	b.WriteByte('\n')
	if out == "-" {
		_, err = os.Stdout.Write(b.Bytes())
		return err
	}
	return os.WriteFile(out, b.Bytes(), 0o644)
}
