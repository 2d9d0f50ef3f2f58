package remind

import (
	"fmt"
	"net/url"
	"strings"
)

// Digest is what one organization is sent: a title, the text for the robots (their
// markdown) and the text of the e-mail. It holds counts and names of schools and cities
// only, never anything about a person.
type Digest struct {
	Title    string
	Markdown string
	Text     string
}

// CityLine is one city of the province digest.
type CityLine struct {
	Code, Name   string
	Due, Overdue int
}

// schoolDigest is a school's digest on asOf: its due and overdue counts and the link to
// its due list page.
func schoolDigest(base, code, name, asOf string, due, overdue int) Digest {
	link := base + "/school?school=" + url.QueryEscape(code)
	title := fmt.Sprintf("往届学生跟踪提醒：%s 待联系 %d 人（%s）", name, due, asOf)
	md := fmt.Sprintf("### 往届学生跟踪提醒\n**%s**，截至 %s：\n- 待联系往届学生：**%d** 人\n- 其中逾期：**%d** 人\n\n"+
		"[查看待联系名单 / open the due list](%s)\n\n> Follow-up reminder: %d alumni due, %d of them overdue.",
		name, asOf, due, overdue, link, due, overdue)
	text := fmt.Sprintf("%s，截至 %s：\n待联系往届学生 %d 人，其中逾期 %d 人。\n请登录查看待联系名单：%s\n\n"+
		"Follow-up reminder for %s on %s: %d alumni are due for a contact, %d of them overdue.\nThe due list: %s\n",
		name, asOf, due, overdue, link, name, asOf, due, overdue, link)
	return Digest{Title: title, Markdown: md, Text: text}
}

// provinceDigest is the office's digest on asOf: each city with alumni due, and the total.
func provinceDigest(base, asOf string, cities []CityLine, due, overdue int) Digest {
	link := base + "/dashboard"
	var md, text strings.Builder
	fmt.Fprintf(&md, "### 全省往届学生跟踪提醒\n截至 %s，各市（州）待联系往届学生：\n", asOf)
	fmt.Fprintf(&text, "全省往届学生跟踪提醒，截至 %s，各市（州）待联系往届学生：\n", asOf)
	for _, c := range cities {
		if c.Due == 0 {
			continue
		}
		fmt.Fprintf(&md, "- %s：待联系 %d 人，逾期 %d 人\n", c.Name, c.Due, c.Overdue)
		fmt.Fprintf(&text, "  %s：待联系 %d 人，逾期 %d 人\n", c.Name, c.Due, c.Overdue)
	}
	fmt.Fprintf(&md, "\n**全省合计：待联系 %d 人，逾期 %d 人**\n\n[打开仪表盘 / open the dashboard](%s)\n\n"+
		"> Province follow-up reminder: %d alumni due, %d overdue.", due, overdue, link, due, overdue)
	fmt.Fprintf(&text, "全省合计：待联系 %d 人，逾期 %d 人。\n仪表盘：%s\n\nProvince follow-up reminder on %s: %d alumni due, %d overdue.\n",
		due, overdue, link, asOf, due, overdue)
	return Digest{Title: fmt.Sprintf("全省往届学生跟踪提醒：待联系 %d 人（%s）", due, asOf), Markdown: md.String(), Text: text.String()}
}
