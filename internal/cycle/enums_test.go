package cycle

import (
	"testing"

	"talentdb/internal/vocab"
)

// TestSubsetsOfVocab: the cycle's lists only pick from vocab's enumerations.
func TestSubsetsOfVocab(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		keys []string
		of   vocab.Enum
	}{{"EligibleGrades", EligibleGrades, vocab.Grades}, {"GrowthLogGrades", GrowthLogGrades, vocab.Grades},
		{"StepTargets", StepTargets, vocab.Statuses}} {
		for _, k := range c.keys {
			if !c.of.Valid(k) {
				t.Errorf("%s: %q is no key of vocab.%s", c.name, k, c.of.Name)
			}
		}
	}
}
