package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"talentdb/internal/store"
)

// CohortReport is the cohort outcome report of one edition (contract: "Cohort outcome
// report"); its JSON is the contract's, key for key.
type CohortReport struct {
	Edition    string         `json:"edition"`
	AsOf       string         `json:"as_of"`
	CohortSize int            `json:"cohort_size"`
	Windows    []CohortWindow `json:"windows"`
}

// CohortWindow is one window of a cohort report: window 0 is the edition itself, window k
// the k-th year after it. Only the last listed window is partial.
type CohortWindow struct {
	K                        int    `json:"k"`
	From                     string `json:"from"`
	To                       string `json:"to"`
	Partial                  bool   `json:"partial"`
	Contacted                int    `json:"contacted"`
	Awarded                  int    `json:"awarded"`
	AwardedProvincialPlus    int    `json:"awarded_provincial_plus"`
	CumulativeProvincialPlus int    `json:"cumulative_provincial_plus"`
	YingcaiCumulative        int    `json:"yingcai_cumulative"`
	// Destinations counts destination records (not persons) by type.
	Destinations Counts `json:"destinations"`
}

// Cohort computes the cohort outcome report of editionID on asOf (a date; its clock is
// ignored). An unknown edition is ErrUnknownEdition.
func Cohort(ctx context.Context, st *store.Store, editionID string, asOf time.Time) (CohortReport, error) {
	asOf = Day(asOf)
	st = st.Replica() // read-only: the streaming standby when one is healthy
	rows, err := st.ReportCohortWindows(ctx, editionID, asOf)
	if errors.Is(err, store.ErrNotFound) {
		return CohortReport{}, fmt.Errorf("%w: %s", ErrUnknownEdition, editionID)
	}
	if err != nil {
		return CohortReport{}, fmt.Errorf("report: cohort %s: %w", editionID, err)
	}
	r := CohortReport{Edition: editionID, AsOf: formatDate(asOf), Windows: []CohortWindow{}}
	for _, w := range rows {
		r.CohortSize = w.CohortSize
		if w.K < 0 { // no window listed: as_of is before the edition starts
			continue
		}
		dest := make(Counts, len(w.Destinations))
		for t, n := range w.Destinations {
			if n != 0 {
				dest[t] = n
			}
		}
		r.Windows = append(r.Windows, CohortWindow{K: w.K, From: formatDate(w.From), To: formatDate(w.To),
			Partial: w.Partial, Contacted: w.Contacted, Awarded: w.Awarded,
			AwardedProvincialPlus: w.AwardedProvincialPlus, CumulativeProvincialPlus: w.CumulativeProvincialPlus,
			YingcaiCumulative: w.YingcaiCumulative, Destinations: dest})
	}
	return r, nil
}
