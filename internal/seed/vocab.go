package seed

import (
	"fmt"
	"math/rand/v2"

	"talentdb/internal/vocab"
)

// Nomination bands of students and the grade they are nominated in.
const (
	bandK = iota
	bandPrimary
	bandJunior
	bandVocational
	bandTeacher
	nBands
)

// bandWeights: K 10 %, grades 4-6 45 %, 7-9 30 %, V1-V3 15 % of students.
var bandWeights = cum([]float64{10, 45, 30, 15})

// gradeWeights within a band, as grade numbers (K = 0, V1 = 10).
var gradeByBand = [4]weighted[int]{
	newWeighted([]int{0}, []float64{1}),
	newWeighted([]int{4, 5, 6}, []float64{1, 1, 1}),
	newWeighted([]int{7, 8, 9}, []float64{10, 10, 1}),
	newWeighted([]int{10, 11, 12}, []float64{5, 4, 2}),
}

// gradeKey is the participations/person_schools key of a grade number.
func gradeKey(g int) string {
	switch {
	case g == 0:
		return "K"
	case g >= 10 && g <= 12:
		return fmt.Sprintf("V%d", g-9)
	default:
		return fmt.Sprint(g)
	}
}

// yearWeights: cohorts grow over the years (2020 hit by the pandemic).
var yearWeights = cum([]float64{6, 5, 7, 8, 11, 12, 13, 14})

// categories by band (codes of migrations/00002_reference_data.sql) with weights.
var categoryByBand = [nBands]weighted[string]{
	newWeighted([]string{"parent_child_building", "creative_challenge", "scifi_painting", "nature_notes"},
		[]float64{35, 25, 20, 20}),
	newWeighted([]string{"robotics", "programming", "scifi_painting", "nature_notes", "creative_design", "invention",
		"maker", "science_survey_student", "practice", "math", "drones", "ai", "science_micro_film",
		"science_animation", "creative_challenge", "aircraft_design", "computer", "science_documentary", "biology"},
		[]float64{12, 12, 8, 8, 8, 8, 8, 6, 6, 6, 5, 4, 3, 3, 3, 2, 2, 2, 2}),
	newWeighted([]string{"math", "physics", "chemistry", "biology", "computer", "ai", "robotics", "programming", "drones",
		"aircraft_design", "creative_design", "invention", "maker", "science_micro_film", "science_documentary",
		"science_animation", "practice", "science_survey_student", "science_paper", "scifi_painting"},
		[]float64{8, 8, 5, 7, 6, 8, 10, 10, 6, 4, 5, 6, 5, 3, 3, 2, 3, 4, 6, 2}),
	newWeighted([]string{"robotics", "drones", "maker", "invention", "creative_design", "programming", "ai",
		"aircraft_design", "computer"},
		[]float64{16, 14, 14, 12, 10, 10, 8, 8, 8}),
	newWeighted([]string{"guidance_capacity", "innovation_literacy", "research_project", "paper", "research",
		"science_survey_teacher"},
		[]float64{25, 20, 18, 15, 12, 10}),
}

// instTypeByBand: who trains whom — out-of-school centres for the little ones,
// universities and institutes for the older, companies for vocational students, and
// universities and 教科院 for teachers.
var instTypeByBand = [nBands][]float64{
	{10, 10, 10, 70},
	{25, 15, 20, 40},
	{40, 20, 20, 20},
	{30, 0, 50, 20},
	{60, 40, 0, 0},
}

// field is how a competition names a category.
var field = map[string]string{
	"math": "数学", "physics": "物理", "chemistry": "化学", "biology": "生物", "computer": "电脑制作",
	"ai": "人工智能", "robotics": "机器人", "programming": "编程", "drones": "无人机", "aircraft_design": "航空模型",
	"creative_design": "创意设计", "invention": "发明创造", "parent_child_building": "亲子创意搭建",
	"creative_challenge": "创意闯关", "maker": "创客", "science_micro_film": "科学影像",
	"science_documentary": "科学影像", "science_animation": "科学影像", "practice": "科技实践活动",
	"nature_notes": "自然笔记", "science_survey_student": "科学调查体验", "scifi_painting": "科幻画",
	"science_paper": "科技创新",
}

// nationalByCategory are national competitions of a category; the others fall back to the
// innovation contest.
var nationalByCategory = map[string][]string{
	"math":                {"全国中学生数学奥林匹克竞赛"},
	"physics":             {"全国中学生物理竞赛"},
	"chemistry":           {"全国中学生化学竞赛"},
	"biology":             {"全国中学生生物学联赛"},
	"computer":            {"全国中小学信息技术创新与实践大赛"},
	"programming":         {"全国青少年信息学奥林匹克竞赛", "全国中小学信息技术创新与实践大赛"},
	"ai":                  {"全国青少年人工智能创新挑战赛"},
	"robotics":            {"全国青少年机器人竞赛"},
	"drones":              {"全国青少年无人机大赛"},
	"aircraft_design":     {"全国青少年航空航天模型锦标赛"},
	"invention":           {"宋庆龄少年儿童发明奖"},
	"science_micro_film":  {"全国青少年科学影像节"},
	"science_documentary": {"全国青少年科学影像节"},
	"science_animation":   {"全国青少年科学影像节"},
	"nature_notes":        {"全国自然笔记大赛"},
}

var international = []string{"国际科学与工程大奖赛（ISEF）", "世界机器人大赛青少年机器人设计大赛", "RoboCup机器人世界杯青少年组",
	"国际青少年科学奥林匹克竞赛", "世界青少年发明展"}

var internationalOrganizers = []string{"国际科学与工程大奖赛组委会", "世界机器人大会组委会", "RoboCup国际联合会",
	"国际青少年科学奥林匹克组委会", "世界发明协会"}

// Award levels, most frequent at the bottom of the pyramid.
const (
	lvlInternational = iota
	lvlNational
	lvlProvincial
	lvlMunicipal
	lvlCounty
	lvlSchool
)

// levelKeys are the keys of the levels above: vocab's, in its order (highest first).
var levelKeys = vocab.Levels.Keys()

var (
	studentLevels     = cum([]float64{2, 6, 12, 19, 27, 34})
	kindergartenLevel = cum([]float64{0, 0, 0, 15, 35, 50})
	teacherLevels     = cum([]float64{0, 5, 14, 24, 27, 30})
	ranks             = newWeighted([]string{"一等奖", "二等奖", "三等奖", "优秀奖", "特等奖"}, []float64{21, 30, 33, 14, 2})
	medals            = newWeighted([]string{"金牌", "银牌", "铜牌", "优胜奖"}, []float64{15, 25, 35, 25})
)

// competition names an award's contest and organizer for a level, category and place.
func competition(r *rand.Rand, level int, cat string, year int, cityName, distName, schoolName string, teacher bool) (name, organizer string) {
	f := field[cat]
	if f == "" {
		f = "科技创新"
	}
	y := fmt.Sprintf("%d年", year)
	if teacher {
		switch level {
		case lvlNational:
			return y + []string{"全国青少年科技创新大赛科技辅导员科技教育创新成果竞赛", "全国优秀科技辅导员评选"}[r.IntN(2)], "中国青少年科技辅导员协会"
		case lvlProvincial:
			return y + []string{"四川省青少年科技创新大赛科技辅导员创新成果竞赛", "四川省优秀科技辅导员评选", "四川省中小学教师教学成果评选"}[r.IntN(3)],
				[]string{"四川省科学技术协会", "四川省青少年科技教育协会", "四川省教育厅"}[r.IntN(3)]
		case lvlMunicipal:
			return y + cityName + []string{"优秀科技辅导员评选", "中小学科学教育优质课比赛", "教育教学成果奖"}[r.IntN(3)], cityName + "教育局"
		case lvlCounty:
			return y + distName + []string{"中小学青年教师优质课大赛", "科技教育优秀论文评选"}[r.IntN(2)], distName + "教育局"
		default:
			return y + "校级" + []string{"教学能手评选", "优秀科技辅导员"}[r.IntN(2)], schoolName
		}
	}
	switch level {
	case lvlInternational:
		i := r.IntN(len(international))
		return y + international[i], internationalOrganizers[i]
	case lvlNational:
		if l := nationalByCategory[cat]; len(l) > 0 && r.IntN(3) > 0 {
			return y + l[r.IntN(len(l))], "中国科学技术协会"
		}
		return y + "全国青少年科技创新大赛", "中国科学技术协会"
	case lvlProvincial:
		if r.IntN(2) == 0 {
			return y + "四川省青少年科技创新大赛", "四川省科学技术协会"
		}
		return y + "四川省青少年" + f + "竞赛", "四川省青少年科技教育协会"
	case lvlMunicipal:
		if r.IntN(2) == 0 {
			return y + cityName + "青少年科技创新大赛", cityName + "科学技术协会"
		}
		return y + cityName + "青少年" + f + "比赛", cityName + "教育局"
	case lvlCounty:
		return y + distName + "中小学生" + f + "比赛", distName + "教育局"
	default:
		return y + "校园科技节" + f + "比赛", schoolName
	}
}

var (
	localUniversities = []string{"四川大学", "电子科技大学", "西南交通大学", "四川师范大学", "西南财经大学", "成都理工大学",
		"西南石油大学", "成都信息工程大学", "四川农业大学", "西南科技大学", "西华师范大学", "西南民族大学", "成都大学",
		"西华大学", "成都中医药大学", "川北医学院", "西南医科大学", "四川轻化工大学"}
	otherUniversities = []string{"清华大学", "北京大学", "浙江大学", "上海交通大学", "复旦大学", "中国科学技术大学", "重庆大学",
		"西南大学", "华中科技大学", "武汉大学", "哈尔滨工业大学", "西安交通大学", "北京航空航天大学", "南京大学", "同济大学",
		"中山大学", "西北工业大学", "重庆邮电大学"}
	strongBase = []string{"清华大学", "北京大学", "中国科学技术大学", "四川大学", "电子科技大学", "西安交通大学", "浙江大学"}
	majors     = []string{"数学与应用数学", "物理学", "化学", "生物科学", "计算机科学与技术", "软件工程", "人工智能",
		"电子信息工程", "自动化", "机械工程", "航空航天工程", "临床医学", "土木工程", "材料科学与工程", "环境工程",
		"数据科学与大数据技术", "电气工程及其自动化", "通信工程", "生物医学工程", "飞行器设计与工程", "汉语言文学", "金融学"}
	strongBaseMajors = []string{"数学与应用数学", "物理学", "化学", "生物科学", "工程力学", "核工程与核技术"}
	vocColleges      = []string{"四川职业技术学院", "成都航空职业技术学院", "四川工程职业技术大学", "成都职业技术学院",
		"四川交通职业技术学院", "四川建筑职业技术学院", "四川信息职业技术学院", "绵阳职业技术学院", "宜宾职业技术学院"}
	vocMajors = []string{"机电一体化技术", "工业机器人技术", "无人机应用技术", "计算机应用技术", "电子信息工程技术",
		"汽车检测与维修技术", "飞机机电设备维修", "软件技术", "数控技术", "物联网应用技术"}
	employers       = []string{"有限公司", "科技有限公司", "电子有限公司", "机械制造有限公司", "汽车服务有限公司"}
	juniorClasses   = []string{"中国科学技术大学少年班", "西安交通大学少年班", "东南大学少年班"}
	yingcaiSubjects = map[string]string{"math": "数学", "physics": "物理", "chemistry": "化学", "biology": "生物",
		"computer": "计算机", "programming": "计算机", "ai": "计算机"}
	yingcaiHosts = []string{"四川大学", "电子科技大学", "西南交通大学", "四川师范大学"}
	subjects     = []string{"数学", "物理", "化学", "生物", "计算机"}
)

var (
	evaluationComments = map[string][]string{
		"excellent": {"学习主动，研究方案完整，成果突出。", "善于提出问题，动手能力强，作品获得导师高度评价。", "全年任务全部按时完成，成长日志详实。"},
		"pass":      {"按要求完成培养任务，表现良好。", "能够完成导师布置的任务，实验记录较完整。", "参与积极，研究能力有所提高。"},
		"fail":      {"多次缺席导师活动，未完成结题任务。", "未按要求提交成长日志和结题材料。"},
	}
	teacherEvaluationComments = map[string][]string{
		"excellent": {"课题研究扎实，指导学生成效显著。", "积极参与培训，形成了可推广的科技教育案例。"},
		"pass":      {"完成培训任务，科技教育指导能力有所提升。", "按要求完成研修与课题任务。"},
		"fail":      {"未完成培训学时和结业成果。"},
	}
	// followUpNotes by outcome; unreachable notes by channel.
	followUpNotes = map[string][]string{
		"reached":            {"了解近况，学习状态良好。", "告知本年度科技活动安排，本人有意参加。", "更新了联系方式和就读学校。", "反馈在新学校继续参加科技社团。", "已获取最新获奖情况。"},
		"reached/teacher":    {"了解近况，仍从事科技教育工作。", "已获取最新获奖与职称情况。", "邀请参加本年度导师交流活动。", "更新了任职学校和联系方式。"},
		"unreachable":        {"未能联系上本人，已请原班主任转告。"},
		"unreachable/phone":  {"电话无人接听。", "号码已停机，需通过学校另行联系。"},
		"unreachable/wechat": {"微信消息未回复。"},
		"unreachable/email":  {"邮件未回复。"},
		"declined":           {"本人表示近期繁忙，暂不更新信息。", "本人表示暂无更新信息。"},
		"declined/student":   {"家长表示学业繁忙，本年度暂不参加活动。"},
		"opted_out":          {"本人（监护人）要求今后不再联系。"},
	}
)

var (
	channels = newWeighted([]string{"wechat", "phone", "visit", "email", "other"}, []float64{45, 35, 8, 7, 5})
	outcomes = newWeighted([]string{"reached", "unreachable", "declined", "opted_out"}, []float64{84, 10, 4.5, 1.5})
	// followUpRate is the chance of a contact in follow-up window k (index k-1), before the
	// school's diligence.
	followUpRate = []float64{0.85, 0.7, 0.6, 0.55, 0.5, 0.45, 0.4, 0.4, 0.35, 0.35}
)
