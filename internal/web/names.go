package web

import (
	"strconv"
	"strings"

	"talentdb/internal/edition"
	"talentdb/internal/vocab"
)

// Names instead of codes: what a page shows where the database holds a key.

// Edition is an edition's title, "菁科计划 2023 年度" (English "Jingke 2023"), for its id
// jingke-2023; an id that does not parse shows as itself.
func (l Lang) Edition(id string) string {
	e, err := edition.ParseID(id)
	if err != nil {
		return id
	}
	if l == langEn {
		name, _, _ := strings.Cut(vocab.Programs.Label(e.Program, vocab.En), " (")
		return name + " " + strconv.Itoa(e.Year)
	}
	return vocab.Programs.Label(e.Program, vocab.Zh) + " " + strconv.Itoa(e.Year) + " 年度"
}
