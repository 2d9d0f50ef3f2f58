package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"

	"talentdb/internal/store"
)

// Machine describes where a run happened, so that figures from different machines are
// not compared blindly.
type Machine struct {
	Host         string  `json:"host"`
	CPUs         int     `json:"cpus"`
	GOMAXPROCS   int     `json:"gomaxprocs"`
	MemoryGiB    float64 `json:"memory_gib"`
	LoadAverage  string  `json:"load_average"` // 1, 5 and 15 minutes, at the start
	Kernel       string  `json:"kernel"`
	PostgreSQL   string  `json:"postgresql"`
	Go           string  `json:"go"`
	PoolMaxConns int32   `json:"pool_max_conns"`
	// Settings are the PostgreSQL settings that matter most for these figures.
	Settings map[string]string `json:"settings"`
}

// describeMachine reads the host from /proc and the server from the database.
func describeMachine(ctx context.Context, st *store.Store) (Machine, error) {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version(),
		PoolMaxConns: st.Pool.Config().MaxConns, Settings: map[string]string{}}
	m.Host, _ = os.Hostname()
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAverage = strings.Join(f[:3], " ")
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if fs := strings.Fields(sc.Text()); len(fs) >= 2 && fs[0] == "MemTotal:" {
				kb, _ := strconv.ParseFloat(fs[1], 64)
				m.MemoryGiB = kb / (1 << 20)
			}
		}
		f.Close()
	}
	if err := st.Pool.QueryRow(ctx, "SELECT 'PostgreSQL ' || current_setting('server_version')").Scan(&m.PostgreSQL); err != nil {
		return m, fmt.Errorf("bench: server version: %w", err)
	}
	rows, err := st.Pool.Query(ctx, `SELECT name, current_setting(name) FROM pg_settings
		WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', 'fsync',
		               'synchronous_commit', 'jit', 'random_page_cost')`)
	if err != nil {
		return m, fmt.Errorf("bench: settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return m, err
		}
		m.Settings[k] = v
	}
	return m, rows.Err()
}
