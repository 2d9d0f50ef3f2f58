package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"talentdb/internal/access"
)

// TestFailAnswersAPlainConflict: a door's conflict that is no constraint violation is a
// 409 conflict problem, not a 500.
func TestFailAnswersAPlainConflict(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	fail(rec, httptest.NewRequest("POST", "/api/v1/x", nil), fmt.Errorf("door: %w", access.ErrConflict))
	if rec.Code != http.StatusConflict {
		t.Fatalf("status %d, want 409: %s", rec.Code, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q", ct)
	}
}
