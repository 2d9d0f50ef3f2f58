// Package examples holds what a partner copies to use the talentdb API: token-flow.sh (curl
// alone) and goclient (a generated Go client, with a short program in goclient/example).
// This test runs the script against the real API.
package examples

import (
	"bytes"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"talentdb/docs/examples/internal/testserver"
)

// token-flow.sh signs in, makes a token, signs out and calls the API with the token; run
// again with that token it skips the sign-in.
func TestTokenFlowScript(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	srv := testserver.Start(t)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(env ...string) (string, string) {
		t.Helper()
		cmd := exec.Command("sh", "token-flow.sh")
		cmd.Env = append(os.Environ(), append([]string{"TALENTDB_URL=" + srv.URL, "CURL_CA_BUNDLE=" + ca,
			"TALENTDB_TOKEN=", "TALENTDB_USER=", "TALENTDB_PASSWORD="}, env...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("token-flow.sh: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
		}
		return stdout.String(), stderr.String()
	}

	// a password with the characters a JSON string must escape
	out, errOut := run("TALENTDB_USER="+srv.Username, "TALENTDB_PASSWORD="+testserver.Password)
	token := regexp.MustCompile(`tdb_[A-Za-z0-9_-]+`).FindString(errOut)
	if token == "" || !strings.Contains(out, `"username":"`+srv.Username+`"`) || !strings.Contains(out, `"via":"token"`) ||
		!strings.Contains(out, `"items":[`) {
		t.Fatalf("stdout: %s\nstderr: %s", out, errOut)
	}
	out, errOut = run("TALENTDB_TOKEN=" + token)
	if errOut != "" || !strings.Contains(out, `"username":"`+srv.Username+`"`) {
		t.Fatalf("with the token: stdout: %s\nstderr: %s", out, errOut)
	}
	if n := srv.Checker.Checked(); n != 7 {
		t.Fatalf("%d answers checked against the document, want 7", n)
	}
}
