package cli

import (
	"os"
	"runtime/debug"
)

// The garbage collector's settings of the serving process (serve, and bench, which
// serves the same handler): unless GOGC or GOMEMLIMIT say otherwise, the heap may grow to
// five times what is live before a collection (GOGC=400), within a soft limit of 1 GiB.
// A request allocates its rows, their conversions and the JSON of its answer, and at the
// runtime's default (100) collecting them took 12-20 % of the process's CPU under 64
// clients (the timeline, a school's due list; pprof) while the live heap stayed near
// 10 MB: the resident set stays far under the 200 MB the service is held to
// (docs/operations.md). The limit is for the large requests — an upload of up to
// IMPORT_MAX_MIB parsed in memory, an export — whose live heap is hundreds of MB: five
// times that would be too much, and past the limit the collector runs as often as it
// must. It is set well above what they need, so that they are not slowed by collecting
// near it.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 1 << 30
)

// tuneGC applies the serving process's collector settings where the environment leaves
// them to the program.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
