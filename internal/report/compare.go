package report

import "fmt"

// Compare lists every figure that differs between two frozen reports — earlier's value as
// Frozen, later's as Now — as Diff compares a frozen report with its recomputation: what
// changed between two publications of the same report.
func Compare(earlier, later Frozen) ([]Change, error) {
	out, err := compareBodies(earlier.Body, later.Body)
	if err != nil {
		return nil, fmt.Errorf("report: compare frozen reports %d and %d: %w", earlier.ID, later.ID, err)
	}
	return out, nil
}
