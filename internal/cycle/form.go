package cycle

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// The application as the form of the 2023 notice (附件1 / 附件2): title, the basic-info
// table of the unit, the schedule table, the implementation conditions and the signature
// block. One sheet, printable on A4 portrait.

// programTitles are the attachment headings per program.
var programTitles = map[string]struct{ heading, name, people string }{
	"jingke":    {"四川省青少年科技创新后备人才培养", "菁科计划", "学生"},
	"jindaoshi": {"四川省青少年科技教育名师后备人才培养", "金导师计划", "教师"},
}

// unitTypeLabels are the Chinese names of organization types (单位类别), as in the import.
var unitTypeLabels = map[string]string{"kindergarten": "幼儿园", "primary": "小学", "junior_high": "初中",
	"nine_year": "九年一贯制", "senior_high": "高中", "complete_secondary": "完全中学", "vocational_high": "职业高中",
	"university": "高校", "enterprise": "高新企业", "research_institute": "科研院所", "out_of_school": "校外科技教育机构"}

// conditionRows are the headings of the implementation conditions, in the order of the
// form's note (组织机构、人员技术、环境配套、经验业绩、制度保障、经费保障).
var conditionRows = []struct {
	label string
	get   func(store.ApplicationConditions) *string
}{
	{"组织机构", func(c store.ApplicationConditions) *string { return c.Organization }},
	{"人员技术", func(c store.ApplicationConditions) *string { return c.Staff }},
	{"环境配套", func(c store.ApplicationConditions) *string { return c.Environment }},
	{"经验业绩", func(c store.ApplicationConditions) *string { return c.TrackRecord }},
	{"制度保障", func(c store.ApplicationConditions) *string { return c.Rules }},
	{"经费保障", func(c store.ApplicationConditions) *string { return c.Funding }},
}

// FormTitle is the title of an application's form, e.g. 2023年“菁科计划”项目申报书.
func FormTitle(a store.Application) string {
	return fmt.Sprintf("%d年“%s”项目申报书", a.EditionStartsOn.Year(), programTitles[a.Program].name)
}

// WriteForm renders application a as an XLSX workbook to w.
func WriteForm(w io.Writer, a store.Application) error {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "申报书"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	pt := programTitles[a.Program]
	st, err := newFormStyles(f)
	if err != nil {
		return err
	}
	for col, wd := range map[string]float64{"A": 16, "B": 30, "C": 16, "D": 30} {
		if err := f.SetColWidth(sh, col, col, wd); err != nil {
			return err
		}
	}
	r := &formWriter{f: f, sh: sh, st: st}

	r.merged(pt.heading+"——“"+pt.name+"”项目申报书", st.heading, 24)
	r.merged(FormTitle(a), st.title, 32)
	r.merged(fmt.Sprintf("项目名称：%d年“%s”", a.EditionStartsOn.Year(), pt.name), st.text, 20)
	r.merged("申报单位："+a.UnitName, st.text, 20)
	applied := "    年  月  日"
	if a.AppliedOn != nil {
		applied = fmt.Sprintf("%d年%d月%d日", a.AppliedOn.Year(), a.AppliedOn.Month(), a.AppliedOn.Day())
	}
	r.merged("申报日期："+applied, st.text, 20)
	r.row++

	r.merged("一、申报单位基本情况", st.section, 22)
	unitType := ""
	if a.UnitType != nil {
		unitType = unitTypeLabels[*a.UnitType]
		if unitType == "" {
			unitType = *a.UnitType
		}
	}
	r.pair("单位名称", a.UnitName, "单位类别", unitType)
	r.pair("单位地址", deref(a.Address), "邮政编码", deref(a.PostalCode))
	for _, c := range []struct {
		who string
		c   store.Contact
	}{{"单位负责人", a.Head}, {"项目负责人", a.Lead}} {
		r.pair(c.who, deref(c.c.Name), "职称/职务", deref(c.c.Title))
		r.pair("办公电话", deref(c.c.OfficePhone), "移动电话", deref(c.c.Mobile))
		r.pair("电子邮件", deref(c.c.Email), "传  真", deref(c.c.Fax))
	}
	r.row++

	r.merged("五、项目进度计划", st.section, 22)
	r.cells(st.header, 22, "项目活动/阶段", "主要工作内容和成果", "", "起止时间")
	r.mergeRow("B", "C")
	for _, name := range vocab.Phases.Keys() {
		label := vocab.Phases.Zh(name)
		if name == "selection" {
			label = "选拔" + pt.people
		}
		content, dates := "", ""
		if i := slices.IndexFunc(a.Phases, func(p store.ApplicationPhase) bool { return p.Phase == name }); i >= 0 {
			p := a.Phases[i]
			content, dates = p.Content, formDate(p.StartsOn)+" 至 "+formDate(p.EndsOn)
		}
		r.cells(st.cell, 48, label, content, "", dates)
		r.mergeRow("B", "C")
	}
	r.row++

	r.merged("六、组织实施条件", st.section, 22)
	for _, c := range conditionRows {
		r.cells(st.cell, 60, c.label, deref(c.get(a.Conditions)), "", "")
		r.mergeRow("B", "D")
	}
	r.row++

	r.cells(st.text, 24, "单位负责人（签字）：", "", "项目负责人（签字）：", "")
	r.cells(st.text, 24, "", "", "申报单位（公章）", "")
	r.cells(st.text, 24, "", "", "    年  月  日", "")
	if r.err != nil {
		return r.err
	}
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: ptr(9), Orientation: ptr("portrait"),
		FitToWidth: ptr(1)}); err != nil {
		return err
	}
	return f.Write(w)
}

func ptr[T any](v T) *T { return &v }

func formDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

type formStyles struct{ heading, title, text, section, header, label, cell int }

func newFormStyles(f *excelize.File) (formStyles, error) {
	var s formStyles
	border := []excelize.Border{{Type: "left", Style: 1, Color: "000000"}, {Type: "right", Style: 1, Color: "000000"},
		{Type: "top", Style: 1, Color: "000000"}, {Type: "bottom", Style: 1, Color: "000000"}}
	font := func(size float64, bold bool) *excelize.Font {
		return &excelize.Font{Family: "宋体", Size: size, Bold: bold}
	}
	wrap := func(h string) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: true}
	}
	for _, d := range []struct {
		dst   *int
		style excelize.Style
	}{
		{&s.heading, excelize.Style{Font: font(14, true), Alignment: wrap("center")}},
		{&s.title, excelize.Style{Font: font(18, true), Alignment: wrap("center")}},
		{&s.text, excelize.Style{Font: font(12, false), Alignment: wrap("left")}},
		{&s.section, excelize.Style{Font: font(12, true), Alignment: wrap("left")}},
		{&s.header, excelize.Style{Font: font(11, true), Alignment: wrap("center"), Border: border}},
		{&s.label, excelize.Style{Font: font(11, false), Alignment: wrap("center"), Border: border}},
		{&s.cell, excelize.Style{Font: font(11, false), Alignment: wrap("left"), Border: border}},
	} {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return s, err
		}
		*d.dst = id
	}
	return s, nil
}

// formWriter writes the form row by row, keeping the first error.
type formWriter struct {
	f   *excelize.File
	sh  string
	st  formStyles
	row int
	err error
}

func (w *formWriter) cell(col string) string { return fmt.Sprintf("%s%d", col, w.row) }

// merged writes one line across the four columns.
func (w *formWriter) merged(text string, style int, height float64) {
	w.row++
	if w.err != nil {
		return
	}
	w.do(w.f.SetCellStr(w.sh, w.cell("A"), text))
	w.do(w.f.MergeCell(w.sh, w.cell("A"), w.cell("D")))
	w.do(w.f.SetCellStyle(w.sh, w.cell("A"), w.cell("D"), style))
	w.do(w.f.SetRowHeight(w.sh, w.row, height))
}

// pair writes a row of the basic-info table: label, value, label, value.
func (w *formWriter) pair(l1, v1, l2, v2 string) {
	w.cells(w.st.cell, 22, l1, v1, l2, v2)
	w.do(w.f.SetCellStyle(w.sh, w.cell("A"), w.cell("A"), w.st.label))
	w.do(w.f.SetCellStyle(w.sh, w.cell("C"), w.cell("C"), w.st.label))
}

// cells writes a row of four cells.
func (w *formWriter) cells(style int, height float64, values ...string) {
	w.row++
	if w.err != nil {
		return
	}
	for i, v := range values {
		col := string(rune('A' + i))
		w.do(w.f.SetCellStr(w.sh, w.cell(col), v))
	}
	w.do(w.f.SetCellStyle(w.sh, w.cell("A"), w.cell("D"), style))
	w.do(w.f.SetRowHeight(w.sh, w.row, height))
}

// mergeRow merges the current row's cells from one column to another.
func (w *formWriter) mergeRow(from, to string) { w.do(w.f.MergeCell(w.sh, w.cell(from), w.cell(to))) }

func (w *formWriter) do(err error) {
	if w.err == nil && err != nil {
		w.err = err
	}
}
