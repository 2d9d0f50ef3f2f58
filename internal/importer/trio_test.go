package importer_test

import (
	"testing"

	"talentdb/internal/importer"
)

// A tracking row with no identity number names its person by name + birth date + school
// code. When none of the three is given either, the row gets exactly one error, on
// id_number; when some are given, one error for each missing one.
func TestImportTrackingRowWithoutPerson(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.base()
	files := map[string]string{
		"awards":       "id_number,name,birth_date,school_code,competition,level,awarded_on\n,,,,市赛,市级,2023-12-01\n,张晓明,,BS01,市赛,市级,2023-12-02\n,张晓明,,,市赛,市级,2023-12-03\n",
		"destinations": "id_number,name,birth_date,school_code,type,started_on\n,,,,初中,2024-09-01\n,张晓明,,BS01,初中,2024-09-02\n,张晓明,,,初中,2024-09-03\n",
		"career-moves": "id_number,name,birth_date,school_code,org_name,position,started_on\n,,,,某校,教师,2024-09-01\n,张晓明,,BS01,某校,教师,2024-09-02\n,张晓明,,,某校,教师,2024-09-03\n",
		"follow-ups":   "id_number,name,birth_date,school_code,contacted_on,channel,outcome\n,,,,2025-01-01,电话,已联系上\n,张晓明,,BS01,2025-01-02,电话,已联系上\n,张晓明,,,2025-01-03,电话,已联系上\n",
	}
	for kind, csv := range files {
		sum := b.run(kind, csv)
		if sum.Applied {
			t.Fatalf("%s: applied", kind)
		}
		byRow := map[int][]importer.RowError{}
		for _, e := range sum.Errors {
			byRow[e.Row] = append(byRow[e.Row], e)
		}
		if got := byRow[2]; len(got) != 1 || got[0].Column != "id_number" ||
			got[0].Error != "身份证号必填（或填写姓名、出生日期和学校代码）/ id_number is required (or name, birth_date and school_code together)" {
			t.Errorf("%s row 2 (nothing names the person): %v", kind, got)
		}
		if got := byRow[3]; len(got) != 1 || got[0].Column != "birth_date" {
			t.Errorf("%s row 3 (birth date missing): %v", kind, got)
		}
		if got := byRow[4]; len(got) != 2 || got[0].Column != "birth_date" || got[1].Column != "school_code" {
			t.Errorf("%s row 4 (birth date and school missing): %v", kind, got)
		}
	}

	// the trio columns absent altogether: an empty id_number is the same single error
	sum := b.run("follow-ups", "id_number,contacted_on,channel,outcome\n,2025-01-01,电话,已联系上\n")
	if len(sum.Errors) != 1 || sum.Errors[0].Row != 2 || sum.Errors[0].Column != "id_number" {
		t.Fatalf("without trio columns: %v", sum.Errors)
	}
}
