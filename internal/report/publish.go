package report

// Publication mode: figures that leave the office go through small-cell suppression
// (docs/reports.md, "Publication mode"). It is pure Go over a report already computed —
// the SQL is the same — and changes only values, never the shape:
//
//  1. primary suppression: every count of 1 to 4 becomes Small ("<5"); 0 stays 0;
//  2. complementary suppression: in every group of counts whose sum is a total that is
//     or may be published (a by_* object, a window's destinations, the schools of a city,
//     the cities of the province, contacted + due of one school …), when exactly one
//     count of the group is withheld, the smallest other non-zero count of the group
//     becomes Hidden ("*") too, so that the withheld one cannot be worked out as the
//     total minus the rest. A group whose total is itself withheld is skipped (the total
//     cannot be subtracted from). Hiding a count can leave another group (its column, its
//     parent total) with exactly one withheld count, so the step repeats until nothing
//     changes;
//  3. rates and shares are withheld (null) when their denominator is under 10, or when
//     their numerator or denominator is withheld (the rate would give the count back).
//
// Publication, added to the report as "publication", says so and lists every withheld
// rate with its reason, in the order of the report.

// The thresholds of publication mode.
const (
	// minPublishedCount is the smallest count shown as is (besides 0).
	minPublishedCount = 5
	// minRateDenominator is the smallest denominator of a published rate.
	minRateDenominator = 10
)

// publicationRule states the rule in the report itself, in Chinese and English.
const publicationRule = `公开发布模式：1–4 的计数显示为 "<5"（0 照常显示）；为防止由合计反推，同组另一计数显示为 "*"；分母小于 10 或分子、分母被隐藏的比率不公布（null）。 / ` +
	`Publication mode: counts of 1 to 4 are shown as "<5" (0 is shown); "*" marks a count withheld so that a "<5" cannot be worked out from a total; rates whose denominator is under 10, or whose numerator or denominator is withheld, are withheld (null).`

// Publication is present in a report computed for publication: the rule applied, how
// many counts were withheld, and every withheld rate with its reason.
type Publication struct {
	Rule           string         `json:"rule"`
	MinCount       int            `json:"min_count"`
	MinDenominator int            `json:"min_denominator"`
	SmallCells     int            `json:"small_cells"`
	HiddenCells    int            `json:"hidden_cells"`
	WithheldRates  []WithheldRate `json:"withheld_rates"`
}

// WithheldRate names a withheld rate by its path in the report's JSON and says why:
// denominator_under_10, numerator_withheld or denominator_withheld.
type WithheldRate struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Publishable is a report that can be put into publication mode. Publish changes the
// report in place and is idempotent only on a freshly computed report.
type Publishable interface {
	Publish()
}

// cell is one count under suppression: its true value, its mark (0 = shown, Small,
// Hidden) and how to write the mark back into the report.
type cell struct {
	n     int
	mark  Count
	set   func(Count)
	order int // registration order: the tie-break that keeps the result deterministic
}

func (c *cell) withheld() bool { return c.mark != 0 }

// group is a set of counts that add up to total; total nil means the total is not in
// this report but may be known elsewhere, so it is treated as published.
type group struct {
	total *cell
	cells []*cell
}

// rateRef is a rate to withhold when its numerator or denominator does not allow it.
type rateRef struct {
	path     string
	num, den *cell
	set      func(Ratio)
}

// suppressor collects a report's counts, groups and rates, then applies the rule.
type suppressor struct {
	cells  []*cell
	groups []group
	rates  []rateRef
}

// add registers a count whose value is n, written back by set.
func (s *suppressor) add(n Count, set func(Count)) *cell {
	c := &cell{n: int(n), set: set, order: len(s.cells)}
	s.cells = append(s.cells, c)
	return c
}

// count registers a count held in a struct field.
func (s *suppressor) count(p *Count) *cell {
	return s.add(*p, func(v Count) { *p = v })
}

// counts registers every entry of a by_* object, in key order.
func (s *suppressor) counts(m Counts) []*cell {
	out := make([]*cell, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, s.add(m[k], func(v Count) { m[k] = v }))
	}
	return out
}

// group declares that cells add up to total (nil: a total published elsewhere, maybe).
func (s *suppressor) group(total *cell, cells ...*cell) {
	if len(cells) > 1 {
		s.groups = append(s.groups, group{total: total, cells: cells})
	}
}

// rate registers a rate num/den held at p, named by its JSON path.
func (s *suppressor) rate(path string, p *Ratio, num, den *cell) {
	s.rates = append(s.rates, rateRef{path: path, num: num, den: den, set: func(v Ratio) { *p = v }})
}

// rateFunc is rate for a rate that is not addressable (inside a map value).
func (s *suppressor) rateFunc(path string, set func(Ratio), num, den *cell) {
	s.rates = append(s.rates, rateRef{path: path, num: num, den: den, set: set})
}

// run applies primary and complementary suppression and the rate rule, writes the marks
// back into the report and returns its Publication.
func (s *suppressor) run() *Publication {
	for _, c := range s.cells {
		if c.n >= 1 && c.n < minPublishedCount {
			c.mark = Small
		}
	}
	for changed := true; changed; {
		changed = false
		for _, g := range s.groups {
			if g.total != nil && g.total.withheld() {
				continue
			}
			withheld := 0
			var next *cell // the smallest non-zero count still shown
			for _, c := range g.cells {
				switch {
				case c.withheld():
					withheld++
				case c.n > 0 && (next == nil || c.n < next.n || (c.n == next.n && c.order < next.order)):
					next = c
				}
			}
			if withheld == 1 && next != nil {
				next.mark = Hidden
				changed = true
			}
		}
	}
	p := &Publication{Rule: publicationRule, MinCount: minPublishedCount, MinDenominator: minRateDenominator,
		WithheldRates: []WithheldRate{}}
	for _, c := range s.cells {
		switch c.mark {
		case Small:
			p.SmallCells++
		case Hidden:
			p.HiddenCells++
		}
		if c.withheld() {
			c.set(c.mark)
		}
	}
	for _, r := range s.rates {
		reason := ""
		switch {
		case r.den.n < minRateDenominator:
			reason = "denominator_under_10"
		case r.num.withheld():
			reason = "numerator_withheld"
		case r.den.withheld():
			reason = "denominator_withheld"
		}
		if reason != "" {
			r.set(withheldRatio)
			p.WithheldRates = append(p.WithheldRates, WithheldRate{Path: r.path, Reason: reason})
		}
	}
	return p
}
