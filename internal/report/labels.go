package report

// Chinese labels of the contract's enumeration keys, for the XLSX exports. The keys are
// the contract's; a key missing here is shown as is.
var (
	programLabels = map[string]string{"jingke": "菁科计划", "jindaoshi": "金导师计划"}
	statusLabels  = map[string]string{"registered": "已报名", "reviewed": "已考察", "publicized": "已公示",
		"recommended": "已推荐", "admitted": "已录取", "completed": "已结业", "withdrawn": "已退出", "rejected": "未通过"}
	levelLabels = map[string]string{"international": "国际级", "national": "国家级", "provincial": "省级",
		"municipal": "市级", "county": "区县级", "school": "校级"}
	destinationLabels = map[string]string{"junior_high": "初中", "senior_high": "普通高中", "vocational": "职业学校",
		"university": "高校", "yingcai": "英才计划", "talent_program": "其他拔尖/少年班/强基计划", "employment": "就业",
		"other": "其他"}
	reasonLabels = map[string]string{"transfer": "调动", "promotion": "晋升", "new_role": "转岗", "left": "离职",
		"retired": "退休"}
	bandLabels = map[string]string{"preschool": "学前", "primary": "小学", "junior": "初中", "vocational": "职高",
		"teacher": "教师"}
	genderLabels = map[string]string{"male": "男", "female": "女"}
	// categoryLabels are the Chinese names of reference/categories.csv.
	categoryLabels = map[string]string{"math": "数学", "physics": "物理", "chemistry": "化学", "biology": "生物",
		"computer": "计算机", "ai": "人工智能", "robotics": "机器人", "programming": "编程", "drones": "无人机",
		"aircraft_design": "飞机设计", "creative_design": "创意设计", "invention": "发明创造",
		"parent_child_building": "亲子创意搭建", "creative_challenge": "创意闯关", "maker": "创客",
		"science_micro_film": "科学影像（科学微电影）", "science_documentary": "科学影像（科学探究纪录片）",
		"science_animation": "科学影像（科普动画）", "practice": "实践活动", "nature_notes": "自然笔记",
		"science_survey_student": "科学调查体验（学生作品）", "scifi_painting": "科幻画", "science_paper": "科学论文",
		"science_survey_teacher": "科学调查体验（教师作品）", "research": "科研", "research_project": "课题",
		"paper": "论文", "innovation_literacy": "创新素养", "guidance_capacity": "指导能力建设"}
	dimensionLabels = map[string]string{"by_status": "状态", "by_region": "区域", "by_category": "项目类别",
		"by_grade_band": "学段", "by_gender": "性别"}
)

// destinationTypes are the destination types in the contract's order: the columns of the
// cohort export.
var destinationTypes = []string{"junior_high", "senior_high", "vocational", "university", "yingcai",
	"talent_program", "employment", "other"}

// label returns the Chinese label of key, or key itself.
func label(labels map[string]string, key string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	return key
}
