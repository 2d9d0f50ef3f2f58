package edition

import "talentdb/internal/store"

// Edition is one year of a program (e.g. jingke-2023), as the door returns it.
type Edition = store.Edition

// Filter selects one page of editions; nil fields do not filter.
type Filter = store.EditionFilter
