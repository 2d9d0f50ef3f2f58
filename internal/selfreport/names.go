package selfreport

import (
	"strings"
	"unicode"
)

// compoundSurnames are the two-character surnames (复姓) a given name is read after.
var compoundSurnames = []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
	"宇文", "司徒", "夏侯", "轩辕", "令狐", "澹台", "端木", "钟离", "南宫", "西门", "独孤", "百里", "呼延", "闻人",
	"万俟", "申屠", "太史", "濮阳", "公冶", "赫连", "拓跋", "第五", "左丘", "东郭", "梁丘", "单于"}

// givenName is the part of a person's name a link's page addresses them by: the name
// without its surname (明 of 张明, 晓明 of 张晓明, 修远 of 欧阳修远); of a name written
// with a middle dot (维吾尔族 and other names: 阿依古丽·买买提) its first part, which is the
// person's own name; of a name in Latin letters its first word. A name too short to tell is
// given whole.
func givenName(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.IndexAny(name, "·•・."); i > 0 {
		return strings.TrimSpace(name[:i])
	}
	r := []rune(name)
	if len(r) > 0 && r[0] < unicode.MaxASCII {
		if f := strings.Fields(name); len(f) > 1 {
			return f[0]
		}
		return name
	}
	switch {
	case len(r) >= 3 && hasCompoundSurname(name):
		return string(r[2:])
	case len(r) >= 2:
		return string(r[1:])
	}
	return name
}

func hasCompoundSurname(name string) bool {
	for _, s := range compoundSurnames {
		if strings.HasPrefix(name, s) {
			return true
		}
	}
	return false
}
