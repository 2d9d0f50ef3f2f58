package web

import (
	"strings"

	"talentdb/internal/vocab"
)

// The two page languages: Chinese (the default) and English.
const (
	langZh = "zh"
	langEn = "en"
)

// Lang is the language of one request's pages; templates call .L.T "key".
type Lang string

// Code is "zh" or "en".
func (l Lang) Code() string { return string(l) }

// HTMLLang is the value of <html lang>.
func (l Lang) HTMLLang() string {
	if l == langEn {
		return "en"
	}
	return "zh-CN"
}

// T returns the text of key in the language; a missing key shows as itself (a test
// checks that every key the templates and handlers use exists in both languages). A key
// "prefix.value" of an enumeration's prefix (terms) is that value's vocab label.
func (l Lang) T(key string) string {
	zh, en, ok := text(key)
	switch {
	case !ok:
		return key
	case l == langEn:
		return en
	}
	return zh
}

// text looks key up in terms, then in messages.
func text(key string) (zh, en string, ok bool) {
	if prefix, k, cut := strings.Cut(key, "."); cut {
		if e, known := terms[prefix]; known && e.Valid(k) {
			return e.Label(k, vocab.Zh), e.Label(k, vocab.En), true
		}
	}
	if m, ok := messages[key]; ok {
		return m[0], m[1], true
	}
	// a value an enumeration does not know (yet) shows as itself
	if prefix, k, cut := strings.Cut(key, "."); cut && k != "" {
		if _, known := terms[prefix]; known {
			return k, k, true
		}
	}
	return "", "", false
}

// terms are the enumerations the pages name, by the prefix of their text keys: "status.admitted"
// is vocab.Statuses' label of admitted. Their labels are vocab's, never repeated in messages.
var terms = map[string]vocab.Enum{
	"program":      vocab.Programs,
	"edition":      vocab.EditionStatuses,
	"status":       vocab.Statuses,
	"evaluation":   vocab.Evaluations,
	"consent":      vocab.ConsentStates,
	"gender":       vocab.Genders,
	"grade":        vocab.Grades,
	"teacher":      vocab.TeacherRoles,
	"band":         vocab.GradeBands,
	"category":     vocab.Categories,
	"level":        vocab.Levels,
	"verification": vocab.Verifications,
	"dest":         vocab.DestinationTypes,
	"position":     vocab.Positions,
	"title":        vocab.Titles,
	"reason":       vocab.Reasons,
	"channel":      vocab.Channels,
	"outcome":      vocab.Outcomes,
	"role":         vocab.Roles,
	"action":       vocab.AuditActions, // beside the buttons' action.* of messages
	"frozen":       vocab.ReportKinds,
}

// Pick chooses the language's half of a domain message written "中文 / English", as the
// tracking rules, the store and the importer write them; other messages are returned as
// they are.
func (l Lang) Pick(msg string) string {
	zh, en, ok := strings.Cut(msg, " / ")
	if !ok {
		return msg
	}
	if l == langEn {
		return strings.TrimSpace(en)
	}
	return strings.TrimSpace(zh)
}

// messages holds every text of the pages: key → {Chinese, English}.
var messages = map[string][2]string{
	"app.name":   {"英才库 · 金导师库", "talentdb"},
	"app.footer": {"四川省青少年科技教育协会 项目管理办公室 · 个人信息仅供工作使用", "Sichuan Youth S&T Education Association, programme office · personal data for official use only"},
	"lang.other": {"English", "中文"},

	"nav.skip":      {"跳到正文", "Skip to content"},
	"nav.main":      {"主导航", "Main navigation"},
	"nav.logout":    {"退出登录", "Sign out"},
	"nav.dashboard": {"总览", "Dashboard"},
	"nav.cohorts":   {"队列分析", "Cohorts"},
	"nav.reports":   {"年度报表", "Reports"},
	"nav.persons":   {"人员", "People"},
	"nav.school":    {"学校工作台", "School"},
	"nav.imports":   {"批量导入", "Import"},
	"nav.users":     {"账号管理", "Accounts"},
	"nav.audit":     {"审计日志", "Audit log"},
	"nav.tokens":    {"API 令牌", "API tokens"},

	"login.title":        {"登录", "Sign in"},
	"login.heading":      {"登录英才库", "Sign in to talentdb"},
	"login.hint":         {"请使用项目管理办公室分配的账号登录。连续 5 次密码错误将锁定账号 15 分钟。", "Use the account the programme office gave you. Five wrong passwords in a row lock the account for 15 minutes."},
	"login.submit":       {"登录", "Sign in"},
	"login.failed":       {"用户名或密码错误。", "Wrong username or password."},
	"login.expired":      {"登录页面已过期，请重新输入。", "The sign-in page expired; please try again."},
	"login.rate_limited": {"尝试次数过多，请稍后再试。", "Too many attempts; please wait a moment and try again."},

	"progress.signing_in": {"正在登录…", "Signing in…"},
	"progress.saving":     {"正在保存…", "Saving…"},
	"progress.computing":  {"正在计算，请稍候…", "Computing, please wait…"},
	"progress.importing":  {"正在上传并校验文件，请勿关闭页面…", "Uploading and checking the file; keep this page open…"},

	"action.show":       {"查看", "Show"},
	"action.search":     {"搜索", "Search"},
	"action.save":       {"保存", "Save"},
	"action.download":   {"下载", "Download"},
	"action.show_table": {"查看数据表", "Show the figures as a table"},
	"action.next_page":  {"下一页", "Next page"},

	"error.title":        {"出错了", "Error"},
	"error.home":         {"返回首页", "Back to the start page"},
	"error.not_found":    {"页面不存在，或您无权查看。", "This page does not exist, or you may not see it."},
	"error.forbidden":    {"您的角色不能执行此操作。", "Your role may not do this."},
	"error.csrf":         {"表单已过期或来源不明，请刷新页面后重试。", "The form expired or did not come from this site; reload the page and try again."},
	"error.method":       {"不支持此操作。", "This action is not supported here."},
	"error.too_large":    {"提交的内容太大。", "What you sent is too large."},
	"error.rate_limited": {"请求过于频繁，请稍后再试。", "Too many requests; please wait a moment."},
	"error.bad_request":  {"参数无效。", "Invalid parameters."},
	"error.internal":     {"服务器内部错误，请稍后再试。如需报告，请附上以下请求编号：", "Internal error; please try again later. If you report it, quote this request id:"},

	"form.required":  {"此项必填。", "This field is required."},
	"form.date":      {"日期格式应为 YYYY-MM-DD。", "Enter a date as YYYY-MM-DD."},
	"form.choice":    {"请选择列表中的一项。", "Choose one of the listed values."},
	"form.too_long":  {"内容过长。", "This is too long."},
	"form.number":    {"请填写数字。", "Enter a number."},
	"form.phone":     {"不是有效的电话号码（7 到 15 位数字）。", "Not a valid phone number (7 to 15 digits)."},
	"form.duplicate": {"已有相同的记录（同一人、同一日期、同一类别）。", "The same record already exists (same person, date and kind)."},
	"form.conflict":  {"记录与现有数据冲突，未保存。", "The record conflicts with existing data and was not saved."},
	"form.stale":     {"此记录在您打开后已被他人修改，未保存。上方显示的是最新内容，请核对后再次保存。", "Someone changed this record after you opened it, so nothing was saved. The details above are the current ones; check them and save again."},

	"flash.follow_up":   {"已记录联系。", "Contact recorded."},
	"flash.award":       {"已记录获奖。", "Award recorded."},
	"flash.destination": {"已记录去向。", "Destination recorded."},
	"flash.person":      {"已保存。", "Saved."},
	"flash.user":        {"账号已创建。", "Account created."},
	"flash.disabled":    {"账号已停用，其会话与令牌均已失效。", "Account disabled; its sessions and tokens are ended."},
	"flash.enabled":     {"账号已启用。", "Account enabled."},
	"flash.revoked":     {"令牌已撤销。", "Token revoked."},
	// corrections
	"flash.record_saved":     {"已保存修改。", "Changes saved."},
	"flash.record_deleted":   {"记录已删除，可在下方“已删除”中恢复。", "Record deleted; it can be restored below."},
	"flash.record_restored":  {"记录已恢复。", "Record restored."},
	"form.stale_record":      {"此记录已被他人修改，请刷新后重试。您填写的内容仍保留在表单中；列表显示的是最新内容，核对后再次保存将覆盖它。", "This record was changed by someone else; refresh and try again. What you typed is still in the form; the list shows the current record, and saving again replaces it."},
	"form.record_deleted":    {"此记录已被删除，请先恢复再修改。", "This record is deleted; restore it before changing it."},
	"form.future":            {"日期不能晚于今天。", "The date cannot be after today."},
	"records.title":          {"记录更正", "Corrections"},
	"records.hint":           {"修改、删除或恢复已记录的获奖、联系、去向与工作动向。删除的记录可随时恢复。", "Edit, delete or restore the recorded awards, contacts, destinations and career moves. A deleted record can be restored."},
	"records.awards":         {"获奖", "Awards"},
	"records.follow_ups":     {"跟踪联系", "Follow-up contacts"},
	"records.destinations":   {"毕业去向", "Destinations"},
	"records.career_moves":   {"工作动向", "Career moves"},
	"records.none":           {"暂无。", "None."},
	"records.edit":           {"修改", "Edit"},
	"records.delete":         {"删除", "Delete"},
	"records.restore":        {"恢复", "Restore"},
	"records.confirm_delete": {"确定删除这条记录吗？删除后可以恢复。", "Delete this record? It can be restored."},
	"field.career_org":       {"工作单位", "Organisation"},
	"field.position":         {"职务", "Position"},
	"field.title":            {"职称", "Title"},
	"field.ended_on":         {"结束日期", "End date"},
	"field.reason":           {"变动原因", "Reason"},

	"list.sep":       {"，", ", "},
	"report.as_of":   {"截至", "as of"},
	"field.year":     {"年份", "Year"},
	"col.year":       {"年份", "Year"},
	"col.total":      {"合计", "Total"},
	"col.city":       {"市（州）", "City / prefecture"},
	"col.edition":    {"年度", "Edition"},
	"col.period":     {"时段", "Period"},
	"col.name":       {"姓名", "Name"},
	"col.id_number":  {"身份证号（脱敏）", "ID number (masked)"},
	"col.gender":     {"性别", "Gender"},
	"col.birth_date": {"出生日期", "Date of birth"},
	"col.school":     {"学校", "School"},
	"col.grade":      {"年级 / 类型", "Grade / role"},
	"col.status":     {"状态", "Status"},
	"col.mentor":     {"导师", "Mentor"},
	"col.evaluation": {"评价", "Evaluation"},
	"col.consent":    {"监护人同意", "Guardian consent"},
	"col.version":    {"版本", "Version"},
	"col.actions":    {"操作", "Actions"},
	"col.kind":       {"类型", "Kind"},
	"col.params":     {"参数", "Parameters"},
	"col.frozen_by":  {"发布人", "Published by"},

	"dashboard.title":            {"总览", "Dashboard"},
	"dashboard.heading":          {"项目总览", "Programme dashboard"},
	"dashboard.current":          {"本年度概况", "This edition at a glance"},
	"dashboard.no_edition":       {"该年份没有年度。", "No edition in this year."},
	"dashboard.participants":     {"人", "people"},
	"dashboard.persons":          {"人数", "People"},
	"dashboard.records":          {"记录数", "Records"},
	"dashboard.cities":           {"各市（州）录取与结业人数", "Admitted and completed participants by city"},
	"dashboard.cities_hint":      {"按推荐学校所在市（州）统计，录取和已结业的人员。", "By the city of the nominating school; persons admitted or completed."},
	"dashboard.outcomes":         {"历届队列成长曲线（菁科计划）", "Outcome curves of past cohorts (Jingke)"},
	"dashboard.outcomes_hint":    {"横轴为年度结束后的第几年（第 0 年即年度本身）；曲线为占队列人数的比例。", "The x axis is the year after the edition (year 0 is the edition itself); each curve is a share of the cohort."},
	"dashboard.coverage":         {"各市（州）跟踪联系覆盖率", "Follow-up coverage by city"},
	"dashboard.coverage_hint":    {"当年已联系上的往届结业人员占比。", "Share of alumni reached during the year."},
	"dashboard.coverage_overall": {"跟踪联系覆盖率", "Follow-up coverage"},
	"dashboard.contact_rate":     {"联系率", "Contact rate"},
	"dashboard.contacted":        {"已联系", "Reached"},
	"dashboard.alumni":           {"结业人员", "Alumni"},
	"dashboard.awards":           {"历年获奖（按级别）", "Awards by level over the years"},

	"cohorts.title":                {"队列分析", "Cohort explorer"},
	"cohorts.heading":              {"队列分析", "Cohort explorer"},
	"cohorts.editions":             {"选择年度（最多 8 个）", "Editions (up to 8)"},
	"cohorts.all_province":         {"全省", "Whole province"},
	"cohorts.all_categories":       {"全部类别", "All categories"},
	"cohorts.curves":               {"成长曲线", "Outcome curves"},
	"cohorts.none":                 {"请选择至少一个年度。", "Choose at least one edition."},
	"cohort.too_many":              {"最多同时比较 8 个年度。", "Compare at most 8 editions at once."},
	"cohort.size":                  {"队列人数", "Cohort size"},
	"cohort.window":                {"年度后第几年", "Year after edition"},
	"cohort.window_k":              {"第%d年", "Year %d"},
	"cohort.share_provincial":      {"累计获省级及以上奖项比例", "Share with a provincial-or-higher award (cumulative)"},
	"cohort.share_yingcai":         {"累计进入英才计划比例", "Share in the Yingcai programme (cumulative)"},
	"cohort.share_contacted":       {"当年联系上的比例", "Share contacted in the year"},
	"cohort.partial_note":          {"* 表示截至当天尚未结束的时段。", "* marks a period that has not ended yet."},
	"cohort.contacted":             {"联系上", "Reached"},
	"cohort.awarded":               {"获奖人数", "Awarded"},
	"cohort.awarded_provincial":    {"获省级及以上", "Provincial+ award"},
	"cohort.cumulative_provincial": {"累计省级及以上", "Provincial+ (cumulative)"},
	"cohort.yingcai":               {"累计英才计划", "Yingcai (cumulative)"},
	"cohort.destinations":          {"去向记录", "Destinations"},

	"field.region":      {"市（州）", "City / prefecture"},
	"field.school_code": {"学校代码", "School code"},
	"field.category":    {"项目类别", "Category"},
	"field.as_of":       {"统计截至日期", "As of"},

	"reports.title":        {"年度报表", "Annual report"},
	"reports.heading":      {"年度统计报表", "Annual statistics report"},
	"reports.participants": {"参与人员", "Participants"},
	"reports.tracking":     {"获奖、去向与工作动向（当年记录）", "Awards, destinations and career moves (records of the year)"},
	"reports.frozen":       {"已发布的报表", "Published reports"},
	"reports.frozen_hint":  {"发布时冻结的报表；“差异”对比冻结内容与按今天数据重算的结果。", "Reports frozen when published; “changes” compares one with the same report computed from today's data."},
	"reports.no_frozen":    {"暂无已发布的报表。", "No report has been published yet."},
	"reports.diff":         {"差异", "Changes"},
	"reports.empty":        {"无", "None"},
	"annual.by_status":     {"按状态", "By status"},
	"annual.by_region":     {"按市（州）（录取与结业）", "By city (admitted and completed)"},
	"annual.by_category":   {"按项目类别（录取与结业）", "By category (admitted and completed)"},
	"annual.by_grade_band": {"按学段（录取与结业）", "By stage (admitted and completed)"},
	"annual.by_gender":     {"按性别（录取与结业）", "By gender (admitted and completed)"},
	"annual.awards":        {"获奖记录（按级别）", "Awards by level"},
	"annual.destinations":  {"去向记录（按类型）", "Destinations by type"},
	"annual.career_moves":  {"工作动向（按原因）", "Career moves by reason"},

	"school.title":        {"学校工作台", "School workspace"},
	"school.heading":      {"学校工作台", "School workspace"},
	"school.not_found":    {"没有这个学校代码。", "No school has this code."},
	"school.all_persons":  {"本校全部人员", "All people of the school"},
	"school.due":          {"待跟踪联系", "Follow-ups due"},
	"school.due_hint":     {"往届结业人员每年应至少联系一次（已联系上或明确拒绝即算完成）。记录联系后，此人会从列表中移除。", "Each alumnus is owed one contact a year (reached or declined counts). Once you record it, the person leaves this list."},
	"school.due_now":      {"本期待联系", "Due"},
	"school.overdue":      {"已逾期", "Overdue"},
	"school.last_contact": {"上次联系", "Last contact"},
	"school.never":        {"从未", "never"},
	"school.record":       {"记录联系 / 获奖 / 去向", "Record a contact, award or destination"},
	"school.none_due":     {"目前没有待联系的人员。", "Nobody is due for a follow-up."},
	"school.nominees":     {"本年度推荐人员", "This edition's nominees"},
	"school.no_nominees":  {"本年度尚无推荐人员。", "No nominees in this edition yet."},

	"quick.follow_up":        {"记录联系", "Record a contact"},
	"quick.award":            {"记录获奖", "Record an award"},
	"quick.destination":      {"记录去向", "Record a destination"},
	"quick.save_follow_up":   {"保存联系", "Save contact"},
	"quick.save_award":       {"保存获奖", "Save award"},
	"quick.save_destination": {"保存去向", "Save destination"},
	"field.contacted_on":     {"联系日期", "Date of contact"},
	"field.channel":          {"联系方式", "Channel"},
	"field.outcome":          {"结果", "Outcome"},
	"field.notes":            {"备注", "Notes"},
	"field.competition":      {"赛事名称", "Competition"},
	"field.level":            {"级别", "Level"},
	"field.rank":             {"等次", "Rank"},
	"field.awarded_on":       {"获奖日期", "Date awarded"},
	"field.organizer":        {"主办单位", "Organiser"},
	"field.dest_type":        {"去向类型", "Destination"},
	"field.org_name":         {"去向单位", "School / organisation"},
	"field.major":            {"专业", "Major"},
	"field.started_on":       {"开始日期", "Start date"},

	"person.title":             {"人员", "Person"},
	"person.details":           {"基本信息", "Details"},
	"person.masked_hint":       {"身份证号与电话仅显示脱敏形式。", "Identity and phone numbers are shown masked only."},
	"person.participations":    {"参与记录", "Participations"},
	"person.timeline":          {"成长档案（最新在前）", "History (newest first)"},
	"person.no_events":         {"暂无记录。", "Nothing recorded yet."},
	"person.deleted":           {"已删除", "deleted"},
	"person.by":                {"记录人", "by"},
	"person.record":            {"记录新情况", "Record something new"},
	"person.edit":              {"修改基本信息", "Edit details"},
	"person.phone_hint":        {"留空则不修改。当前：", "Leave blank to keep it. Current:"},
	"person.clear_phone":       {"删除此电话", "Remove this phone number"},
	"person.no_consent":        {"监护人同意待确认或已撤回：在同意前不能记录新的获奖、去向或联系。", "The guardian's consent is pending or withdrawn: no new award, destination or contact can be recorded until it is granted."},
	"person.current_version":   {"当前版本：", "Current version:"},
	"field.phone":              {"手机号", "Mobile phone"},
	"field.guardian_name":      {"监护人姓名", "Guardian's name"},
	"field.guardian_phone":     {"监护人电话", "Guardian's phone"},
	"field.new_phone":          {"新手机号", "New mobile phone"},
	"field.new_guardian_phone": {"新监护人电话", "New guardian's phone"},

	"persons.title":                {"人员", "People"},
	"persons.heading":              {"人员查询", "Find people"},
	"school.due_total":             {"共 %d 人待联系，其中逾期 %d 人。", "%d people due, %d of them overdue."},
	"school.window_from":           {"窗口开始", "Window from"},
	"school.window_to":             {"窗口结束", "Window to"},
	"persons.name_contains":        {"姓名（包含）", "Name (contains)"},
	"persons.any":                  {"全部", "Any"},
	"persons.program":              {"项目", "Programme"},
	"persons.award_level":          {"获奖级别", "Award level"},
	"persons.best_level":           {"最高获奖级别", "Best award"},
	"persons.sort":                 {"排序", "Sort by"},
	"persons.sort_name":            {"姓名", "Name"},
	"persons.sort_newest":          {"最近录入", "Newest first"},
	"persons.sort_birth_date":      {"出生日期（早→晚）", "Birth date (oldest first)"},
	"persons.sort_birth_date_desc": {"出生日期（晚→早）", "Birth date (youngest first)"},
	"persons.sort_school":          {"学校", "School"},
	"persons.clear":                {"清除筛选", "Clear filters"},
	"persons.total":                {"共 %d 人。", "%d people."},
	"persons.showing":              {"显示第 %d–%d 人。", "Showing %d–%d."},
	"persons.export":               {"导出 Excel", "Export to Excel"},
	"persons.sheet":                {"人员名单", "People"},
	"persons.pages":                {"翻页", "Pages"},
	"action.prev_page":             {"上一页", "Previous page"},
	"persons.none":                 {"没有符合条件的人员。", "Nobody matches."},

	"imports.title": {"批量导入", "Import"},
	// lists
	"imports.history":       {"导入记录（最近 20 次）", "Past imports (latest 20)"},
	"imports.at":            {"时间", "When"},
	"imports.file_name":     {"文件名", "File"},
	"imports.by":            {"上传人", "By"},
	"imports.result":        {"结果", "Result"},
	"imports.state_applied": {"已导入", "imported"},
	"imports.state_dry":     {"校验通过（未写入）", "checked (nothing written)"},
	"imports.state_failed":  {"有误，未写入", "rejected"},
	"imports.no_history":    {"暂无导入记录。", "No imports yet."},
	"imports.heading":       {"批量导入", "Bulk import"},
	"imports.hint":          {"上传 CSV 或 XLSX 文件（第一行为表头，可用中文列名）。文件整体导入：只要有一行有误就不写入任何数据，并逐行列出错误。", "Upload a CSV or XLSX file (row 1 is the header; Chinese column names work). A file is applied all or nothing: if any row is invalid nothing is written, and every problem is listed by row."},
	"imports.kind":          {"数据类型", "Kind of data"},
	"imports.choose":        {"请选择", "Choose"},
	"imports.file":          {"文件", "File"},
	"imports.file_hint":     {"CSV（UTF-8 或 GB18030）或 XLSX（读取第一个工作表），最大 50 MB。", "CSV (UTF-8 or GB18030) or XLSX (first sheet), up to 50 MB."},
	"imports.dry_run":       {"仅校验，不写入", "Check only, write nothing"},
	"imports.upload":        {"上传并导入", "Upload and import"},
	"imports.applied":       {"已导入", "Imported"},
	"imports.dry_ok":        {"校验通过（未写入）", "The file is valid (nothing written)"},
	"imports.rejected":      {"文件有误，未写入任何数据", "The file has problems; nothing was written"},
	"imports.rows":          {"数据行", "Rows"},
	"imports.inserted":      {"新增", "Inserted"},
	"imports.updated":       {"更新", "Updated"},
	"imports.unchanged":     {"未变", "Unchanged"},
	"imports.errors":        {"错误", "Errors"},
	"imports.error_table":   {"错误明细（行号为文件中的行，表头为第 1 行）", "Problems (row = line in the file, the header being 1)"},
	"imports.row":           {"行", "Row"},
	"imports.column":        {"列", "Column"},
	"imports.problem":       {"问题", "Problem"},
	"imports.templates":     {"下载模板", "Templates"},
	"imports.kind_required": {"请选择数据类型。", "Choose the kind of data."},
	"imports.file_required": {"请选择要上传的文件。", "Choose a file to upload."},
	"imports.forbidden":     {"文件中有不属于本校的人员记录，未写入任何数据。", "The file has records of people outside your school; nothing was written."},
	"kind.organizations":    {"单位", "Organisations"},
	"kind.persons":          {"人员", "People"},
	"kind.participations":   {"参与（推荐）", "Participations"},
	"kind.awards":           {"获奖情况", "Awards"},
	"kind.destinations":     {"毕业去向", "Destinations"},
	"kind.career-moves":     {"工作动向", "Career moves"},
	"kind.follow-ups":       {"跟踪联系", "Follow-ups"},

	"users.title":            {"账号管理", "Accounts"},
	"users.heading":          {"账号管理", "Accounts"},
	"users.list":             {"全部账号", "All accounts"},
	"users.new":              {"新建账号", "New account"},
	"users.create":           {"创建账号", "Create account"},
	"users.created":          {"已创建账号", "Created the account"},
	"users.generated":        {"初始密码：", "Initial password:"},
	"users.generated_hint":   {"密码只显示这一次，请通过安全渠道交给本人。", "The password is shown this once; hand it over by a safe channel."},
	"users.scope":            {"范围", "Scope"},
	"users.mentor":           {"导师", "mentor"},
	"users.active":           {"正常", "active"},
	"users.disabled":         {"已停用", "disabled"},
	"users.locked":           {"暂时锁定", "locked"},
	"users.disable":          {"停用", "Disable"},
	"users.enable":           {"启用", "Enable"},
	"users.confirm_disable":  {"停用后该账号的所有会话和令牌立即失效。确定停用？", "Disabling ends all of the account's sessions and tokens at once. Disable it?"},
	"users.not_self":         {"不能停用自己的账号。", "You cannot disable your own account."},
	"users.taken":            {"用户名已被使用。", "This username is taken."},
	"users.password_hint":    {"留空则自动生成一个强密码。至少 8 位，不能是常见密码或用户名。", "Leave blank to generate a strong one. At least 8 characters, not a common password or the username."},
	"users.hint_school_code": {"学校操作员必填：学校代码。", "School operators: the school's code."},
	"users.hint_city_code":   {"市（州）协调员必填：6 位行政区划代码，如 510100。", "City coordinators: the six-digit city code, e.g. 510100."},
	"users.hint_mentor_id":   {"导师必填：导师编号。", "Mentors: the mentor's id."},
	"users.roles":            {"角色说明", "Roles"},
	"users.sees":             {"可见范围", "Sees"},
	"field.username":         {"用户名", "Username"},
	"field.password":         {"密码", "Password"},
	"field.display_name":     {"显示名称", "Display name"},
	"field.role":             {"角色", "Role"},
	"field.city_code":        {"市（州）代码", "City code"},
	"field.mentor_id":        {"导师编号", "Mentor id"},

	"tokens.title":          {"API 令牌", "API tokens"},
	"tokens.heading":        {"我的 API 令牌", "My API tokens"},
	"tokens.hint":           {"令牌供脚本访问 /api/v1 使用（Authorization: Bearer …），权限与您的账号相同。", "Tokens let scripts use /api/v1 (Authorization: Bearer …) with your account's rights."},
	"tokens.name":           {"令牌名称", "Token name"},
	"tokens.days":           {"有效天数", "Valid for (days)"},
	"tokens.create":         {"创建令牌", "Create token"},
	"tokens.created":        {"已创建令牌", "Created the token"},
	"tokens.once":           {"令牌只显示这一次，请立即妥善保存。", "The token is shown this once; store it safely now."},
	"tokens.created_at":     {"创建时间", "Created"},
	"tokens.expires_at":     {"到期时间", "Expires"},
	"tokens.last_used":      {"最近使用", "Last used"},
	"tokens.revoked":        {"已撤销", "revoked"},
	"tokens.expired":        {"已过期", "expired"},
	"tokens.revoke":         {"撤销", "Revoke"},
	"tokens.confirm_revoke": {"撤销后使用此令牌的脚本将无法访问。确定撤销？", "Scripts using this token will stop working. Revoke it?"},
	"tokens.none":           {"暂无令牌。", "No tokens yet."},

	"audit.title":   {"审计日志", "Audit log"},
	"audit.heading": {"审计日志", "Audit log"},
	"audit.actor":   {"操作人", "Actor"},
	"audit.action":  {"动作", "Action"},
	"audit.any":     {"全部", "Any"},
	"audit.entity":  {"对象类型", "Entity"},
	"audit.person":  {"人员编号", "Person id"},
	"audit.from":    {"起始日期", "From"},
	"audit.to":      {"截止日期", "To"},
	"audit.at":      {"时间", "Time"},
	"audit.fields":  {"字段", "Fields"},
	"audit.request": {"请求 / IP", "Request / IP"},
	"audit.none":    {"没有符合条件的记录。", "No matching entries."},

	"step.registered":  {"报名", "Registered"},
	"step.reviewed":    {"综合考察", "Reviewed"},
	"step.publicized":  {"校内公示", "Publicized"},
	"step.recommended": {"推荐", "Recommended"},
	"step.admitted":    {"录取", "Admitted"},
	"step.completed":   {"结业", "Completed"},
	"step.withdrawn":   {"退出", "Withdrew"},
	"step.rejected":    {"未通过", "Rejected"},
	"step.evaluated":   {"总结评估", "Evaluated"},

	"tl.school_year":     {"就读学校", "School year"},
	"tl.award":           {"获奖", "Award"},
	"tl.destination":     {"毕业去向", "Destination"},
	"tl.career_move":     {"工作动向", "Career move"},
	"tl.follow_up":       {"跟踪联系", "Follow-up"},
	"tl.edit.update":     {"修改", "Changed"},
	"tl.edit.delete":     {"删除", "Deleted"},
	"tl.edit.restore":    {"恢复", "Restored"},
	"tl.edit.merge":      {"合并", "Merged"},
	"tl.edit.unmerge":    {"撤销合并", "Unmerged"},
	"tl.edit.transition": {"状态变更", "Status change"},

	"role_sees.office_admin":     {"全部数据，管理账号", "everything; manages accounts"},
	"role_sees.office_analyst":   {"全省数据，只读", "the whole province, read only"},
	"role_sees.city_coordinator": {"本市（州）学校的数据，只读", "the schools of one city, read only"},
	"role_sees.school_operator":  {"本校的推荐、人员与跟踪记录", "one school's nominees, people and tracking records"},
	"role_sees.mentor":           {"分配给自己的学员", "the participants assigned to them"},
	"role_sees.auditor":          {"仅审计日志", "the audit log only"},

	"entity.person":        {"人员", "person"},
	"entity.participation": {"参与", "participation"},
	"entity.award":         {"获奖", "award"},
	"entity.destination":   {"去向", "destination"},
	"entity.career_move":   {"工作动向", "career move"},
	"entity.follow_up":     {"跟踪联系", "follow-up"},
	"entity.consent":       {"监护人同意", "consent"},
	// names instead of codes: the other audited entities and the fields a read names
	"entity.user":                     {"账号", "account"},
	"entity.session":                  {"登录会话", "session"},
	"entity.api_token":                {"API 令牌", "API token"},
	"entity.audit_log":                {"审计日志", "audit log"},
	"entity.timeline":                 {"成长档案", "history"},
	"entity.follow_up_schedule":       {"待联系名单", "follow-up schedule"},
	"entity.typical_case":             {"典型案例", "typical case"},
	"entity.organization":             {"单位", "organisation"},
	"entity.identity_candidate":       {"疑似重复人员", "possible duplicate"},
	"entity.frozen_report":            {"已发布报表", "published report"},
	"entity.edition":                  {"年度", "edition"},
	"entity.assessment":               {"考察评价", "assessment"},
	"entity.application":              {"申报", "application"},
	"entity.import":                   {"导入", "import"},
	"fieldname.id_number_masked":      {"身份证号（脱敏）", "identity number (masked)"},
	"fieldname.phone_masked":          {"手机号（脱敏）", "phone (masked)"},
	"fieldname.guardian_phone_masked": {"监护人电话（脱敏）", "guardian's phone (masked)"},
	"fieldname.consent_state":         {"监护人同意状态", "consent state"},
	"fieldname.id_number":             {"身份证号", "identity number"},
	"fieldname.relationship":          {"与本人关系", "relationship"},
	"fieldname.method":                {"同意方式", "method"},
	"fieldname.scope":                 {"同意范围", "scope"},
	"fieldname.disabled_at":           {"停用时间", "disabled at"},
	"fieldname.display_name":          {"显示名称", "display name"},
	"fieldname.password":              {"密码", "password"},
	"fieldname.school_id":             {"学校", "school"},
	"fieldname.school_code":           {"学校", "school"},
	"fieldname.org_code":              {"单位代码", "organisation code"},
	"fieldname.evidence":              {"证明材料", "evidence"},
	"fieldname.category":              {"项目类别", "category"},
	"fieldname.verification":          {"核实状态", "verification"},
	"fieldname.deleted_at":            {"删除时间", "deleted at"},
	"fieldname.verified_by":           {"核实人", "verified by"},
	"fieldname.verified_at":           {"核实时间", "verified at"},
	"fieldname.verification_note":     {"核实说明", "verification note"},
	"fieldname.reported_by":           {"记录人", "reported by"},
	"fieldname.made_by":               {"联系人", "contacted by"},
	"fieldname.type":                  {"去向类型", "destination"},
	"fieldname.org_id":                {"单位", "organisation"},
	"fieldname.ended_explicit":        {"明确结束", "explicit end"},
	"fieldname.status":                {"状态", "status"},
	"fieldname.evaluation":            {"评价", "evaluation"},
	"fieldname.mentor_id":             {"导师", "mentor"},
}
