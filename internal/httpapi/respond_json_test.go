package httpapi

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestRespondJSONOneBody: an answer goes out whole with its Content-Length (not chunked,
// whatever its size), and a value that cannot be encoded is a 500 with no half body.
func TestRespondJSONOneBody(t *testing.T) {
	t.Parallel()
	big := map[string]any{"name": strings.Repeat("张", 5000), "html": "<b>&</b>"}
	rec := httptest.NewRecorder()
	respondJSON(rec, http.StatusOK, big)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Length") != strconv.Itoa(rec.Body.Len()) {
		t.Fatalf("status %d, Content-Length %q for a body of %d bytes", rec.Code, rec.Header().Get("Content-Length"), rec.Body.Len())
	}
	var back map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &back); err != nil || back["name"] != big["name"] {
		t.Fatalf("body does not decode to what was sent: %v", err)
	}
	if !strings.Contains(rec.Body.String(), `"<b>&</b>"`) {
		t.Errorf("HTML characters escaped: %s", rec.Body.String()[len(rec.Body.String())-30:])
	}
	rec = httptest.NewRecorder()
	respondJSON(rec, http.StatusOK, map[string]float64{"x": math.NaN()})
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), `{"x"`) {
		t.Fatalf("an unencodable value: %d %q", rec.Code, rec.Body.String())
	}
}
