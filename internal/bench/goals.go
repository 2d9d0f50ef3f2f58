package bench

import (
	"fmt"
	"strings"
)

// Goal is one target the service is held to at the run's scale, with what the run
// measured for it.
type Goal struct {
	What     string  `json:"what"`
	Target   string  `json:"target"`
	Measured string  `json:"measured"`
	Value    float64 `json:"value"`
	Met      bool    `json:"met"`
}

// goalRow finds the measured row whose name starts with prefix, at clients (0: any).
func (r *Result) goalRow(prefix, via string, clients int) (Row, bool) {
	for _, row := range r.Rows {
		if strings.HasPrefix(row.Name, prefix) && (via == "" || row.Via == via) && (clients == 0 || row.Clients == clients) {
			return row, true
		}
	}
	return Row{}, false
}

// CheckGoals returns the targets of docs/operations.md at the run's scale (province, or the
// national ones for a national data set), each with the run's figure; a target the run
// did not measure is left out.
func (r *Result) CheckGoals() []Goal {
	national := r.Dataset.Scale == "national"
	var out []Goal
	latency := func(what, prefix string, clients int, p99 bool, limit float64) {
		row, ok := r.goalRow(prefix, "", clients)
		if !ok {
			return
		}
		v, stat := row.P50ms, "p50"
		if p99 {
			v, stat = row.P99ms, "p99"
		}
		out = append(out, Goal{What: what, Target: fmt.Sprintf("%s ≤ %.0f ms", stat, limit),
			Measured: fmt.Sprintf("%.1f ms", v), Value: v, Met: row.Errors == 0 && v <= limit})
	}
	// the read against its audited yardstick under the 64-client load at either scale (at
	// one client a read waits alone for its audit group's commit: that ratio measures a
	// WAL flush, not the service); the national latencies are of one client
	for _, q := range r.Ratios() {
		if q.Of == YardstickAuditedRead && q.Clients == 64 {
			out = append(out, Goal{What: "person read HTTP ÷ read + audit in pgx, 64 clients",
				Target: "≥ 0.60", Measured: fmt.Sprintf("%.2f", q.Ratio), Value: q.Ratio, Met: q.Ratio >= 0.6})
		}
	}
	if !national {
		latency("person timeline, 64 clients", "person timeline", 64, true, 20)
		latency("due list of a school, 64 clients", "due list of a school", 64, false, 50)
		latency("cohort report", "cohort report", 0, false, 100)
		latency("annual report", "annual report", 0, false, 300)
	} else {
		latency("due list of a school", "due list of a school", 1, false, 100)
		latency("cohort report", "cohort report", 0, false, 1000)
		latency("annual report", "annual report", 0, false, 2000)
	}
	imp, ok1 := r.goalRow("import persons", "", 0)
	cp, ok2 := r.goalRow("plain COPY of the same rows into persons", "", 0)
	if ok1 && ok2 && cp.PerSec > 0 {
		v := imp.PerSec / cp.PerSec
		out = append(out, Goal{What: "import ÷ plain COPY into persons", Target: "≥ 0.50",
			Measured: fmt.Sprintf("%.2f", v), Value: v, Met: v >= 0.5})
	}
	if r.PeakRSSMB > 0 {
		out = append(out, Goal{What: "peak RSS of the process serving the load", Target: "< 200 MB",
			Measured: fmt.Sprintf("%.0f MB", r.PeakRSSMB), Value: r.PeakRSSMB, Met: r.PeakRSSMB < 200})
	}
	return out
}
