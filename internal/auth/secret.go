package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
)

// TokenPrefix starts every API token, so a leaked one is recognisable (secret scanners,
// log reviews) and cannot be mistaken for a session token.
const TokenPrefix = "tdb_"

// secretBytes is the entropy of session tokens, API tokens and CSRF tokens: 256 bits.
const secretBytes = 32

// newSecret returns 256 random bits, base64url without padding (43 characters).
func newSecret() string {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand never fails on supported platforms; continuing without
		// randomness would be worse than stopping.
		panic("auth: crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is the SHA-256 of a session or API token, as stored. A fast hash is right
// here: the tokens have full entropy, there is nothing to brute-force.
func HashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// NewAPIToken returns a new API token: TokenPrefix + 256 random bits.
func NewAPIToken() string { return TokenPrefix + newSecret() }

// wellFormedSecret reports whether s looks like a secret this package made (43 base64url
// characters), so junk is refused without a database round trip.
func wellFormedSecret(s string) bool {
	if len(s) != 43 {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	})
}

func randIntn(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic("auth: crypto/rand: " + err.Error())
	}
	return int(v.Int64())
}
