package report

import (
	"context"
	"fmt"
	"time"

	"talentdb/internal/store"
)

// CohortReport is the cohort outcome report of one edition (contract: "Cohort outcome
// report"); its JSON is the contract's, key for key. Cut is echoed only when the report
// was cut, Publication only when it was computed for publication.
type CohortReport struct {
	Edition     string         `json:"edition"`
	AsOf        string         `json:"as_of"`
	CohortSize  Count          `json:"cohort_size"`
	Windows     []CohortWindow `json:"windows"`
	Cut         *Cut           `json:"cut,omitempty"`
	Publication *Publication   `json:"publication,omitempty"`
}

// CohortWindow is one window of a cohort report: window 0 is the edition itself, window k
// the k-th year after it. Only the last listed window is partial.
type CohortWindow struct {
	K                        int    `json:"k"`
	From                     string `json:"from"`
	To                       string `json:"to"`
	Partial                  bool   `json:"partial"`
	Contacted                Count  `json:"contacted"`
	Awarded                  Count  `json:"awarded"`
	AwardedProvincialPlus    Count  `json:"awarded_provincial_plus"`
	CumulativeProvincialPlus Count  `json:"cumulative_provincial_plus"`
	YingcaiCumulative        Count  `json:"yingcai_cumulative"`
	// Destinations counts destination records (not persons) by type.
	Destinations Counts `json:"destinations"`
}

// Cohort computes the cohort outcome report of editionID on asOf (a date; its clock is
// ignored) for the whole province. An unknown edition is ErrUnknownEdition.
func Cohort(ctx context.Context, st *store.Store, editionID string, asOf time.Time) (CohortReport, error) {
	return CohortWithCut(ctx, st, editionID, asOf, Cut{})
}

// CohortWithCut is Cohort narrowed by cut (Program is refused: the edition fixes it); a
// refused cut is a *ParamError.
func CohortWithCut(ctx context.Context, st *store.Store, editionID string, asOf time.Time, cut Cut) (CohortReport, error) {
	rs, err := cohorts(ctx, st, []string{editionID}, asOf, cut)
	if err != nil {
		return CohortReport{}, err
	}
	return rs[0], nil
}

// cohorts computes the cohort reports of several editions with one query, in the order
// asked; any unknown edition is ErrUnknownEdition.
func cohorts(ctx context.Context, st *store.Store, editionIDs []string, asOf time.Time, cut Cut) ([]CohortReport, error) {
	asOf = Day(asOf)
	st = st.Replica() // read-only: the streaming standby when one is healthy
	sc, err := cut.resolve(ctx, st, false)
	if err != nil {
		return nil, err
	}
	rows, err := st.ReportCohortWindows(ctx, editionIDs, asOf, sc)
	if err != nil {
		return nil, fmt.Errorf("report: cohort: %w", err)
	}
	byEdition := make(map[string]*CohortReport, len(editionIDs))
	for _, w := range rows {
		r := byEdition[w.EditionID]
		if r == nil {
			r = &CohortReport{Edition: w.EditionID, AsOf: formatDate(asOf), Windows: []CohortWindow{}, Cut: cut.echo()}
			byEdition[w.EditionID] = r
		}
		r.CohortSize = Count(w.CohortSize)
		if w.K < 0 { // no window listed: as_of is before the edition starts
			continue
		}
		dest := make(Counts, len(w.Destinations))
		for t, n := range w.Destinations {
			if n != 0 {
				dest[t] = Count(n)
			}
		}
		r.Windows = append(r.Windows, CohortWindow{K: w.K, From: formatDate(w.From), To: formatDate(w.To),
			Partial: w.Partial, Contacted: Count(w.Contacted), Awarded: Count(w.Awarded),
			AwardedProvincialPlus: Count(w.AwardedProvincialPlus), CumulativeProvincialPlus: Count(w.CumulativeProvincialPlus),
			YingcaiCumulative: Count(w.YingcaiCumulative), Destinations: dest})
	}
	out := make([]CohortReport, 0, len(editionIDs))
	for _, id := range editionIDs {
		r := byEdition[id]
		if r == nil {
			return nil, &ParamError{Param: "edition", Rule: "exists", kind: ErrUnknownEdition,
				Message: fmt.Sprintf("%s: %s", ErrUnknownEdition, id)}
		}
		out = append(out, *r)
	}
	return out, nil
}
