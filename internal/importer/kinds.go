package importer

import (
	"talentdb/internal/store"
	"talentdb/internal/vocab"
)

// Kinds lists the import kinds in the order a first load must follow (references point
// backwards in this list).
var Kinds = []string{store.KindOrganizations, store.KindPersons, store.KindParticipations,
	store.KindAwards, store.KindDestinations, store.KindCareerMoves, store.KindFollowUps}

// valueType is how a cell is read.
type valueType int

const (
	tText     valueType = iota // free text, trimmed
	tCode                      // an identifier without spaces (organization codes)
	tEnum                      // one key of an enumeration, given by key or Chinese label
	tDate                      // a civil date
	tIDNumber                  // a resident identity number
	tPhone                     // a phone number
	tDigits6                   // six digits (region and postal codes)
	tEdition                   // PROGRAM-YEAR
	tCategory                  // a category code or Chinese name, checked against the database
)

// column is one column of an import file.
type column struct {
	Key      string
	Label    string
	Aliases  []string // further accepted header texts
	Required bool
	Type     valueType
	Enum     *vocab.Enum // for tEnum: the values, by key or Chinese label
	MaxLen   int         // in characters, for text
	Help     string
	Example  string
}

// kindSpec is the columns of one kind.
type kindSpec struct {
	Kind    string
	LabelZh string
	Columns []column
	// PersonByTrio: a row may name its person by name + birth_date + school_code instead of
	// id_number.
	PersonByTrio bool
}

func (k *kindSpec) column(key string) *column {
	for i := range k.Columns {
		if k.Columns[i].Key == key {
			return &k.Columns[i]
		}
	}
	return nil
}

// Example values shared by the templates, so that the templates imported in the order of
// Kinds load cleanly one after the other.
const (
	exampleSchool      = "BS01"
	exampleInstitution = "PX01"
	exampleEdition     = "jingke-2023"
)

// exampleIDNumber is a valid identity number (check digit computed) born 2012-03-15.
var exampleIDNumber = func() string {
	const first17 = "51010420120315101"
	c, _ := checkChar(first17)
	return first17 + string(c)
}()

// personColumns are the columns that name the person of a tracking row.
func personColumns(required bool) []column {
	return []column{
		{Key: "id_number", Label: "身份证号", Required: required, Type: tIDNumber, Example: exampleIDNumber,
			Help: "18 位居民身份证号（校验位按 GB 11643 检查）；请设为文本格式"},
	}
}

func trioColumns() []column {
	return []column{
		{Key: "name", Label: "姓名", Type: tText, MaxLen: 100,
			Help: "未填身份证号时，以姓名 + 出生日期 + 学校代码确定人员（三项必须都填；匹配多人时报错）"},
		{Key: "birth_date", Label: "出生日期", Type: tDate, Help: "YYYY-MM-DD；与姓名、学校代码一起确定人员"},
		{Key: "school_code", Label: "学校代码", Aliases: []string{"推荐单位代码"}, Type: tCode, MaxLen: 64,
			Example: exampleSchool,
			Help:    "学校的单位代码：本条记录归属的学校（不填则为人员当前学校）；也用于按姓名确定人员"},
	}
}

func cols(groups ...[]column) []column {
	var out []column
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

var kindSpecs = map[string]*kindSpec{
	store.KindOrganizations: {Kind: store.KindOrganizations, LabelZh: "单位", Columns: []column{
		{Key: "code", Label: "单位代码", Required: true, Type: tCode, MaxLen: 64, Example: exampleSchool,
			Help: "单位的唯一代码（不含空格，最多 64 字符）；已存在的代码将更新该单位"},
		{Key: "name", Label: "单位名称", Required: true, Type: tText, MaxLen: 200, Example: "成都市示例小学"},
		{Key: "kind", Label: "类型", Required: true, Type: tEnum, Enum: &vocab.OrgKinds, Example: "学校"},
		{Key: "type", Label: "单位类别", Type: tEnum, Enum: &vocab.OrgTypes, Example: "小学"},
		{Key: "region_code", Label: "行政区划代码", Required: true, Type: tDigits6, Example: "510104",
			Help: "6 位行政区划代码：市州代码，或其下区县代码（前四位加 00 为所属市州）"},
		{Key: "address", Label: "单位地址", Type: tText, MaxLen: 300, Example: "成都市锦江区示例路 1 号"},
		{Key: "postal_code", Label: "邮政编码", Type: tDigits6, Example: "610000"},
	}},
	store.KindPersons: {Kind: store.KindPersons, LabelZh: "人员", Columns: []column{
		{Key: "id_number", Label: "身份证号", Required: true, Type: tIDNumber, Example: exampleIDNumber,
			Help: "18 位居民身份证号（校验位按 GB 11643 检查）；请设为文本格式；已存在的身份证号将更新该人员"},
		{Key: "name", Label: "姓名", Required: true, Type: tText, MaxLen: 100, Example: "张晓明"},
		{Key: "gender", Label: "性别", Required: true, Type: tEnum, Enum: &vocab.Genders, Example: "男"},
		{Key: "birth_date", Label: "出生日期", Required: true, Type: tDate, Example: "2012-03-15",
			Help: "YYYY-MM-DD，须与身份证号中的出生日期一致"},
		{Key: "phone", Label: "手机号", Type: tPhone, Example: "13800138000"},
		{Key: "guardian_name", Label: "监护人姓名", Type: tText, MaxLen: 100, Example: "张伟"},
		{Key: "guardian_phone", Label: "监护人电话", Type: tPhone, Example: "13900139000"},
		{Key: "guardian_consent_on", Label: "监护人同意日期", Type: tDate, Example: "2023-03-01",
			Help: "YYYY-MM-DD，监护人同意处理该人员信息的日期，不能晚于今天；填写后登记一份监护人同意（书面）。" +
				"未满 14 周岁且没有同意记录的人员不出现在名单中，直至登记同意"},
	}},
	store.KindParticipations: {Kind: store.KindParticipations, LabelZh: "参与", Columns: []column{
		personColumns(true)[0],
		{Key: "edition", Label: "年度", Required: true, Type: tEdition, Example: exampleEdition,
			Help: "年度编号 计划-年份：jingke-2023（菁科计划）、jindaoshi-2023（金导师计划）；须已存在"},
		{Key: "school_code", Label: "推荐单位代码", Aliases: []string{"学校代码"}, Required: true, Type: tCode, MaxLen: 64,
			Example: exampleSchool, Help: "推荐学校的单位代码（类型须为学校）"},
		{Key: "category", Label: "项目类别", Required: true, Type: tCategory, MaxLen: 100, Example: "机器人",
			Help: "项目类别的代码或名称，须属于该年度的计划"},
		{Key: "grade", Label: "年级", Type: tEnum, Enum: &vocab.Grades, Example: "五年级", Help: "仅菁科计划（学生）填写"},
		{Key: "teacher_role", Label: "教师类型", Type: tEnum, Enum: &vocab.TeacherRoles, Help: "仅金导师计划（教师）填写"},
		{Key: "status", Label: "状态", Required: true, Type: tEnum, Enum: &vocab.Statuses, Example: "已录取"},
		{Key: "mentor", Label: "导师姓名", Type: tText, MaxLen: 100, Example: "王老师",
			Help: "导师按（培养单位，姓名）查找，不存在则新建"},
		{Key: "institution_code", Label: "培养单位代码", Type: tCode, MaxLen: 64, Example: exampleInstitution,
			Help: "培养单位的单位代码（类型须为培养单位）"},
	}},
	store.KindAwards: {Kind: store.KindAwards, LabelZh: "获奖", PersonByTrio: true, Columns: cols(personColumns(true), []column{
		{Key: "competition", Label: "赛事名称", Required: true, Type: tText, MaxLen: 200, Example: "四川省青少年科技创新大赛"},
		{Key: "level", Label: "级别", Required: true, Type: tEnum, Enum: &vocab.Levels, Example: "省级"},
		{Key: "rank", Label: "等次", Type: tText, MaxLen: 50, Example: "一等奖", Help: "自由填写：一等奖、金牌……"},
		{Key: "awarded_on", Label: "获奖日期", Required: true, Type: tDate, Example: "2023-11-20"},
		{Key: "organizer", Label: "主办单位", Type: tText, MaxLen: 200, Example: "四川省科学技术协会"},
	}, trioColumns())},
	store.KindDestinations: {Kind: store.KindDestinations, LabelZh: "毕业去向", PersonByTrio: true, Columns: cols(personColumns(true), []column{
		{Key: "type", Label: "去向类型", Required: true, Type: tEnum, Enum: &vocab.DestinationTypes, Example: "初中"},
		{Key: "org_name", Label: "去向单位", Type: tText, MaxLen: 200, Example: "成都市示例中学",
			Help: "与库中某一单位名称完全相同时自动关联该单位"},
		{Key: "major", Label: "专业", Type: tText, MaxLen: 100},
		{Key: "started_on", Label: "开始日期", Required: true, Type: tDate, Example: "2024-09-01"},
	}, trioColumns())},
	store.KindCareerMoves: {Kind: store.KindCareerMoves, LabelZh: "工作动向", PersonByTrio: true, Columns: cols(personColumns(true), []column{
		{Key: "org_code", Label: "单位代码", Type: tCode, MaxLen: 64, Example: exampleSchool,
			Help: "单位代码与单位名称至少填一项；单位代码须已存在"},
		{Key: "org_name", Label: "单位名称", Type: tText, MaxLen: 200, Example: "成都市示例小学"},
		{Key: "position", Label: "岗位", Required: true, Type: tEnum, Enum: &vocab.Positions, Example: "科技辅导员"},
		{Key: "title", Label: "职称", Type: tEnum, Enum: &vocab.Titles, Example: "一级教师"},
		{Key: "started_on", Label: "开始日期", Required: true, Type: tDate, Example: "2024-09-01",
			Help: "YYYY-MM-DD；上一条动向的结束日期自动设为本条的开始日期"},
		{Key: "reason", Label: "变动原因", Type: tEnum, Enum: &vocab.Reasons, Example: "晋升"},
	}, trioColumns())},
	store.KindFollowUps: {Kind: store.KindFollowUps, LabelZh: "跟踪联系", PersonByTrio: true, Columns: cols(personColumns(true), []column{
		{Key: "contacted_on", Label: "联系日期", Required: true, Type: tDate, Example: "2025-04-02"},
		{Key: "channel", Label: "方式", Required: true, Type: tEnum, Enum: &vocab.Channels, Example: "电话"},
		{Key: "outcome", Label: "结果", Required: true, Type: tEnum, Enum: &vocab.Outcomes, Example: "已联系上"},
		{Key: "notes", Label: "备注", Type: tText, MaxLen: 2000, Example: "已升入初中，继续参加机器人社团"},
	}, trioColumns())},
}
