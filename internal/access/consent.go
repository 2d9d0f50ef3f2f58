package access

import "fmt"

// Allows reports whether an action that needs c may name a person whose guardian's consent
// is in state (not_required, pending, granted or withdrawn, as persons.consent_state).
func (c Consent) Allows(state string) bool {
	switch c {
	case ConsentActive:
		return state == "not_required" || state == "granted"
	case ConsentNotWithdrawn:
		return state != "withdrawn"
	}
	return true
}

// ConsentError is an action refused because of the person's consent: pending (a child
// whose guardian has not consented yet) or withdrawn. It matches ErrConflict; paths answer
// it as the API's consent-required conflict.
type ConsentError struct {
	Action Action
	State  string
}

func (e *ConsentError) Error() string {
	return fmt.Sprintf("%s refused: consent %s", e.Action, e.State)
}

// Unwrap makes a consent refusal match ErrConflict.
func (e *ConsentError) Unwrap() error { return ErrConflict }

// RequireConsent refuses (*ConsentError) action a on a person whose consent is in state,
// by the consent condition of a's policy row.
func RequireConsent(a Action, state string) error {
	if !Policy[a].Consent.Allows(state) {
		return &ConsentError{Action: a, State: state}
	}
	return nil
}
