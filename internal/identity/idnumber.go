package identity

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors returned by ParseIDNumber; they name the rule that failed.
var (
	ErrIDLength    = errors.New("identity number must have 18 characters")
	ErrIDChars     = errors.New("identity number must be 17 digits followed by a digit or X")
	ErrIDChecksum  = errors.New("identity number check digit does not match (GB 11643)")
	ErrIDBirthDate = errors.New("identity number does not contain a valid birth date")
)

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDNumber is a validated, normalised identity number (upper-case X).
type IDNumber struct {
	s string
}

// ParseIDNumber normalises (trims spaces, upper-cases x) and validates an identity
// number: length, characters, GB 11643 check digit and the embedded birth date.
func ParseIDNumber(raw string) (IDNumber, error) {
	s := strings.ToUpper(strings.TrimSpace(raw))
	if len([]rune(s)) != 18 {
		return IDNumber{}, ErrIDLength
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return IDNumber{}, ErrIDChars
		}
		sum += int(c-'0') * idWeights[i]
	}
	last := s[17]
	if (last < '0' || last > '9') && last != 'X' {
		return IDNumber{}, ErrIDChars
	}
	if idCheckChars[sum%11] != last {
		return IDNumber{}, ErrIDChecksum
	}
	id := IDNumber{s: s}
	if _, err := id.birthDate(); err != nil {
		return IDNumber{}, err
	}
	return id, nil
}

// CheckChar computes the GB 11643 check character for the first 17 digits; the demo
// generator and tests use it to build valid numbers.
func CheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, ErrIDLength
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, ErrIDChars
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], nil
}

func (id IDNumber) birthDate() (time.Time, error) {
	d, err := time.Parse("20060102", id.s[6:14])
	if err != nil || d.Year() < 1900 {
		return time.Time{}, ErrIDBirthDate
	}
	return d, nil
}

// BirthDate is the birth date encoded in positions 7-14.
func (id IDNumber) BirthDate() time.Time {
	d, _ := id.birthDate()
	return d
}

// Gender is "male" or "female", from the parity of the 17th digit.
func (id IDNumber) Gender() string {
	if (id.s[16]-'0')%2 == 1 {
		return "male"
	}
	return "female"
}

// Masked is the display form: the first four digits (province and city) and 14 stars,
// 5101**************. Every list, export and audit row shows it beside the birth date in
// clear, and a school's county is public, so digits 5-14 are known to any reader; the
// sequence and check digits (15-18) are hidden too, so that the mask always leaves a
// thousand candidate numbers, not one. Only the office's audited reveal shows more.
func (id IDNumber) Masked() string {
	return id.s[:4] + strings.Repeat("*", 14)
}

// String returns the masked form so that a stray %v never prints the number in clear.
func (id IDNumber) String() string { return id.Masked() }

// Clear returns the number in clear, for hashing and encryption only.
func (id IDNumber) Clear() string { return id.s }

// IsZero reports whether id is the zero value.
func (id IDNumber) IsZero() bool { return id.s == "" }

// NormalizePhone keeps the digits of a phone number (and a leading +), rejecting anything
// that cannot be a phone number.
func NormalizePhone(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return "", fmt.Errorf("phone number contains %q", r)
		}
	}
	out := b.String()
	digits := strings.TrimPrefix(out, "+")
	if len(digits) < 7 || len(digits) > 15 {
		return "", errors.New("phone number must have 7 to 15 digits")
	}
	return out, nil
}

// MaskPhone shows the first three and last four digits: 138****8000.
func MaskPhone(p string) string {
	if len(p) <= 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}
