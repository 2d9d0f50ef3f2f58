package identity

import (
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
	"os"
	"path/filepath"
	"strings"
)

// Keys derives, from one 32-byte master secret kept outside the database, the HMAC key
// used for matching and the AES-256-GCM key used to encrypt identity numbers and phones.
type Keys struct {
	mac  []byte
	aead cipher.AEAD
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
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	return &Keys{mac: mac, aead: aead}, nil
}

// LoadKeys reads the master secret from secret (hex or base64) or, when secret is empty,
// from keyFile, creating keyFile with a fresh random secret (mode 0600) when it does not
// exist yet. created reports that a new key was written.
func LoadKeys(secret, keyFile string) (k *Keys, created bool, err error) {
	if secret == "" {
		b, err := os.ReadFile(keyFile)
		switch {
		case errors.Is(err, os.ErrNotExist):
			raw := make([]byte, 32)
			if _, err := rand.Read(raw); err != nil {
				return nil, false, fmt.Errorf("identity: generate key: %w", err)
			}
			if err := os.MkdirAll(filepath.Dir(keyFile), 0o700); err != nil {
				return nil, false, fmt.Errorf("identity: create key directory: %w", err)
			}
			f, err := os.OpenFile(keyFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				if errors.Is(err, os.ErrExist) { // another process won the race
					return LoadKeys("", keyFile)
				}
				return nil, false, fmt.Errorf("identity: create key file: %w", err)
			}
			if _, err := f.WriteString(hex.EncodeToString(raw) + "\n"); err != nil {
				f.Close()
				return nil, false, fmt.Errorf("identity: write key file: %w", err)
			}
			if err := f.Close(); err != nil {
				return nil, false, fmt.Errorf("identity: write key file: %w", err)
			}
			k, err := NewKeys(raw)
			return k, true, err
		case err != nil:
			return nil, false, fmt.Errorf("identity: read key file: %w", err)
		}
		secret = string(b)
	}
	master, err := decodeSecret(strings.TrimSpace(secret))
	if err != nil {
		return nil, false, err
	}
	k, err = NewKeys(master)
	return k, false, err
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
func (k *Keys) Hash(clear string) []byte {
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(clear))
	return m.Sum(nil)
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
