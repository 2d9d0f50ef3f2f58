package importer

import (
	"testing"

	"talentdb/internal/tracking"
)

// TestTrackingEnumsAgree: a value an import file may carry for a tracking enumeration is
// one the API accepts, and the other way round — both read tracking's definitions.
func TestTrackingEnumsAgree(t *testing.T) {
	t.Parallel()
	pairs := []struct {
		imp *enum
		api tracking.Enum
	}{
		{levels, tracking.Levels}, {destinationTypes, tracking.DestinationTypes}, {positions, tracking.Positions},
		{titles, tracking.Titles}, {reasons, tracking.Reasons}, {channels, tracking.Channels}, {outcomes, tracking.Outcomes},
	}
	for _, p := range pairs {
		for spelling, key := range p.imp.index {
			if got, ok := p.api.Parse(spelling); !ok || got != key {
				t.Errorf("%s: import reads %q as %s, the API as %q (%v)", p.imp.name, spelling, key, got, ok)
			}
		}
		for _, k := range p.api.Keys() {
			for _, s := range append([]string{k, p.api.Label(k)}, p.api.Extras(k)...) {
				if got, ok := p.imp.lookup(s); !ok || got != k {
					t.Errorf("%s: the API reads %q as %s, import as %q (%v)", p.imp.name, s, k, got, ok)
				}
			}
		}
	}
}
