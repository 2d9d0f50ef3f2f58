package importer

import (
	"bytes"
	"testing"
	"time"

	"talentdb/internal/identity"
	"talentdb/internal/store"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in       string
		xlsx     bool
		date1904 bool
		want     string // "" = error
	}{
		{"2024-02-29", false, false, "2024-02-29"},
		{"2023-02-29", false, false, ""},
		{"2023/9/1", false, false, "2023-09-01"},
		{"2023.09.01", false, false, "2023-09-01"},
		{"2023年9月1日", false, false, "2023-09-01"},
		{"2023-09-01 00:00:00", false, false, "2023-09-01"},
		{"2023-09-01T00:00:00Z", true, false, "2023-09-01"},
		{"2023-09-01 12:30", false, false, ""},
		{"01/09/2023", false, false, ""},
		{"45170", false, false, ""}, // a serial number means nothing in a CSV
		{"45170", true, false, "2023-09-01"},
		{"45170.75", true, false, "2023-09-01"},
		{"43708", true, true, "2023-09-01"}, // the 1904 date system
		{"1899-12-31", false, false, ""},
		{"2101-01-01", false, false, ""},
		{"abc", true, false, ""},
	} {
		d, err := parseDate(c.in, c.xlsx, c.date1904)
		got := ""
		if err == nil {
			got = d.Format(time.DateOnly)
		}
		if got != c.want {
			t.Errorf("parseDate(%q, xlsx=%v, 1904=%v) = %q (%v), want %q", c.in, c.xlsx, c.date1904, got, err, c.want)
		}
	}
}

// TestEnumLookup: the participations columns read grades and statuses by key (any case),
// Chinese label or a further spelling (vocab's lists).
func TestEnumLookup(t *testing.T) {
	t.Parallel()
	spec := kindSpecs[store.KindParticipations]
	grades, statuses := spec.column("grade").Enum, spec.column("status").Enum
	for in, want := range map[string]string{"K": "K", "k": "K", "学前": "K", "幼儿园大班": "K", "4年级": "4",
		"四年级": "4", "v2": "V2", "职高二年级": "V2", "初三": "9"} {
		if got, ok := grades.Parse(in); !ok || got != want {
			t.Errorf("grade %q = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"3", "十年级", "V4", ""} {
		if got, ok := grades.Parse(in); ok {
			t.Errorf("grade %q accepted as %q", in, got)
		}
	}
	if got, ok := statuses.Parse("Admitted"); !ok || got != "admitted" {
		t.Errorf("status Admitted = %q", got)
	}
}

// FuzzImportFile feeds arbitrary bytes through reading, header mapping and row parsing
// of every kind: whatever the file, the importer answers with errors, never a panic.
func FuzzImportFile(f *testing.F) {
	f.Add([]byte("code,name,kind,region_code\nBS01,示例,school,510104\n"))
	f.Add([]byte("\xef\xbb\xbfid_number,name,gender,birth_date\n510104201203151014,张,男,2012-03-15\n"))
	f.Add([]byte("姓名,出生日期,学校代码,联系日期,方式,结果\n张,2012/3/15,BS01,2025-1-1,电话,已联系上\n\"a,b\",\"x\"\"y\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	keys := identity.TestKeys()
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, _, err := readFile(bytes.NewReader(data), limits{maxBytes: 1 << 20, maxRows: 1000, maxUnzip: 1 << 20})
		if err != nil {
			return
		}
		for _, kind := range Kinds {
			spec := kindSpecs[kind]
			m, _ := mapHeader(spec, tab.header)
			batch := store.ImportBatch{Kind: kind}
			p := &parser{keys: keys, m: m, t: &tab, batch: &batch}
			p.parseAll(nil)
			for _, e := range p.errs {
				if e.Row < 1 || e.Error == "" {
					t.Fatalf("%s: error without row or message: %+v", kind, e)
				}
			}
		}
	})
}
