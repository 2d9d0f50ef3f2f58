package identity

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
)

// Resemblance of names, for the identity review queue: a new person whose identity number
// is unknown but whose name, birth date and school are close to an existing person's is
// probably that person entered with a mistyped number. This file says what "close" means
// for the names; the store finds the persons with the same birth date and school.

// Reasons a pair of names resembles, as recorded in identity_candidates.reason.
const (
	// ReasonSameName: the names are identical.
	ReasonSameName = "same_name"
	// ReasonSamePinyin: the names differ but read the same, character by character, in
	// toneless pinyin (张晓明 / 张小明), any reading of a heteronym counting.
	ReasonSamePinyin = "same_pinyin"
	// ReasonOneChar: the names have the same length and differ in exactly one character
	// (张晓明 / 张晓鸣 would be caught by pinyin; 李思雨 / 李思宇 too; 王芳 / 王芬 by this).
	ReasonOneChar = "one_char_diff"
)

//go:embed pinyin.txt
var pinyinText string

var (
	pinyinOnce  sync.Once
	pinyinTable map[rune][]uint16 // character → indexes of its syllables, ascending
)

// loadPinyin parses the embedded table (pinyin_gen.go): one line per syllable, the
// syllable, a space and every GB 2312 character with that reading.
func loadPinyin() {
	pinyinTable = make(map[rune][]uint16, 6800)
	for i, line := range strings.Split(strings.TrimSpace(pinyinText), "\n") {
		_, chars, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		for _, r := range chars {
			pinyinTable[r] = append(pinyinTable[r], uint16(i))
		}
	}
}

// readings returns the syllable indexes of r, nil for a character the table does not
// hold (a rare character, a letter, the middle dot of minority names).
func readings(r rune) []uint16 {
	pinyinOnce.Do(loadPinyin)
	return pinyinTable[r]
}

// sameReading reports whether two characters are equal or share a toneless reading.
func sameReading(a, b rune) bool {
	if a == b {
		return true
	}
	ra, rb := readings(a), readings(b)
	for i, j := 0, 0; i < len(ra) && j < len(rb); {
		switch {
		case ra[i] == rb[j]:
			return true
		case ra[i] < rb[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// normalizeName trims a name, drops the spaces inside it (张 晓明) and folds letters to
// lower case and full-width forms to half-width ones, so that formatting alone never
// makes two names differ.
func normalizeName(s string) []rune {
	out := make([]rune, 0, len(s)/3+1)
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) {
			continue
		}
		if r >= '！' && r <= '～' { // full-width ASCII
			r -= '！' - '!'
		}
		out = append(out, unicode.ToLower(r))
	}
	return out
}

// NameResemblance says whether two names are close enough to put the two persons on the
// review queue, and by which rule: identical, the same toneless pinyin, or one character
// apart. Names of different lengths never resemble (a missing or extra character is
// too weak a signal among persons who already share a birth date and a school).
func NameResemblance(a, b string) (reason string, ok bool) {
	ra, rb := normalizeName(a), normalizeName(b)
	if len(ra) == 0 || len(ra) != len(rb) {
		return "", false
	}
	diff, pinyinDiff := 0, 0
	for i := range ra {
		if ra[i] != rb[i] {
			diff++
			if !sameReading(ra[i], rb[i]) {
				pinyinDiff++
			}
		}
	}
	switch {
	case diff == 0:
		return ReasonSameName, true
	case pinyinDiff == 0:
		return ReasonSamePinyin, true
	case diff == 1 && len(ra) >= 2:
		return ReasonOneChar, true
	}
	return "", false
}
