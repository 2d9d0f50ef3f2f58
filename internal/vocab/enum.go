package vocab

import "strings"

// The two languages of labels: Chinese (the default of every page and export) and English.
const (
	Zh = "zh"
	En = "en"
)

// Term is one value of an enumeration: the key the database stores, its Chinese and English
// labels, and further spellings clerks write that input accepts for it (Also).
type Term struct {
	Key, Zh, En string
	Also        []string
}

// Enum is a closed list of terms in the contract's order. It is the one definition that
// API validation, the importer, the pages and the exports read, so a value a file may carry
// is a value a form accepts and every page and sheet names it the same way.
type Enum struct {
	Name  string // what the list is, in English, for messages and tests
	Terms []Term
}

// Keys returns the keys in order.
func (e Enum) Keys() []string {
	out := make([]string, len(e.Terms))
	for i, t := range e.Terms {
		out[i] = t.Key
	}
	return out
}

func (e Enum) term(key string) (Term, bool) {
	for _, t := range e.Terms {
		if t.Key == key {
			return t, true
		}
	}
	return Term{}, false
}

// Valid reports whether key is one of the keys, exactly (the database's CHECK).
func (e Enum) Valid(key string) bool {
	_, ok := e.term(key)
	return ok
}

// Label returns the label of key in lang (En for English, anything else Chinese); an unknown
// key is returned as it is, so that a value the list does not know yet still shows.
func (e Enum) Label(key, lang string) string {
	t, ok := e.term(key)
	if !ok {
		return key
	}
	if lang == En {
		return t.En
	}
	return t.Zh
}

// Zh is the Chinese label of key (the key itself when unknown).
func (e Enum) Zh(key string) string { return e.Label(key, Zh) }

// Parse returns the key named by s: a key in any case, the Chinese label or one of the
// further spellings, surrounding spaces ignored (CONTRACT.md: "Enumerations accept the key
// or the Chinese label").
func (e Enum) Parse(s string) (string, bool) {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	for _, t := range e.Terms {
		if strings.ToLower(t.Key) == lower || t.Zh == s {
			return t.Key, true
		}
		for _, x := range t.Also {
			if x == s {
				return t.Key, true
			}
		}
	}
	return "", false
}

// Allowed describes the accepted values for messages: "key 标签, key 标签 …".
func (e Enum) Allowed() string {
	parts := make([]string, len(e.Terms))
	for i, t := range e.Terms {
		parts[i] = t.Key + " " + t.Zh
	}
	return strings.Join(parts, ", ")
}
