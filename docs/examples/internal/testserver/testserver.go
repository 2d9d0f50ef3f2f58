// Package testserver runs the talentdb API for the tests of the examples: the real handler
// over HTTPS (the session cookie is __Host-, so Secure) on a database of its own, with an
// office administrator who signs in with a password, as a partner's account would. Every
// response is checked against the served OpenAPI document (openapitest). Imported by tests
// only, never by the product.
package testserver

import (
	"context"
	"net/http/httptest"
	"testing"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/auth/authtest"
	"talentdb/internal/dbtest"
	"talentdb/internal/doors"
	"talentdb/internal/httpapi"
	"talentdb/internal/httpapi/openapitest"
	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// Password is the administrator's password: it passes the password policy and holds the
// characters a JSON string must escape, so the examples show they build bodies right.
const Password = `四川"青少年"\科技教育`

// Server is a running API.
type Server struct {
	*httptest.Server
	// Username signs in with Password; the account is an office administrator.
	Username string
	// Token is an API token of that account, for tests that start after the sign-in.
	Token string
	// Checker compared every response with the document.
	Checker *openapitest.Checker
	Store   *store.Store
}

// Start serves the API until the test ends.
func Start(t *testing.T) *Server {
	t.Helper()
	st := dbtest.New(t)
	svc := auth.New(st, auth.Config{Argon2: auth.TestArgon2, LoginRate: auth.NoLimit, APIRate: auth.NoLimit})
	const username = "partner.admin"
	u, _, err := svc.CreateUser(context.Background(), access.Caller{Username: "test", Role: access.RoleOfficeAdmin}, auth.NewUser{
		Username: username, Role: auth.RoleOfficeAdmin, Password: Password})
	if err != nil {
		t.Fatalf("testserver: create user: %v", err)
	}
	doc, err := httpapi.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	c, err := openapitest.New(doc)
	if err != nil {
		t.Fatal(err)
	}
	h := httpapi.New(httpapi.Deps{Doors: doors.New(st, identity.TestKeys(), doors.Options{}), Auth: svc})
	srv := httptest.NewTLSServer(c.Handler(t, h))
	t.Cleanup(srv.Close)
	return &Server{Server: srv, Username: username, Token: authtest.TokenFor(t, st, u), Checker: c, Store: st}
}
