// Package openapitest checks HTTP responses against an OpenAPI document with kin-openapi's
// openapi3filter, so that the document and the handlers cannot drift apart: the API tests
// check every response of their request helper, the example client's test every response
// the generated client reads. It is imported by tests only and never by the product; it
// takes the document as bytes (httpapi.OpenAPIDocument) and so never imports httpapi.
package openapitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// binaryTypes are the media types of file downloads (spreadsheets): the document describes
// them as a string of bytes (format: binary), so they are read as one.
var binaryTypes = []string{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

var registerBinaryTypes sync.Once

// Checker matches requests to the operations of one document and validates responses.
type Checker struct {
	doc     *openapi3.T
	router  routers.Router
	checked atomic.Int64
	seen    sync.Map // operationId → true
}

// New loads and validates doc (JSON), failing on a document kin-openapi finds invalid.
func New(doc []byte) (*Checker, error) {
	registerBinaryTypes.Do(func() {
		for _, t := range binaryTypes {
			openapi3filter.RegisterBodyDecoder(t, openapi3filter.FileBodyDecoder)
		}
	})
	d, err := openapi3.NewLoader().LoadFromData(doc)
	if err != nil {
		return nil, fmt.Errorf("openapitest: load: %w", err)
	}
	if err := d.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapitest: the document is not valid: %w", err)
	}
	// route on the path alone: test requests go to example.com or to an httptest server,
	// not to a server the document names
	d.Servers = nil
	r, err := gorillamux.NewRouter(d)
	if err != nil {
		return nil, fmt.Errorf("openapitest: %w", err)
	}
	return &Checker{doc: d, router: r}, nil
}

// Check returns nil when the response (status, header, body) to req is one the document
// allows for req's operation: a documented status (a status the operation does not list
// is refused), the documented headers, and a body of a documented media type matching its
// schema. A request that matches no operation (an unknown path, a method the path does not
// have) has nothing to be compared with and passes. The error names the method, the path
// template, the operation and the mismatch.
func (c *Checker) Check(req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := c.router.FindRoute(req)
	if errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("openapi: %s %s: %w", req.Method, req.URL.Path, err)
	}
	c.checked.Add(1)
	c.seen.Store(route.Operation.OperationID, true)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		shown := string(body)
		if len(shown) > 600 {
			shown = shown[:600] + "…"
		}
		return fmt.Errorf("openapi: %s %s (operation %s) answered %d %s, which the document does not allow: %s\n  body: %s",
			req.Method, route.Path, route.Operation.OperationID, status, header.Get("Content-Type"),
			strings.ReplaceAll(err.Error(), "\n", "\n  "), shown)
	}
	return nil
}

// Handler serves h and checks each response it writes before sending it on, reporting a
// mismatch with t.Errorf. The response is buffered: fine for tests, not for production.
func (c *Checker) Handler(t testing.TB, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if err := c.Check(r, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("%v", err)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = bytes.NewReader(rec.Body.Bytes()).WriteTo(w)
	})
}

// Checked returns how many responses Check compared with the document.
func (c *Checker) Checked() int64 { return c.checked.Load() }

// Unseen returns the operationIds no checked response belonged to, sorted.
func (c *Checker) Unseen() []string {
	var out []string
	for _, item := range c.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if _, ok := c.seen.Load(op.OperationID); !ok {
				out = append(out, op.OperationID)
			}
		}
	}
	slices.Sort(out)
	return out
}
