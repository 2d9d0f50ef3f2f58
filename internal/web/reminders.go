package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"talentdb/internal/remind"
	"talentdb/internal/vocab"
)

// The reminder settings (docs/reminders.md): whether a school — or, for the office, the
// province — gets the daily digest of its follow-up schedule and where it goes. A school
// operator sets their own school's; the office any school's (?school=CODE) and its own
// province digest (no code). Reads and writes go through the reminders door, which checks
// the scope (another school's is 403), validates and audits.

// remindData is the settings page.
type remindData struct {
	Settings   remind.Settings
	Office     bool   // the office's own settings: the province digest
	AsOffice   bool   // the signed-in user is the office (may choose a school)
	SchoolCode string // asked for, for the office's school picker and the form
	Emails     string // the addresses, one a line
	Kinds      []option
	Sends      []sendRow
	Form       *form
}

// sendRow is one recorded send, in words.
type sendRow struct {
	Day, Channel, Status, Error string
	Attempts                    int
	SentAt                      string
}

func init() {
	for k, v := range remindMessages {
		messages[k] = v
	}
	flashKeys["reminders"] = true
}

// remindMessages are the page's texts.
var remindMessages = map[string][2]string{
	"remind.title":             {"跟踪提醒设置", "Follow-up reminders"},
	"remind.intro":             {"每天把待联系、已逾期的往届学生人数（不含姓名）和待联系名单的链接发到学校的企业微信群、钉钉群或邮箱。", "Every day, the number of alumni due and overdue for a contact (no names) and a link to the due list go to the school's WeCom or DingTalk group or mailbox."},
	"remind.province":          {"全省汇总（各市州人数与合计）", "Province digest (each city and the total)"},
	"remind.choose":            {"查看学校", "Show a school"},
	"remind.school_code":       {"学校代码", "School code"},
	"remind.own":               {"全省汇总设置", "The province digest"},
	"remind.enabled":           {"开启每日提醒", "Send the daily reminder"},
	"remind.webhook_kind":      {"群机器人", "Group robot"},
	"remind.kind_none":         {"不使用", "none"},
	"remind.webhook_url":       {"机器人 Webhook 地址", "Robot webhook URL"},
	"remind.webhook_hint":      {"在群设置中添加自定义机器人后复制其地址（https://…）。", "Add a custom robot in the group's settings and copy its address (https://…)."},
	"remind.emails":            {"邮箱（每行一个）", "E-mail addresses (one a line)"},
	"remind.emails_hint":       {"最多 20 个。", "At most 20."},
	"remind.save":              {"保存设置", "Save"},
	"remind.sends":             {"最近发送记录", "Latest sends"},
	"remind.no_sends":          {"尚无发送记录。", "Nothing sent yet."},
	"remind.day":               {"日期", "Day"},
	"remind.channel":           {"方式", "Channel"},
	"remind.status":            {"结果", "Outcome"},
	"remind.attempts":          {"尝试次数", "Attempts"},
	"remind.error":             {"错误", "Error"},
	"remind.sent_at":           {"发送时间", "Sent at"},
	"remind.link":              {"跟踪提醒设置", "Reminder settings"},
	"flash.reminders":          {"提醒设置已保存。", "Reminder settings saved."},
	"entity.reminder_settings": {"跟踪提醒设置", "reminder settings"},
	"fieldname.enabled":        {"开启提醒", "reminders on"},
	"fieldname.webhook_kind":   {"群机器人", "group robot"},
	"fieldname.webhook_url":    {"机器人地址", "robot URL"},
	"fieldname.emails":         {"邮箱", "e-mail addresses"},
}

func (a *app) reminders(w http.ResponseWriter, r *http.Request) {
	a.showReminders(w, r, r.URL.Query().Get("school"), nil, http.StatusOK)
}

// showReminders renders the settings of school code ("" the caller's own); f is a form to
// show again with its errors.
func (a *app) showReminders(w http.ResponseWriter, r *http.Request, code string, f *form, status int) {
	l := langOf(r)
	set, sends, err := a.doors.Reminders.Settings(r.Context(), caller(r), code)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := remindData{Settings: set, Office: set.Kind == "office", AsOffice: caller(r).Office(),
		SchoolCode: strings.TrimSpace(code), Emails: strings.Join(set.Emails, "\n"), Form: f}
	kind := ""
	if set.WebhookKind != nil {
		kind = *set.WebhookKind
	}
	if f != nil {
		kind, d.Emails = f.Values["webhook_kind"], f.Values["emails"]
	}
	d.Kinds = []option{{Value: "", Label: l.T("remind.kind_none"), Selected: kind == ""}}
	for _, o := range enumOptions(l, vocab.WebhookKinds) {
		o.Selected = kind == o.Value
		d.Kinds = append(d.Kinds, o)
	}
	for _, s := range sends {
		row := sendRow{Day: s.Day.Format(time.DateOnly), Channel: vocab.ReminderChannels.Label(s.Channel, l.Code()),
			Status: vocab.ReminderSendStatuses.Label(s.Status, l.Code()), Attempts: s.Attempts,
			SentAt: s.SentAt.In(vocab.China).Format("2006-01-02 15:04")}
		if s.Error != nil {
			row.Error = *s.Error
		}
		d.Sends = append(d.Sends, row)
	}
	a.render(w, r, status, "reminders", "remind.title", d)
}

// saveReminders saves the settings through the door: a field it refuses comes back next
// to the field, another school's is 403.
func (a *app) saveReminders(w http.ResponseWriter, r *http.Request) {
	f := newForm(r, "reminders", "enabled", "webhook_kind", "webhook_url", "emails", "version", "school")
	version, err := strconv.Atoi(f.Values["version"])
	if err != nil {
		a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	in := remind.SettingsInput{Enabled: f.Values["enabled"] != "", WebhookKind: f.Values["webhook_kind"],
		WebhookURL: f.Values["webhook_url"], Emails: strings.FieldsFunc(f.Values["emails"], func(c rune) bool {
			return c == '\n' || c == '\r' || c == ',' || c == ';' || c == ' ' || c == '，' || c == '；'
		})}
	code := f.Values["school"]
	_, err = a.doors.Reminders.SaveSettings(r.Context(), caller(r), code, version, in)
	ret := "/settings/reminders"
	if code != "" {
		ret += "?school=" + url.QueryEscape(code)
	}
	a.answer(w, r, f, err, ret+"#reminders", "reminders", func(f *form) {
		a.showReminders(w, r, code, f, http.StatusUnprocessableEntity)
	})
}
