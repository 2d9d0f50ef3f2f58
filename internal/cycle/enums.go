package cycle

import "slices"

// The enumerations of the cycle, by key (the database CHECKs hold the same keys).
var (
	// EligibleGrades are the jingke grades that may register: kindergarten top class, primary
	// 4-6, junior high 7-8 and vocational V1-V3. Grade 9 is a valid grade of a participation
	// (records of earlier years) but not eligible at registration.
	EligibleGrades = []string{"K", "4", "5", "6", "7", "8", "V1", "V2", "V3"}
	// GrowthLogGrades keep a growth log (成长日志): grades 4-8.
	GrowthLogGrades = []string{"4", "5", "6", "7", "8"}
	// TeacherRoles are the jindaoshi teacher roles.
	TeacherRoles = []string{"new", "young", "counsellor", "admin"}
	// Evaluations are the grades of an assessment.
	Evaluations = []string{"excellent", "pass", "fail"}
	// AssessorRoles are who assesses a participant.
	AssessorRoles = []string{"mentor", "school"}
	// StepTargets are the statuses a step can move a nominee to (completed follows from the
	// evaluation and registered from the nomination).
	StepTargets = []string{"reviewed", "publicized", "recommended", "admitted", "rejected", "withdrawn", "completed"}
	// ReviewDecisions are the office's decisions on a submitted application.
	ReviewDecisions = []string{"approve", "reject", "return"}
	// ObjectionOutcomes resolve an objection.
	ObjectionOutcomes = []string{"dismissed", "upheld"}
	// TrainingKinds are the kinds of a school's training session.
	TrainingKinds = []string{"safety", "lab_skills", "communication", "other"}
	// PhaseNames are the rows of an application's schedule, in order.
	PhaseNames = []string{"selection", "daily_management", "summary_evaluation"}
)

// PhaseLabels are the Chinese names of the phases, as on the form.
var PhaseLabels = map[string]string{"selection": "选拔", "daily_management": "日常管理", "summary_evaluation": "总结评估"}

// StatusLabels are the Chinese names of participation statuses (the contract's labels).
var StatusLabels = map[string]string{"registered": "已报名", "reviewed": "已考察", "publicized": "已公示",
	"recommended": "已推荐", "admitted": "已录取", "completed": "已结业", "withdrawn": "已退出", "rejected": "未通过"}

// ApplicationStatusLabels are the Chinese names of application statuses.
var ApplicationStatusLabels = map[string]string{"draft": "草稿", "submitted": "已提交", "returned": "退回修改",
	"approved": "已通过", "rejected": "未通过"}

// KeepsGrowthLog reports whether a participation of program with grade keeps a growth log.
func KeepsGrowthLog(program string, grade *string) bool {
	return program == "jingke" && grade != nil && slices.Contains(GrowthLogGrades, *grade)
}
