package vocab

// The enumerations of talentdb, each once. Keys and Chinese labels of those the contract
// lists are the contract's (CONTRACT.md, import kinds); the keys of every list stored in a
// column are exactly that column's CHECK (enums_db_test.go).

// Programs are the two programmes (programs.code).
var Programs = Enum{Name: "program", Terms: []Term{
	{Key: "jingke", Zh: "菁科计划", En: "Jingke (students)"},
	{Key: "jindaoshi", Zh: "金导师计划", En: "Golden Mentor (teachers)"},
}}

// EditionStatuses are the states of an edition (editions.status).
var EditionStatuses = Enum{Name: "edition status", Terms: []Term{
	{Key: "planned", Zh: "筹备中", En: "planned"},
	{Key: "open", Zh: "进行中", En: "open"},
	{Key: "closed", Zh: "已结束", En: "closed"},
}}

// OrgKinds are the kinds of organization (organizations.kind).
var OrgKinds = Enum{Name: "organization kind", Terms: []Term{
	{Key: "school", Zh: "学校", En: "school"},
	{Key: "institution", Zh: "培养单位", En: "training institution"},
	{Key: "office", Zh: "管理办公室", En: "programme office"},
}}

// OrgTypes are the types of organization (organizations.type), also an application's unit type.
var OrgTypes = Enum{Name: "organization type", Terms: []Term{
	{Key: "kindergarten", Zh: "幼儿园", En: "kindergarten"},
	{Key: "primary", Zh: "小学", En: "primary school"},
	{Key: "junior_high", Zh: "初中", En: "junior high school"},
	{Key: "nine_year", Zh: "九年一贯制", En: "nine-year school"},
	{Key: "senior_high", Zh: "高中", En: "senior high school"},
	{Key: "complete_secondary", Zh: "完全中学", En: "complete secondary school"},
	{Key: "vocational_high", Zh: "职业高中", En: "vocational high school"},
	{Key: "university", Zh: "高校", En: "university"},
	{Key: "enterprise", Zh: "高新企业", En: "high-tech enterprise"},
	{Key: "research_institute", Zh: "科研院所", En: "research institute"},
	{Key: "out_of_school", Zh: "校外科技教育机构", En: "out-of-school S&T education centre"},
}}

// Genders are a person's gender (persons.gender).
var Genders = Enum{Name: "gender", Terms: []Term{
	{Key: "male", Zh: "男", En: "male"},
	{Key: "female", Zh: "女", En: "female"},
}}

// ConsentStates are where a person stands with a guardian's consent (persons.consent_state).
var ConsentStates = Enum{Name: "consent state", Terms: []Term{
	{Key: "not_required", Zh: "无需", En: "not required"},
	{Key: "pending", Zh: "待确认", En: "pending"},
	{Key: "granted", Zh: "已同意", En: "granted"},
	{Key: "withdrawn", Zh: "已撤回", En: "withdrawn"},
}}

// ConsentRelationships are who gave a consent (consents.relationship).
var ConsentRelationships = Enum{Name: "guardian relationship", Terms: []Term{
	{Key: "father", Zh: "父亲", En: "father"},
	{Key: "mother", Zh: "母亲", En: "mother"},
	{Key: "grandparent", Zh: "祖父母/外祖父母", En: "grandparent"},
	{Key: "legal_guardian", Zh: "法定监护人", En: "legal guardian"},
	{Key: "other", Zh: "其他", En: "other"},
}}

// ConsentMethods are how a consent was given (consents.method).
var ConsentMethods = Enum{Name: "consent method", Terms: []Term{
	{Key: "paper", Zh: "书面", En: "on paper"},
	{Key: "electronic", Zh: "电子", En: "electronic"},
	{Key: "in_person", Zh: "当面", En: "in person"},
}}

// Grades are a participation's grade (participations.grade): jingke students only.
var Grades = Enum{Name: "grade", Terms: []Term{
	{Key: "K", Zh: "幼儿园大班", En: "pre-school", Also: []string{"学前", "大班", "幼儿园大班/学前"}},
	{Key: "4", Zh: "四年级", En: "grade 4", Also: []string{"4年级"}},
	{Key: "5", Zh: "五年级", En: "grade 5", Also: []string{"5年级"}},
	{Key: "6", Zh: "六年级", En: "grade 6", Also: []string{"6年级"}},
	{Key: "7", Zh: "七年级", En: "grade 7", Also: []string{"7年级", "初一"}},
	{Key: "8", Zh: "八年级", En: "grade 8", Also: []string{"8年级", "初二"}},
	{Key: "9", Zh: "九年级", En: "grade 9", Also: []string{"9年级", "初三"}},
	{Key: "V1", Zh: "职高一年级", En: "vocational year 1", Also: []string{"职高1年级"}},
	{Key: "V2", Zh: "职高二年级", En: "vocational year 2", Also: []string{"职高2年级"}},
	{Key: "V3", Zh: "职高三年级", En: "vocational year 3", Also: []string{"职高3年级"}},
}}

// TeacherRoles are a jindaoshi participant's role (participations.teacher_role).
var TeacherRoles = Enum{Name: "teacher role", Terms: []Term{
	{Key: "new", Zh: "新教师", En: "new teacher"},
	{Key: "young", Zh: "青年教师", En: "young teacher"},
	{Key: "counsellor", Zh: "科技辅导员", En: "science counsellor"},
	{Key: "admin", Zh: "学校管理干部", En: "school administrator"},
}}

// Statuses are the participation statuses (participations.status), in the cycle's order.
var Statuses = Enum{Name: "participation status", Terms: []Term{
	{Key: "registered", Zh: "已报名", En: "registered"},
	{Key: "reviewed", Zh: "已考察", En: "reviewed"},
	{Key: "publicized", Zh: "已公示", En: "publicized"},
	{Key: "recommended", Zh: "已推荐", En: "recommended"},
	{Key: "admitted", Zh: "已录取", En: "admitted"},
	{Key: "completed", Zh: "已结业", En: "completed"},
	{Key: "withdrawn", Zh: "已退出", En: "withdrawn"},
	{Key: "rejected", Zh: "未通过", En: "rejected"},
}}

// Evaluations are the grades of an assessment (participations.evaluation,
// participation_assessments.evaluation).
var Evaluations = Enum{Name: "evaluation", Terms: []Term{
	{Key: "excellent", Zh: "优秀", En: "excellent"},
	{Key: "pass", Zh: "合格", En: "pass"},
	{Key: "fail", Zh: "不合格", En: "fail"},
}}

// GradeBands are the annual report's stages (by_grade_band); computed, not stored.
var GradeBands = Enum{Name: "grade band", Terms: []Term{
	{Key: "preschool", Zh: "学前", En: "pre-school"},
	{Key: "primary", Zh: "小学", En: "primary"},
	{Key: "junior", Zh: "初中", En: "junior high"},
	{Key: "vocational", Zh: "职高", En: "vocational"},
	{Key: "teacher", Zh: "教师", En: "teachers"},
}}

// Levels are the award levels (awards.level), highest first.
var Levels = Enum{Name: "award level", Terms: []Term{
	{Key: "international", Zh: "国际级", En: "international"},
	{Key: "national", Zh: "国家级", En: "national"},
	{Key: "provincial", Zh: "省级", En: "provincial"},
	{Key: "municipal", Zh: "市级", En: "municipal"},
	{Key: "county", Zh: "区县级", En: "county", Also: []string{"县级", "区级"}},
	{Key: "school", Zh: "校级", En: "school"},
}}

// Verifications are the states of an award's verification (awards.verification).
var Verifications = Enum{Name: "verification", Terms: []Term{
	{Key: "reported", Zh: "待核实", En: "reported"},
	{Key: "verified", Zh: "已核实", En: "verified"},
	{Key: "rejected", Zh: "已驳回", En: "rejected"},
}}

// DestinationTypes are the types of a destination (destinations.type).
var DestinationTypes = Enum{Name: "destination type", Terms: []Term{
	{Key: "junior_high", Zh: "初中", En: "junior high"},
	{Key: "senior_high", Zh: "普通高中", En: "senior high"},
	{Key: "vocational", Zh: "职业学校", En: "vocational school"},
	{Key: "university", Zh: "高校", En: "university"},
	{Key: "yingcai", Zh: "英才计划", En: "Yingcai programme"},
	{Key: "talent_program", Zh: "其他拔尖/少年班/强基计划", En: "other talent programme", Also: []string{"少年班", "强基计划"}},
	{Key: "employment", Zh: "就业", En: "employment"},
	{Key: "other", Zh: "其他", En: "other"},
}}

// Positions are the positions of a career move (career_moves.position).
var Positions = Enum{Name: "position", Terms: []Term{
	{Key: "teacher", Zh: "教师", En: "teacher"},
	{Key: "counsellor", Zh: "科技辅导员", En: "science counsellor"},
	{Key: "admin", Zh: "管理干部", En: "administrator"},
	{Key: "researcher", Zh: "教研员", En: "researcher"},
	{Key: "left_education", Zh: "离开教育系统", En: "left education"},
}}

// Titles are a teacher's professional titles (career_moves.title).
var Titles = Enum{Name: "title", Terms: []Term{
	{Key: "none", Zh: "未定级", En: "no title"},
	{Key: "level2", Zh: "二级教师", En: "level-2 teacher"},
	{Key: "level1", Zh: "一级教师", En: "level-1 teacher"},
	{Key: "senior", Zh: "高级教师", En: "senior teacher"},
	{Key: "professor", Zh: "正高级教师", En: "professor-level teacher"},
}}

// Reasons are the reasons of a career move (career_moves.reason).
var Reasons = Enum{Name: "move reason", Terms: []Term{
	{Key: "transfer", Zh: "调动", En: "transfer"},
	{Key: "promotion", Zh: "晋升", En: "promotion"},
	{Key: "new_role", Zh: "转岗", En: "new role"},
	{Key: "left", Zh: "离职", En: "left"},
	{Key: "retired", Zh: "退休", En: "retired"},
}}

// Channels are how a follow-up was made (follow_ups.channel); survey is an alumnus's own
// answer to a self-report link.
var Channels = Enum{Name: "follow-up channel", Terms: []Term{
	{Key: "phone", Zh: "电话", En: "phone"},
	{Key: "wechat", Zh: "微信", En: "WeChat"},
	{Key: "email", Zh: "邮件", En: "e-mail"},
	{Key: "visit", Zh: "走访", En: "visit"},
	{Key: "sms", Zh: "短信", En: "text message"},
	{Key: "survey", Zh: "问卷", En: "survey"},
	{Key: "other", Zh: "其他", En: "other"},
}}

// WebhookKinds are the group robots a school's reminders post to
// (reminder_settings.webhook_kind).
var WebhookKinds = Enum{Name: "reminder robot", Terms: []Term{
	{Key: "wecom", Zh: "企业微信", En: "WeCom"},
	{Key: "dingtalk", Zh: "钉钉", En: "DingTalk"},
}}

// ReminderChannels are how a reminder went out (reminder_sends.channel).
var ReminderChannels = Enum{Name: "reminder channel", Terms: []Term{
	{Key: "wecom", Zh: "企业微信", En: "WeCom"},
	{Key: "dingtalk", Zh: "钉钉", En: "DingTalk"},
	{Key: "email", Zh: "邮件", En: "e-mail"},
}}

// ReminderSendStatuses are where a reminder's send stands (reminder_sends.status).
var ReminderSendStatuses = Enum{Name: "reminder send status", Terms: []Term{
	{Key: "sending", Zh: "发送中", En: "sending"},
	{Key: "sent", Zh: "已发送", En: "sent"},
	{Key: "failed", Zh: "失败", En: "failed"},
}}

// SelfReportStatuses are where an answer to a self-report link stands (self_reports.status).
var SelfReportStatuses = Enum{Name: "self-report status", Terms: []Term{
	{Key: "pending", Zh: "待审核", En: "pending"},
	{Key: "accepted", Zh: "已采纳", En: "accepted"},
	{Key: "rejected", Zh: "未采纳", En: "rejected"},
}}

// Respondents are who answered a self-report link (self_reports.respondent): the alumnus,
// or for a person under 14 the guardian.
var Respondents = Enum{Name: "respondent", Terms: []Term{
	{Key: "self", Zh: "本人", En: "the alumnus"},
	{Key: "guardian", Zh: "监护人", En: "the guardian"},
}}

// Outcomes are the outcomes of a follow-up (follow_ups.outcome).
var Outcomes = Enum{Name: "follow-up outcome", Terms: []Term{
	{Key: "reached", Zh: "已联系上", En: "reached"},
	{Key: "unreachable", Zh: "未联系上", En: "unreachable"},
	{Key: "declined", Zh: "拒绝", En: "declined"},
	{Key: "opted_out", Zh: "不再联系", En: "opted out"},
}}

// Roles are the account roles (users.role).
var Roles = Enum{Name: "account role", Terms: []Term{
	{Key: "office_admin", Zh: "办公室管理员", En: "office administrator"},
	{Key: "office_analyst", Zh: "办公室分析员", En: "office analyst"},
	{Key: "city_coordinator", Zh: "市（州）协调员", En: "city coordinator"},
	{Key: "school_operator", Zh: "学校操作员", En: "school operator"},
	{Key: "mentor", Zh: "导师", En: "mentor"},
	{Key: "auditor", Zh: "审计员", En: "auditor"},
}}

// AuditActions are the actions of the audit log (audit_log.action).
var AuditActions = Enum{Name: "audit action", Terms: []Term{
	{Key: "create", Zh: "新增", En: "create"},
	{Key: "update", Zh: "修改", En: "update"},
	{Key: "delete", Zh: "删除", En: "delete"},
	{Key: "restore", Zh: "恢复", En: "restore"},
	{Key: "merge", Zh: "合并", En: "merge"},
	{Key: "unmerge", Zh: "撤销合并", En: "unmerge"},
	{Key: "import", Zh: "导入", En: "import"},
	{Key: "read", Zh: "查看", En: "read"},
	{Key: "export", Zh: "导出", En: "export"},
	{Key: "reveal", Zh: "查看明文", En: "reveal"},
	{Key: "login", Zh: "登录", En: "sign-in"},
	{Key: "logout", Zh: "退出", En: "sign-out"},
	{Key: "transition", Zh: "状态变更", En: "status change"},
}}

// ApplicationStatuses are the states of a school's application (applications.status).
var ApplicationStatuses = Enum{Name: "application status", Terms: []Term{
	{Key: "draft", Zh: "草稿", En: "draft"},
	{Key: "submitted", Zh: "已提交", En: "submitted"},
	{Key: "returned", Zh: "退回修改", En: "returned for changes"},
	{Key: "approved", Zh: "已通过", En: "approved"},
	{Key: "rejected", Zh: "未通过", En: "rejected"},
}}

// Phases are the rows of an application's schedule, in order (application_phases.phase).
var Phases = Enum{Name: "phase", Terms: []Term{
	{Key: "selection", Zh: "选拔", En: "selection"},
	{Key: "daily_management", Zh: "日常管理", En: "daily management"},
	{Key: "summary_evaluation", Zh: "总结评估", En: "summary and evaluation"},
}}

// ReviewDecisions are the office's decisions on a submitted application.
var ReviewDecisions = Enum{Name: "review decision", Terms: []Term{
	{Key: "approve", Zh: "通过", En: "approve"},
	{Key: "reject", Zh: "不通过", En: "reject"},
	{Key: "return", Zh: "退回修改", En: "return for changes"},
}}

// ObjectionOutcomes resolve an objection to a public notice (objections.outcome).
var ObjectionOutcomes = Enum{Name: "objection outcome", Terms: []Term{
	{Key: "dismissed", Zh: "不成立", En: "dismissed"},
	{Key: "upheld", Zh: "成立", En: "upheld"},
}}

// TrainingKinds are the kinds of a school's training session (training_sessions.kind).
var TrainingKinds = Enum{Name: "training kind", Terms: []Term{
	{Key: "safety", Zh: "安全培训", En: "safety"},
	{Key: "lab_skills", Zh: "实验技能", En: "lab skills"},
	{Key: "communication", Zh: "沟通交流", En: "communication"},
	{Key: "other", Zh: "其他", En: "other"},
}}

// AssessorRoles are who assesses a participant (participation_assessments.by_role).
var AssessorRoles = Enum{Name: "assessor role", Terms: []Term{
	{Key: "mentor", Zh: "导师", En: "mentor"},
	{Key: "school", Zh: "学校", En: "school"},
}}

// ReportKinds are the kinds of a published (frozen) report (frozen_reports.kind).
var ReportKinds = Enum{Name: "report kind", Terms: []Term{
	{Key: "annual", Zh: "年度报表", En: "Annual report"},
	{Key: "cohort", Zh: "队列报告", En: "Cohort report"},
}}

// Categories are the project categories of the 2023 notice, in its order: the reference
// data of the categories table (code, name_zh), which imports and the API check against.
var Categories = Enum{Name: "category", Terms: []Term{
	{Key: "math", Zh: "数学", En: "mathematics"},
	{Key: "physics", Zh: "物理", En: "physics"},
	{Key: "chemistry", Zh: "化学", En: "chemistry"},
	{Key: "biology", Zh: "生物", En: "biology"},
	{Key: "computer", Zh: "计算机", En: "computing"},
	{Key: "ai", Zh: "人工智能", En: "artificial intelligence"},
	{Key: "robotics", Zh: "机器人", En: "robotics"},
	{Key: "programming", Zh: "编程", En: "programming"},
	{Key: "drones", Zh: "无人机", En: "drones"},
	{Key: "aircraft_design", Zh: "飞机设计", En: "aircraft design"},
	{Key: "creative_design", Zh: "创意设计", En: "creative design"},
	{Key: "invention", Zh: "发明创造", En: "invention"},
	{Key: "parent_child_building", Zh: "亲子创意搭建", En: "parent-child building"},
	{Key: "creative_challenge", Zh: "创意闯关", En: "creative challenge"},
	{Key: "maker", Zh: "创客", En: "maker"},
	{Key: "science_micro_film", Zh: "科学影像（科学微电影）", En: "science film (micro film)"},
	{Key: "science_documentary", Zh: "科学影像（科学探究纪录片）", En: "science film (documentary)"},
	{Key: "science_animation", Zh: "科学影像（科普动画）", En: "science film (animation)"},
	{Key: "practice", Zh: "实践活动", En: "practical activities"},
	{Key: "nature_notes", Zh: "自然笔记", En: "nature notes"},
	{Key: "science_survey_student", Zh: "科学调查体验（学生作品）", En: "science survey (students)"},
	{Key: "scifi_painting", Zh: "科幻画", En: "science-fiction painting"},
	{Key: "science_paper", Zh: "科学论文", En: "science paper"},
	{Key: "science_survey_teacher", Zh: "科学调查体验（教师作品）", En: "science survey (teachers)"},
	{Key: "research", Zh: "科研", En: "research"},
	{Key: "research_project", Zh: "课题", En: "research project"},
	{Key: "paper", Zh: "论文", En: "paper"},
	{Key: "innovation_literacy", Zh: "创新素养", En: "innovation literacy"},
	{Key: "guidance_capacity", Zh: "指导能力建设", En: "guidance capacity"},
}}
