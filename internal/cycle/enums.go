package cycle

import "slices"

// The cycle's subsets of vocab's enumerations (the lists themselves, with their labels, are
// vocab's: statuses, grades, teacher roles, evaluations, phases …).
var (
	// EligibleGrades are the jingke grades that may register: kindergarten top class, primary
	// 4-6, junior high 7-8 and vocational V1-V3. Grade 9 is a valid grade of a participation
	// (records of earlier years) but not eligible at registration.
	EligibleGrades = []string{"K", "4", "5", "6", "7", "8", "V1", "V2", "V3"}
	// GrowthLogGrades keep a growth log (成长日志): grades 4-8.
	GrowthLogGrades = []string{"4", "5", "6", "7", "8"}
	// StepTargets are the statuses a step can move a nominee to (completed follows from the
	// evaluation and registered from the nomination).
	StepTargets = []string{"reviewed", "publicized", "recommended", "admitted", "rejected", "withdrawn", "completed"}
)

// KeepsGrowthLog reports whether a participation of program with grade keeps a growth log.
func KeepsGrowthLog(program string, grade *string) bool {
	return program == "jingke" && grade != nil && slices.Contains(GrowthLogGrades, *grade)
}
