package identity

import "testing"

func TestNameResemblance(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b   string
		reason string
	}{
		{"张晓明", "张晓明", ReasonSameName},
		{"张晓明", " 张 晓明 ", ReasonSameName},
		{"张晓明", "张小明", ReasonSamePinyin},
		{"李思雨", "李思宇", ReasonSamePinyin},
		{"曾小凡", "增晓凡", ReasonSamePinyin}, // 曾 reads zeng and ceng
		{"吕伟", "吕玮", ReasonSamePinyin},
		{"王芳", "王芬", ReasonOneChar},
		{"张晓明", "张晓红", ReasonOneChar},
		{"阿依古丽·买买提", "阿依古丽·买买题", ReasonSamePinyin},
		{"Anna", "ＡＮＮＡ", ReasonSameName},
		{"张晓明", "李晓红", ""},  // two characters apart, different readings
		{"张晓明", "张晓明明", ""}, // lengths differ
		{"王", "李", ""},      // one character names: one character is all of it
		{"", "", ""},
	}
	for _, c := range cases {
		got, ok := NameResemblance(c.a, c.b)
		if got != c.reason || ok != (c.reason != "") {
			t.Errorf("NameResemblance(%q, %q) = %q, %v; want %q", c.a, c.b, got, ok, c.reason)
		}
		if back, _ := NameResemblance(c.b, c.a); back != got {
			t.Errorf("not symmetric: %q/%q gives %q one way, %q the other", c.a, c.b, got, back)
		}
	}
}

// The embedded table covers the characters of GB 2312, which hold nearly all names.
func TestPinyinTableCoverage(t *testing.T) {
	t.Parallel()
	for _, r := range "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文晓明思雨宇轩涵梓欣怡浩然子墨诗琪俊杰" {
		if len(readings(r)) == 0 {
			t.Errorf("no reading for %c", r)
		}
	}
	if n := len(pinyinTable); n != 6763 {
		t.Errorf("table holds %d characters, want the 6763 of GB 2312", n)
	}
}

func BenchmarkNameResemblance(b *testing.B) {
	for i := 0; i < b.N; i++ {
		NameResemblance("欧阳晓明", "欧阳小鸣")
	}
}
