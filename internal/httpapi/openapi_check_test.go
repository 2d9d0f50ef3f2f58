package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"talentdb/internal/httpapi/openapitest"
)

// The API tests double as a check of the OpenAPI document: f.do hands every response to
// checkResponse, which finds the request's operation in the served document and validates
// status, headers and body against it (openapitest, kin-openapi). A handler answering what
// the document does not say, or a document promising what the handler does not answer,
// fails the test that saw it, naming the route and the mismatch.

// apiChecker is the served document, loaded once.
var apiChecker = sync.OnceValues(func() (*openapitest.Checker, error) {
	doc, err := OpenAPIDocument()
	if err != nil {
		return nil, err
	}
	return openapitest.New(doc)
})

// checkResponse returns nil when rec is an answer the document allows to req.
func checkResponse(req *http.Request, rec *httptest.ResponseRecorder) error {
	c, err := apiChecker()
	if err != nil {
		return err
	}
	return c.Check(req, rec.Code, rec.Header(), rec.Body.Bytes())
}

// TestMain runs the tests, then (with -v) says how many responses were checked against
// the document and how many operations (which, when few) no test's response reached.
func TestMain(m *testing.M) {
	code := m.Run()
	if c, err := apiChecker(); testing.Verbose() && err == nil {
		unseen := c.Unseen()
		fmt.Printf("openapi: %d responses of the API tests checked against the served document; %d operations not reached",
			c.Checked(), len(unseen))
		if len(unseen) <= 10 {
			fmt.Printf(" %s", strings.Join(unseen, " "))
		}
		fmt.Println()
	}
	os.Exit(code)
}

// The check refuses what the document does not say: an undocumented status, a body that
// misses a required field, a media type the operation does not answer.
func TestCheckResponseRefusesDrift(t *testing.T) {
	t.Parallel()
	doc, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	checker, err := openapitest.New(doc) // a checker of its own: these answers are not the handlers'
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path  string
		status      int
		contentType string
		body        string
		ok          bool
	}{
		{"documented", "/healthz", 200, "application/json", `{"status":"ok"}`, true},
		{"undocumented status", "/healthz", 500, "application/json", `{"status":"ok"}`, false},
		{"missing required field", "/healthz", 200, "application/json", `{}`, false},
		{"undocumented media type", "/healthz", 200, "text/html", `<p>ok</p>`, false},
		{"wrong type in a list", "/api/v1/editions", 200, "application/json", `{"items":[{"id":7}],"next":null}`, false},
		{"unknown path is not compared", "/api/v1/nowhere", 404, "application/problem+json", `{}`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", c.path, nil)
			h := http.Header{"Content-Type": {c.contentType}}
			err := checker.Check(req, c.status, h, []byte(c.body))
			if c.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !c.ok && err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
