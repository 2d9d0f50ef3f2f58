package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talentdb/internal/dbtest"
	"talentdb/internal/identity"
	"talentdb/internal/store"
)

// keySetup is a migrated database of its own, a directory for key files and an
// organizations file to import (the cheapest command that loads the keys).
type keySetup struct {
	t    *testing.T
	url  string
	st   *store.Store
	dir  string
	orgs string
}

func setupKeys(t *testing.T) *keySetup {
	t.Helper()
	url := dbtest.URL(t)
	dir := t.TempDir()
	orgs := filepath.Join(dir, "orgs.csv")
	if err := os.WriteFile(orgs, []byte("code,name,kind,region_code\nKC01,密钥小学,school,510104\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return &keySetup{t: t, url: url, st: dbtest.Open(t, url), dir: dir, orgs: orgs}
}

// importWith runs `talentdb import organizations FILE --dry-run` with the key file.
func (k *keySetup) importWith(keyFile string) (int, string) {
	k.t.Helper()
	var out, errb bytes.Buffer
	code := RunIO(context.Background(), []string{"import", "organizations", k.orgs, "--dry-run",
		"--database-url", k.url, "--key-file", keyFile}, strings.NewReader(""), &out, &errb)
	return code, errb.String()
}

// writeKey writes a key file of the master derived from seed with the given mode and
// returns its path and keys.
func (k *keySetup) writeKey(name, seed string, mode os.FileMode) (string, *identity.Keys) {
	k.t.Helper()
	master := sha256.Sum256([]byte(seed))
	path := filepath.Join(k.dir, name)
	if err := os.WriteFile(path, []byte(hex.EncodeToString(master[:])+"\n"), 0o600); err != nil {
		k.t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		k.t.Fatal(err)
	}
	keys, err := identity.NewKeys(master[:])
	if err != nil {
		k.t.Fatal(err)
	}
	return path, keys
}

// kcv returns the key check values stored in the database.
func (k *keySetup) kcv() [][]byte {
	k.t.Helper()
	rows, err := k.st.Pool.Query(context.Background(), "SELECT kcv FROM key_check")
	if err != nil {
		k.t.Fatalf("read key_check: %v", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			k.t.Fatal(err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		k.t.Fatal(err)
	}
	return out
}

// addPerson stores a person whose identity number is sealed with keys, as a database
// written before key check values existed holds them.
func (k *keySetup) addPerson(keys *identity.Keys) {
	k.t.Helper()
	id, err := identity.ParseIDNumber("11010519491231002X")
	if err != nil {
		k.t.Fatal(err)
	}
	p := keys.ProtectID(id)
	if _, err := k.st.Pool.Exec(context.Background(), `INSERT INTO persons (id_hash, id_cipher, id_masked, name, gender, birth_date)
		VALUES ($1, $2, $3, '张三', 'female', '1949-12-31')`, p.Hash, p.Cipher, p.Masked); err != nil {
		k.t.Fatal(err)
	}
}

// oneLine fails unless stderr is exactly one line holding every part.
func oneLine(t *testing.T, what string, code int, stderr string, parts ...string) {
	t.Helper()
	if code == 0 {
		t.Errorf("%s: exit 0, want a refusal; stderr %q", what, stderr)
		return
	}
	if strings.Count(stderr, "\n") != 1 {
		t.Errorf("%s: stderr is not one line: %q", what, stderr)
	}
	for _, p := range parts {
		if !strings.Contains(stderr, p) {
			t.Errorf("%s: stderr %q does not say %q", what, stderr, p)
		}
	}
}

// TestKeyFileCreatedForFreshDatabase: a database that holds no encrypted number gets a new
// key file (mode 0600) and its check value; the next start accepts the same file.
func TestKeyFileCreatedForFreshDatabase(t *testing.T) {
	t.Parallel()
	k := setupKeys(t)
	keyFile := filepath.Join(k.dir, "conf", "secret.key")
	if code, errs := k.importWith(keyFile); code != 0 {
		t.Fatalf("first start: exit %d: %s", code, errs)
	}
	fi, err := os.Stat(keyFile)
	if err != nil {
		t.Fatalf("no key file created: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %o, want 600", fi.Mode().Perm())
	}
	raw, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	kcv := k.kcv()
	if len(kcv) != 1 || len(kcv[0]) != 32 {
		t.Fatalf("key check values stored: %x, want one of 32 bytes", kcv)
	}
	master, _ := hex.DecodeString(strings.TrimSpace(string(raw)))
	if bytes.Contains(kcv[0], master) || bytes.Contains(master, kcv[0]) {
		t.Fatal("the key check value is the master key")
	}
	if code, errs := k.importWith(keyFile); code != 0 {
		t.Fatalf("second start: exit %d: %s", code, errs)
	}
	if again := k.kcv(); len(again) != 1 || !bytes.Equal(again[0], kcv[0]) {
		t.Errorf("key check value changed on the second start: %x → %x", kcv, again)
	}
	if after, _ := os.ReadFile(keyFile); !bytes.Equal(after, raw) {
		t.Error("the second start rewrote the key file")
	}
}

// TestKeyFileWrongForDatabase: a key file other than the one whose check value the database
// holds is refused by every command that loads keys, with one line naming the file; a
// missing file is refused too (and not created) once the database has a check value.
func TestKeyFileWrongForDatabase(t *testing.T) {
	t.Parallel()
	k := setupKeys(t)
	right, _ := k.writeKey("right.key", "right", 0o600)
	if code, errs := k.importWith(right); code != 0 {
		t.Fatalf("first start: exit %d: %s", code, errs)
	}
	stored := k.kcv()
	wrong, _ := k.writeKey("wrong.key", "wrong", 0o600)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, args := range [][]string{
		{"import", "organizations", k.orgs, "--dry-run"},
		{"seed", "demo", "--scale", "small", "--if-empty"},
		{"serve", "--listen", "127.0.0.1:0"},
	} {
		var out, errb bytes.Buffer
		code := RunIO(ctx, append(args, "--database-url", k.url, "--key-file", wrong), strings.NewReader(""), &out, &errb)
		oneLine(t, args[0], code, errb.String(), "key file "+wrong, "does not match", "TALENTDB_KEY_FILE")
	}

	missing := filepath.Join(k.dir, "typo", "secret.key")
	code, errs := k.importWith(missing)
	oneLine(t, "missing key file", code, errs, "key file "+missing, "does not exist")
	if _, err := os.Stat(missing); err == nil {
		t.Error("a missing key file was created for a database that has a key")
	}
	if got := k.kcv(); len(got) != 1 || !bytes.Equal(got[0], stored[0]) {
		t.Errorf("key check value changed: %x → %x", stored, got)
	}
	if code, errs := k.importWith(right); code != 0 {
		t.Errorf("the right key after the refusals: exit %d: %s", code, errs)
	}
}

// TestKeyFileMissingForDatabaseWithPersons: a database that already holds encrypted
// identity numbers never gets a new key: the command refuses, names the file and creates
// nothing.
func TestKeyFileMissingForDatabaseWithPersons(t *testing.T) {
	t.Parallel()
	k := setupKeys(t)
	_, keys := k.writeKey("unused.key", "legacy", 0o600)
	k.addPerson(keys)
	missing := filepath.Join(k.dir, "secret.key")
	code, errs := k.importWith(missing)
	oneLine(t, "missing key file", code, errs, "key file "+missing, "does not exist", "encrypted identity numbers",
		"restore the key file")
	if _, err := os.Stat(missing); err == nil {
		t.Error("a key file was created for a database that holds encrypted identity numbers")
	}
	if got := k.kcv(); len(got) != 0 {
		t.Errorf("key check value stored without a key: %x", got)
	}
}

// TestKeyFileReadableByOthers: a key file that group or others may read is refused with
// the fix, whatever the database holds.
func TestKeyFileReadableByOthers(t *testing.T) {
	t.Parallel()
	k := setupKeys(t)
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644} {
		path, _ := k.writeKey("open.key", "open", mode)
		code, errs := k.importWith(path)
		oneLine(t, mode.String(), code, errs, "key file "+path, "chmod 600 "+path)
	}
	if got := k.kcv(); len(got) != 0 {
		t.Errorf("key check value stored from a refused key file: %x", got)
	}
	path, _ := k.writeKey("owner.key", "open", 0o400)
	if code, errs := k.importWith(path); code != 0 {
		t.Errorf("a key file only its owner may read (0400): exit %d: %s", code, errs)
	}
}

// TestKeyFileAdoptedByLegacyDatabase: a database written before key check values existed
// (ciphertexts, no check value) adopts the key file that opens its ciphertexts and refuses
// one that does not.
func TestKeyFileAdoptedByLegacyDatabase(t *testing.T) {
	t.Parallel()
	k := setupKeys(t)
	right, keys := k.writeKey("right.key", "legacy", 0o600)
	wrong, _ := k.writeKey("wrong.key", "other", 0o600)
	k.addPerson(keys)

	code, errs := k.importWith(wrong)
	oneLine(t, "wrong key", code, errs, "key file "+wrong, "TALENTDB_KEY_FILE")
	if got := k.kcv(); len(got) != 0 {
		t.Fatalf("a key that does not open the ciphertexts was adopted: %x", got)
	}

	if code, errs := k.importWith(right); code != 0 {
		t.Fatalf("right key: exit %d: %s", code, errs)
	}
	if got := k.kcv(); len(got) != 1 {
		t.Fatalf("key check value not adopted: %x", got)
	}
	code, errs = k.importWith(wrong)
	oneLine(t, "wrong key after adoption", code, errs, "key file "+wrong, "does not match")
}

// TestKeyFileAdoptedByMentorPhones: mentors' phones are ciphertexts too; a database that
// holds only those is not fresh.
func TestKeyFileAdoptedByMentorPhones(t *testing.T) {
	t.Parallel()
	k := setupKeys(t)
	right, keys := k.writeKey("right.key", "mentors", 0o600)
	wrong, _ := k.writeKey("wrong.key", "other", 0o600)
	p := keys.ProtectPhone("13800138000")
	if _, err := k.st.Pool.Exec(context.Background(),
		`INSERT INTO mentors (name, phone_cipher, phone_masked) VALUES ('李老师', $1, $2)`, p.Cipher, p.Masked); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(k.dir, "missing.key")
	code, errs := k.importWith(missing)
	oneLine(t, "missing key file", code, errs, "key file "+missing, "does not exist")
	code, errs = k.importWith(wrong)
	oneLine(t, "wrong key", code, errs, "key file "+wrong)
	if code, errs := k.importWith(right); code != 0 {
		t.Fatalf("right key: exit %d: %s", code, errs)
	}
	if got := k.kcv(); len(got) != 1 {
		t.Fatalf("key check value not adopted: %x", got)
	}
}

// TestSecretKeyCheckedLikeAFile: TALENTDB_SECRET_KEY is held to the database's check value
// as a key file is.
func TestSecretKeyCheckedLikeAFile(t *testing.T) {
	t.Parallel()
	k := setupKeys(t)
	right, _ := k.writeKey("right.key", "right", 0o600)
	if code, errs := k.importWith(right); code != 0 {
		t.Fatalf("first start: exit %d: %s", code, errs)
	}
	other := sha256.Sum256([]byte("other"))
	env := &Env{Args: []string{"organizations", k.orgs, "--dry-run", "--database-url", k.url},
		Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}
	env.Cfg.SecretKey = hex.EncodeToString(other[:])
	env.Cfg.KeyFile = right
	env.Log = newLogger(env.Stderr, env.Cfg)
	err := runImport(context.Background(), env)
	if err == nil || !strings.Contains(err.Error(), "TALENTDB_SECRET_KEY") || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("a secret key other than the database's: %v", err)
	}
	right2 := sha256.Sum256([]byte("right"))
	env.Cfg.SecretKey = hex.EncodeToString(right2[:])
	if err := runImport(context.Background(), env); err != nil {
		t.Fatalf("the database's key as TALENTDB_SECRET_KEY: %v", err)
	}
}
