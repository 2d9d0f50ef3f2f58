package identity

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Keys derives, from one 32-byte master secret kept outside the database, the HMAC key
// used for matching and the AES-256-GCM key used to encrypt identity numbers and phones,
// and the key check value by which a database recognises the master it was written with.
type Keys struct {
	mac  []byte
	aead cipher.AEAD
	kcv  []byte
	// macs holds HMAC states keyed with mac, reset for reuse: hmac.New derives the inner
	// and outer pads anew each time, which an import of many rows (three hashes a person)
	// would otherwise pay per value.
	macs *sync.Pool
}

// NewKeys derives the keys from a master secret of at least 32 bytes.
func NewKeys(master []byte) (*Keys, error) {
	if len(master) < 32 {
		return nil, errors.New("identity: master key must be at least 32 bytes")
	}
	mac, err := hkdf.Key(sha256.New, master, nil, "talentdb identity match v1", 32)
	if err != nil {
		return nil, fmt.Errorf("identity: derive match key: %w", err)
	}
	enc, err := hkdf.Key(sha256.New, master, nil, "talentdb identity encrypt v1", 32)
	if err != nil {
		return nil, fmt.Errorf("identity: derive encryption key: %w", err)
	}
	// its own label: HKDF's outputs under different labels are independent, so the
	// check value, which the database stores, tells nothing about the other two keys
	kcv, err := hkdf.Key(sha256.New, master, nil, "talentdb key check v1", 32)
	if err != nil {
		return nil, fmt.Errorf("identity: derive key check value: %w", err)
	}
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	return &Keys{mac: mac, aead: aead, kcv: kcv,
		macs: &sync.Pool{New: func() any { return hmac.New(sha256.New, mac) }}}, nil
}

// CheckValue is the key check value of the master: a one-way derivation under a label of
// its own, stored in the database so that a start with another key is refused before it
// writes ciphertexts nobody can open and hashes that match nothing.
func (k *Keys) CheckValue() []byte { return bytes.Clone(k.kcv) }

// Matches reports whether kcv is the check value of these keys.
func (k *Keys) Matches(kcv []byte) bool { return hmac.Equal(k.kcv, kcv) }

// ParseSecret derives the keys from a master secret given as text, hex or base64
// (TALENTDB_SECRET_KEY).
func ParseSecret(secret string) (*Keys, error) {
	master, err := decodeSecret(strings.TrimSpace(secret))
	if err != nil {
		return nil, err
	}
	return NewKeys(master)
}

// maxKeyFile bounds what ReadKeyFile reads: a key file is one line of hex or base64.
const maxKeyFile = 4 << 10

// ReadKeyFile reads the master secret from a key file. It never creates one: a missing
// file is an error wrapping fs.ErrNotExist, and whether a new key may be made is for the
// caller to decide from what the database holds (CreateKeyFile). A file that its group or
// others may read is refused, naming the fix.
func ReadKeyFile(path string) (*Keys, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("key file %s does not exist: %w", path, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("key file %s is readable by group or others (mode %04o): chmod 600 %s", path, perm, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if len(b) > maxKeyFile {
		return nil, fmt.Errorf("key file %s: not a key (longer than %d bytes)", path, maxKeyFile)
	}
	k, err := ParseSecret(string(b))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}

// CreateKeyFile writes a new random master secret to path, mode 0600 (its directory is
// created 0700 when missing), and returns its keys. The file appears complete or not at
// all, and an existing file is never replaced: then the error wraps fs.ErrExist (another
// process may have just created it; read it with ReadKeyFile).
func CreateKeyFile(path string) (*Keys, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("identity: generate key: %w", err)
	}
	k, err := NewKeys(raw)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("key file %s: create directory: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, ".talentdb-key-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(hex.EncodeToString(raw) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("key file %s: write: %w", path, err)
	}
	// a hard link never replaces an existing file, unlike a rename
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("key file %s already exists: %w", path, fs.ErrExist)
		}
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil { // make the new name durable
		_ = d.Sync()
		d.Close()
	}
	return k, nil
}

func decodeSecret(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) >= 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) >= 32 {
		return b, nil
	}
	return nil, errors.New("identity: master key must be 32 bytes, hex or base64 encoded")
}

// Hash is the keyed hash (HMAC-SHA256) of a normalised value, for equality matching.
// It is safe for concurrent use.
func (k *Keys) Hash(clear string) []byte {
	m := k.macs.Get().(hash.Hash)
	io.WriteString(m, clear)
	sum := m.Sum(make([]byte, 0, sha256.Size))
	m.Reset()
	k.macs.Put(m)
	return sum
}

// Seal encrypts a value; the nonce is prepended to the ciphertext.
func (k *Keys) Seal(clear string) []byte {
	nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(clear)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("identity: no randomness: " + err.Error())
	}
	return k.aead.Seal(nonce, nonce, []byte(clear), nil)
}

// Open decrypts a value sealed by Seal. Callers must have checked the caller's right to
// reveal and recorded the reveal.
func (k *Keys) Open(sealed []byte) (string, error) {
	n := k.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("identity: ciphertext too short")
	}
	b, err := k.aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return "", fmt.Errorf("identity: decrypt: %w", err)
	}
	return string(b), nil
}

// TestKeys returns keys from a fixed all-zero-free master, for tests only.
func TestKeys() *Keys {
	master := sha256.Sum256([]byte("talentdb test master key"))
	k, err := NewKeys(master[:])
	if err != nil {
		panic(err)
	}
	return k
}

// Protected is what the database stores of an identifier: its keyed hash (for
// matching), its ciphertext (for an authorised reveal) and its masked display form.
type Protected struct {
	Hash   []byte
	Cipher []byte
	Masked string
}

// ProtectID protects a validated identity number.
func (k *Keys) ProtectID(id IDNumber) Protected {
	return Protected{Hash: k.Hash(id.Clear()), Cipher: k.Seal(id.Clear()), Masked: id.Masked()}
}

// ProtectPhone protects a normalised phone number.
func (k *Keys) ProtectPhone(p string) Protected {
	return Protected{Hash: k.Hash("phone:" + p), Cipher: k.Seal(p), Masked: MaskPhone(p)}
}
