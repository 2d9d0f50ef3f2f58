package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// surnames are the common Chinese surnames, most frequent first (Sichuan leans to 李 王 张
// 刘 陈 杨); pickSurname weights them by a power law of their rank.
var surnames = []rune("李王张刘陈杨黄罗周何赵吴徐孙胡朱郭马林邓唐曾彭谢冯蒋肖高梁宋郑许韩袁曹向田董付" +
	"余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚" +
	"邵万钱严覃武戴莫孔汤母苟")

var surnameCum = func() []float64 {
	c := make([]float64, len(surnames))
	sum := 0.0
	for i := range surnames {
		sum += 1 / math.Pow(float64(i+1), 0.9)
		c[i] = sum
	}
	return c
}()

var (
	maleChars   = []rune("浩宇轩睿博子晨俊泽鹏航铭辰昊然皓瑞凯嘉天文哲思一诚鑫宏志翔鸿毅锦乐恒远峻奕朗骏伟强磊军洋勇杰涛明超彬卓越霖楷煜")
	femaleChars = []rune("芳娜敏静丽婷雪琳欣怡萱涵雨梓诗可馨悦佳琪彤婉雅瑶晴妍蕊菲露萌璐莹洁倩颖淑玉慧思语晓梦若安宁依沁朵玥茜")
	olderMale   = []rune("建国华明军平刚勇伟强斌波涛峰健林海东亮成志红文德永福")
	olderFemale = []rune("秀英兰芳丽敏静燕红霞玉梅萍琴娟华琳艳凤英慧莉蓉")
)

func pickSurname(r *rand.Rand) rune {
	return surnames[pickCum(r, surnameCum)]
}

// givenName draws one or two characters; older people more often have one, and the
// older generation draws from an older stock of characters.
func givenName(r *rand.Rand, male, older bool) string {
	pool := femaleChars
	switch {
	case male && older:
		pool = olderMale
	case male:
		pool = maleChars
	case older:
		pool = olderFemale
	}
	single := 0.12
	if older {
		single = 0.35
	}
	a := pool[r.IntN(len(pool))]
	if r.Float64() < single {
		return string(a)
	}
	b := pool[r.IntN(len(pool))]
	for b == a {
		b = pool[r.IntN(len(pool))]
	}
	return string([]rune{a, b})
}

// personName is a full name: surname then given name.
func personName(r *rand.Rand, male, older bool) string {
	return string(pickSurname(r)) + givenName(r, male, older)
}

var mobilePrefixes = []string{"138", "139", "135", "136", "137", "150", "151", "152", "158", "159", "182", "187",
	"188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "181", "189", "199", "177", "173"}

// mobile draws a mainland mobile number.
func mobile(r *rand.Rand) string {
	return fmt.Sprintf("%s%08d", mobilePrefixes[r.IntN(len(mobilePrefixes))], r.IntN(100000000))
}

// officePhone draws a fixed-line number with the city's area code (8 digits after 028,
// 7 after the others).
func officePhone(r *rand.Rand, area string) string {
	if len(area) == 3 {
		return fmt.Sprintf("%s-%d%07d", area, 6+r.IntN(3), r.IntN(10000000))
	}
	return fmt.Sprintf("%s-%d%06d", area, 2+r.IntN(7), r.IntN(1000000))
}

var mailDomains = []string{"qq.com", "163.com", "126.com", "sina.com", "foxmail.com"}

// email draws a plausible personal address (QQ-number style or letters and digits).
func email(r *rand.Rand) string {
	d := mailDomains[pickCum(r, mailCum)]
	if d == "qq.com" || r.IntN(3) == 0 {
		return fmt.Sprintf("%d@%s", 100000000+r.IntN(2900000000), d)
	}
	const letters = "abcdefghijklmnopqrstuvwxyz"
	var b strings.Builder
	for range 4 + r.IntN(4) {
		b.WriteByte(letters[r.IntN(len(letters))])
	}
	return fmt.Sprintf("%s%d@%s", b.String(), r.IntN(10000), d)
}

var mailCum = cum([]float64{50, 25, 10, 5, 10})

// cum turns weights into cumulative weights for pickCum.
func cum(w []float64) []float64 {
	c := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		c[i] = s
	}
	return c
}

// pickCum draws an index with probability proportional to its weight.
func pickCum(r *rand.Rand, c []float64) int {
	x := r.Float64() * c[len(c)-1]
	lo, hi := 0, len(c)-1
	for lo < hi {
		m := (lo + hi) / 2
		if c[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// weighted is a list of choices with their cumulative weights.
type weighted[T any] struct {
	items []T
	cum   []float64
}

func newWeighted[T any](items []T, weights []float64) weighted[T] {
	if len(items) != len(weights) {
		panic("seed: weights do not match items")
	}
	return weighted[T]{items: items, cum: cum(weights)}
}

func (w weighted[T]) pick(r *rand.Rand) T { return w.items[pickCum(r, w.cum)] }

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// chineseNumber writes 1 … 99999 the way school names do: 三, 十二, 二十一, 一百零五.
func chineseNumber(n int) string {
	if n <= 0 || n > 99999 {
		return fmt.Sprint(n)
	}
	units := []string{"", "十", "百", "千", "万"}
	digits := []int{}
	for x := n; x > 0; x /= 10 {
		digits = append(digits, x%10)
	}
	var b strings.Builder
	zero := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := digits[i]
		if d == 0 {
			zero = true
			continue
		}
		if zero && b.Len() > 0 {
			b.WriteString("零")
		}
		zero = false
		if !(d == 1 && i == 1 && len(digits) == 2) { // 十二, not 一十二
			b.WriteString(cnDigits[d])
		}
		b.WriteString(units[i])
	}
	return b.String()
}
