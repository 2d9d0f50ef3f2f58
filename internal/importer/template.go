package importer

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"talentdb/internal/store"
)

// Sheet names of a template. The data sheet comes first: the import reads the first
// sheet.
const (
	helpSheet    = "填写说明"
	optionsSheet = "选项"
)

// extraExamples are example rows beyond the one given by the columns' Example values.
var extraExamples = map[string][]map[string]string{
	store.KindOrganizations: {{"code": exampleInstitution, "name": "四川省示例大学", "kind": "培养单位",
		"type": "高校", "region_code": "510100"}},
}

// Template writes the XLSX template of a kind: Chinese headers (the key and rules in each
// header's comment), an example row that imports cleanly, drop-down lists for every
// enumeration, and a sheet explaining each column.
func (im *Importer) Template(ctx context.Context, kind string, w io.Writer) error {
	spec, ok := kindSpecs[kind]
	if !ok {
		return fmt.Errorf("%w %q (one of %v)", ErrUnknownKind, kind, Kinds)
	}
	var cats []store.ImportCategory
	if spec.column("category") != nil {
		var err error
		if cats, err = im.store.ImportCategories(ctx); err != nil {
			return err
		}
	}
	f, err := buildTemplate(spec, cats)
	if err != nil {
		return fmt.Errorf("importer: template %s: %w", kind, err)
	}
	defer f.Close()
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("importer: write template: %w", err)
	}
	return nil
}

func buildTemplate(spec *kindSpec, cats []store.ImportCategory) (*excelize.File, error) {
	f := excelize.NewFile()
	data := spec.LabelZh
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return nil, err
	}
	for _, s := range []string{helpSheet, optionsSheet} {
		if _, err := f.NewSheet(s); err != nil {
			return nil, err
		}
	}
	if err := f.SetSheetVisible(optionsSheet, false); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)

	required, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFE699"}}})
	if err != nil {
		return nil, err
	}
	optional, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}})
	if err != nil {
		return nil, err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": typed digits stay text
	if err != nil {
		return nil, err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return nil, err
	}

	lastRow := DefaultMaxRows + 1
	optCol := 0
	examples := append([]map[string]string{nil}, extraExamples[spec.Kind]...)
	for i, c := range spec.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		head := col + "1"
		style := optional
		if c.Required {
			style = required
		}
		if err := f.SetCellStr(data, head, c.Label); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(data, head, head, style); err != nil {
			return nil, err
		}
		if err := f.AddComment(data, excelize.Comment{Cell: head, Author: "talentdb",
			Paragraph: []excelize.RichTextRun{{Text: c.Key + "\n" + requiredText(spec, c) + "\n" + formatText(c)}}}); err != nil {
			return nil, err
		}
		width := float64(max(12, 2*len([]rune(c.Label))+4))
		switch c.Type {
		case tIDNumber:
			width = 22
		case tText:
			width = max(width, 18)
		}
		if err := f.SetColWidth(data, col, col, width); err != nil {
			return nil, err
		}
		switch c.Type {
		case tIDNumber, tCode, tDigits6, tPhone, tEdition, tText, tEnum, tCategory:
			err = f.SetColStyle(data, col, textStyle)
		case tDate:
			err = f.SetColStyle(data, col, dateStyle)
		}
		if err != nil {
			return nil, err
		}
		for n, ex := range examples {
			cell := fmt.Sprintf("%s%d", col, n+2)
			v := c.Example
			if ex != nil {
				v = ex[c.Key]
			}
			if v == "" {
				continue
			}
			if c.Type == tDate {
				d, err := time.Parse(time.DateOnly, v)
				if err != nil {
					return nil, err
				}
				err = f.SetCellValue(data, cell, d)
				if err == nil {
					err = f.SetCellStyle(data, cell, cell, dateStyle)
				}
				if err != nil {
					return nil, err
				}
				continue
			}
			if err := f.SetCellStr(data, cell, v); err != nil {
				return nil, err
			}
		}

		// drop-down list from a column of the hidden options sheet
		var values []string
		switch {
		case c.Enum != nil:
			for _, o := range c.Enum.Terms {
				values = append(values, o.Zh)
			}
		case c.Type == tCategory:
			for _, k := range cats {
				values = append(values, k.NameZh)
			}
		}
		if len(values) == 0 {
			continue
		}
		optCol++
		oc, _ := excelize.ColumnNumberToName(optCol)
		if err := f.SetCellStr(optionsSheet, oc+"1", c.Label); err != nil {
			return nil, err
		}
		for j, v := range values {
			if err := f.SetCellStr(optionsSheet, fmt.Sprintf("%s%d", oc, j+2), v); err != nil {
				return nil, err
			}
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, lastRow))
		dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$2:$%s$%d", optionsSheet, oc, oc, len(values)+1))
		// a warning, not a stop: the English keys are accepted too
		dv.SetError(excelize.DataValidationErrorStyleWarning, "取值不在列表中",
			"请从下拉列表选择；也可填写英文键。/ Pick from the list; the English key is accepted too.")
		if err := f.AddDataValidation(data, dv); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := writeHelp(f, spec); err != nil {
		return nil, err
	}
	return f, nil
}

func requiredText(spec *kindSpec, c column) string {
	switch {
	case c.Key == "id_number" && spec.PersonByTrio:
		return "必填（或以姓名 + 出生日期 + 学校代码代替）/ required, or name + birth_date + school_code"
	case c.Required:
		return "必填 / required"
	case c.Key == "org_code" || c.Key == "org_name":
		return "单位代码与单位名称至少填一项 / org_code or org_name"
	}
	return "选填 / optional"
}

func formatText(c column) string {
	switch c.Type {
	case tEnum:
		parts := make([]string, len(c.Enum.Terms))
		for i, o := range c.Enum.Terms {
			parts[i] = o.Zh + "（" + o.Key + "）"
		}
		return "可选：" + strings.Join(parts, "、")
	case tDate:
		return "日期 YYYY-MM-DD（或 Excel 日期单元格）"
	case tIDNumber:
		return "18 位居民身份证号，文本格式"
	case tPhone:
		return "电话号码，7 至 15 位数字"
	case tDigits6:
		return "6 位数字"
	case tEdition:
		return "年度编号：计划-年份，如 jingke-2023"
	case tCategory:
		return "项目类别名称（见下拉列表）或代码"
	case tCode:
		return fmt.Sprintf("代码，不含空格，最多 %d 字符", c.MaxLen)
	}
	if c.MaxLen > 0 {
		return fmt.Sprintf("文本，最多 %d 字", c.MaxLen)
	}
	return "文本"
}

// writeHelp fills the explanation sheet: one line per column, then the general rules.
func writeHelp(f *excelize.File, spec *kindSpec) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	rows := [][]string{{"列名", "列键 (key)", "是否必填", "格式与可选值", "说明"}}
	for _, c := range spec.Columns {
		rows = append(rows, []string{c.Label, c.Key, requiredText(spec, c), formatText(c), c.Help})
	}
	rows = append(rows, nil,
		[]string{"填写规则"},
		[]string{"1. 只导入第一个工作表；第一行为列标题，可用中文列名或列键，列顺序不限，不能有未知的列。"},
		[]string{"2. 整个文件要么全部导入，要么（有任何错误时）一行也不导入；错误会逐行逐列列出。"},
		[]string{"3. 已存在的记录（按唯一键）会被更新；文件中没有的列保持原值，有该列但单元格为空则清空原值。"},
		[]string{"4. 可选值可填中文或英文键；日期填 YYYY-MM-DD 或使用日期单元格；不要使用公式。"},
		[]string{"5. 第 2 行起为示例，导入前请替换或删除。"},
	)
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr(helpSheet, cell, v); err != nil {
				return err
			}
		}
	}
	if err := f.SetCellStyle(helpSheet, "A1", "E1", bold); err != nil {
		return err
	}
	if err := f.SetCellStyle(helpSheet, "A2", fmt.Sprintf("E%d", len(spec.Columns)+1), wrap); err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 16, "B": 18, "C": 26, "D": 40, "E": 60} {
		if err := f.SetColWidth(helpSheet, col, col, w); err != nil {
			return err
		}
	}
	return nil
}
