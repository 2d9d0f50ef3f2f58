package tracking

import "strings"

// Enum is one enumeration of the public contract: its keys in order, their Chinese
// labels and a few further spellings clerks use. Input may name a value by any of them
// (CONTRACT.md: "Enumerations accept the key or the Chinese label"); the database stores
// the key. It is the one definition the API and the importer both read, so a value a
// file may carry is a value a form accepts.
type Enum struct {
	keys   []string
	labels map[string]string
	extra  map[string][]string
}

func newEnum(pairs ...string) Enum {
	e := Enum{labels: make(map[string]string, len(pairs)/2)}
	for i := 0; i+1 < len(pairs); i += 2 {
		e.keys = append(e.keys, pairs[i])
		e.labels[pairs[i]] = pairs[i+1]
	}
	return e
}

// withExtra adds spellings accepted on input for key besides its key and label.
func (e Enum) withExtra(key string, spellings ...string) Enum {
	if e.extra == nil {
		e.extra = map[string][]string{}
	}
	e.extra[key] = append(e.extra[key], spellings...)
	return e
}

// Parse returns the key named by v: a key (any case), a Chinese label or a further
// spelling, surrounding spaces ignored.
func (e Enum) Parse(v string) (string, bool) {
	v = strings.TrimSpace(v)
	lower := strings.ToLower(v)
	for _, k := range e.keys {
		if k == v || k == lower || e.labels[k] == v {
			return k, true
		}
		for _, x := range e.extra[k] {
			if x == v {
				return k, true
			}
		}
	}
	return "", false
}

// Extras returns the further spellings accepted for key (templates list them).
func (e Enum) Extras(key string) []string { return append([]string(nil), e.extra[key]...) }

// Keys returns the keys in the contract's order.
func (e Enum) Keys() []string { return append([]string(nil), e.keys...) }

// Label returns the Chinese label of a key (the key itself when unknown).
func (e Enum) Label(key string) string {
	if l, ok := e.labels[key]; ok {
		return l
	}
	return key
}

// Allowed describes the accepted values for messages: "key 标签, key 标签 …".
func (e Enum) Allowed() string {
	parts := make([]string, len(e.keys))
	for i, k := range e.keys {
		parts[i] = k + " " + e.labels[k]
	}
	return strings.Join(parts, ", ")
}

// The enumerations of the tracking tables (CONTRACT.md, import kinds awards, destinations,
// career-moves, follow-ups) and of award verification.
var (
	Levels = newEnum("international", "国际级", "national", "国家级", "provincial", "省级",
		"municipal", "市级", "county", "区县级", "school", "校级").withExtra("county", "县级", "区级")
	DestinationTypes = newEnum("junior_high", "初中", "senior_high", "普通高中", "vocational", "职业学校",
		"university", "高校", "yingcai", "英才计划", "talent_program", "其他拔尖/少年班/强基计划",
		"employment", "就业", "other", "其他").withExtra("talent_program", "少年班", "强基计划")
	Positions = newEnum("teacher", "教师", "counsellor", "科技辅导员", "admin", "管理干部",
		"researcher", "教研员", "left_education", "离开教育系统")
	Titles = newEnum("none", "未定级", "level2", "二级教师", "level1", "一级教师", "senior", "高级教师",
		"professor", "正高级教师")
	Reasons = newEnum("transfer", "调动", "promotion", "晋升", "new_role", "转岗", "left", "离职",
		"retired", "退休")
	Channels = newEnum("phone", "电话", "wechat", "微信", "email", "邮件", "visit", "走访", "other", "其他")
	Outcomes = newEnum("reached", "已联系上", "unreachable", "未联系上", "declined", "拒绝",
		"opted_out", "不再联系")
	Verifications = newEnum("reported", "待核实", "verified", "已核实", "rejected", "已驳回")
)
