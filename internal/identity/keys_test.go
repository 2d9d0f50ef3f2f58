package identity

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func writeKeyFile(t *testing.T, path string, master []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(hex.EncodeToString(master)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// TestReadKeyFileRefusesOpenModes: a key file group or others may read is refused with the
// fix; one only its owner may read is accepted.
func TestReadKeyFileRefusesOpenModes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	master := bytes.Repeat([]byte{7}, 32)
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660, 0o644, 0o666, 0o610} {
		path := filepath.Join(dir, "k"+mode.String())
		writeKeyFile(t, path, master, mode)
		_, err := ReadKeyFile(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "chmod 600 "+path) {
			t.Errorf("mode %o: %v, want a refusal naming the file and chmod 600", mode, err)
		}
	}
	for _, mode := range []os.FileMode{0o600, 0o400} {
		path := filepath.Join(dir, "ok"+mode.String())
		writeKeyFile(t, path, master, mode)
		if _, err := ReadKeyFile(path); err != nil {
			t.Errorf("mode %o: %v", mode, err)
		}
	}
}

// TestReadKeyFileNeverCreates: a missing key file is an error (fs.ErrNotExist) and stays
// missing; a malformed one is refused naming the file.
func TestReadKeyFileNeverCreates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "secret.key")
	if _, err := ReadKeyFile(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); err == nil {
		t.Fatal("reading a missing key file created its directory")
	}
	short := filepath.Join(dir, "short.key")
	writeKeyFile(t, short, []byte("too short"), 0o600)
	if _, err := ReadKeyFile(short); err == nil || !strings.Contains(err.Error(), short) {
		t.Fatalf("short key: %v, want an error naming the file", err)
	}
}

// TestCreateKeyFile: a new key file is mode 0600 in a directory of 0700, reads back as the
// same key, and is never overwritten.
func TestCreateKeyFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "talentdb")
	path := filepath.Join(dir, "secret.key")
	k, err := CreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", p, fi.Mode().Perm(), want)
		}
	}
	back, err := ReadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Matches(k.CheckValue()) {
		t.Fatal("the key read back is not the key created")
	}
	if got, err := back.Open(k.Seal("11010519491231002X")); err != nil || got != "11010519491231002X" {
		t.Fatalf("open with the key read back: %q %v", got, err)
	}
	before, _ := os.ReadFile(path)
	if _, err := CreateKeyFile(path); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second create: %v, want fs.ErrExist", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a second create overwrote the key file")
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("directory holds %v (%v), want the key file only", entries, err)
	}
}

// TestCheckValue: the key check value is the same for the same master, differs between
// masters, and is none of the master, the match key or the encryption key.
func TestCheckValue(t *testing.T) {
	t.Parallel()
	master := sha256.Sum256([]byte("check value"))
	a, _ := NewKeys(master[:])
	b, _ := NewKeys(master[:])
	other := sha256.Sum256([]byte("another"))
	c, _ := NewKeys(other[:])
	if len(a.CheckValue()) != 32 || !bytes.Equal(a.CheckValue(), b.CheckValue()) || !a.Matches(b.CheckValue()) {
		t.Fatal("the same master gives different check values")
	}
	if a.Matches(c.CheckValue()) || bytes.Equal(a.CheckValue(), c.CheckValue()) {
		t.Fatal("two masters give the same check value")
	}
	if a.Matches(nil) || a.Matches(a.CheckValue()[:16]) {
		t.Fatal("an empty or truncated check value matches")
	}
	enc, err := hkdf.Key(sha256.New, master[:], nil, "talentdb identity encrypt v1", 32)
	if err != nil {
		t.Fatal(err)
	}
	for name, secret := range map[string][]byte{"master": master[:], "match key": a.mac, "encryption key": enc} {
		if bytes.Equal(a.CheckValue(), secret) {
			t.Errorf("the check value is the %s", name)
		}
	}
}

// TestParseSecret: TALENTDB_SECRET_KEY is hex or base64 of at least 32 bytes.
func TestParseSecret(t *testing.T) {
	t.Parallel()
	master := bytes.Repeat([]byte{0xab}, 32)
	h, err := ParseSecret(" " + hex.EncodeToString(master) + "\n")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseSecret(base64.StdEncoding.EncodeToString(master))
	if err != nil {
		t.Fatal(err)
	}
	if !h.Matches(b.CheckValue()) {
		t.Fatal("hex and base64 of the same master differ")
	}
	if _, err := ParseSecret("abcd"); err == nil {
		t.Fatal("a short secret was accepted")
	}
}

// TestHashReusesStates: Hash, whose HMAC states are reused from a pool, gives the HMAC of
// its value under the match key whatever was hashed before and from many goroutines at once.
func TestHashReusesStates(t *testing.T) {
	k := TestKeys()
	want := func(v string) []byte {
		m := hmac.New(sha256.New, k.mac)
		m.Write([]byte(v))
		return m.Sum(nil)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				v := fmt.Sprintf("phone:138%08d", g*1000+i)
				if got := k.Hash(v); !bytes.Equal(got, want(v)) || len(got) != sha256.Size {
					t.Errorf("Hash(%q) = %x, want %x", v, got, want(v))
					return
				}
			}
		}()
	}
	wg.Wait()
	if !bytes.Equal(k.Hash(""), want("")) {
		t.Error("Hash of the empty value differs from its HMAC")
	}
}
