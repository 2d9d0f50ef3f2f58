package cli

import (
	"context"
	"strings"
	"testing"
)

// TestEditionAdd: add creates an edition once (audited as cli:<os user>), a second run
// leaves it alone, other dates and an invalid ID or date are refused naming the argument.
func TestEditionAdd(t *testing.T) {
	t.Parallel()
	url, st := testDB(t)
	run := func(args ...string) (int, string, string) {
		return runArgs("", append(append([]string{"edition"}, args...), "--database-url", url)...)
	}
	for i, want := range []string{`"created":true`, `"created":false`} {
		code, out, errs := run("add", "jingke-2024")
		if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, `"ends_on":"2025-02-28"`) {
			t.Fatalf("run %d: %d %q %q", i+1, code, out, errs)
		}
	}
	var actor string
	if err := st.Pool.QueryRow(context.Background(), `SELECT string_agg(action || ' by ' || actor, ', ')
		FROM audit_log WHERE entity = 'edition' AND entity_id = 'jingke-2024'`).Scan(&actor); err != nil ||
		actor != "create by cli:"+osUser() {
		t.Fatalf("audit %q (%v)", actor, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "jingke-2024", "--ends-on", "2025-03-31"}, "different dates"},
		{[]string{"add", "physics-2024"}, "ID: 年度编号应为"},
		{[]string{"add", "jingke-2025", "--starts-on", "2025-13-01"}, "--starts-on: starts_on 必须是 YYYY-MM-DD"},
		{[]string{"add", "jingke-2025", "--ends-on", "2025-01-01"}, "--ends-on: 结束日期必须晚于开始日期"},
	} {
		if code, _, errs := run(c.args...); code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: %d %q, want %q", c.args, code, errs, c.want)
		}
	}
}
