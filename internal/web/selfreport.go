package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	qrcode "github.com/skip2/go-qrcode"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/check"
	"talentdb/internal/selfreport"
	"talentdb/internal/vocab"
)

// Self-report links (docs/self-report.md). The school makes links from its due list
// (/school: one per row, or for the whole list) and gets a page of them — name, address,
// QR code — or the same as a CSV sheet; the links' holders answer on /r/{token}, a page
// without an account or navigation; the school reviews the answers on
// /school/self-reports. Every step is a call of the self-report door.

// prizeRows is how many prize rows the answer page offers (the first open, the rest behind
// "add a prize").
const prizeRows = 5

// linkPageData is the page of one link.
type linkPageData struct {
	Token      string
	GivenName  string
	School     string
	Guardian   bool
	Dead       bool // the link cannot be used: one page for every reason
	Done       bool // answered just now
	Limited    string
	Form       *form
	DestTypes  []option
	Levels     []option
	Prizes     []int // the indexes of the prize rows
	Today      string
	ContactYes bool
	ContactNo  bool
}

func init() {
	for k, v := range selfReportMessages {
		messages[k] = v
	}
	flashKeys["self_report_accepted"] = true
	flashKeys["self_report_rejected"] = true
	flashKeys["self_report_revoked"] = true
}

// respondent is the caller of a link's page: its holder, with the request's id and address.
func respondent(r *http.Request) access.Caller {
	return access.Respondent(r.Header.Get("X-Request-ID"), remoteAddr(r))
}

// linkPage shows the page of a link: the questions, addressed to the alumnus or the
// guardian, or the one page of a link that cannot be used.
func (a *app) linkPage(w http.ResponseWriter, r *http.Request) {
	a.showLink(w, r, nil, http.StatusOK)
}

func (a *app) showLink(w http.ResponseWriter, r *http.Request, f *form, status int) {
	l := langOf(r)
	token := chi.URLParam(r, "token")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	o, err := a.doors.SelfReports.Open(r.Context(), respondent(r), token)
	var rl *selfreport.RateLimitedError
	switch {
	case errors.As(err, &rl):
		w.Header().Set("Retry-After", strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
		a.render(w, r, http.StatusTooManyRequests, "selfreport", "sr.title", linkPageData{Dead: true, Limited: l.Pick(rl.Error())})
		return
	case errors.Is(err, selfreport.ErrLinkDead):
		a.render(w, r, http.StatusNotFound, "selfreport", "sr.title", linkPageData{Dead: true})
		return
	case err != nil:
		a.serverError(w, r, err)
		return
	}
	d := linkPageData{Token: token, GivenName: o.GivenName, School: o.SchoolName, Guardian: o.Guardian, Form: f,
		Today: a.today().Format(time.DateOnly)}
	sel := func(e vocab.Enum, v string) []option {
		out := []option{{Value: "", Label: l.T("sr.choose"), Selected: v == ""}}
		for _, o := range enumOptions(l, e) {
			o.Selected = o.Value == v
			out = append(out, o)
		}
		return out
	}
	d.DestTypes = sel(vocab.DestinationTypes, f.Val("destination_type", ""))
	d.Levels = enumOptions(l, vocab.Levels)
	for i := range prizeRows {
		d.Prizes = append(d.Prizes, i)
	}
	d.ContactYes, d.ContactNo = f.Val("contact_again", "") == "yes", f.Val("contact_again", "") == "no"
	a.render(w, r, status, "selfreport", "sr.title", d)
}

// linkFields are the answer form's fields.
func linkFields() []string {
	fs := []string{"guardian_name", "guardian_confirm", "destination_type", "destination_org_name",
		"destination_started_on", "contact_again", "note"}
	for i := range prizeRows {
		n := strconv.Itoa(i)
		fs = append(fs, "prize_competition_"+n, "prize_level_"+n, "prize_awarded_on_"+n)
	}
	return fs
}

// linkAnswer takes the answer of a link's page. The page has no session: the link's
// token in its address is the credential, and the Origin check refuses another site's
// post.
func (a *app) linkAnswer(w http.ResponseWriter, r *http.Request) {
	if err := parseBody(w, r); err != nil {
		a.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
		return
	}
	if !sameOrigin(r) {
		a.errorPage(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	f := newForm(r, "answer", linkFields()...)
	opt := func(k string) *string {
		if v := f.Values[k]; v != "" {
			return &v
		}
		return nil
	}
	d := selfreport.AnswerDraft{GuardianName: opt("guardian_name"), GuardianConfirm: f.Values["guardian_confirm"] != "",
		DestType: opt("destination_type"), DestOrgName: opt("destination_org_name"),
		DestStartedOn: opt("destination_started_on"), Note: opt("note")}
	switch f.Values["contact_again"] {
	case "yes":
		t := true
		d.ContactAgain = &t
	case "no":
		n := false
		d.ContactAgain = &n
	}
	for i := range prizeRows {
		n := strconv.Itoa(i)
		d.Prizes = append(d.Prizes, selfreport.PrizeDraft{Competition: opt("prize_competition_" + n),
			Level: opt("prize_level_" + n), AwardedOn: opt("prize_awarded_on_" + n)})
	}
	err := a.doors.SelfReports.Answer(r.Context(), respondent(r), chi.URLParam(r, "token"), d)
	var rl *selfreport.RateLimitedError
	switch {
	case err == nil:
		a.render(w, r, http.StatusOK, "selfreport", "sr.title", linkPageData{Done: true})
	case errors.Is(err, selfreport.ErrLinkDead):
		a.render(w, r, http.StatusNotFound, "selfreport", "sr.title", linkPageData{Dead: true})
	case errors.As(err, &rl):
		w.Header().Set("Retry-After", strconv.Itoa(int(rl.RetryAfter.Seconds())+1))
		a.render(w, r, http.StatusTooManyRequests, "selfreport", "sr.title",
			linkPageData{Dead: true, Limited: langOf(r).Pick(rl.Error())})
	case len(check.All(err)) > 0:
		for _, fe := range check.All(err) {
			f.failText(answerField(fe.Field), fe.Message)
		}
		a.showLink(w, r, f, http.StatusUnprocessableEntity)
	default:
		a.serverError(w, r, err)
	}
}

// answerField is the form field of a door's field name: destination.type →
// destination_type, prizes[1].level → prize_level_1.
func answerField(field string) string {
	if rest, ok := strings.CutPrefix(field, "prizes["); ok {
		if i := strings.Index(rest, "]."); i > 0 {
			return "prize_" + rest[i+2:] + "_" + rest[:i]
		}
	}
	return strings.ReplaceAll(field, ".", "_")
}

// madeData is the page of links just made.
type madeData struct {
	School string
	Links  []madeRow
	Days   int
	Return string
}

type madeRow struct {
	PersonID  int64
	Name, URL string
	QR        template.HTML
	Expires   string
}

// makeLinks makes links for one alumnus (person_id) or the whole due list (due=1) of the
// operator's school (the office: school=CODE), and answers the page of them, or (format=csv)
// a sheet of names and addresses.
func (a *app) makeLinks(w http.ResponseWriter, r *http.Request) {
	if err := parseBody(w, r); err != nil {
		a.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
		return
	}
	l := langOf(r)
	in := selfreport.MakeInput{School: strings.TrimSpace(r.PostFormValue("school")), Due: r.PostFormValue("due") != ""}
	if v := r.PostFormValue("person_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			a.errorPage(w, r, http.StatusBadRequest, "error.bad_request")
			return
		}
		in.PersonIDs = []int64{id}
	}
	made, err := a.doors.SelfReports.MakeLinks(r.Context(), caller(r), in)
	if err != nil {
		if fes := check.All(err); len(fes) > 0 {
			a.renderPage(w, r, http.StatusUnprocessableEntity, "error", page{Title: l.T("error.title"),
				Data: errorData{Status: http.StatusUnprocessableEntity, Message: l.Pick(fes[0].Message)}})
			return
		}
		a.fail(w, r, err)
		return
	}
	base := publicBase(r)
	if r.PostFormValue("format") == "csv" {
		var buf bytes.Buffer
		buf.WriteString("\ufeff")
		cw := csv.NewWriter(&buf)
		_ = cw.Write([]string{l.T("col.name"), l.T("sr.col_link"), l.T("sr.col_expires")})
		for _, m := range made {
			_ = cw.Write([]string{m.PersonName, absolute(base, m.URL), m.ExpiresAt.In(vocab.China).Format(time.DateOnly)})
		}
		cw.Flush()
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="self-report-links-`+a.today().Format("20060102")+`.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
		return
	}
	d := madeData{School: in.School, Days: selfreport.DefaultDays, Return: "/school"}
	if in.School != "" {
		d.Return += "?school=" + url.QueryEscape(in.School)
	}
	for _, m := range made {
		u := absolute(base, m.URL)
		d.Links = append(d.Links, madeRow{PersonID: m.PersonID, Name: m.PersonName, URL: u, QR: qrSVG(u),
			Expires: m.ExpiresAt.In(vocab.China).Format(time.DateOnly)})
	}
	w.Header().Set("Cache-Control", "no-store")
	a.render(w, r, http.StatusOK, "selflinks", "sr.links_title", d)
}

// publicBase is the address the links are sent with: the configured public address when
// the door made absolute links, else this request's own scheme and host.
func publicBase(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil && (strings.HasPrefix(r.Host, "localhost") || strings.HasPrefix(r.Host, "127.0.0.1")) {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

// absolute is u as an address to send: as it is when the door made it absolute (the
// configured PUBLIC_BASE_URL), else on base.
func absolute(base, u string) string {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return u
	}
	return base + u
}

// qrSVG is the QR code of s as an inline SVG (no image request, nothing for the CSP to
// allow): one square per dark module.
func qrSVG(s string) template.HTML {
	q, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return ""
	}
	bm := q.Bitmap()
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="QR" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, len(bm), len(bm))
	for y, row := range bm {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()) // built here from numbers only
}

// queueData is the school's review page.
type queueData struct {
	SchoolCode string
	AsOffice   bool
	Answers    []answerRow
	Links      []linkRow
	Form       *form
	DestTypes  []option
	Levels     []option
	Return     string
}

type answerRow struct {
	selfreport.Answer
	Respondent  string
	Destination string
	DestType    string
	DestOrg     string
	DestStarted string
	Prizes      []prizeRow
	Answered    string
}

type prizeRow struct {
	Competition, Level, LevelLabel, AwardedOn string
}

type linkRow struct {
	ID              int64
	Name, Made      string
	Expires, Status string
	Open            bool
}

// selfReports shows the school's pending answers and its latest links.
func (a *app) selfReports(w http.ResponseWriter, r *http.Request) {
	a.showSelfReports(w, r, r.URL.Query().Get("school"), nil, http.StatusOK)
}

func (a *app) showSelfReports(w http.ResponseWriter, r *http.Request, code string, f *form, status int) {
	l, c := langOf(r), caller(r)
	code = strings.TrimSpace(code)
	d := queueData{SchoolCode: code, AsOffice: c.Office(), Form: f, Levels: enumOptions(l, vocab.Levels),
		DestTypes: append([]option{{Value: "", Label: l.T("sr.none")}}, enumOptions(l, vocab.DestinationTypes)...),
		Return:    "/school/self-reports"}
	if code != "" {
		d.Return += "?school=" + url.QueryEscape(code)
	}
	answers, err := a.doors.SelfReports.Queue(r.Context(), c, code, "", 200)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, x := range answers {
		row := answerRow{Answer: x, Respondent: vocab.Respondents.Label(x.Respondent, l.Code()),
			Answered: x.AnsweredAt.In(vocab.China).Format("2006-01-02 15:04")}
		if x.GuardianName != nil {
			row.Respondent += "（" + *x.GuardianName + "）"
		}
		if x.DestType != nil {
			row.DestType = *x.DestType
			row.Destination = vocab.DestinationTypes.Label(*x.DestType, l.Code())
			if x.DestOrgName != nil {
				row.DestOrg = *x.DestOrgName
				row.Destination += " · " + *x.DestOrgName
			}
			if x.DestStartedOn != nil {
				row.DestStarted = x.DestStartedOn.Format(time.DateOnly)
				row.Destination += " · " + row.DestStarted
			}
		}
		for _, p := range selfreport.Prizes(x) {
			row.Prizes = append(row.Prizes, prizeRow{Competition: p.Competition, Level: p.Level,
				LevelLabel: vocab.Levels.Label(p.Level, l.Code()), AwardedOn: p.AwardedOn})
		}
		d.Answers = append(d.Answers, row)
	}
	if c.Role == auth.RoleSchoolOperator || code != "" {
		links, err := a.doors.SelfReports.Links(r.Context(), c, code, 0, 50)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		now := a.now()
		for _, k := range links {
			row := linkRow{ID: k.ID, Name: k.PersonName, Made: k.MadeAt.In(vocab.China).Format("2006-01-02 15:04"),
				Expires: k.ExpiresAt.In(vocab.China).Format(time.DateOnly)}
			switch {
			case k.UsedAt != nil:
				row.Status = l.T("sr.link_used")
			case k.RevokedAt != nil:
				row.Status = l.T("sr.link_revoked")
			case !k.ExpiresAt.After(now):
				row.Status = l.T("sr.link_expired")
			default:
				row.Status, row.Open = l.T("sr.link_open"), true
			}
			d.Links = append(d.Links, row)
		}
	}
	a.render(w, r, status, "selfqueue", "sr.queue_title", d)
}

// acceptAnswer accepts an answer, as answered or (correct=1) with the school's corrections
// of the destination and the prizes.
func (a *app) acceptAnswer(w http.ResponseWriter, r *http.Request) {
	fields := []string{"correct", "destination_type", "destination_org_name", "destination_started_on"}
	for i := range prizeRows {
		n := strconv.Itoa(i)
		fields = append(fields, "prize_competition_"+n, "prize_level_"+n, "prize_awarded_on_"+n)
	}
	id, ret, f, ok := a.rowForm(w, r, "id", "acc-", "/school/self-reports", fields...)
	if !ok {
		return
	}
	var fix *selfreport.Correction
	if f.Values["correct"] != "" {
		opt := func(k string) *string {
			if v := f.Values[k]; v != "" {
				return &v
			}
			return nil
		}
		fix = &selfreport.Correction{Destination: &selfreport.DestinationFix{Type: opt("destination_type"),
			OrgName: opt("destination_org_name"), StartedOn: opt("destination_started_on")}, Prizes: []selfreport.PrizeDraft{}}
		for i := range prizeRows {
			n := strconv.Itoa(i)
			fix.Prizes = append(fix.Prizes, selfreport.PrizeDraft{Competition: opt("prize_competition_" + n),
				Level: opt("prize_level_" + n), AwardedOn: opt("prize_awarded_on_" + n)})
		}
	}
	_, err := a.doors.SelfReports.Accept(r.Context(), caller(r), id, fix)
	if fes := check.All(err); len(fes) > 0 {
		for _, fe := range fes {
			f.failText(answerField(fe.Field), fe.Message)
		}
		err = nil
	}
	if errors.Is(err, access.ErrConflict) {
		f.General, err = langOf(r).Pick(err.Error()), nil
	}
	a.answer(w, r, f, err, ret+"#queue", "self_report_accepted", func(f *form) {
		a.showSelfReports(w, r, schoolParam(ret), f, http.StatusUnprocessableEntity)
	})
}

// rejectAnswer rejects an answer with the school's reason.
func (a *app) rejectAnswer(w http.ResponseWriter, r *http.Request) {
	id, ret, f, ok := a.rowForm(w, r, "id", "rej-", "/school/self-reports", "reason")
	if !ok {
		return
	}
	_, err := a.doors.SelfReports.Reject(r.Context(), caller(r), id, f.Values["reason"])
	if fes := check.All(err); len(fes) > 0 {
		for _, fe := range fes {
			f.failText(fe.Field, fe.Message)
		}
		err = nil
	}
	if errors.Is(err, access.ErrConflict) {
		f.General, err = langOf(r).Pick(err.Error()), nil
	}
	a.answer(w, r, f, err, ret+"#queue", "self_report_rejected", func(f *form) {
		a.showSelfReports(w, r, schoolParam(ret), f, http.StatusUnprocessableEntity)
	})
}

// revokeLink revokes an open link.
func (a *app) revokeLink(w http.ResponseWriter, r *http.Request) {
	id, ret, f, ok := a.rowForm(w, r, "id", "rev-", "/school/self-reports")
	if !ok {
		return
	}
	_, err := a.doors.SelfReports.Revoke(r.Context(), caller(r), id)
	a.answer(w, r, f, err, ret+"#links", "self_report_revoked", func(f *form) {
		a.showSelfReports(w, r, schoolParam(ret), f, http.StatusUnprocessableEntity)
	})
}

// schoolParam is the school=CODE of a local address.
func schoolParam(ret string) string {
	u, err := url.Parse(ret)
	if err != nil {
		return ""
	}
	return u.Query().Get("school")
}

// selfReportMessages are the texts of the self-report pages.
var selfReportMessages = map[string][2]string{
	"nav.self_reports":           {"自填问卷", "Self-reports"},
	"sr.title":                   {"往届学生跟踪问卷", "Alumni follow-up survey"},
	"sr.hello":                   {"%s，你好！", "Hello, %s!"},
	"sr.hello_guardian":          {"%s的家长，您好！", "Dear guardian of %s,"},
	"sr.intro":                   {"%s 在持续关注参加过培养计划的同学的成长。请花两分钟告诉我们近况，学校老师审核后记入档案。", "%s follows the students of its programme as they grow. Please take two minutes to tell us how things are; a teacher at the school checks your answer before it is recorded."},
	"sr.intro_guardian":          {"孩子未满 14 周岁，请由家长（监护人）代为填写。", "As the child is under 14, a parent or guardian answers for them."},
	"sr.guardian_name":           {"家长（监护人）姓名", "Your name (parent or guardian)"},
	"sr.guardian_confirm":        {"我是孩子的家长（监护人），同意代孩子填写本问卷", "I am the child's parent or guardian and answer for them"},
	"sr.now":                     {"现在在哪里就读或工作？", "Where are you studying or working now?"},
	"sr.dest_type":               {"去向类型", "Kind"},
	"sr.dest_org":                {"学校或单位名称", "School or employer"},
	"sr.dest_started":            {"开始时间", "Since"},
	"sr.prizes":                  {"上次联系以来获得的奖项", "Prizes since we were last in touch"},
	"sr.prizes_hint":             {"没有可以不填。", "Leave blank if none."},
	"sr.prize":                   {"奖项 %d", "Prize %d"},
	"sr.more_prizes":             {"再添加奖项", "Add a prize"},
	"sr.competition":             {"比赛名称", "Competition"},
	"sr.level":                   {"级别", "Level"},
	"sr.awarded_on":              {"获奖日期", "Date"},
	"sr.contact":                 {"以后是否愿意继续接受学校的跟踪联系？", "May the school contact you again?"},
	"sr.contact_yes":             {"愿意", "Yes"},
	"sr.contact_no":              {"不再联系", "No, please do not contact me again"},
	"sr.note":                    {"想对老师说的话（选填）", "Anything else for the school (optional)"},
	"sr.submit":                  {"提交", "Send"},
	"sr.sending":                 {"正在提交…", "Sending…"},
	"sr.privacy":                 {"本问卷只用于学校对往届学生的跟踪，信息仅学校和省管理办公室可见。链接仅可使用一次。", "The answers are for the school's follow-up of its alumni, seen only by the school and the provincial office. The link works once."},
	"sr.choose":                  {"请选择", "Choose"},
	"sr.thanks_title":            {"提交成功，谢谢！", "Thank you!"},
	"sr.thanks":                  {"学校老师审核后会记入档案。此链接已失效，可以关闭本页。", "A teacher at the school checks the answer before it is recorded. This link has now been used; you may close the page."},
	"sr.dead_title":              {"链接不可用", "This link cannot be used"},
	"sr.dead":                    {"此链接可能已使用、已过期或已撤回。如需重新填写，请联系学校老师获取新的链接。", "It may have been used, have expired or have been withdrawn. Ask the school for a new link."},
	"sr.make_one":                {"生成自填链接", "Make a self-report link"},
	"sr.make_all":                {"为全部待联系学生生成自填链接", "Make self-report links for everyone due"},
	"sr.make_all_csv":            {"生成并下载链接表（CSV）", "Make them and download the sheet (CSV)"},
	"sr.links_title":             {"自填问卷链接", "Self-report links"},
	"sr.links_hint":              {"每个链接只显示这一次：请现在复制或下载，通过微信群、短信或打印二维码发给学生或家长。链接 %d 天内有效，只能使用一次。", "Each link is shown only now: copy or download them and send them through the WeChat group, SMS or a printed QR code. A link holds for %d days and works once."},
	"sr.col_link":                {"链接", "Link"},
	"sr.col_expires":             {"有效期至", "Valid until"},
	"sr.back":                    {"返回学校工作台", "Back to the school workspace"},
	"sr.queue_title":             {"自填问卷审核", "Self-reports to review"},
	"sr.queue_hint":              {"学生或家长通过链接提交的近况。采纳后记入去向、获奖（待省办核实）和一次“问卷”跟踪联系。", "What alumni or their guardians sent through their links. Accepting records the destination, the prizes (to be verified by the office) and a contact by survey."},
	"sr.queue_empty":             {"暂无待审核的问卷。", "Nothing to review."},
	"sr.respondent":              {"填写人", "Answered by"},
	"sr.answered":                {"提交时间", "Sent"},
	"sr.destination":             {"去向", "Destination"},
	"sr.none":                    {"无", "none"},
	"sr.contact_again":           {"继续联系", "May be contacted"},
	"sr.accept":                  {"采纳", "Accept"},
	"sr.correct":                 {"修改后采纳", "Correct and accept"},
	"sr.reject":                  {"不采纳", "Reject"},
	"sr.reason":                  {"原因", "Reason"},
	"sr.links":                   {"最近生成的链接", "Latest links"},
	"sr.links_empty":             {"尚未生成链接。", "No links yet."},
	"sr.made":                    {"生成时间", "Made"},
	"sr.link_open":               {"待填写", "open"},
	"sr.link_used":               {"已填写", "answered"},
	"sr.link_revoked":            {"已撤回", "withdrawn"},
	"sr.link_expired":            {"已过期", "expired"},
	"sr.revoke":                  {"撤回", "Withdraw"},
	"sr.queue_link":              {"自填问卷审核", "Self-reports to review"},
	"sr.office_pick":             {"查看学校", "Show a school"},
	"flash.self_report_accepted": {"已采纳，已记入跟踪记录", "Accepted and recorded"},
	"flash.self_report_rejected": {"已标记为不采纳", "Rejected"},
	"flash.self_report_revoked":  {"链接已撤回", "The link was withdrawn"},
}
