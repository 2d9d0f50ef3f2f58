package selfreport

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"talentdb/internal/identity"
)

// A token is 18 random bytes and the first 12 bytes of their HMAC under the server's key
// (identity.Keys, domain-separated), each base64url without padding: 24 + 16 characters.
// The signature lets the door refuse a made-up token without a query; the database keeps
// only the SHA-256 of the whole token, so a copy of the database opens no link.
const (
	nonceBytes = 18
	sigBytes   = 12
	nonceLen   = 24 // base64url of nonceBytes
	tokenLen   = nonceLen + 16
	sigDomain  = "selfreport-link:"
)

var b64 = base64.RawURLEncoding

// newToken returns a fresh token and the hash the database keeps of it.
func newToken(keys *identity.Keys) (token string, hash []byte) {
	nonce := make([]byte, nonceBytes)
	if _, err := rand.Read(nonce); err != nil {
		panic("selfreport: no randomness: " + err.Error())
	}
	n := b64.EncodeToString(nonce)
	token = n + b64.EncodeToString(keys.Hash(sigDomain + n)[:sigBytes])
	return token, hashOf(token)
}

// verify returns the hash of a well-formed token whose signature holds, or false.
func verify(keys *identity.Keys, token string) ([]byte, bool) {
	if len(token) != tokenLen || !utf8.ValidString(token) || strings.ContainsAny(token, "=+/") {
		return nil, false
	}
	sig, err := b64.DecodeString(token[nonceLen:])
	if err != nil {
		return nil, false
	}
	if _, err := b64.DecodeString(token[:nonceLen]); err != nil {
		return nil, false
	}
	if !hmac.Equal(sig, keys.Hash(sigDomain + token[:nonceLen])[:sigBytes]) {
		return nil, false
	}
	return hashOf(token), true
}

func hashOf(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
