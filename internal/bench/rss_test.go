package bench

import (
	"runtime"
	"testing"
)

// The peak resident set the bench reports starts afresh before the load cells: a large
// allocation freed before the reset (like the data set's generated rows) is not in it.
func TestPeakRSSForgetsWhatCameBeforeTheReset(t *testing.T) {
	if _, ok := vmHWM(); !ok {
		t.Skip("no VmHWM in /proc/self/status")
	}
	const mb = 1 << 20
	big := make([]byte, 300*mb)
	for i := 0; i < len(big); i += 4096 {
		big[i] = 1 // touch every page, so that it is resident
	}
	before := peakRSSMB()
	if before < 300 {
		t.Fatalf("peak %.0f MB with 300 MB resident", before)
	}
	runtime.KeepAlive(big)
	big = nil
	if !resetPeakRSS() {
		t.Skip("the kernel refused the reset of VmHWM")
	}
	after := peakRSSMB()
	if after > before-250 {
		t.Fatalf("peak %.0f MB after the reset, %.0f MB before it: the freed 300 MB are still counted", after, before)
	}
	t.Logf("peak %.0f MB → %.0f MB after the reset", before, after)
}
