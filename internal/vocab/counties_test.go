package vocab_test

import (
	"regexp"
	"testing"

	"talentdb/internal/vocab"
)

// TestCounties: the 183 counties of Sichuan, each in one of the 21 cities, named in Chinese.
func TestCounties(t *testing.T) {
	t.Parallel()
	if n := len(vocab.Counties); n != 183 {
		t.Fatalf("%d counties, want 183", n)
	}
	cities := map[string]int{}
	for i, c := range vocab.Counties {
		if i > 0 && vocab.Counties[i-1].Code >= c.Code {
			t.Errorf("county %s after %s: not in code order", c.Code, vocab.Counties[i-1].Code)
		}
		if vocab.CityOf(c.Code) != c.City || !vocab.IsCity(c.City) || c.Name == "" {
			t.Errorf("county %+v", c)
		}
		cities[c.City]++
	}
	if len(cities) != 21 || cities["510100"] != 20 {
		t.Fatalf("%d cities, Chengdu has %d districts", len(cities), cities["510100"])
	}
	for code, want := range map[string]string{"510104": "锦江区", "510118": "新津区", "513402": "会理市", "511504": "叙州区"} {
		if c, ok := vocab.CountyOf(code); !ok || c.Name != want {
			t.Errorf("CountyOf(%s) = %+v %v, want %s", code, c, ok, want)
		}
	}
	if _, ok := vocab.CountyOf("510100"); ok {
		t.Error("a city is not a county")
	}
}

// TestCountiesInEnglish: every county has an English name — pinyin words, no Han character,
// ending in its kind — and the names a reader checks first are right: the kinds, an
// apostrophe between syllables (Da'an), a character read otherwise in a place name
// (都江堰 Dujiangyan, 犍为 Qianwei), an autonomous county's people and Garzê's own spelling.
func TestCountiesInEnglish(t *testing.T) {
	t.Parallel()
	kind := regexp.MustCompile(`^[A-Z][a-z']+( (Qiang|Yi|Tibetan) Autonomous County| County| City| District)$`)
	for _, c := range vocab.Counties {
		if !kind.MatchString(c.NameEn) {
			t.Errorf("%s %s: English name %q", c.Code, c.Name, c.NameEn)
		}
	}
	for code, want := range map[string]string{"510104": "Jinjiang District", "510121": "Jintang County",
		"510181": "Dujiangyan City", "510113": "Qingbaijiang District", "510304": "Da'an District",
		"511123": "Qianwei County", "510726": "Beichuan Qiang Autonomous County", "513328": "Garze County",
		"513422": "Muli Tibetan Autonomous County", "511524": "Changning County", "513231": "Aba County"} {
		if c, _ := vocab.CountyOf(code); c.NameEn != want {
			t.Errorf("CountyOf(%s).NameEn = %q, want %q", code, c.NameEn, want)
		}
	}
}

// TestInSichuan: the province, a city, a listed county and an unlisted code within a city are
// region codes the contract accepts; a code in no city of Sichuan (or another province) is not.
func TestInSichuan(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]bool{
		"510000": true, "510100": true, "513400": true, "510104": true, "510199": true,
		"510200": false, "511200": false, "110101": false, "510": false, "": false,
	} {
		if got := vocab.InSichuan(code); got != want {
			t.Errorf("InSichuan(%q) = %v, want %v", code, got, want)
		}
	}
}
