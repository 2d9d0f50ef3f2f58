package auth

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the argon2id cost parameters. Memory is in KiB.
type Argon2Params struct {
	Memory  uint32
	Time    uint32
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultArgon2 is OWASP's recommended minimum for argon2id: 19 MiB, 2 passes, 1 lane.
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// TestArgon2 is cheap enough for tests that sign in hundreds of times. Never use it in
// production: it is there so tests stay fast.
var TestArgon2 = Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Bounds on parameters read back from a stored hash, so that a corrupt row cannot make
// one verification take the machine's memory.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
)

var b64 = base64.RawStdEncoding

// HashPassword returns the PHC string of password under p:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, salt and hash in unpadded base64.
func HashPassword(password string, p Argon2Params) (string, error) {
	if p.SaltLen == 0 {
		p.SaltLen = 16
	}
	if p.KeyLen == 0 {
		p.KeyLen = 32
	}
	if p.Memory < 8*uint32(p.Threads) || p.Time == 0 || p.Threads == 0 {
		return "", fmt.Errorf("auth: argon2 parameters m=%d t=%d p=%d are invalid", p.Memory, p.Time, p.Threads)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrBadHash is a stored password hash that is not an argon2id PHC string this package
// can verify.
var ErrBadHash = errors.New("auth: unsupported password hash")

// parsePHC reads the parameters, salt and key of an argon2id PHC string.
func parsePHC(phc string) (Argon2Params, []byte, []byte, error) {
	parts := strings.Split(phc, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Argon2Params{}, nil, nil, ErrBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return Argon2Params{}, nil, nil, ErrBadHash
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Argon2Params{}, nil, nil, ErrBadHash
	}
	if p.Time == 0 || p.Time > maxTime || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemoryKiB {
		return Argon2Params{}, nil, nil, ErrBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return Argon2Params{}, nil, nil, ErrBadHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return Argon2Params{}, nil, nil, ErrBadHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// VerifyPassword reports whether password matches the PHC string phc, comparing in
// constant time. The parameters are those of the stored hash, so hashes made under older
// settings keep working.
func VerifyPassword(password, phc string) (bool, error) {
	p, salt, key, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether phc was made with parameters weaker than p (or other than
// argon2id), so that the next successful sign-in should store a new hash.
func NeedsRehash(phc string, p Argon2Params) bool {
	got, _, _, err := parsePHC(phc)
	if err != nil {
		return true
	}
	return got.Memory < p.Memory || got.Time < p.Time || got.KeyLen < max(p.KeyLen, 16)
}

// Password length limits, in characters.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// PolicyError is a password the policy refuses. Rule is stable (min_length, max_length,
// common, username, repeated, digits_only); Message is for people, in Chinese and English.
type PolicyError struct {
	Rule    string
	Message string
}

func (e *PolicyError) Error() string { return e.Message }

//go:embed common-passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 8192)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		m[line] = struct{}{}
	}
	return m
})

// IsCommonPassword reports whether pw (ignoring case) is on the embedded list of common
// passwords.
func IsCommonPassword(pw string) bool {
	_, ok := commonPasswords()[strings.ToLower(pw)]
	return ok
}

// CheckPassword applies the password policy (docs/security.md): 8 to 128 characters, not a
// common password, not the username (alone or with digits and symbols around it), not one
// repeated character, and not only digits unless at least 12 long (dates of birth, phone
// and QQ numbers are the first guesses). No character-class rules: length and a deny list
// do more against guessing and annoy people less.
func CheckPassword(username, pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return &PolicyError{Rule: "min_length", Message: fmt.Sprintf(
			"密码至少需要 %d 个字符 / The password must have at least %d characters.", MinPasswordLen, MinPasswordLen)}
	case n > MaxPasswordLen:
		return &PolicyError{Rule: "max_length", Message: fmt.Sprintf(
			"密码最多 %d 个字符 / The password may have at most %d characters.", MaxPasswordLen, MaxPasswordLen)}
	}
	lower := strings.ToLower(pw)
	if IsCommonPassword(lower) {
		return &PolicyError{Rule: "common", Message: "该密码过于常见，很容易被猜到，请换一个 / This password is too common and easy to guess; choose another."}
	}
	if u := strings.ToLower(strings.TrimSpace(username)); u != "" && strings.Contains(lower, u) {
		rest := strings.ReplaceAll(lower, u, "")
		if !strings.ContainsFunc(rest, unicode.IsLetter) {
			return &PolicyError{Rule: "username", Message: "密码不能是用户名或用户名加数字 / The password must not be the username, alone or with digits."}
		}
	}
	first, _ := utf8.DecodeRuneInString(pw)
	if strings.Count(pw, string(first)) == n {
		return &PolicyError{Rule: "repeated", Message: "密码不能由同一个字符重复组成 / The password must not repeat one character."}
	}
	if !strings.ContainsFunc(pw, func(r rune) bool { return r < '0' || r > '9' }) && n < 12 {
		return &PolicyError{Rule: "digits_only", Message: "纯数字密码至少需要 12 位（生日、手机号、QQ 号很容易被猜到） / A password of digits only needs at least 12 of them (birth dates, phone and QQ numbers are easy to guess)."}
	}
	return nil
}

// passwordAlphabet has no look-alikes (0/O, 1/l/I) so a generated password can be read
// aloud or copied from paper.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random password of 16 characters (≈ 92 bits), which always
// satisfies the policy.
func GeneratePassword() string {
	for {
		b := make([]byte, 16)
		for i := range b {
			b[i] = passwordAlphabet[randIntn(len(passwordAlphabet))]
		}
		if CheckPassword("", string(b)) == nil {
			return string(b)
		}
	}
}
