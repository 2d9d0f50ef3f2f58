package bench

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
)

// resetPeakRSS returns what this process no longer uses to the system and starts its
// peak resident set afresh, so that peakRSSMB measures what came after — the service
// under load, not the data set's load before it, which holds a few hundred megabytes of
// generated rows on its way into the database. It reports whether the kernel took the
// reset (Linux 4.0 and later: writing 5 to /proc/self/clear_refs sets VmHWM to the
// current resident set).
func resetPeakRSS() bool {
	runtime.GC()
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSSMB is the largest resident set this process has had, in MB, since the last
// resetPeakRSS that the kernel took (VmHWM of /proc/self/status); where there is no such
// file, the peak of the process's whole life (getrusage); 0 when the system says neither.
func peakRSSMB() float64 {
	if kb, ok := vmHWM(); ok {
		return float64(kb) / 1024
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // Linux reports kilobytes
}

// vmHWM reads the peak resident set, in kB, from /proc/self/status.
func vmHWM() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		v, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:"))
		if !ok {
			continue
		}
		f := bytes.Fields(v) // "123456", "kB"
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, false
		}
		n, err := strconv.ParseInt(string(f[0]), 10, 64)
		return n, err == nil
	}
	return 0, false
}
