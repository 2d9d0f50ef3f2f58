-- +goose Up
-- Reference data copied from the office's reference lists (GB/T 2260 codes and the
-- project categories of the 2023 notice). The product never reads the originals.

INSERT INTO regions (code, name_zh, name_en, level) VALUES
  ('510000', '四川省', 'Sichuan Province', 1),
  ('510100', '成都市', 'Chengdu', 2),
  ('510300', '自贡市', 'Zigong', 2),
  ('510400', '攀枝花市', 'Panzhihua', 2),
  ('510500', '泸州市', 'Luzhou', 2),
  ('510600', '德阳市', 'Deyang', 2),
  ('510700', '绵阳市', 'Mianyang', 2),
  ('510800', '广元市', 'Guangyuan', 2),
  ('510900', '遂宁市', 'Suining', 2),
  ('511000', '内江市', 'Neijiang', 2),
  ('511100', '乐山市', 'Leshan', 2),
  ('511300', '南充市', 'Nanchong', 2),
  ('511400', '眉山市', 'Meishan', 2),
  ('511500', '宜宾市', 'Yibin', 2),
  ('511600', '广安市', 'Guang''an', 2),
  ('511700', '达州市', 'Dazhou', 2),
  ('511800', '雅安市', 'Ya''an', 2),
  ('511900', '巴中市', 'Bazhong', 2),
  ('512000', '资阳市', 'Ziyang', 2),
  ('513200', '阿坝藏族羌族自治州', 'Ngawa Tibetan and Qiang Autonomous Prefecture', 2),
  ('513300', '甘孜藏族自治州', 'Garzê Tibetan Autonomous Prefecture', 2),
  ('513400', '凉山彝族自治州', 'Liangshan Yi Autonomous Prefecture', 2);

INSERT INTO categories (code, program, group_zh, name_zh, sort_order) VALUES
  ('math', 'jingke', '学科', '数学', 1),
  ('physics', 'jingke', '学科', '物理', 2),
  ('chemistry', 'jingke', '学科', '化学', 3),
  ('biology', 'jingke', '学科', '生物', 4),
  ('computer', 'jingke', '学科', '计算机', 5),
  ('ai', 'jingke', '科技创新', '人工智能', 6),
  ('robotics', 'jingke', '科技创新', '机器人', 7),
  ('programming', 'jingke', '科技创新', '编程', 8),
  ('drones', 'jingke', '科技创新', '无人机', 9),
  ('aircraft_design', 'jingke', '科技创新', '飞机设计', 10),
  ('creative_design', 'jingke', '科技创新', '创意设计', 11),
  ('invention', 'jingke', '科技创新', '发明创造', 12),
  ('parent_child_building', 'jingke', '科技创新', '亲子创意搭建', 13),
  ('creative_challenge', 'jingke', '科技创新', '创意闯关', 14),
  ('maker', 'jingke', '科技创新', '创客', 15),
  ('science_micro_film', 'jingke', '科学影像与实践', '科学影像（科学微电影）', 16),
  ('science_documentary', 'jingke', '科学影像与实践', '科学影像（科学探究纪录片）', 17),
  ('science_animation', 'jingke', '科学影像与实践', '科学影像（科普动画）', 18),
  ('practice', 'jingke', '科学影像与实践', '实践活动', 19),
  ('nature_notes', 'jingke', '科学影像与实践', '自然笔记', 20),
  ('science_survey_student', 'jingke', '科学影像与实践', '科学调查体验（学生作品）', 21),
  ('scifi_painting', 'jingke', '科学影像与实践', '科幻画', 22),
  ('science_paper', 'jingke', '科学论文', '科学论文', 23),
  ('science_survey_teacher', 'jindaoshi', '教师项目', '科学调查体验（教师作品）', 24),
  ('research', 'jindaoshi', '教师项目', '科研', 25),
  ('research_project', 'jindaoshi', '教师项目', '课题', 26),
  ('paper', 'jindaoshi', '教师项目', '论文', 27),
  ('innovation_literacy', 'jindaoshi', '教师项目', '创新素养', 28),
  ('guidance_capacity', 'jindaoshi', '教师项目', '指导能力建设', 29);

-- +goose Down
DELETE FROM categories;
DELETE FROM regions;
