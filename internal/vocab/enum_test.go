package vocab

import (
	"bufio"
	"os"
	"sort"
	"strings"
	"testing"
)

// byName are the enumerations of testdata/spellings.tsv.
var byName = map[string]Enum{"OrgKinds": OrgKinds, "OrgTypes": OrgTypes, "Genders": Genders, "Grades": Grades,
	"TeacherRoles": TeacherRoles, "Statuses": Statuses, "Levels": Levels, "DestinationTypes": DestinationTypes,
	"Positions": Positions, "Titles": Titles, "Reasons": Reasons, "Channels": Channels, "Outcomes": Outcomes}

// TestSpellings: input accepts exactly the spellings it accepted when the importer held
// its own lists (plus the contract's new channels), and messages list the same values.
func TestSpellings(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/spellings.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 3 {
			t.Fatalf("spellings.tsv: %q", sc.Text())
		}
		if p[0] == "ALLOWED" {
			if got := byName[p[1]].Allowed(); got != p[2] {
				t.Errorf("%s.Allowed() = %q, want %q", p[1], got, p[2])
			}
			continue
		}
		e := byName[p[0]]
		want[p[0]] = append(want[p[0]], p[1])
		for _, s := range []string{p[1], strings.ToUpper(p[1]), " " + p[1] + "\u3000"} {
			if got, ok := e.Parse(s); !ok || got != p[2] {
				t.Errorf("%s.Parse(%q) = %q, %v; want %q", p[0], s, got, ok, p[2])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for name, e := range byName {
		var got []string
		for _, tm := range e.Terms {
			got = append(got, strings.ToLower(tm.Key), tm.Zh)
			got = append(got, tm.Also...)
		}
		sort.Strings(got)
		w := want[name]
		sort.Strings(w)
		if strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("%s accepts %v, want %v", name, got, w)
		}
	}
}

// all lists every enumeration of the package.
var all = []Enum{Programs, EditionStatuses, OrgKinds, OrgTypes, Genders, ConsentStates, ConsentRelationships,
	ConsentMethods, Grades, TeacherRoles, Statuses, Evaluations, GradeBands, Levels, Verifications,
	DestinationTypes, Positions, Titles, Reasons, Channels, Outcomes, Roles, AuditActions, ApplicationStatuses,
	Phases, ReviewDecisions, ObjectionOutcomes, TrainingKinds, AssessorRoles, ReportKinds, Categories}

// TestEnumsWellFormed: every term has a key and both labels, and no spelling names two keys
// of one list (Parse would depend on the order).
func TestEnumsWellFormed(t *testing.T) {
	t.Parallel()
	for _, e := range all {
		if e.Name == "" || len(e.Terms) == 0 {
			t.Errorf("enumeration %q has no name or no terms", e.Name)
		}
		seen := map[string]string{}
		for _, tm := range e.Terms {
			if tm.Key == "" || tm.Zh == "" || tm.En == "" {
				t.Errorf("%s: term %+v lacks a key or a label", e.Name, tm)
			}
			for _, s := range append([]string{strings.ToLower(tm.Key), tm.Zh}, tm.Also...) {
				if k, dup := seen[s]; dup && k != tm.Key {
					t.Errorf("%s: %q names both %s and %s", e.Name, s, k, tm.Key)
				}
				seen[s] = tm.Key
			}
			if !e.Valid(tm.Key) || e.Label(tm.Key, En) != tm.En || e.Zh(tm.Key) != tm.Zh {
				t.Errorf("%s: %s does not read back", e.Name, tm.Key)
			}
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		e    Enum
		in   string
		want string
		ok   bool
	}{
		{Levels, "county", "county", true},
		{Levels, " County ", "county", true},
		{Levels, " 省级 ", "provincial", true},
		{Levels, "县级", "county", true},
		{DestinationTypes, "强基计划", "talent_program", true},
		{Outcomes, "OPTED_OUT", "opted_out", true},
		{Outcomes, "不再联系", "opted_out", true},
		{Channels, "问卷", "survey", true},
		{Grades, "k", "K", true},
		{Grades, "v2", "V2", true},
		{Grades, "初三", "9", true},
		{Levels, "省", "", false},
		{Channels, "fax", "", false},
		{Channels, "", "", false},
		{Grades, "10", "", false},
	}
	for _, c := range cases {
		got, ok := c.e.Parse(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("%s.Parse(%q) = %q, %v; want %q, %v", c.e.Name, c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestValidIsExact(t *testing.T) {
	t.Parallel()
	if Grades.Valid("k") || !Grades.Valid("K") || Statuses.Valid("已录取") || Statuses.Valid("Admitted") {
		t.Error("Valid accepts only keys, exactly")
	}
	if got := Statuses.Label("unknown", Zh); got != "unknown" {
		t.Errorf("Label of an unknown key = %q", got)
	}
}
