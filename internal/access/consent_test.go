package access

import (
	"errors"
	"testing"
)

// TestConsentConditions: each condition of the policy against each consent state, and the
// refusal an action gets by its policy row.
func TestConsentConditions(t *testing.T) {
	t.Parallel()
	states := []string{"not_required", "pending", "granted", "withdrawn"}
	want := map[Consent][]bool{
		ConsentAny:          {true, true, true, true},
		ConsentActive:       {true, false, true, false},
		ConsentNotWithdrawn: {true, true, true, false},
	}
	for c, oks := range want {
		for i, s := range states {
			if got := c.Allows(s); got != oks[i] {
				t.Errorf("condition %d, state %s: allows %v, want %v", c, s, got, oks[i])
			}
		}
	}
	err := RequireConsent(TrackingWrite, "pending")
	var ce *ConsentError
	if !errors.As(err, &ce) || ce.State != "pending" || ce.Action != TrackingWrite || !errors.Is(err, ErrConflict) {
		t.Errorf("a tracking write for a pending person: %v, want a ConsentError matching ErrConflict", err)
	}
	if err := RequireConsent(TrackingRead, "withdrawn"); err != nil {
		t.Errorf("a tracking read needs no consent: %v", err)
	}
	if err := RequireConsent(PersonWrite, "pending"); err != nil {
		t.Errorf("a pending person's own data may be corrected: %v", err)
	}
}
