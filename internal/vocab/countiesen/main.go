// Command countiesen adds the English name of each county to ../counties-sichuan.csv (the
// name_en column), once: the pinyin of its Chinese name with the suffix in English
// (锦江区 → Jinjiang District; 县 County, 市 City, 区 District, 自治县 Autonomous County,
// after the people it is for: 北川羌族自治县 → Beichuan Qiang Autonomous County), and the
// names whose usual English is not their pinyin, or whose reading go-pinyin gets wrong,
// from a short table. The product reads the CSV, never this command: it is a module of
// its own so that its pinyin library stays out of talentdb's go.mod.
//
//	cd internal/vocab/countiesen && go run .
//
// Run again it changes nothing (an existing name_en column is recomputed the same way).
package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

const file = "../counties-sichuan.csv"

// readings are the characters these place names read otherwise than go-pinyin's first
// reading (都 dōu/dū: 新都 Xindu, 都江堰 Dujiangyan; 什 shén/shí: 什邡 Shifang; 长 zhǎng/
// cháng: 长宁 Changning; 犍为 Qianwei, 筠连 Junlian, 荥经 Yingjing).
var readings = map[rune]string{'都': "du", '什': "shi", '长': "chang", '犍': "qian", '筠': "jun", '荥': "ying"}

// exceptions are the names (without their suffix) known in English by a spelling of
// their own rather than their pinyin: Tibetan names of Aba and Garzê.
var exceptions = map[string]string{
	"甘孜":  "Garze",
	"若尔盖": "Zoige",
	"马尔康": "Barkam",
	"色达":  "Sertar",
}

// peoples are the peoples an autonomous county is named for.
var peoples = map[string]string{"羌族": "Qiang", "彝族": "Yi", "藏族": "Tibetan"}

// suffixes are the kinds of county-level division, longest first.
var suffixes = []struct{ zh, en string }{
	{"自治县", "Autonomous County"}, {"县", "County"}, {"市", "City"}, {"区", "District"},
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "countiesen:", err)
		os.Exit(1)
	}
}

func run() error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		return err
	}
	out := [][]string{{"code", "name_zh", "city_code", "name_en"}}
	for _, r := range rows[1:] {
		en, err := English(r[1])
		if err != nil {
			return fmt.Errorf("%s %s: %w", r[0], r[1], err)
		}
		out = append(out, []string{r[0], r[1], r[2], en})
	}
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	if err := w.WriteAll(out); err != nil {
		return err
	}
	return os.WriteFile(file, []byte(sb.String()), 0o644)
}

// English is the English name of a county-level division named zh.
func English(zh string) (string, error) {
	for _, s := range suffixes {
		stem, ok := strings.CutSuffix(zh, s.zh)
		if !ok || stem == "" {
			continue
		}
		kind := s.en
		if s.zh == "自治县" {
			people := ""
			for p, en := range peoples {
				if st, ok := strings.CutSuffix(stem, p); ok {
					stem, people = st, en
				}
			}
			if people == "" {
				return "", fmt.Errorf("the people of an autonomous county is not known")
			}
			kind = people + " " + kind
		}
		name, err := romanize(stem)
		if err != nil {
			return "", err
		}
		return name + " " + kind, nil
	}
	return "", fmt.Errorf("no known suffix (县, 市, 区, 自治县)")
}

// romanize is the pinyin of a name without tones, in one word with a capital, an
// apostrophe before a syllable starting with a, o or e (大安 Da'an), or the exception.
func romanize(stem string) (string, error) {
	if en, ok := exceptions[stem]; ok {
		return en, nil
	}
	args := pinyin.NewArgs()
	var syllables []string
	for _, c := range stem {
		if s, ok := readings[c]; ok {
			syllables = append(syllables, s)
			continue
		}
		p := pinyin.LazyPinyin(string(c), args)
		if len(p) != 1 || p[0] == "" {
			return "", fmt.Errorf("no pinyin for %c", c)
		}
		syllables = append(syllables, p[0])
	}
	var sb strings.Builder
	for i, s := range syllables {
		if i > 0 && strings.ContainsRune("aoe", rune(s[0])) {
			sb.WriteByte('\'')
		}
		sb.WriteString(s)
	}
	r := []rune(sb.String())
	r[0] = unicode.ToUpper(r[0])
	return string(r), nil
}
